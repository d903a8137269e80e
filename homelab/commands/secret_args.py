"""Reading command-line arguments that may hold a secret, never repeating one.

A value given where a name belongs (``PASSWORD=hunter2`` as the cluster, a key or a path) must not be
echoed: an error names such an argument by its position and says it is :data:`NOT_SHOWN`; an argument
it did not expect is shown only as far as :func:`shown_argument` allows.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from homelab.errors import HomelabError
from homelab.sealing.store_format import is_kubernetes_name, is_secret_key

if TYPE_CHECKING:
    from homelab.model.cluster import Cluster
    from homelab.model.homelab import Homelab

NOT_SHOWN = "not shown: it may be a secret"
_KEY_RULE = "a key is letters, digits, '-', '_' and '.'"
_NAMED = {"=": "'='", ":": "':'", " ": "a space", "\t": "a tab", "\n": "a line break", '"': "a quote", "'": "a quote"}
_LONG_OPTION = re.compile(r"--[A-Za-z][-A-Za-z0-9_]*")


def shown_argument(argument: str) -> str:
    """How an error names a command-line argument it did not expect, which may hold a secret: a long
    option up to its '=' (``--password=…``), a short one by its first letter (``-p…``), anything else ``…``."""
    name, sep, _ = argument.partition("=")
    if _LONG_OPTION.fullmatch(name):
        return name + sep + "…" * bool(sep)
    if argument[:1] == "-" and argument[1:2].isalpha():
        return argument[:2] + "…" * (len(argument) > 2)
    return "…"


def check_key(key: str, what: str, fix: str = "") -> str:
    """``key`` if it is a Secret key; else an error naming ``what`` was wrong, never the key itself
    (``PASSWORD=hunter2`` given where a key belongs holds a value), and ``fix``."""
    if is_secret_key(key):
        return key
    bad = next((c for c in key if not is_secret_key(c)), None)
    if not key:
        problem = "it is empty"
    elif bad is None:
        problem = "it is longer than 253 characters"
    else:
        problem = f"it contains {_NAMED.get(bad, 'another character')}"
    raise HomelabError(f"{what} is not a valid Secret key ({problem}; {_KEY_RULE}; {NOT_SHOWN}){fix and '; ' + fix}")


def looks_like_a_value(argument: str) -> bool:
    """A ``KEY=VALUE`` given where a name was expected: never to be echoed."""
    return "=" in argument


def parse_ref(ref: str) -> tuple[str, str]:
    """``NAMESPACE/NAME`` as (namespace, name); refused without being repeated (it may hold a value)."""
    if looks_like_a_value(ref):
        raise HomelabError(
            f"the NAMESPACE/NAME argument looks like KEY=VALUE ({NOT_SHOWN}); "
            "name the secret first: homelab seal CLUSTER NAMESPACE/NAME --stdin KEY"
        )
    namespace, sep, name = ref.partition("/")
    if not sep or not is_kubernetes_name(namespace, namespace=True) or not is_kubernetes_name(name):
        raise HomelabError(
            f"the NAMESPACE/NAME argument is not a secret's namespace and name ({NOT_SHOWN}): name the secret as "
            "NAMESPACE/NAME, both lower-case letters, digits and '-' (the name may also hold '.'), "
            "e.g. velero/credentials-velero"
        )
    return namespace, name


def cluster_named(lab: Homelab, name: str, what: str = "the CLUSTER argument") -> Cluster:
    """The cluster ``name``; when there is none, an error that does not repeat ``name`` (it may hold a value)."""
    try:
        return lab.plan(name).cluster
    except HomelabError:
        names = ", ".join(p.cluster.name for p in lab.clusters)
        raise HomelabError(f"{what} names no cluster of this homelab ({NOT_SHOWN}); clusters are: {names}") from None


def read_given(path: str, what: str) -> bytes:
    """The bytes of the file a user named; a path that is no file is not repeated (it may be a value)."""
    if not Path(path).is_file():
        raise HomelabError(f"{what}: no file at the path given ({NOT_SHOWN}); give the path of an existing file")
    return Path(path).read_bytes()


def read_stdin(key: str) -> bytes:
    """A value from standard input: without echo at a terminal; exactly one trailing newline dropped."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"{key} (not echoed): ").encode()
    data = sys.stdin.buffer.read()
    return data[:-1] if data.endswith(b"\n") else data


def parse_env_file(text: str, source: str) -> dict[str, bytes]:
    """``KEY=VALUE`` lines (``#`` comments, blank lines, optional ``export``, optional quotes)."""
    out: dict[str, bytes] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        if not sep:
            raise HomelabError(f"{source}:{n}: expected KEY=VALUE (the line is {NOT_SHOWN})")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[check_key(key.strip(), f"{source}:{n}: the part before '='", "write KEY=VALUE lines")] = value.encode()
    return out


class SecretSafeParser(argparse.ArgumentParser):
    """argparse whose errors never repeat an argument it was given (it may hold a secret): each one the
    message contains, but for the parser's own option names and choices, is shown by :func:`shown_argument`."""

    given: Sequence[str] = ()

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self.given = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        own = {name for action in self._actions for name in (*action.option_strings, *map(str, action.choices or ()))}
        pieces: dict[str, str] = {}  # what the message may contain -> what to show instead
        for argument in self.given:
            if argument in own:
                continue
            shown = shown_argument(argument)
            pieces[argument] = shown
            if argument[:1] == "-":  # argparse's "explicit argument": after '=', or after a short option's letter
                explicit = {argument.partition("=")[2], argument[2:] if argument[1:2] != "-" else ""}
                pieces.update({part: "…" for part in explicit if part and part not in own})
        for piece in sorted(pieces, key=len, reverse=True):
            shown = pieces[piece].replace("\\", "\\\\")
            for form in (piece, repr(piece)[1:-1]):
                message = re.sub(rf"(?<![^\s'\"=(]){re.escape(form)}(?![^\s'\",)])", shown, message)
        super().error(message)
