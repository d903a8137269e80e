"""Repositories in shapes the other import tests do not cover (:mod:`tests.importing.unseen`), imported: each
cluster deploys the same objects, the new repository is clean, and validate reads the original as it is."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.importing.foreign import HTTPS
from tests.importing.test_foreign_layouts import _proof
from tests.importing.test_public_shapes import _clean
from tests.importing.unseen import settings_per_cluster_repo

Import = Callable[..., tuple[int, str]]


def test_per_cluster_application_settings_become_the_plan_s_override(tmp_path: Path, imported: Import) -> None:
    status, out = imported(settings_per_cluster_repo(tmp_path / "tree"), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    same, total = _proof(out)
    assert same == total == 10, out
    # dev's (the first cluster's) settings are the app's own; prod overrides what differs, the options restated.
    whoami = (tmp_path / "new/clusters/apps/whoami.py").read_text()
    assert '"ServerSideApply=true"' in whoami and "IgnoreDifference(" in whoami, whoami
    prod = (tmp_path / "new/clusters/prod.py").read_text()
    assert re.search(
        r'"whoami": ApplicationSettings\(sync=SyncPolicy\(options=\("CreateNamespace=true",\)\), ignore_differences=\(\)\)',
        prod,
    ), prod
    assert "echo" not in prod.split("application_settings={", 1)[1], prod
    _clean(tmp_path / "new")
