"""Finding the homelab a command works on: the repository root and the ``--homelab MODULE:ATTRIBUTE``."""

from __future__ import annotations

import importlib
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from homelab import user_errors
from homelab.errors import HomelabError
from homelab.model.origin import UNKNOWN, module_file
from homelab.model.project import DEFAULT_DECLARATION, find_settings, repository_root, with_output

if TYPE_CHECKING:
    from homelab.model.homelab import Homelab

DEFAULT_HOMELAB = DEFAULT_DECLARATION

__all__ = ["DEFAULT_HOMELAB", "load_homelab", "repository_root"]


def load_homelab(spec: str | None = None) -> Homelab:
    """Import ``module:attribute`` (default: the repository's ``[tool.homelab] declaration``) and return the
    :class:`Homelab` it names (or that calling it returns), with the output ``[tool.homelab]`` gives."""
    settings = find_settings(Path.cwd())
    given = f"--homelab {spec!r}" if spec or settings.file is None else f"{settings.file}: [tool.homelab] declaration"
    spec = spec or settings.declaration
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise HomelabError(f"{given} = {spec!r}: expected MODULE:ATTRIBUTE, e.g. {DEFAULT_HOMELAB}")
    for directory in (Path.cwd(), settings.directory, repository_root(Path.cwd())):
        if directory is not None and str(directory) not in sys.path:
            sys.path.insert(0, str(directory))
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is None or not module_name.startswith(exc.name):
            raise  # the declaration itself imports something missing: reported with its file and line
        raise HomelabError(
            f"{given} = {spec!r}: cannot import {module_name} ({exc}); run inside the repository, "
            "or (validate) give --tree DIR --repo URL to check a tree without a homelab declaration"
        ) from None
    except HomelabError as exc:  # raised by the declaration's own code: told at its line
        raise HomelabError(user_errors.describe(exc)) from exc
    from homelab.model.homelab import Homelab

    lab = getattr(module, attr, None)
    if callable(lab) and not isinstance(lab, Homelab):
        try:
            lab = lab()
        except HomelabError as exc:
            raise HomelabError(user_errors.describe(exc)) from exc
    if not isinstance(lab, Homelab):
        raise HomelabError(f"{given} = {spec!r}: {module_name}.{attr} is not a Homelab (nor a function returning one)")
    if lab.declared_in is None and lab.origin == UNKNOWN:  # built by a function: its module declares it
        lab = replace(lab, declared_in=module_file(module_name))
    return with_output(lab, settings)
