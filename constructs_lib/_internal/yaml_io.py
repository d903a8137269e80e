"""Deterministic YAML: the one way the synthesiser turns data into text.

Block style, keys in the order given, lists indented under their key, multi-line strings as
literal blocks, and every string that a YAML 1.2 reader (kustomize, Argo CD) would take for a
number, boolean or null quoted, so ``"1.10"`` or ``"yes"`` stay strings everywhere.

Where PyYAML was built with libyaml, its C emitter writes the text (an order of magnitude faster
than the pure-Python one), and the lists it writes flush with their key are indented under it
(:func:`_indent_lists`). A document where the two emitters could differ — a line the indent makes
longer than the width with a space to fold at, a scalar folded over several lines, an escape or a
character outside the Basic Multilingual Plane — is written by the Python emitter, so the text is the same byte for byte either way
(``tests/engine/test_kustomize_and_yaml.py`` compares them).
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any, ClassVar

import yaml

from constructs_lib._internal.k8s_json import json_problem, not_json
from constructs_lib.errors import PropsError

# Plain scalars that YAML 1.1 (PyYAML) or 1.2 core (Go) would not read back as the same string.
_AMBIGUOUS = re.compile(
    r"""^(?:
        ~|null|Null|NULL|true|True|TRUE|false|False|FALSE
      | y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF
      | [-+]?[0-9][0-9_]*
      | 0o[0-7]+ | 0x[0-9a-fA-F]+ | 0b[01]+
      | [-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | [0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    )$""",
    re.VERBOSE,
)


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


#: Line breaks to YAML 1.1 (PyYAML) but not to YAML 1.2 (kustomize, Argo CD): written raw, a reader of
#: one version would read them otherwise than a reader of the other, so they are always escaped.
_BREAKS_1_1 = re.compile("[\x85\u2028\u2029]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _BREAKS_1_1.search(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')  # escaped: \N, \L, \P
    if "\n" in value and all(line == line.rstrip() for line in value.split("\n")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if _AMBIGUOUS.match(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


class _NotJson(Exception):
    """A value YAML could write (``!!binary``, ``!!set``, ``.nan``) but a manifest must not hold."""


def _refuse(dumper: yaml.SafeDumper, value: Any) -> yaml.Node:
    raise _NotJson


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    if not math.isfinite(value):
        raise _NotJson
    return dumper.represent_float(value)


def _json_only(dumper: Any) -> None:
    """Make ``dumper`` write JSON data only: bytes, sets, dates, ``nan`` and other objects raise :class:`_NotJson`
    (the backstop for what no props check saw, e.g. a value given to ``set_field``)."""
    dumper.add_representer(str, _represent_str)
    dumper.add_representer(float, _represent_float)
    for kind in (bytes, set, datetime.date, datetime.datetime, None):  # None: any other type
        dumper.add_representer(kind, _refuse)


_json_only(_Dumper)


WIDTH = 100

_OPTIONS: dict[str, Any] = {"sort_keys": False, "default_flow_style": False, "allow_unicode": True, "width": WIDTH}


def dump_python(data: Any) -> str:
    """``data`` as a YAML document by PyYAML's pure-Python emitter: the reference output."""
    return yaml.dump(data, Dumper=_Dumper, **_OPTIONS)


_CBase = getattr(yaml, "CSafeDumper", None)
if _CBase is not None:
    _MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
    #: (tag, text) of the scalars without a text of their own; a node is made for each use (a node
    #: used twice would be written as an anchor and an alias).
    _SCALARS: dict[Any, tuple[str, str]] = {
        True: ("tag:yaml.org,2002:bool", "true"),
        False: ("tag:yaml.org,2002:bool", "false"),
        None: ("tag:yaml.org,2002:null", "null"),
    }

    class _CDumper(_CBase):  # type: ignore[misc,valid-type]
        """libyaml's emitter, fed by a representer for the plain data manifests are (what SafeRepresenter
        makes of them, without its per-node bookkeeping), and a resolver that remembers its answers."""

        _resolved: ClassVar[dict[tuple[Any, str, Any], Any]] = {}  # shared by every dump of the run

        def ignore_aliases(self, data: Any) -> bool:
            return True

        def represent_data(self, data: Any) -> yaml.Node:
            kind = type(data)
            if kind is str:
                return _represent_str(self, data)
            if kind is dict:
                pairs = [(self.represent_data(k), self.represent_data(v)) for k, v in data.items()]
                return yaml.MappingNode(_MAP, pairs, flow_style=False)
            if kind is list:
                return yaml.SequenceNode(_SEQ, [self.represent_data(v) for v in data], flow_style=False)
            if kind is bool or data is None:
                return yaml.ScalarNode(*_SCALARS[data])
            if kind is int:
                return yaml.ScalarNode("tag:yaml.org,2002:int", str(data))
            return super().represent_data(data)  # floats, tuples, anything rarer: PyYAML's own way

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is not yaml.ScalarNode:
                return super().resolve(kind, value, implicit)
            key = (kind, value, implicit)
            found = self._resolved.get(key)
            if found is None:
                found = self._resolved[key] = super().resolve(kind, value, implicit)
            return found

    _json_only(_CDumper)


def dump(data: Any) -> str:
    """``data`` as a YAML document (no ``---``), ending with a newline; what :func:`dump_python` writes.

    Only JSON data is written: anything else is a :class:`PropsError` naming where it is in the object."""
    try:
        return _dump(data)
    except _NotJson:
        meta = data.get("metadata") if isinstance(data, dict) else None
        owner = f"{data.get('kind')} {meta.get('name')!r}" if isinstance(meta, dict) else "a document to write"
        items = data.items() if isinstance(data, dict) else [("value", data)]
        problem = next(filter(None, (json_problem(value, str(key)) for key, value in items)), "a value")
        raise not_json(owner, problem) from None


def _dump(data: Any) -> str:
    if _CBase is None:
        return dump_python(data)
    try:
        text = _indent_lists(yaml.dump(data, Dumper=_CDumper, **_OPTIONS))
    except UnicodeEncodeError as exc:
        raise PropsError(
            f"a string holds {exc.object[exc.start : exc.end]!r}, a lone surrogate: not a Unicode character, it "
            "cannot be written to a YAML file; remove it (it comes from bytes decoded with errors='surrogateescape')"
        ) from None
    return text if text is not None else dump_python(data)


_BLOCK_SCALAR = re.compile(r"^\|[0-9]?[-+]?$")
#: Where the two emitters' printability rules or escapes may differ: left to the Python emitter.
_UNSURE = re.compile("[\\\\\x85\u2028\u2029\ufeff\U00010000-\U0010ffff]")


def _split_key(rest: str) -> tuple[bool, str] | None:
    """``(is a key, value after 'key:')`` of a line's content after its dashes; None when unsure."""
    if rest.startswith("? "):
        return None  # a complex key: leave the document to the Python emitter
    if rest[:1] in ("'", '"'):
        quote, i = rest[0], 1
        while i < len(rest):
            if rest[i] == "\\" and quote == '"':
                i += 2
                continue
            if rest[i] == quote:
                if quote == "'" and rest[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                break
            i += 1
        else:
            return (False, rest)  # a quoted scalar going on over the next lines
        after = rest[i + 1 :]
        if after == ":" or after.startswith(": "):
            if i == 1:
                return None  # an empty key: the Python emitter writes it as a complex key
            return (True, after[2:])
        return (False, rest)
    if rest.endswith(":") and ": " not in rest:
        return (True, "")
    if ": " in rest:
        return (True, rest.split(": ", 1)[1])
    return (False, rest)


def _indent_lists(text: str) -> str | None:
    """libyaml's output with every list that is a mapping's value indented two more, as the Python
    emitter writes it; None where that could differ from the Python emitter's text."""
    if _UNSURE.search(text):
        return None
    out: list[str] = []
    lists: list[int] = []  # columns (in libyaml's text) of the open lists written flush with their key
    region = -1  # lines deeper than this column continue the last scalar (block scalar or folded)
    region_is_block = False
    opener = -1  # column of the last 'key:' whose value starts on the next line
    for line in text.split("\n"):
        if not line:
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        if region >= 0 and indent > region:
            if not region_is_block:
                return None  # a folded scalar: its folds depend on the column
            out.append(" " * (2 * len(lists)) + line)
            continue
        region = -1
        rest, dash = line[indent:], indent
        dashes = 0
        while rest.startswith("- ") or rest == "-":
            rest, dashes = rest[2:], dashes + 1
        while lists and (lists[-1] > indent or (lists[-1] == indent and not dashes)):
            lists.pop()
        if dashes and indent == opener:
            lists.append(indent)
        opener = -1
        shifted = " " * (2 * len(lists)) + line
        parsed = _split_key(rest)
        if parsed is None:
            return None
        is_key, value = parsed
        column = dash + 2 * dashes
        if is_key and value == "":
            opener = column
        elif _BLOCK_SCALAR.match(value if is_key else rest):
            if (value if is_key else rest).endswith("+"):
                return None  # kept final newlines: the Python emitter ends the document with '...'
            region, region_is_block = (column if is_key else column - 2), True
        else:
            region, region_is_block = (column if is_key else column - 2), False
            if len(shifted) > WIDTH and " " in (value if is_key else rest):
                return None  # longer than the width with a space to break at: the Python emitter might fold it
        out.append(shifted)
    return "\n".join(out)


#: libyaml's parser where PyYAML was built with it (it reads the same YAML, ~10x faster).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """Parse one YAML document."""
    return yaml.load(text, Loader=_Loader)  # a safe loader (libyaml or pure Python)


def load_all(text: str) -> list[Any]:
    """Parse every document of a YAML stream."""
    return list(yaml.load_all(text, Loader=_Loader))
