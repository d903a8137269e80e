"""Which base object an overlay object is, through what kustomize's transformers did to its identity.

An overlay's build holds the base's objects changed: ``namespace:`` moves them into a namespace,
``namePrefix:``/``nameSuffix:`` rename them (``blog`` → ``home-blog``), and ``commonLabels``/``labels``/``images``
and patches change their content, not who they are. An overlay object is the base object of its key
(``Kind namespace/name``) when the base has one; else the base object of its kind whose name, with the
overlay's prefix and suffix, is its name — in its namespace, else in none (a base that names no namespace),
else in another (``namespace:`` over a base that names one). The prefix and suffix are what turns the most
base names into overlay names (kustomize adds the same ones to every object it renames).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def split_key(key: str) -> tuple[str, str, str]:
    """``Kind namespace/name`` → (kind, namespace, name)."""
    kind, _, rest = key.partition(" ")
    namespace, _, name = rest.partition("/")
    return kind, namespace, name


def twins(overlay: Sequence[str], base: Sequence[str]) -> dict[str, str]:
    """Overlay key → the key of the base object it is (see the module); an overlay object that is none of the
    base's is left out, and each base object is the twin of one overlay object at most."""
    out = {key: key for key in overlay if key in base}
    free = [b for b in base if b not in out.values()]
    rest = [o for o in overlay if o not in out]
    prefix, suffix = _affixes(rest, free)
    for key in rest:
        kind, namespace, name = split_key(key)
        ranked = sorted(
            (split_key(b)[1] != namespace, split_key(b)[1] != "", b)
            for b in free
            if _renamed(b, kind, name, prefix, suffix)
        )
        if ranked and (len(ranked) == 1 or ranked[0][:2] != ranked[1][:2]):  # two equally near: neither
            out[key] = ranked[0][2]
            free.remove(ranked[0][2])
    return out


def _renamed(base_key: str, kind: str, name: str, prefix: str, suffix: str) -> bool:
    base_kind, _, base_name = split_key(base_key)
    return base_kind == kind and f"{prefix}{base_name}{suffix}" == name


def _affixes(overlay: Sequence[str], base: Sequence[str]) -> tuple[str, str]:
    """The (prefix, suffix) that turns the most base names of ``base`` into names of ``overlay`` of the same
    kind (none when no name is inside another)."""
    found: Counter[tuple[str, str]] = Counter()
    for key in overlay:
        kind, _, name = split_key(key)
        for base_key in base:
            base_kind, _, base_name = split_key(base_key)
            if base_kind != kind or not base_name:
                continue
            start = name.find(base_name)
            while start != -1:
                found[(name[:start], name[start + len(base_name) :])] += 1
                start = name.find(base_name, start + 1)
    if not found:
        return "", ""
    return max(found, key=lambda pair: (found[pair], pair == ("", "")))
