"""Values as Python source, as a person would write them: what ``homelab import`` writes for props and data.

:func:`to_source` gives an expression that evaluates to the value: a props dataclass as a keyword call naming
only the fields that differ from what leaving them out gives (a field its ``__post_init__`` derives, such as
an Application's namespace from ``owned_by``, is left out too), in field order; tuples (one item: ``(x,)``),
lists, dicts, strings, numbers, booleans, ``None``, enum members, and classes or functions by name. A string
of several lines is written line by line: triple-quoted when that gives it back exactly (it ends with a
newline and has no backslash, tab, trailing space or triple quote), else as a parenthesised concatenation of
its lines. The layout is ruff format's: a value on one line when it fits in 120 columns, else one item per
line with a trailing comma. The names used are added to an :class:`Imports`.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: ruff's line length in the repositories ``homelab init`` writes.
WIDTH = 120
_INDENT = 4


class Imports:
    """``from module import Name`` lines, collected while writing source: sorted, each name once."""

    def __init__(self) -> None:
        self._modules: dict[str, set[str]] = {}
        self._taken: dict[str, str] = {}  # name in the source -> "module:name"

    def add(self, module: str, name: str) -> str:
        """Import ``name`` from ``module``; the name to write (aliased if another module's has it)."""
        key = f"{module}:{name}"
        local = (
            name if self._taken.get(name, key) == key else f"{module.rsplit('.', 1)[-1].title().replace('_', '')}{name}"
        )
        self._taken[local] = key
        self._modules.setdefault(module, set()).add(name if local == name else f"{name} as {local}")
        return local

    def of(self, thing: Any) -> str:
        """Import a class or function by where it is defined, or by its top package when that exports it
        (``homelab.AppSpec``); the name to write."""
        module, name = thing.__module__, thing.__qualname__.split(".")[0]
        top = module.split(".")[0]
        if getattr(sys.modules.get(top), name, None) is thing and name in getattr(sys.modules[top], "__all__", ()):
            module = top
        local = self.add(module, name)
        rest = thing.__qualname__[len(name) :]
        return local + rest

    def lines(self) -> list[str]:
        """The import statements, sorted by module, names as ruff's isort orders them."""
        out = []
        for module in sorted(self._modules):
            names = ", ".join(sorted(self._modules[module], key=_isort_key))
            line = f"from {module} import {names}"
            if len(line) > WIDTH:
                items = "".join(f"    {n},\n" for n in sorted(self._modules[module], key=_isort_key))
                line = f"from {module} import (\n{items})"
            out.append(line)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _isort_key(name: str) -> tuple[int, str]:
    """ruff's isort order within one import: CONSTANTS, then Classes, then functions."""
    bare = name.split(" as ")[0]
    kind = 0 if bare.isupper() and len(bare) > 1 else 1 if bare[:1].isupper() else 2
    return kind, bare.lower()


# The layout: a value is an atom (text) or a bracketed group of items, each item a prefix and a value.


@dataclass(frozen=True)
class _Atom:
    text: str

    @property
    def multiline(self) -> bool:
        return "\n" in self.text


@dataclass(frozen=True)
class _Group:
    open: str
    items: tuple[tuple[str, _Node], ...]
    close: str
    one_tuple: bool = False  # a tuple of one item: its comma is needed on one line too
    concat: str | None = None  # a string written as its lines, implicitly concatenated (one string when it fits)


_Node = _Atom | _Group


def to_source(value: object, imports: Imports, *, indent: int = 0, prefix: int = 0) -> str:
    """Python source that evaluates to ``value``: props dataclasses as keyword calls omitting fields equal
    to their defaults, tuples, dicts, strings, numbers, bools, None; names imported into ``imports``.

    ``indent`` is the indentation of the line it starts on and ``prefix`` the width of what precedes it
    there (``len("NAME = ")``): they decide what fits on one line."""
    return _layout(_node(value, imports), indent, prefix + indent, suffix=0)


def _node(value: object, imports: Imports) -> _Node:
    if value is None or isinstance(value, bool):
        return _Atom(repr(value))
    if isinstance(value, enum.Enum):
        return _Atom(f"{imports.of(type(value))}.{value.name}")
    if isinstance(value, int):
        return _Atom(repr(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"to_source: {value!r} is not a number JSON or YAML can hold")
        return _Atom(repr(value))
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, type) or (callable(value) and hasattr(value, "__qualname__") and not _is_dataclass(value)):
        return _Atom(imports.of(value))
    if _is_dataclass(value):
        return _Group(f"{imports.of(type(value))}(", _call_items(value, imports), ")")
    if isinstance(value, Mapping):
        items = tuple((_layout(_node(k, imports), 0, 0, 0) + ": ", _node(v, imports)) for k, v in value.items())
        return _Group("{", items, "}")
    if isinstance(value, tuple):
        return _Group("(", tuple(("", _node(v, imports)) for v in value), ")", one_tuple=len(value) == 1)
    if isinstance(value, list):
        return _Group("[", tuple(("", _node(v, imports)) for v in value), "]")
    raise TypeError(f"to_source: a {type(value).__name__} ({value!r:.80}) has no source form; give data or props")


def _is_dataclass(value: object) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _call_items(value: Any, imports: Imports) -> tuple[tuple[str, _Node], ...]:
    kwargs = minimal_arguments(value)
    return tuple((f"{name}=", _node(v, imports)) for name, v in kwargs.items())


def minimal_arguments(value: Any) -> dict[str, Any]:
    """The keyword arguments that rebuild the dataclass instance ``value``, leaving out every field whose
    absence gives the same instance (its default, or what ``__post_init__`` derives from the others)."""
    cls = type(value)
    fields = [f for f in dataclasses.fields(value) if f.init]
    kwargs = {f.name: getattr(value, f.name) for f in fields if not _is_default(f, getattr(value, f.name))}
    if _rebuild(cls, kwargs) != value:
        kwargs = {f.name: getattr(value, f.name) for f in fields}
    for f in fields:
        if f.name in kwargs and _has_default(f):
            rest = {k: v for k, v in kwargs.items() if k != f.name}
            if _rebuild(cls, rest) == value:
                kwargs = rest
    return kwargs


def _rebuild(cls: type, kwargs: dict[str, Any]) -> object:
    try:
        return cls(**kwargs)
    except Exception:  # a field the others need (the props refuse the call): it is not left out
        return None


def _has_default(f: dataclasses.Field[Any]) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def _is_default(f: dataclasses.Field[Any], value: object) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(f.default == value and type(f.default) is type(value))
    if f.default_factory is not dataclasses.MISSING:
        default = f.default_factory()
        return bool(default == value and type(default) is type(value))
    return False


def _quote(text: str) -> str:
    """``text`` as a string literal, in double quotes unless it holds some and no single quote (as ruff writes it)."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        literal = '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


def _triple_quotable(text: str) -> bool:
    lines = text.split("\n")[:-1]
    return (
        text.endswith("\n")
        and '"""' not in text
        and not text.startswith('"')
        and all(c == "\n" or (c.isprintable() and c != "\\") for c in text)
        and all(line == line.rstrip() for line in lines)
    )


