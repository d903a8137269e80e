"""Each shape of kustomize error message the validator reads, as ``kubectl kustomize`` writes it (taken
from real runs, the tree's root removed as :class:`homelab.validate.tree.Tree` does)."""

from __future__ import annotations

import pytest

from homelab.validate.kustomize_errors import Cause, cause, first_cause, recursed_paths

NESTED_MISSING = (
    "'accumulating resources from '../production': 'app/overlays/env/production' must resolve to a file': "
    "recursed accumulation of path 'app/overlays/env/production': accumulating resources: accumulation "
    "err='accumulating resources from '../../base': evalsymlink failure on 'app/overlays/base' : lstat "
    "app/overlays/base: no such file or directory': must build at directory: not a valid directory: "
    "evalsymlink failure on 'app/overlays/base' : lstat app/overlays/base: no such file or directory"
)
MISSING_FILE = (
    "'accumulating resources from 'nothere.yaml': evalsymlink failure on 'm/nothere.yaml' : lstat "
    "m/nothere.yaml: no such file or directory': must build at directory: not a valid directory: "
    "evalsymlink failure on 'm/nothere.yaml' : lstat m/nothere.yaml: no such file or directory"
)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            "replace operation does not apply: doc is missing path: /data/nothere: missing value",
            Cause("patch-missing-path", op="replace", path="/data/nothere"),
        ),
        (
            "remove operation does not apply: doc is missing path: /spec/replicas",  # at the end of the text
            Cause("patch-missing-path", op="remove", path="/spec/replicas"),
        ),
        (
            'no resource matches strategic merge patch "ConfigMap.v1.[noGrp]/x.[noNs]": no matches for Id '
            "ConfigMap.v1.[noGrp]/x.[noNs]; failed to find unique target for patch ConfigMap.v1.[noGrp]/x.[noNs]",
            Cause("no-namespace"),
        ),
        (
            'trouble configuring builtin PatchTransformer: unable to parse SM or JSON patch from [patch: "- op: [replace"]',
            Cause("unparsable-patch"),
        ),
        (NESTED_MISSING, Cause("missing-path", path="app/overlays/base", ref="../../base")),
        (MISSING_FILE, Cause("missing-path", path="m/nothere.yaml", ref="nothere.yaml")),
        (
            "lstat app/gone: no such file or directory",  # no reference named: the path itself
            Cause("missing-path", path="app/gone", ref="app/gone"),
        ),
        (
            "accumulating resources: accumulating resources from 'cm.yaml': MalformedYAMLError: yaml: line 2: did "
            "not find expected node content in File: cm.yaml",
            Cause("yaml"),
        ),
        (
            "'merging resources from 'cm2.yaml': may not add resource with an already registered id: "
            "ConfigMap.v1.[noGrp]/x.ns': must build at directory: 'd/cm2.yaml': file is not directory",
            Cause("duplicate"),
        ),
        ("namespace transformation produces ID conflict: [...]", Cause("duplicate")),
        ('json: unknown field "replicass"', Cause("other")),
    ],
)
def test_each_message_shape_is_recognised(error: str, expected: Cause) -> None:
    assert cause(error) == expected


def test_a_duplicate_without_namespace_is_a_duplicate() -> None:
    """kustomize writes ``[noNs]`` in the id of an object added twice without a namespace: it is still a
    duplicate, not a patch whose target lacks a namespace (whose advice would be wrong)."""
    error = "may not add resource with an already registered id: ConfigMap.v1.[noGrp]/x.[noNs]"
    assert cause(error).kind == "duplicate"


def test_recursed_paths_innermost_first() -> None:
    error = (
        "recursed accumulation of path 'a/overlays/x/': accumulating resources: "
        "recursed accumulation of path 'a/base': lstat a/base/y.yaml: no such file or directory"
    )
    assert recursed_paths(error) == ["a/base", "a/overlays/x"]
    assert recursed_paths(NESTED_MISSING) == ["app/overlays/env/production"]
    assert recursed_paths(MISSING_FILE) == []


@pytest.mark.parametrize(
    ("stderr", "expected"),
    [
        ("Error: lstat x: no such file or directory\n", "lstat x: no such file or directory"),
        (
            "error: accumulating resources: accumulation err='accumulating resources from 'a': boom': must build\n",
            "'accumulating resources from 'a': boom': must build",
        ),
        (
            "error: trouble configuring builtin PatchTransformer with config: `\npatch: '- op: [replace'\n"
            'target:\n  kind: ConfigMap\n`: unable to parse SM or JSON patch from [patch: "- op: [replace"]\n',
            'trouble configuring builtin PatchTransformer: unable to parse SM or JSON patch from [patch: "- op: [replace"]',
        ),
        ("", "kustomize failed"),
    ],
)
def test_first_cause_keeps_what_failed_and_why(stderr: str, expected: str) -> None:
    assert first_cause(stderr) == expected
