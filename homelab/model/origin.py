"""Where a declaration lives: the repository-relative file named in generated headers and messages.

Found from what Python already records — a function's ``__module__``, or the module whose globals
hold a declared object — never by inspecting call frames.
"""

from __future__ import annotations

import re
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
    """The file of the module that declares ``obj`` as a global (``PLAN = ClusterPlan(...)``).

    Of the loaded modules that hold it, the one whose source assigns it at the top level wins over those that
    only import it (``from clusters import HOMELAB`` in a test must not become the declaration's file), else
    the first that holds it. Library and standard-library modules are skipped; ``<unknown>`` when no module
    holds it (an object built inside a function and never assigned at module level).
    """
    holders = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if not path or "site-packages" in path or path.startswith(sys.prefix + "/lib"):
            continue
        names = [key for key, value in list(vars(module).items()) if value is obj]
        if names:
            if any(_assigns(path, key) for key in names):
                return module_file(name)
            holders.append(name)
    return module_file(holders[0]) if holders else UNKNOWN


def _assigns(path: str, name: str) -> bool:
    """Whether the source at ``path`` binds ``name`` at the top level with ``=`` (not by an import)."""
    try:
        source = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(rf"^{re.escape(name)}\s*(?::[^=\n]*)?=(?!=)", source, flags=re.M) is not None