def _string(text: str) -> _Node:
    lines = text.splitlines(keepends=True)
    if len(lines) < 2 or "".join(lines) != text:
        return _Atom(_quote(text))
    if _triple_quotable(text):
        return _Atom('"""\\\n' + text + '"""')
    return _Group("(", tuple(("", _Atom(_quote(line))) for line in lines), ")", concat=text)


def _flat(node: _Node) -> str | None:
    """``node`` on one line, or None when it cannot be (a string of several lines)."""
    if isinstance(node, _Atom):
        return None if node.multiline else node.text
    parts = []
    for prefix, item in node.items:
        text = _flat(item)
        if text is None:
            return None
        parts.append(prefix + text)
    if node.concat is not None:
        return _quote(node.concat)
    inner = ", ".join(parts) + ("," if node.one_tuple else "")
    return node.open + inner + node.close


def _layout(node: _Node, indent: int, column: int, suffix: int) -> str:
    """``node`` starting at ``column`` on a line indented ``indent``, followed by ``suffix`` characters."""
    flat = _flat(node)
    if flat is not None and column + len(flat) + suffix <= WIDTH:
        return flat
    if isinstance(node, _Atom):
        return node.text
    inner = indent + _INDENT
    if node.concat is not None:
        body = "".join(" " * inner + _layout(item, inner, inner, 0) + "\n" for _, item in node.items)
    else:
        body = "".join(
            " " * inner + prefix + _layout(item, inner, inner + len(prefix), 1) + ",\n" for prefix, item in node.items
        )
    return node.open + "\n" + body + " " * indent + node.close
