"""``homelab init DIR``: its flags and questions, and the repository it writes — which synthesises,
validates offline and passes its own tests out of the box."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import constructs_lib.platform
from homelab.cli import build_parser, main
from homelab.commands import init
from homelab.errors import HomelabError
from tests.conftest import ROOT
from tests.fresh_machine import fresh_env, run_steps

FLAGS = ["--cluster", "garage", "--repo", "https://github.com/me/homelab", "--homelab-source", str(ROOT)]


def run_init(directory: Path, *flags: str, answers: tuple[str, ...] | None = None) -> int:
    """``homelab init DIR FLAGS``; with ``answers``, as on a terminal where they are typed in turn."""
    args = build_parser().parse_args(["init", str(directory), *flags])
    if answers is None:
        return init.run(args, interactive=False)
    given = iter(answers)
    return init.run(args, ask=lambda question: next(given), interactive=True)


def test_a_non_empty_directory_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(HomelabError, match=r"is not empty; homelab init writes a new repository into an empty"):
        run_init(tmp_path, "--yes", *FLAGS)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    (tmp_path / "file").write_text("")
    with pytest.raises(HomelabError, match=r"file is a file; give a new or empty directory"):
        run_init(tmp_path / "file", "--yes", *FLAGS)


def test_an_unknown_platform_component_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(
        HomelabError, match=r"--platform: unknown component\(s\) 'cnpq'; the components are: argocd, "
    ) as e:
        run_init(tmp_path / "lab", "--yes", *FLAGS, "--platform", "argocd,cnpq")
    assert all(name in str(e.value) for name in init.platform_components())
    assert not (tmp_path / "lab").exists()


@pytest.mark.parametrize(
    ("platform", "message"),
    [
        ("cnpg", r"--platform: argocd is required: Argo CD deploys everything else.*e\.g\. --platform argocd,cnpg"),
        (
            "argocd,tailscale-operator",
            r"--platform: tailscale-operator reads sealed values, which only the sealed-secrets controller decrypts: "
            r"add sealed-secrets \(--platform argocd,tailscale-operator,sealed-secrets\)",
        ),
    ],
)
def test_a_platform_the_cluster_could_not_run_is_refused(tmp_path: Path, platform: str, message: str) -> None:
    with pytest.raises(HomelabError, match=message):
        run_init(tmp_path / "lab", "--yes", *FLAGS, "--platform", platform)
    assert not (tmp_path / "lab").exists()


def test_the_components_are_the_librarys() -> None:
    """Named after the Application each deploys (or their common stem), derived from constructs_lib.platform."""
    components = init.platform_components()
    assert {"argocd", "sealed-secrets", "cnpg", "cert-manager", "external-snapshotter"} <= set(components)
    listed = {
        n
        for n in constructs_lib.platform.__all__
        if n.endswith("Props")
        and isinstance(getattr(constructs_lib.platform, n)(), constructs_lib.platform.PlatformComponent)
    }
    assert set(components.values()) == listed
    for name, props in components.items():
        assert name in getattr(constructs_lib.platform, props)().application_names() or name == "external-snapshotter"


@pytest.mark.parametrize("missing", ["--cluster", "--repo"])
def test_with_yes_a_missing_required_flag_is_an_error(tmp_path: Path, missing: str) -> None:
    flags = FLAGS[:]
    del flags[flags.index(missing) : flags.index(missing) + 2]
    with pytest.raises(
        HomelabError, match=rf"{missing} is required with --yes: homelab init DIR --cluster NAME --repo URL"
    ):
        run_init(tmp_path / "lab", "--yes", *flags)


@pytest.mark.parametrize(
    ("flags", "problem"),
    [
        (["--cluster", "Garage"], r"Cluster 'Garage': name must be a lower-case DNS label"),
        (["--cluster", "apps"], r"--cluster 'apps': its module clusters/apps.py could not be imported"),
        (["--cluster", "1lab"], r"--cluster '1lab': its module clusters/1lab.py could not be imported"),
        (["--repo", "my repo"], r"--repo 'my repo': expected the Git URL Argo CD reads"),
        (["--tailnet", "home.lan"], r"tailnet 'home.lan' must look like 'tail1234.ts.net'"),
        (["--storage-class", "Local Path"], r"--storage-class 'Local Path': expected a storage class name"),
        (["--homelab-source", "./nowhere"], r"--homelab-source './nowhere': not a directory, a URL .* nor a version"),
    ],
)
def test_a_bad_flag_is_refused_before_anything_is_written(tmp_path: Path, flags: list[str], problem: str) -> None:
    given = dict(zip(FLAGS[::2], FLAGS[1::2], strict=True)) | dict(zip(flags[::2], flags[1::2], strict=True))
    with pytest.raises(HomelabError, match=problem):
        run_init(tmp_path / "lab", "--yes", *(x for pair in given.items() for x in pair))
    assert not (tmp_path / "lab").exists()


@pytest.mark.parametrize(
    ("source", "requirement"),
    [
        ("0.1.0", "cdk8s-homelab==0.1.0"),
        (">=0.1", "cdk8s-homelab>=0.1"),
        ("https://github.com/me/homelab.git@v1", "cdk8s-homelab @ git+https://github.com/me/homelab.git@v1"),
        ("git+ssh://git@github.com/me/homelab.git", "cdk8s-homelab @ git+ssh://git@github.com/me/homelab.git"),
        (
            "https://example.org/homelab-0.1.0-py3-none-any.whl",
            "cdk8s-homelab @ https://example.org/homelab-0.1.0-py3-none-any.whl",
        ),
        (str(ROOT), f"cdk8s-homelab @ {ROOT.as_uri()}"),
    ],
)
def test_where_the_new_repository_installs_the_language_from(source: str, requirement: str) -> None:
    assert init.dependency(source) == requirement


def test_by_default_from_where_this_one_was_installed() -> None:
    """This checkout is installed editable (./dev setup): the new repository installs it from here."""
    assert init.dependency(init.installed_source()) == f"cdk8s-homelab @ {ROOT.as_uri()}"


def test_on_a_terminal_it_asks_what_the_flags_leave_out(tmp_path: Path) -> None:
    questions: list[str] = []
    answers = iter(["https://git.example/lab.git", "", "", "", ""])

    def ask(question: str) -> str:
        questions.append(question)
        return next(answers)

    args = build_parser().parse_args(["init", str(tmp_path / "lab"), "--cluster", "garage", "--homelab-source", "1.0"])
    options = init.ask_options(args, ask, interactive=True)
    assert [q.split(" (")[0].split(" [")[0] for q in questions] == [
        "Git repository Argo CD deploys from",
        "Platform components",
        "Branch the cluster follows",
        "Storage class the cluster provides",
        "Tailscale tailnet",
    ]
    assert (options.cluster, options.repo, options.revision, options.storage_class) == (
        "garage",
        "https://git.example/lab.git",
        "main",
        "local-path",
    )
    assert (options.platform, options.tailnet, options.homelab_source) == (("argocd", "sealed-secrets"), None, "1.0")


def test_the_shared_files_are_this_repositorys() -> None:
    """The new repository's cdk8s launcher and .npmrc are this one's; its Renovate managers match the same literals."""
    templates = ROOT / "homelab" / "commands" / "init_templates"
    assert (templates / "scripts" / "cdk8s-app").read_bytes() == (ROOT / "scripts" / "cdk8s-app").read_bytes()
    assert (templates / "dot-npmrc").read_bytes() == (ROOT / ".npmrc").read_bytes()
    ours, theirs = (json.loads(p.read_text()) for p in (ROOT / "renovate.json", templates / "renovate.json"))
    assert [m["matchStrings"] for m in theirs["customManagers"]] == [m["matchStrings"] for m in ours["customManagers"]]


def test_the_new_repository_synthesises_validates_and_passes_its_tests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "garage"
    platform = "argocd,sealed-secrets,cnpg,cert-manager,longhorn"
    assert run_init(repo, "--yes", *FLAGS, "--tailnet", "tail1234.ts.net", "--platform", platform) == 0
    assert "a homelab for cluster 'garage'" in capsys.readouterr().out
    assert (repo / ".git").is_dir() and (repo / "dev").stat().st_mode & 0o111
    assert 'dependencies = ["cdk8s-homelab @ file://' in (repo / "pyproject.toml").read_text()
    module = (repo / "clusters" / "garage.py").read_text()
    assert "CloudNativePgProps()," in module and "ArgoCdProps(tailnet_ingress=False)," in module  # no Tailscale here
    for application in (repo / "dist").rglob("application-*.yaml"):
        source = yaml.safe_load(application.read_text())["spec"]["source"]
        if source.get("repoURL") == "https://github.com/me/homelab":
            assert (repo / source["path"]).is_dir(), f"{application}: {source['path']} does not exist"
    with init.inside(repo, "clusters"):  # its own clusters package, the bundled one put back after
        sys.path.insert(0, str(repo))
        assert main(["synth", "--check"]) == 0
        assert main(["validate", "--strict"]) == 0
        assert main(["bootstrap", "garage"]) == 0
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=repo, capture_output=True, text=True
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "1 snapshot passed" in tests.stdout


def test_a_component_whose_values_are_not_sealed_yet_leaves_the_tree_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_init(tmp_path / "lab", "--yes", *FLAGS, "--platform", "argocd,sealed-secrets,tailscale-operator") == 1
    err = capsys.readouterr().err
    assert "homelab seal garage tailscale/operator-oauth --stdin client_id" in err
    assert "the repository is written, but not its tree" in err
    assert (tmp_path / "lab" / "clusters" / "garage.py").is_file() and not (tmp_path / "lab" / "dist").exists()


def test_on_a_fresh_machine_the_readme_commands_work(tmp_path: Path) -> None:
    """The done-when test, as a new user goes (~1 min with pip's cache): init, then in the new repository
    the README's two commands (a fresh .venv installing the language from this checkout), ``synth --check``,
    ``validate`` offline without flags and ``bootstrap`` all exit 0."""
    repo = tmp_path / "garage"
    command = [sys.executable, "-m", "homelab", "init", str(repo), "--yes", *FLAGS]
    assert subprocess.run(command, cwd=tmp_path, capture_output=True, text=True).returncode == 0
    readme = (repo / "README.md").read_text()
    assert readme.index("./dev synth") < readme.index("./dev test") < readme.index("## ")
    homelab = str(repo / ".venv" / "bin" / "homelab")
    steps = [["./dev", "synth"], ["./dev", "test", "-q"], [homelab, "synth", "--check"], [homelab, "validate"]]
    run_steps(repo, fresh_env(tmp_path), [*steps, [homelab, "bootstrap", "garage"]])
