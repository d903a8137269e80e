"""``homelab synth``: write the kustomize tree (``--check``: write nothing, list what would change)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from homelab import safe_fs
from homelab.declaration import load_homelab, repository_root
from homelab.engine import writer

if TYPE_CHECKING:
    from homelab.engine.pipeline import Synthesis


@dataclass(frozen=True)
class SynthOptions:
    homelab: str | None
    """The declaration as MODULE:ATTRIBUTE (`--homelab`); the repository's `[tool.homelab]` when None."""
    clusters: list[str] | None
    """Only these clusters' overlays; every cluster when None."""
    check: bool
    dist: str | None
    """The output directory as given (``--dist``, else ``$CDK8S_OUTDIR``); the homelab's when None."""

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> SynthOptions:
        return cls(
            homelab=args.homelab,
            clusters=args.cluster or None,
            check=args.check,
            dist=args.dist or os.environ.get("CDK8S_OUTDIR") or None,
        )


def run(options: SynthOptions) -> int:
    # A synth that writes holds the lock from before the declaration is imported until the tree is written,
    # so one that started before a source changed (a module, a file a builder reads) never writes over the
    # tree of one that started after: the lock of the repository the declaration is imported from (the
    # working directory outside a git repository), then the homelab's own (the same one, usually).
    # --check writes nothing and needs none.
    with contextlib.ExitStack() as locks:
        if not options.check:
            sources = repository_root(Path.cwd()) or Path.cwd()
            locks.enter_context(safe_fs.repository_lock(sources, "homelab synth"))
        return _synth(options, locks)


def _synth(options: SynthOptions, locks: contextlib.ExitStack) -> int:
    from homelab.engine.app_modules import unlisted_apps
    from homelab.engine.pipeline import synthesise

    lab = load_homelab(options.homelab)
    output = lab.output_dir(options.dist)
    # Messages name the directory as it was given, else relative to the working directory when inside it.
    given = options.dist
    dist = Path(given) if given else output.relative_to(Path.cwd()) if output.is_relative_to(Path.cwd()) else output
    clusters = options.clusters
    if clusters:
        for name in clusters:
            lab.plan(name)
    if not options.check:
        locks.enter_context(safe_fs.repository_lock(lab.root, "homelab synth"))
    synthesis = synthesise(lab, clusters=clusters, tree_in_repo=lab.tree_in_repo(output))
    files = synthesis.files
    _warn_orphans(synthesis)
    for warning in [*unlisted_apps(lab), *synthesis.warnings]:
        print(f"warning: {warning}", file=sys.stderr)
    owns = _owned_by(clusters) if clusters else (lambda _: True)
    if options.check:
        changes = writer.compare(dist, files, owns)
        error = writer.problems(changes, dist)
        for label, paths in (("added", changes.added), ("changed", changes.changed), ("removed", changes.removed)):
            for path in paths:
                print(f"would be {label}: {dist / path}")
        if error:
            print(error, file=sys.stderr)
        if changes.clean:
            print(f"{dist}/ is in sync with the code ({len(changes.result)} files)")
            return 0
        print(f"{dist}/ is out of sync: run `homelab synth` and commit the result", file=sys.stderr)
        return 1
    for note in writer.recover(output):
        print(f"recovered: {note}")
    changes = writer.compare(dist, files, owns)
    if changes.clean:
        print(f"{dist}/: {len(changes.result)} files, unchanged")
        return 0
    writer.write(dist, changes)
    print(
        f"{dist}/: {len(changes.result)} files ({len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.removed)} removed)"
    )
    return 0


def _owned_by(clusters: list[str]) -> Callable[[str], bool]:
    """Whether a path of the tree is written by a synth of only these clusters (the base and their overlays)."""
    marks = [f"/overlays/{name}/" for name in clusters]
    return lambda path: "/base/" in path or any(mark in path for mark in marks)


def _warn_orphans(synthesis: Synthesis) -> None:
    """Warn about sealed values no SealedConfig of the rendered clusters uses any more."""
    from homelab.sealing.store import SealedStore

    for cluster, store in synthesis.stores.items():
        if not isinstance(store, SealedStore):
            continue
        for entry in store.orphans():
            keys = " ".join(f"--remove {k}" for k in sorted(entry.data))
            print(
                f"warning: {store.label}: {entry.ref} is sealed but no SealedConfig uses it (renamed or removed?); "
                f"drop it with: homelab seal {cluster} {entry.ref} {keys}",
                file=sys.stderr,
            )
