"""Props checked at run time against their annotations: ``hosts="status"`` is refused, not written as letters.

``@type_checked`` above ``@dataclass(frozen=True, kw_only=True)`` makes the class check each keyword
argument against its field's annotation, before the class's own ``__post_init__`` validation, and
raise a :class:`PropsError` naming the class, the field, what it takes and what it got::

    CnpgDatabaseProps.instances: expected int, got str '3'

Two checks go beyond the annotations as Python reads them: a bool is not taken for an ``int`` or a
``float`` (``instances=True`` would be written ``instances: true``) unless the annotation names
``bool``; and where a field takes ``dict[str, Any]`` or ``Mapping[str, Any]`` (Helm values, pasted
Kubernetes pieces), whatever is inside must be JSON data (:func:`~constructs_lib._internal.k8s_json.json_problem`:
no bytes, sets, ``nan`` or other objects, which YAML would write as tags or not at all).

The judge is typeguard (the 2.x line, which cdk8s's jsii pins). Loading it costs about a fifth of a
synth (it loads ``unittest.mock`` and ``asyncio``), so it is loaded only for a value that
:func:`_surely_matches` does not accept; that quick test only ever accepts (a plain class, a union,
a tuple, a dict, a ``Literal``), never refuses, so typeguard alone decides what is wrong.

typeguard 2 predates some of what the annotations use, so each one is first put in the terms it
checks in full (:func:`_checkable`): ``A | B`` as ``Union[A, B]``, a ``Mapping[K, V]`` as a
``dict[K, V]`` (a ``Mapping`` that is not a dict is accepted as a mapping), a ``Callable[...]`` as any
callable (a builder's arguments are the type checker's business). A name imported only for the
type checker is one of :data:`_LAZY_MODULES` (the typed pieces of ``cdk8s_plus_33.k8s``, see
:mod:`constructs_lib._internal.k8s_json`): an instance exists only once its module is loaded, so it is checked
without ever loading it (which would start Node.js).
"""

from __future__ import annotations

import collections.abc
import dataclasses
import functools
import reprlib
import sys
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from constructs_lib._internal.k8s_json import json_problem, not_json
from constructs_lib.errors import PropsError

T = TypeVar("T")

#: Names that modules import only for the type checker, and the module each stands for.
_LAZY_MODULES = {"k8s": "cdk8s_plus_33.k8s"}

_UNION: Any = typing.Union  # typeguard 2's term for ``A | B``

_repr = reprlib.Repr()
_repr.maxstring = 60
_repr.maxother = 60


class _Lazy(type):
    """The type of ``k8s.Probe`` and its kin: an instance is one of the real class, once its module is loaded."""

    path: str

    def __getattr__(cls, attr: str) -> _Lazy:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _lazy(f"{cls.path}.{attr}")

    def __instancecheck__(cls, value: object) -> bool:
        alias, _, rest = cls.path.partition(".")
        target: Any = sys.modules.get(_LAZY_MODULES[alias])
        for part in rest.split(".") if rest else ():
            target = getattr(target, part, None)
        return isinstance(target, type) and isinstance(value, target)


@functools.cache
def _lazy(path: str) -> _Lazy:
    alias, _, rest = path.partition(".")
    module, _, first = _LAZY_MODULES[alias].rpartition(".")
    return _Lazy(path, (), {"path": path, "__module__": module, "__qualname__": ".".join(filter(None, (first, rest)))})


class _Names(dict[str, Any]):
    """Local names for evaluating a module's annotations: those it imports only for the type checker."""

    def __init__(self, module_globals: dict[str, Any]) -> None:
        super().__init__()
        self.module_globals = module_globals

    def __missing__(self, name: str) -> Any:
        if name in _LAZY_MODULES and name not in self.module_globals:
            return _lazy(name)
        raise KeyError(name)  # the module's globals and the builtins come next


class _OtherMappingType(type):
    def __instancecheck__(cls, value: object) -> bool:
        return isinstance(value, collections.abc.Mapping) and not isinstance(value, dict)


