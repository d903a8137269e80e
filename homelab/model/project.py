"""A homelab repository's settings: ``[tool.homelab]`` in its ``pyproject.toml``.

```toml
[tool.homelab]
declaration = "clusters:HOMELAB"  # the Homelab the commands use (MODULE:ATTRIBUTE)
output = "dist"                   # the directory homelab synth writes, from the repository root
```

The file is the nearest ``pyproject.toml`` with a ``[tool.homelab]`` table from the working directory up
to the repository root (the nearest directory with ``.git``); without one, the defaults apply.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from homelab.errors import HomelabError

if TYPE_CHECKING:
    from homelab.model.homelab import Homelab

DEFAULT_DECLARATION = "clusters:HOMELAB"
DEFAULT_OUTPUT = "dist"
KEYS = ("declaration", "output")


@dataclass(frozen=True)
class ProjectSettings:
    """What ``[tool.homelab]`` says, with the defaults for what it leaves out."""

    declaration: str = DEFAULT_DECLARATION
    """The Homelab as ``MODULE:ATTRIBUTE``, imported from the file's directory."""
    output: str | None = None
    """The output directory when the file names one (None: the Homelab's ``output``, default ``dist``)."""
    file: Path | None = None
    """The pyproject.toml read (None: none has ``[tool.homelab]``)."""

    @property
    def directory(self) -> Path | None:
        """The directory of the file, from which the declaration is imported."""
        return self.file.parent if self.file else None


def repository_root(start: Path) -> Path | None:
    """The git repository holding ``start`` (the nearest ancestor with ``.git``), if any."""
    return next((d for d in (start, *start.parents) if (d / ".git").exists()), None)


def find_settings(start: Path) -> ProjectSettings:
    """The settings of the repository holding ``start`` (see the module's docstring)."""
    root = repository_root(start)
    directories = (start, *start.parents) if root is not None else (start,)
    for directory in directories:
        path = directory / "pyproject.toml"
        if path.is_file():
            settings = read_settings(path)
            if settings is not None:
                return settings
        if directory == root:
            break
    return ProjectSettings()


def read_settings(path: Path) -> ProjectSettings | None:
    """``[tool.homelab]`` of the pyproject.toml at ``path`` (None when it has no such table)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise HomelabError(f"{path}: not valid TOML ({exc}); fix the file") from None
    table = data.get("tool", {}).get("homelab")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise HomelabError(f"{path}: [tool.homelab] must be a table, e.g. [tool.homelab] declaration = ...")
    for key, value in table.items():
        if key not in KEYS:
            raise HomelabError(
                f"{path}: [tool.homelab] has an unknown key {key!r}; the allowed keys are: {', '.join(KEYS)}"
            )
        if not isinstance(value, str) or not value:
            raise HomelabError(
                f"{path}: [tool.homelab] {key} = {value!r}: expected a non-empty string, "
                f'e.g. {key} = "{DEFAULT_DECLARATION if key == "declaration" else DEFAULT_OUTPUT}"'
            )
    output = table.get("output")
    if output is not None and (Path(output).is_absolute() or ".." in Path(output).parts):
        raise HomelabError(
            f"{path}: [tool.homelab] output = {output!r}: expected a directory inside the repository, "
            f'relative to it, e.g. output = "{DEFAULT_OUTPUT}"'
        )
    return ProjectSettings(declaration=table.get("declaration", DEFAULT_DECLARATION), output=output, file=path)


def with_output(lab: Homelab, settings: ProjectSettings) -> Homelab:
    """``lab`` writing where ``[tool.homelab] output`` says, when it says it. One source of truth: a Homelab
    that leaves ``output`` at its default takes the file's; one that sets another is an error naming both."""
    if settings.output is None or settings.output == lab.output:
        return lab
    if lab.output != DEFAULT_OUTPUT:
        raise HomelabError(
            f"{settings.file}: [tool.homelab] output = {settings.output!r}, but {lab.origin} declares "
            f"Homelab(output={lab.output!r}); say it once: drop output= from the Homelab (the CLI takes "
            "[tool.homelab] output), or drop the key from pyproject.toml"
        )
    return replace(lab, output=settings.output)
