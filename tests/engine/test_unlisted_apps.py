"""An app module whose AppSpec no cluster lists is a warning naming the module, not a silent no-op."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from homelab.cli import main
from homelab.declaration import load_homelab
from homelab.engine.app_modules import unlisted_apps

PACKAGE = "unlisted_lab"
APP_MODULE = """from tests.engine.minilab import WIKI
from constructs_lib.helm_argo_app import HelmArgoApp
from dataclasses import replace
from homelab import AppSpec


def base(scope):
    HelmArgoApp(scope, "{name}", replace(WIKI, name="{name}-chart", namespace="{name}", project="{name}",
                                          destination_namespace="{name}"))


APP = AppSpec(name="{name}", base=base)
"""


@pytest.fixture
def lab_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A homelab package: apps.wiki listed, apps.draft imported but listed nowhere, apps.ghost imported by nothing."""
    apps = tmp_path / PACKAGE / "apps"
    apps.mkdir(parents=True)
    (apps / "__init__.py").write_text("")
    for name in ("wiki", "draft", "ghost"):
        (apps / f"{name}.py").write_text(APP_MODULE.format(name=name))
    core = APP_MODULE.format(name="tools").replace('project="tools"', 'project="default"')
    (apps / "core.py").write_text(core.replace("APP = AppSpec", "ALSO_APP = AppSpec"))
    (apps / "helpers.py").write_text("SIZE = 3\n")
    (tmp_path / PACKAGE / "__init__.py").write_text(
        "from pathlib import Path\n"
        "from homelab import AppSpec, ClusterPlan, Homelab\n"
        "from tests.engine.minilab import HOME\n"
        f"from {PACKAGE}.apps import core, draft, wiki\n\n"
        "CORE = AppSpec(name='core-argocd-apps', base=core.base)\n"
        "HOMELAB = Homelab(root=Path(__file__).resolve().parent.parent, core=CORE,\n"
        "                  clusters=(ClusterPlan(cluster=HOME, apps=(wiki.APP,)),))\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    for module in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[module]


def test_unlisted_app_modules_are_named(lab_package: Path) -> None:
    warnings = unlisted_apps(load_homelab(f"{PACKAGE}:HOMELAB"))
    assert len(warnings) == 3, warnings
    draft, ghost, core = sorted(warnings, key=lambda w: ("draft" not in w, "ghost" not in w))
    assert core.startswith(f"{PACKAGE}/apps/core.py:12: ALSO_APP (AppSpec 'tools')")  # CORE is another AppSpec
    assert draft.startswith(f"{PACKAGE}/apps/draft.py:12: APP (AppSpec 'draft') is listed on no cluster")
    assert "list it in a ClusterPlan's apps= (deployed) or disabled=" in draft
    assert ghost.startswith(f"{PACKAGE}/apps/ghost.py:12: APP (AppSpec 'ghost') is listed on no cluster")


def test_synth_and_validate_warn(lab_package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--homelab", f"{PACKAGE}:HOMELAB", "synth"]) == 0
    err = capsys.readouterr().err
    assert "warning: unlisted_lab/apps/draft.py:12: APP (AppSpec 'draft') is listed on no cluster" in err
    assert "warning: unlisted_lab/apps/ghost.py:12: APP (AppSpec 'ghost')" in err
    assert "wiki.py" not in err
    main(["--homelab", f"{PACKAGE}:HOMELAB", "validate", "--schema-location", "file:///nonexistent/{kind}.json"])
    assert "warning: unlisted_lab/apps/ghost.py:12: APP (AppSpec 'ghost')" in capsys.readouterr().err


def declaration(lab: Path) -> Path:
    return lab / PACKAGE / "__init__.py"


def test_a_changed_copy_of_a_listed_app_lists_it(lab_package: Path) -> None:
    """``replace(wiki.APP, backup=True)`` is another object, but the same app (its name)."""
    init = declaration(lab_package)
    init.write_text(
        "from dataclasses import replace\n"
        + init.read_text().replace("apps=(wiki.APP,)", "apps=(replace(wiki.APP, backup=True),)")
    )
    warnings = unlisted_apps(load_homelab(f"{PACKAGE}:HOMELAB"))
    assert not [w for w in warnings if "wiki" in w], warnings
    assert len(warnings) == 3, warnings


def test_subpackages_sibling_packages_and_tuples_are_read(lab_package: Path) -> None:
    """Every module of the declaration's package, recursively, none of them imported; AppSpecs in
    module-level tuples and lists (loaded or not) are apps too."""
    sub = lab_package / PACKAGE / "apps" / "sub"
    extra = lab_package / PACKAGE / "extra"
    for package in (sub, extra):
        package.mkdir()
        (package / "__init__.py").write_text("")
    (sub / "newapp.py").write_text(APP_MODULE.format(name="newapp"))
    (extra / "x.py").write_text(APP_MODULE.format(name="x"))
    (extra / "__init__.py").write_text(APP_MODULE.format(name="pkgapp"))
    (lab_package / PACKAGE / "apps" / "several.py").write_text(
        APP_MODULE.format(name="one").replace(
            'APP = AppSpec(name="one", base=base)',
            'APPS = (\n    AppSpec(name="one", base=base),\n    AppSpec(name="two", base=base),\n)\n'
            'MORE = [AppSpec(name="three", base=base)]\n',
        )
    )
    init = declaration(lab_package)
    init.write_text(init.read_text() + "LISTS = [AppSpec(name='four', base=core.base)]\n")
    warnings = unlisted_apps(load_homelab(f"{PACKAGE}:HOMELAB"))
    for start in (
        f"{PACKAGE}/__init__.py:9: LISTS[0] (AppSpec 'four')",
        f"{PACKAGE}/apps/several.py:13: APPS[0] (AppSpec 'one')",
        f"{PACKAGE}/apps/several.py:14: APPS[1] (AppSpec 'two')",
        f"{PACKAGE}/apps/several.py:16: MORE[0] (AppSpec 'three')",
        f"{PACKAGE}/apps/sub/newapp.py:12: APP (AppSpec 'newapp')",
        f"{PACKAGE}/extra/__init__.py:12: APP (AppSpec 'pkgapp')",
        f"{PACKAGE}/extra/x.py:12: APP (AppSpec 'x')",
    ):
        assert [w for w in warnings if w.startswith(start + " is listed on no cluster")], (start, warnings)
    assert len(warnings) == 10, warnings
    assert f"{PACKAGE}.apps.sub.newapp" not in sys.modules
    assert f"{PACKAGE}.extra" not in sys.modules
