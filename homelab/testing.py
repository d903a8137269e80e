"""For a homelab repository's tests: its tree as one text, to compare with a snapshot."""

from __future__ import annotations

from collections.abc import Mapping

from homelab.model.homelab import Homelab


def tree_text(lab: Homelab | None = None) -> str:
    """Every file ``homelab synth`` writes for ``lab`` (default: the repository's, as the CLI loads it), in
    path order, each after a ``=== PATH`` line."""
    from homelab.declaration import load_homelab
    from homelab.engine.pipeline import synthesise

    lab = lab or load_homelab()
    return files_text(synthesise(lab, tree_in_repo=lab.tree_in_repo(lab.output_dir())).files)


def files_text(files: Mapping[str, bytes]) -> str:
    """``files`` (path -> bytes) as one text (see :func:`tree_text`)."""
    parts = []
    for path in sorted(files):
        text = files[path].decode()
        parts.append(f"=== {path}\n" + (text if text.endswith("\n") else text + "\n"))
    return "".join(parts)
