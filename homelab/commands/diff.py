"""``homelab diff [REV_A [REV_B]]``: what a change does to each cluster, object by object.

The comparison is :mod:`homelab.engine.diff`'s; this module chooses the two sides from the arguments."""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path

from homelab.declaration import load_homelab
from homelab.errors import HomelabError


@dataclass(frozen=True)
class DiffOptions:
    homelab: str | None
    """The declaration as MODULE:ATTRIBUTE (`--homelab`); the repository's `[tool.homelab]` when None."""
    revisions: list[str]
    clusters: list[str] | None
    tree: str | None
    """A hand-written tree compared with the synthesised one."""
    repo_path: tuple[str, str] | None
    """(OLD, NEW): the synthesised tree lives at NEW where the compared one lived at OLD."""
    sealed_by_key: bool
    output_format: str
    """``text`` (default), ``json`` or ``markdown`` (a pull request's comment, :mod:`homelab.engine.diff_markdown`)."""

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> DiffOptions:
        if len(args.revisions) > 2 or (args.tree and len(args.revisions) > 1):
            raise HomelabError("diff takes at most two revisions (one with --tree): homelab diff [REV_A [REV_B]]")
        repo_path = None
        if args.repo_path:
            old, sep, new = args.repo_path.partition("=")
            if not sep or not old or not new:
                raise HomelabError(f"--repo-path {args.repo_path!r}: expected OLD=NEW, e.g. kustomize=dist/kustomize")
            repo_path = (old, new)
        return cls(
            homelab=args.homelab,
            revisions=args.revisions,
            clusters=args.cluster,
            tree=args.tree,
            repo_path=repo_path,
            sealed_by_key=args.sealed == "keys",
            output_format=args.format,
        )


def run(options: DiffOptions) -> int:
    from homelab.engine import diff
    from homelab.engine.pipeline import synthesise

    lab = load_homelab(options.homelab)
    for name in options.clusters or []:
        lab.plan(name)
    output = lab.output_dir(None)
    in_repo = lab.tree_in_repo(output)
    revisions = options.revisions
    with tempfile.TemporaryDirectory(prefix="homelab-diff-") as tmp:
        work = Path(tmp)

        def at(revision: str) -> diff.Side:
            return diff.Side(diff.git_tree(lab.root, revision, in_repo, work / revision.replace("/", "_")), revision)

        def synthesised() -> diff.Side:
            files = synthesise(lab, tree_in_repo=in_repo).files
            root = diff.write_files(files, work / "working") / lab.tree_path
            return diff.Side(root, "working tree (synthesised)", options.repo_path)

        if options.tree:
            old, new = diff.Side(Path(options.tree), options.tree), synthesised()
        elif len(revisions) == 2:
            old, new = at(revisions[0]), at(revisions[1])
        else:
            old, new = at(revisions[0] if revisions else "HEAD"), synthesised()
        report = diff.compare(old, new, options.clusters, sealed_by_key=options.sealed_by_key)
    if options.output_format == "markdown":
        from homelab.engine.diff_markdown import markdown

        print(markdown(report), end="")
    else:
        print(report.json() if options.output_format == "json" else report.text())
    return 1 if report.differences else 0
