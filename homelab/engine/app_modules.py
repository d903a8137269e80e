"""App modules no cluster lists: an ``AppSpec`` declared but never synthesised is said, not ignored.

The *app packages* are the package holding the homelab's declaration (``clusters`` in the bundled
homelab) and those holding its apps' builders, each with its subpackages. Every module of them is
read (its source, without running it): an ``AppSpec`` assigned at module level (``APP = AppSpec(...)``,
or in a module-level tuple or list, ``APPS = (AppSpec(...), ...)``) whose name no ``ClusterPlan`` lists
in ``apps=`` or ``disabled=`` (nor deploys through another app) is reported, with its file and line.
An app is known by its name, so listing a changed copy (``dataclasses.replace(wiki.APP, ...)``)
lists the app.
"""

from __future__ import annotations

import ast
import pkgutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from homelab.model.app_spec import AppSpec
from homelab.model.origin import module_file

if TYPE_CHECKING:
    from homelab.model.homelab import Homelab


def _package_of(module_name: str) -> str | None:
    module = sys.modules.get(module_name)
    if module is not None and hasattr(module, "__path__"):
        return module_name
    return module_name.rpartition(".")[0] or None


def _declaring_module(lab: Homelab) -> str | None:
    """The loaded module the declaration lives in (``clusters/__init__.py`` → ``clusters``), if any."""
    name = lab.origin.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return name if name in sys.modules else None


def _sources(package: str) -> Iterator[tuple[str, str, Path]]:
    """(module name, file as messages name it, path) of every module of a loaded package, subpackages
    included, found on disk: nothing is imported."""
    pending = [(package, Path(d)) for d in getattr(sys.modules.get(package), "__path__", [])]
    while pending:
        name, directory = pending.pop()
        yield name, f"{name.replace('.', '/')}/__init__.py", directory / "__init__.py"
        for info in pkgutil.iter_modules([str(directory)]):
            full_name = f"{name}.{info.name}"
            if info.ispkg:
                pending.append((full_name, directory / info.name))
            else:
                yield full_name, module_file(full_name), directory / f"{info.name}.py"


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


def _declared_apps(
    name: str, line: int, value: ast.expr, module: ModuleType | None
) -> Iterator[tuple[str, int, str | None]]:
    """(label, line, app name or None when unknown) of each AppSpec a module-level assignment holds:
    read from the loaded module when it is loaded, else from the source."""
    elements = value.elts if isinstance(value, ast.Tuple | ast.List) else None
    if module is not None:
        held = getattr(module, name, None)
        if isinstance(held, AppSpec):
            yield name, line, held.name
        elif isinstance(held, tuple | list):
            for index, spec in enumerate(held):
                at = elements[index].lineno if elements and len(elements) == len(held) else line
                if isinstance(spec, AppSpec):
                    yield f"{name}[{index}]", at, spec.name
        return
    if _calls_appspec(value):
        yield name, line, _declared_name(value)
    for index, element in enumerate(elements or []):
        if _calls_appspec(element):
            yield f"{name}[{index}]", element.lineno, _declared_name(element)


def unlisted_apps(lab: Homelab) -> list[str]:
    """A warning per module-level ``AppSpec`` of the app packages whose app no cluster lists."""
    listed = {app.name for app in lab.all_apps}
    modules = [_declaring_module(lab), *(getattr(app.base, "__module__", "") for app in lab.all_apps)]
    packages = sorted({p for m in modules if m and (p := _package_of(m))})
    roots = [p for p in packages if not any(p.startswith(q + ".") for q in packages)]
    found = []
    for root in roots:
        for module_name, file, path in _sources(root):
            module = sys.modules.get(module_name)
            for name, line, value in _assignments(path):
                for label, at, app_name in _declared_apps(name, line, value, module):
                    if app_name in listed and module is not None:
                        continue
                    what = f"AppSpec {app_name!r}" if app_name else "an AppSpec"
                    found.append((file, at, f"{label} ({what})"))
    return [
        f"{file}:{at}: {what} is listed on no cluster, so nothing of it is synthesised; list it in a "
        "ClusterPlan's apps= (deployed) or disabled= (overlays generated, not deployed), or delete it"
        for file, at, what in sorted(found)
    ]
