"""The bundled homelab's committed files as the language reads and writes them: every app it declares is
listed on a cluster, and both YAML emitters write the committed dist/ as it is."""

from __future__ import annotations

import pytest
import yaml

from constructs_lib._internal import yaml_io
from homelab.declaration import load_homelab
from homelab.engine.app_modules import unlisted_apps
from tests.conftest import ROOT


def test_the_bundled_homelab_lists_every_app() -> None:
    assert unlisted_apps(load_homelab("clusters:HOMELAB")) == []


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML without libyaml: one emitter")
def test_the_c_emitter_writes_the_bundled_tree_as_committed() -> None:
    """Every file of the committed dist/ parsed and written again by both emitters: the same text."""
    files = sorted((ROOT / "dist").rglob("*.yaml"))
    assert len(files) > 100
    for path in files:
        text = path.read_text()
        data = yaml.safe_load(text)
        assert yaml_io.dump(data) == yaml_io.dump_python(data), path
        body = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
        assert yaml_io.dump(data) == body, path