#: A ``Mapping`` that is not a ``dict``: accepted as a mapping, its items unchecked (named as typeguard prints it).
_OtherMapping = _OtherMappingType("Mapping", (), {"__module__": "collections.abc"})


def _checkable(hint: Any, names: dict[str, Any]) -> Any:
    """``hint`` in the terms typeguard 2 checks in full (see the module); ``names``: its module's globals."""
    if isinstance(hint, str | typing.ForwardRef):
        text = hint if isinstance(hint, str) else hint.__forward_arg__
        return _checkable(eval(text, names, _Names(names)), names)
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return hint
    args = tuple(a if a is Ellipsis else _checkable(a, names) for a in typing.get_args(hint))
    if origin in (types.UnionType, typing.Union):
        return _UNION[args]
    if origin is collections.abc.Callable:
        return collections.abc.Callable
    if origin is collections.abc.Mapping and args:
        return _UNION[dict.__class_getitem__(args), _OtherMapping]
    if origin in (tuple, dict) and args:
        return origin[args]
    return hint


def _surely_matches(value: object, hint: Any) -> bool:
    """True when ``value`` matches the checkable ``hint`` for sure; False: typeguard must tell."""
    if hint is Any:
        return True
    if isinstance(hint, type):
        if isinstance(value, bool) and hint is not bool and hint in (int, float):
            return False  # typeguard says yes (a bool is an int to Python): check_props says no
        if getattr(hint, "_is_protocol", False) and not getattr(hint, "_is_runtime_protocol", False):
            return False  # a Protocol isinstance cannot tell: typeguard decides
        return isinstance(value, hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union:
        return any(_surely_matches(value, a) for a in args)
    if origin is typing.Literal:
        return any(value == a and type(value) is type(a) for a in args)
    if origin is tuple and isinstance(value, tuple):
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_surely_matches(v, args[0]) for v in value)
        return len(args) == len(value) and all(map(_surely_matches, value, args))
    if origin is dict and isinstance(value, dict):
        return all(_surely_matches(k, args[0]) and _surely_matches(v, args[1]) for k, v in value.items())
    return False


@functools.cache
def field_hint(cls: type, name: str) -> tuple[str, Any] | None:
    """Init field ``name`` of ``cls``: (its annotation as written, the checkable type); None if no such field."""
    field = cls.__dataclass_fields__.get(name)  # type: ignore[attr-defined]
    if field is None or not field.init:
        return None
    klass = next(k for k in cls.__mro__ if name in vars(k).get("__annotations__", {}))
    annotation = vars(klass)["__annotations__"][name]
    written = annotation if isinstance(annotation, str) else repr(annotation)
    return written, _checkable(annotation, vars(sys.modules[klass.__module__]))


def _tuple_item(hint: Any) -> Any:
    """The item type when ``hint`` (or a member of its union) is a ``tuple[X, ...]``, else None."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union:
        return next((item for item in map(_tuple_item, args) if item is not None), None)
    return args[0] if origin is tuple and len(args) == 2 and args[1] is Ellipsis else None


def _literals(hint: Any) -> list[Any]:
    """The values of the ``Literal`` in ``hint`` (or in its union), if any."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return list(args)
    return [v for a in args for v in _literals(a)] if origin is typing.Union else []


def _mismatch(field: str, written: str, hint: Any, value: object, detail: str) -> PropsError:
    """The error for ``value`` given to ``field`` (``Class.name``); ``detail``: typeguard's words."""
    name = field.rsplit(".", 1)[1]
    got = f"got {type(value).__name__} {_repr.repr(value)}"
    item = _tuple_item(hint)
    if item is not None and _surely_matches(value, item):  # the classic: hosts=("status") is a string
        one, why = (repr(value), f": ({value!r}) is the string itself") if isinstance(value, str) else ("...", "")
        single = f"the string {_repr.repr(value)}" if isinstance(value, str) else f"a single {type(value).__name__}"
        return PropsError(
            f"{field}: expected a tuple ({written}), got {single}; for one item write {name}=({one},), "
            f"with the comma{why}"
        )
    if item is not None and isinstance(value, list):
        return PropsError(f"{field}: expected {written}, got a list; write a tuple: {_repr.repr(tuple(value))}")
    if _literals(hint) and "Literal[" not in written:
        return PropsError(f"{field}: expected one of {', '.join(map(repr, _literals(hint)))} ({written}), {got}")
    path = detail.removeprefix("type of ").removeprefix("the value of ")
    deeper = f" ({path})" if path.startswith((f"{name}[", f"keys of {name}")) else ""
    fix = f"; write {_call(hint)}" if dataclasses.is_dataclass(hint) else ""
    return PropsError(f"{field}: expected {written}, {got}{deeper}{fix}")


