"""kustomize's error messages, read: the one place that knows their English wording.

``kubectl kustomize`` reports a failure as one line of nested causes (``accumulating resources from
'X': ... recursed accumulation of path 'Y': ... lstat Z: no such file or directory``). :func:`first_cause`
makes that readable, :func:`recursed_paths` lists the bases it recursed into and :func:`cause` says which
kind of fault it is, with the paths it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal


def first_cause(stderr: str) -> str:
    """kustomize's error, readable: its first line (what failed) and, when the error spans several lines
    (a configuration echoed in between), its last (why)."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()] or ["kustomize failed"]
    first = lines[0].removeprefix("Error: ").removeprefix("error: ")
    if "err=" in first:
        first = first.split("err=", 1)[1].strip().strip('"')
    first = first.rstrip("`").rstrip().removesuffix(" with config:")
    if len(lines) > 1:
        last = lines[-1].lstrip("`: ").strip()
        return f"{first}: {last}" if last and last not in first else first
    return first


_RECURSED = re.compile(r"recursed accumulation of path '(?P<path>[^']+)'")


def recursed_paths(error: str) -> list[str]:
    """The bases kustomize recursed into before failing (``recursed accumulation of path 'DIR'``), the
    innermost first, without a trailing ``/``."""
    return [m["path"].rstrip("/") for m in reversed(list(_RECURSED.finditer(error)))]


Kind = Literal["patch-missing-path", "no-namespace", "unparsable-patch", "missing-path", "yaml", "duplicate", "other"]

_PATCH_PATH = re.compile(r"(?P<op>\w+) operation does not apply: doc is missing path: (?P<path>\S+?):? ")
_MISSING = re.compile(r"lstat (?P<path>\S+?): no such file or directory")
_MISSING_REF = re.compile(r"accumulating resources from '(?P<ref>[^']+)'")


@dataclass(frozen=True)
class Cause:
    """What a build error is about.

    ``patch-missing-path``: a JSON patch's ``op`` on a ``path`` its object does not have;
    ``no-namespace``: a patch whose target has no namespace (kustomize's ``[noNs]``);
    ``unparsable-patch``: a patch neither YAML nor a JSON patch; ``missing-path``: a file or directory
    ``path`` that does not exist, listed as ``ref`` in the kustomization (the innermost reference);
    ``yaml``: a YAML syntax error; ``duplicate``: one object added twice; ``other``: none of these."""

    kind: Kind
    op: str = ""
    path: str = ""
    ref: str = ""


def cause(error: str) -> Cause:
    """The kind of fault kustomize's ``error`` (as :func:`first_cause` gives it) reports, tried in this order."""
    if (m := _PATCH_PATH.search(error + " ")) is not None:
        return Cause("patch-missing-path", op=m["op"], path=m["path"])
    if "already registered id" in error:  # before [noNs], which an object without a namespace carries too
        return Cause("duplicate")
    if "[noNs]" in error:
        return Cause("no-namespace")
    if "unable to parse SM or JSON patch" in error:
        return Cause("unparsable-patch")
    if (m := _MISSING.search(error)) is not None:
        refs = _MISSING_REF.findall(error)  # the outer ones lead to the base that has the missing path
        return Cause("missing-path", path=m["path"], ref=refs[-1] if refs else m["path"])
    if "yaml:" in error or "YAML" in error:
        return Cause("yaml")
    if "conflict" in error:
        return Cause("duplicate")
    return Cause("other")
