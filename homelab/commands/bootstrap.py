"""``homelab bootstrap CLUSTER``: print the steps that bring a cluster up (``--check``: verify them offline).

The steps and their check are :mod:`homelab.engine.bootstrap`'s; this module is the command around them."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from homelab.declaration import load_homelab


@dataclass(frozen=True)
class BootstrapOptions:
    homelab: str | None
    """The declaration as MODULE:ATTRIBUTE (`--homelab`); the repository's `[tool.homelab]` when None."""
    cluster: str
    check: bool
    dist: str | None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> BootstrapOptions:
        return cls(homelab=args.homelab, cluster=args.cluster, check=args.check, dist=args.dist)


def run(options: BootstrapOptions) -> int:
    from homelab.engine import bootstrap
    from homelab.validate.tree import kubectl_path

    lab = load_homelab(options.homelab)
    lab.plan(options.cluster)
    output = lab.output_dir(options.dist)
    b = bootstrap.plan(lab, options.cluster, output)
    if not options.check:
        print(bootstrap.steps(b), end="")
        return 0
    problems = bootstrap.check(b, lab, kubectl_path())
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(
        f"bootstrap {options.cluster}: {b.bootstrap_dir} and {b.core_dir} build; Argo CD values match the declaration"
    )
    return 0
