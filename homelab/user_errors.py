"""Errors in the user's declaration, told in a few lines: ``file:line: message``, with "did you mean".

An exception raised while importing or building the homelab (a misspelt keyword such as
``chrat=``, an invalid name in ``AppSpec(...)``, a typo in a variable) is reported at the line of
the user's own file where it happened — the innermost frame outside the library, cdk8s and the
Python installation — rather than as a 35-line trace through the library. ``--traceback`` shows
the full trace instead.
"""

from __future__ import annotations

import difflib
import inspect
import re
import sys
import sysconfig
import traceback
from collections.abc import Iterable
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import constructs_lib
import homelab

#: Where frames are not the user's: this library, and every installed package and the standard library.
_LIBRARY: list[str] = [str(Path(homelab.__file__).parent), str(Path(constructs_lib.__file__).parent)]
_NOT_USER = tuple(
    str(Path(p).resolve()) for p in (*_LIBRARY, *(sysconfig.get_paths()[k] for k in ("stdlib", "purelib", "platlib")))
)
_UNEXPECTED = re.compile(r"^(?:(\w+)\.)?(\w+)\(\) got an unexpected keyword argument '(\w+)'")


def _user_frame(tb: TracebackType | None) -> tuple[FrameType, int] | None:
    """The innermost frame of the traceback in a file of the user's, with its line."""
    found = None
    while tb is not None:
        raw = tb.tb_frame.f_code.co_filename
        if not raw.startswith("<") and not str(Path(raw).resolve()).startswith(_NOT_USER):
            found = (tb.tb_frame, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _relative(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path


def _callee(frame: FrameType, owner: str | None, name: str) -> Any:
    """What ``owner.name`` (a class) or ``name`` (a function) is in ``frame``'s names, if found."""
    wanted = owner if owner and owner != "__init__" else name
    for scope in (frame.f_locals, frame.f_globals):
        for value in list(scope.values()):
            if getattr(value, "__name__", None) == wanted and callable(value):
                return value
            candidate = getattr(value, wanted, None) if inspect.ismodule(value) else None
            if candidate is not None and callable(candidate):
                return candidate
    return None


def user_line(exc: BaseException) -> str | None:
    """``file:line`` of the user's innermost line in ``exc``'s trace, if it passed through one."""
    where = _user_frame(exc.__traceback__)
    return f"{_relative(where[0].f_code.co_filename)}:{where[1]}" if where else None


def caller_line() -> str | None:
    """``file:line`` of the user's innermost line on the current call stack (e.g. the construct being built)."""
    frame: FrameType | None = sys._getframe(1)
    stack = []
    while frame is not None:
        stack.append((frame.f_code.co_filename, frame.f_lineno))
        frame = frame.f_back
    return line_in(stack)


def line_in(stack: Iterable[tuple[str, int]]) -> str | None:
    """``file:line`` of the user's innermost frame of ``stack`` ((file, line), innermost first), if any."""
    for raw, line in stack:
        if not raw.startswith("<") and not str(Path(raw).resolve()).startswith(_NOT_USER):
            return f"{_relative(raw)}:{line}"
    return None


def _did_you_mean(exc: BaseException, frame: FrameType | None) -> str:
    match = _UNEXPECTED.match(str(exc))
    if not match or frame is None:
        return ""
    owner, name, keyword = match.groups()
    callee = _callee(frame, owner, name)
    try:
        parameters = list(inspect.signature(callee).parameters) if callee is not None else []
    except (TypeError, ValueError):
        return ""
    close = difflib.get_close_matches(keyword, [p for p in parameters if p != "self"], n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def describe(exc: BaseException) -> str:
    """``file:line: message`` of ``exc`` at the user's line (Python's own "Did you mean" kept)."""
    text = "".join(traceback.TracebackException.from_exception(exc).format_exception_only()).strip()
    text = text.replace("\n", " ")
    if type(exc).__name__ in ("HomelabError", "PropsError") and ": " in text:
        text = text.split(": ", 1)[1]  # the class name says nothing to the user
    where = _user_frame(exc.__traceback__)
    frame = where[0] if where else None
    message = text + _did_you_mean(exc, frame)
    if where is None or message.startswith(_relative(where[0].f_code.co_filename)):
        return message
    return f"{_relative(where[0].f_code.co_filename)}:{where[1]}: {message}"


def report(exc: BaseException) -> None:
    """Print ``exc`` for the user in a few lines on stderr."""
    print(f"error: {describe(exc)}", file=sys.stderr)
    print("(run with --traceback for the full trace)", file=sys.stderr)
