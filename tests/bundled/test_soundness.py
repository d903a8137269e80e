"""Engine soundness on the bundled homelab (the language's own cases are in tests/engine/test_soundness.py):
a cluster setting reaches every ingress it should; the committed tree is what any process renders."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import replace

import yaml

from clusters import HOMELAB
from homelab.engine.pipeline import synthesise
from tests.conftest import ROOT


def test_cluster_ingress_class_reaches_the_bundled_ingresses() -> None:
    plans = tuple(replace(p, cluster=replace(p.cluster, ingress_class="ts-x")) for p in HOMELAB.clusters)
    files = synthesise(replace(HOMELAB, clusters=plans), clusters=["thomelab"]).files
    ingresses = [yaml.safe_load(d) for p, d in files.items() if "/ingress-" in p and "/overlays/thomelab/" in p]
    assert len(ingresses) >= 10
    assert {i["spec"]["ingressClassName"] for i in ingresses} == {"ts-x"}


DIGEST = """
import hashlib, random, sys
from dataclasses import replace
from constructs_lib._internal.node_runtime import ensure_jsii_node
ensure_jsii_node()
from clusters import HOMELAB
from homelab.engine.pipeline import synthesise
plans = list(HOMELAB.clusters)
random.Random(int(sys.argv[1])).shuffle(plans)
files = synthesise(replace(HOMELAB, clusters=tuple(plans))).files
print(hashlib.sha256(b"".join(p.encode() + b"\\0" + files[p] for p in sorted(files))).hexdigest())
"""


def test_the_committed_tree_is_what_any_process_renders_in_any_cluster_order() -> None:
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", DIGEST, seed], capture_output=True, text=True, cwd=ROOT, env=env, check=True
        )
        digests.add(run.stdout.strip())
    dist = ROOT / "dist"
    on_disk = {p.relative_to(dist).as_posix(): p.read_bytes() for p in dist.rglob("*.yaml")}
    expected = hashlib.sha256(b"".join(p.encode() + b"\0" + on_disk[p] for p in sorted(on_disk))).hexdigest()
    assert digests == {expected}
