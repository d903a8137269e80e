"""Where a declaration lives: the repository-relative file named in generated headers and messages.

Found from what Python already records — a function's ``__module__``, or the module whose globals
hold a declared object — never by inspecting call frames.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

UNKNOWN = "<unknown>"


def module_file(module: str) -> str:
    """``clusters.apps.immich`` → ``clusters/apps/immich.py``: where a module lives, independent of the cwd."""
    loaded = sys.modules.get(module)
    is_package = loaded is not None and Path(getattr(loaded, "__file__", "") or "").name == "__init__.py"
    return module.replace(".", "/") + ("/__init__.py" if is_package else ".py")


def source_file(function: Callable[..., object]) -> str:
    """The file a function (a builder) is defined in."""
    module = getattr(function, "__module__", None)
    return module_file(module) if module else UNKNOWN


def defining_file(obj: object) -> str:
    """The file of the first loaded module that holds ``obj`` as a global (``PLAN = ClusterPlan(...)``).

    Library and standard-library modules are skipped; ``<unknown>`` when no module holds it (an
    object built inside a function and never assigned at module level).
    """
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if not path or "site-packages" in path or path.startswith(sys.prefix + "/lib"):
            continue
        if any(value is obj for value in list(vars(module).values())):
            return module_file(name)
    return UNKNOWN
