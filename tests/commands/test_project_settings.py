"""``[tool.homelab]`` in a repository's pyproject.toml: where the declaration and the output live; and the
language as a package: a wheel of this repository holds homelab and constructs_lib, never the bundled homelab."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from homelab.declaration import load_homelab
from homelab.errors import HomelabError
from homelab.model.project import ProjectSettings, find_settings, read_settings, with_output
from tests.conftest import ROOT
from tests.engine import minilab


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_this_repository_says_its_defaults() -> None:
    settings = read_settings(ROOT / "pyproject.toml")
    assert settings == ProjectSettings(declaration="clusters:HOMELAB", output="dist", file=ROOT / "pyproject.toml")


def test_without_the_table_the_defaults_apply(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    assert read_settings(write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')) is None
    assert find_settings(tmp_path) == ProjectSettings()


def test_found_from_a_subdirectory_up_to_the_repository_root_and_not_beyond(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.homelab]\ndeclaration = "outside:LAB"\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "clusters" / "apps").mkdir(parents=True)
    assert find_settings(repo / "clusters" / "apps") == ProjectSettings()  # the file above .git is not the repo's
    pyproject = write(repo / "pyproject.toml", '[tool.homelab]\ndeclaration = "lab:LAB"\noutput = "gitops"\n')
    assert find_settings(repo / "clusters" / "apps") == ProjectSettings("lab:LAB", "gitops", pyproject)


def test_an_unknown_key_names_the_file_the_key_and_the_allowed_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool.homelab]\ndeclaraton = "clusters:HOMELAB"\n')
    with pytest.raises(
        HomelabError,
        match=r"pyproject.toml: \[tool.homelab\] has an unknown key 'declaraton'; "
        r"the allowed keys are: declaration, output",
    ):
        read_settings(path)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("output = 3", r"output = 3: expected a non-empty string"),
        ('output = "/srv/dist"', r"output = '/srv/dist': expected a directory inside the repository"),
        ('output = "../dist"', r"output = '../dist': expected a directory inside the repository"),
        ("declaration = [1]", r"declaration = \[1\]: expected a non-empty string"),
    ],
)
def test_a_bad_value_is_refused(tmp_path: Path, line: str, problem: str) -> None:
    path = write(tmp_path / "pyproject.toml", f"[tool.homelab]\n{line}\n")
    with pytest.raises(HomelabError, match=rf"{path}: \[tool.homelab\] {problem}"):
        read_settings(path)


def test_broken_toml_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.homelab\n")
    with pytest.raises(HomelabError, match=r"pyproject.toml: not valid TOML"):
        read_settings(path)


def test_output_comes_from_the_file_unless_the_homelab_says_otherwise(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    assert with_output(minilab.LAB, ProjectSettings(output="gitops", file=path)).output == "gitops"
    assert with_output(minilab.LAB, ProjectSettings(file=path)) is minilab.LAB
    same = replace(minilab.LAB, output="gitops")
    assert with_output(same, ProjectSettings(output="gitops", file=path)) is same
    with pytest.raises(
        HomelabError,
        match=r"pyproject.toml: \[tool.homelab\] output = .gitops., but .* "
        r"declares Homelab\(output='tree'\); say it once",
    ):
        with_output(replace(minilab.LAB, output="tree"), ProjectSettings(output="gitops", file=path))


LAB = """
from pathlib import Path
from tests.engine.minilab import LAB as BASE
from dataclasses import replace
HOMELAB = replace(BASE, root=Path(__file__).resolve().parent.parent)
"""


def test_the_cli_takes_the_declaration_and_output_from_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "decl" / "my_lab_for_settings.py", LAB)
    write(repo / "pyproject.toml", '[tool.homelab]\ndeclaration = "my_lab_for_settings:HOMELAB"\noutput = "gitops"\n')
    monkeypatch.chdir(repo / "decl")
    monkeypatch.syspath_prepend(str(ROOT))
    lab = load_homelab()
    assert (lab.root, lab.output) == (repo, "gitops")
    write(repo / "pyproject.toml", '[tool.homelab]\ndeclaration = "no_such_module:HOMELAB"\n')
    with pytest.raises(
        HomelabError,
        match=r"pyproject.toml: \[tool.homelab\] declaration = 'no_such_module:HOMELAB': "
        r"cannot import no_such_module",
    ):
        load_homelab()


def test_a_wheel_of_this_repository_holds_the_language_and_not_the_bundled_homelab(tmp_path: Path) -> None:
    """``pip wheel .`` of a copy of the sources (a build leaves build/ and *.egg-info behind)."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "homelab", "constructs_lib", "clusters"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, source / name)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            str(source),
            "-w",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    (wheel,) = tmp_path.glob("cdk8s_homelab-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"homelab", "constructs_lib"}
    assert "homelab/validate/crd_schemas/LICENSE" in names
    assert {"homelab/py.typed", "constructs_lib/py.typed"} <= set(names)  # typed: a homelab's mypy reads them
    assert any(n.startswith("homelab/validate/crd_schemas/argoproj.io/") and n.endswith(".json") for n in names)
    templates = ROOT / "homelab" / "commands" / "init_templates"
    packaged = {n.removeprefix("homelab/commands/init_templates/") for n in names if "/init_templates/" in n}
    assert packaged == {
        p.relative_to(templates).as_posix()
        for p in templates.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert any(n.endswith("entry_points.txt") for n in names)
