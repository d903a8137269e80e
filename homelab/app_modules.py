"""App modules no cluster lists: an ``AppSpec`` declared but never synthesised is said, not ignored.

The *app packages* are those holding the modules that define the builders of the homelab's apps
(``clusters.apps`` in the bundled homelab). Every module of them is read (its source, without running
it): an ``AppSpec`` assigned at module level (``APP = AppSpec(...)``) that no ``ClusterPlan`` lists in
``apps=`` or ``disabled=`` (nor deploys through another app) is reported, with its file and line.
"""

from __future__ import annotations

import ast
import pkgutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from homelab.app_spec import AppSpec
from homelab.origin import module_file

if TYPE_CHECKING:
    from homelab.homelab import Homelab


def _package_of(module_name: str) -> str | None:
    module = sys.modules.get(module_name)
    if module is not None and hasattr(module, "__path__"):
        return module_name
    return module_name.rpartition(".")[0] or None


def _assignments(path: Path) -> list[tuple[str, int, ast.expr]]:
    """(name, line, value) of every module-level ``NAME = value`` of a Python file (none if unreadable)."""
    try:
        tree = ast.parse(path.read_text(), str(path))
    except (OSError, SyntaxError, ValueError):
        return []
    out = []
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        value = getattr(node, "value", None)
        if value is not None:
            out += [(t.id, node.lineno, value) for t in targets if isinstance(t, ast.Name)]
    return out


def _calls_appspec(value: ast.expr) -> bool:
    func = value.func if isinstance(value, ast.Call) else None
    return (isinstance(func, ast.Name) and func.id == "AppSpec") or (
        isinstance(func, ast.Attribute) and func.attr == "AppSpec"
    )


def _declared_name(value: ast.expr) -> str | None:
    """The ``name=`` an ``AppSpec(...)`` call gives, when it is a literal."""
    for keyword in value.keywords if isinstance(value, ast.Call) else []:
        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
            return keyword.value.value
    return None


def unlisted_apps(lab: Homelab) -> list[str]:
    """A warning per module-level ``AppSpec`` of the app packages that no cluster lists."""
    listed = {id(app) for app in (lab.core, *lab.apps)}
    builders = [app.base for app in (lab.core, *lab.apps) if app.base is not None]
    packages = dict.fromkeys(p for b in builders if (p := _package_of(getattr(b, "__module__", ""))))
    warnings = []
    for package in packages:
        paths = getattr(sys.modules.get(package), "__path__", [])
        for info in pkgutil.iter_modules(paths):
            if info.ispkg:
                continue
            full_name = f"{package}.{info.name}"
            path = Path(getattr(info.module_finder, "path", "")) / f"{info.name}.py"
            module = sys.modules.get(full_name)
            for name, line, value in _assignments(path):
                if module is not None:
                    spec = getattr(module, name, None)
                    if not isinstance(spec, AppSpec) or id(spec) in listed:
                        continue
                    what = f"AppSpec {spec.name!r}"
                elif _calls_appspec(value):
                    declared = _declared_name(value)
                    what = f"AppSpec {declared!r}" if declared else "an AppSpec"
                else:
                    continue
                warnings.append(
                    f"{module_file(full_name)}:{line}: {name} ({what}) is listed on no cluster, so nothing of it is "
                    "synthesised; list it in a ClusterPlan's apps= (deployed) or disabled= (overlays generated, "
                    "not deployed), or delete it"
                )
    return warnings
