"""Reading a tree's generators: which a build runs, whether they hash, which built object each made."""

from __future__ import annotations

from pathlib import Path

from homelab.engine.kustomize import content_hash
from homelab.importing.read import Generator, generators
from homelab.validate.tree import Tree
from tests.importing.trees import kustomization, write


def test_a_build_runs_its_own_generators_and_those_of_what_it_reads(tmp_path: Path) -> None:
    base = kustomization(
        [],
        configMapGenerator=[{"name": "env", "literals": ["A=1"]}],
        secretGenerator=[{"name": "fixed", "literals": ["k=v"], "options": {"disableNameSuffixHash": True}}],
    )
    overlay = kustomization(
        ["../../base"],
        generatorOptions={"disableNameSuffixHash": True},
        configMapGenerator=[{"name": "more", "literals": ["B=2"]}, {"literals": ["nameless"]}],
    )
    tree = Tree(write(tmp_path, {"app/base/kustomization.yaml": base, "app/overlays/home/kustomization.yaml": overlay}))
    assert generators(tree, "app/overlays/home") == [
        Generator("ConfigMap", "more", "app/overlays/home", hashed=False),
        Generator("ConfigMap", "env", "app/base", hashed=True),
        Generator("Secret", "fixed", "app/base", hashed=False),
    ]
    assert generators(tree, "app/base") == generators(tree, "app/overlays/home")[1:]


def test_a_generator_made_the_object_of_its_kind_name_and_hash() -> None:
    config = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"A": "1"}}
    named = {**config, "metadata": {"name": f"pre-env-{content_hash(config)}"}}
    env = Generator("ConfigMap", "env", "app/base", hashed=True)
    assert env.made(named)  # a prefix the kustomization adds
    assert not env.made({**named, "data": {"A": "2"}})  # the hash is not its content's
    assert not env.made({**named, "kind": "Secret"})
    assert not env.made({**config, "metadata": {"name": "env"}})  # a hashed generator's name has the hash
    assert Generator("ConfigMap", "env", "app/base", hashed=False).made({**config, "metadata": {"name": "env"}})