def _call(cls: Any) -> str:
    """How to make a ``cls`` (a dataclass): ``Image(name=..., tag=...)``, its required fields."""
    required = [
        f"{f.name}=..."
        for f in dataclasses.fields(cls)
        if f.init and f.default is f.default_factory is dataclasses.MISSING
    ]
    return f"{cls.__name__}({', '.join(required)})"


def _members(hint: Any) -> tuple[Any, ...]:
    """The members of a union ``hint``; ``(hint,)`` for any other."""
    return typing.get_args(hint) if typing.get_origin(hint) is typing.Union else (hint,)


def _bool_for_number(value: object, hint: Any) -> bool:
    """Whether ``value`` is a bool where ``hint`` takes an int or a float but not a bool (``instances=True``):
    Python and typeguard count a bool as an int; a manifest would say ``instances: true``."""
    members = _members(hint)
    return isinstance(value, bool) and bool not in members and any(m in (int, float) for m in members)


def _json_problem(value: object, hint: Any, path: str) -> str | None:
    """What is not JSON data in the parts of ``value`` that ``hint`` types as ``dict[str, Any]`` or
    ``Mapping[str, Any]`` (Helm values, pasted Kubernetes pieces): there Python takes anything, YAML does not."""
    for member in _members(hint):
        origin, args = typing.get_origin(member), typing.get_args(member)
        if origin is dict and isinstance(value, collections.abc.Mapping):
            if args[1] is Any:
                return json_problem(value, path)
            return next(filter(None, (_json_problem(v, args[1], f"{path}[{k!r}]") for k, v in value.items())), None)
        if origin is tuple and isinstance(value, tuple) and len(args) == 2 and args[1] is Ellipsis:
            return next(filter(None, (_json_problem(v, args[0], f"{path}[{i}]") for i, v in enumerate(value))), None)
    return None


def check_props(cls: type, values: dict[str, Any]) -> None:
    """Raise a :class:`PropsError` for the first of ``values`` that does not match its field of ``cls``."""
    for name, value in values.items():
        hint = field_hint(cls, name)
        if hint is None:
            continue  # not a field, which the dataclass's own __init__ says
        written, checkable = hint
        if _bool_for_number(value, checkable):
            raise _mismatch(f"{cls.__name__}.{name}", written, checkable, value, "")
        if not _surely_matches(value, checkable):
            import typeguard  # only here: loading it costs more than all the checks of a synth

            try:
                typeguard.check_type(name, value, checkable)
            except TypeError as exc:
                raise _mismatch(f"{cls.__name__}.{name}", written, checkable, value, str(exc)) from None
        problem = _json_problem(value, checkable, name)
        if problem:
            raise not_json(f"{cls.__name__}.{name}", problem)


def type_checked(cls: type[T]) -> type[T]:
    """Check ``cls``'s keyword arguments against its fields' annotations at run time (see the module).

    Put it above ``@dataclass(frozen=True, kw_only=True)``.
    """
    klass: Any = cls
    if "__dataclass_fields__" not in vars(klass) or not all(f.kw_only for f in dataclasses.fields(klass) if f.init):
        raise TypeError(f"@type_checked goes above @dataclass(kw_only=True), on {cls.__name__}")
    init: Callable[..., None] = klass.__init__

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        check_props(cls, kwargs)
        init(self, *args, **kwargs)

    klass.__init__ = __init__
    return cls
