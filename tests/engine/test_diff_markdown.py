"""``homelab diff --format markdown``: the pull request's comment — per cluster the apps, objects, field
paths and reseals of a change, Secret values masked, names escaped, under GitHub's size cap."""

from __future__ import annotations

import html
import json
import re
import subprocess
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest
from constructs import Construct
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given
from hypothesis import strategies as st

from constructs_lib.helm_argo_app import HelmArgoApp
from constructs_lib.plain_secret import PlainSecret, PlainSecretProps
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps, SealingScope
from homelab import AppSpec, ClusterPlan, Context, Homelab
from homelab.cli import main
from homelab.engine import writer
from homelab.engine.diff import Change, ClusterDiff, Report
from homelab.engine.diff_markdown import COLLAPSE_AFTER, MARKUP, escape, markdown
from homelab.engine.pipeline import synthesise
from homelab.sealing import crypto
from tests.engine import minilab

SEALED = SealedConfigProps(name="creds", namespace="wiki", keys=("password",))
SEALED_PLAINTEXT = "sealed-plaintext-7f3a9"
PLAIN_BEFORE, PLAIN_AFTER = "plain-value-before-51c2", "plain-value-after-e80d"
BLOG = replace(minilab.WIKI, name="blog-chart", namespace="blog", project="blog", destination_namespace="blog")


class RealStore:
    """Seals :data:`SEALED_PLAINTEXT` for every key with a real key pair: each synthesis is a reseal."""

    def __init__(self, key: rsa.RSAPrivateKey) -> None:
        self.public_key = key.public_key()

    def sealed_values(
        self, *, namespace: str, name: str, sealing_scope: SealingScope, keys: tuple[str, ...]
    ) -> Mapping[str, str]:
        label = crypto.label_for(sealing_scope, namespace, name)
        return {k: crypto.seal(self.public_key, SEALED_PLAINTEXT.encode(), label) for k in keys}


def small_lab(root: Path, *, version: str, flag: str, blog: bool) -> Homelab:
    """One cluster running the wiki (its chart at ``version``, a sealed password, a PlainSecret FLAG=``flag``)
    and, with ``blog``, a blog app."""

    def wiki(scope: Construct, ctx: Context) -> None:
        HelmArgoApp(scope, "wiki", replace(minilab.WIKI, chart=replace(minilab.WIKI.chart, version=version)))
        SealedConfig(scope, "creds", SEALED, store=ctx.sealed)
        flags = PlainSecretProps(name="flags", namespace="wiki", string_data={"FLAG": flag}, why_not_sensitive="test")
        PlainSecret(scope, "flags", flags)

    apps = [AppSpec(name="wiki", base=minilab.wiki_base, overlays={"home": wiki})]
    if blog:
        apps.append(AppSpec(name="blog", base=lambda scope: HelmArgoApp(scope, "blog", BLOG)))
    return Homelab(root=root, core=minilab.CORE, clusters=(ClusterPlan(cluster=minilab.HOME, apps=tuple(apps)),))


def commit(root: Path, lab: Homelab, store: RealStore, message: str) -> None:
    files = synthesise(lab, stores={"home": store}).files
    writer.write(root / "dist", writer.compare(root / "dist", files))
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "commit", "-qm", message], check=True)


@pytest.fixture(scope="module")
def two_commits(tmp_path_factory: pytest.TempPathFactory, rsa_key: rsa.RSAPrivateKey) -> Path:
    """A repository whose second commit adds the blog, bumps the wiki's chart, changes the PlainSecret's
    value and reseals the password."""
    root = tmp_path_factory.mktemp("lab")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "config", "user.email", "t@example.org"], check=True)
    subprocess.run(["git", "-C", str(root), "config", "user.name", "test"], check=True)
    store = RealStore(rsa_key)
    commit(root, small_lab(root, version="1.x", flag=PLAIN_BEFORE, blog=False), store, "first")
    commit(root, small_lab(root, version="2.x", flag=PLAIN_AFTER, blog=True), store, "blog, bump, reseal, flag")
    return root


def diff_of(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fmt: str) -> str:
    monkeypatch.setenv("HOMELAB_TEST_ROOT", str(root))
    assert main(["--homelab", "tests.engine.minilab:lab_from_env", "diff", "HEAD~1", "HEAD", "--format", fmt]) == 1
    return capsys.readouterr().out


def test_markdown_of_a_two_commit_change(
    two_commits: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = diff_of(two_commits, monkeypatch, capsys, "markdown")
    assert out.startswith("### homelab diff: HEAD&#126;1 → HEAD\n")
    home = out.split("#### cluster home: ", 1)[1]
    # the apps: the blog added, the wiki changed, the app of apps listing the blog
    assert "| blog | added | 1 added |" in home and "| wiki | changed | 3 changed |" in home
    assert "| core-argocd-apps | changed | 1 changed |" in home  # its Applications' namespaces
    assert "| clusters | changed | 3 added |" in home  # the blog's Namespace, AppProject and Application
    # the objects with their field paths, in code blocks
    assert '~ Application wiki/wiki-chart\n    spec.source.targetRevision: "1.x" → "2.x"' in home
    assert "+ Application blog/blog-chart" in home
    # the Secret's value masked as the text format masks it; the reseal listed by secret and key
    assert "~ Secret wiki/flags\n    stringData.FLAG: changed (23 bytes → 22 bytes), value not shown" in home
    assert "| wiki | SealedSecret wiki/creds | password | resealed |" in home
    total = "**Total:** 8 objects differ (4 changed, 4 added) on 1 of 1 cluster; 4 apps with a change; "
    assert total + "1 sealed value changed." in out
    # no value: neither the PlainSecret's (before or after) nor the sealed plaintext
    for value in (PLAIN_BEFORE, PLAIN_AFTER, SEALED_PLAINTEXT):
        assert value not in out


def test_text_and_json_show_the_same_change(
    two_commits: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = diff_of(two_commits, monkeypatch, capsys, "text")
    assert "        stringData.FLAG: changed (23 bytes → 22 bytes), value not shown" in text
    report = json.loads(diff_of(two_commits, monkeypatch, capsys, "json"))
    apps = {"blog": "added", "clusters": "changed", "core-argocd-apps": "changed", "wiki": "changed"}
    assert report["apps"] == {"home": apps}
    for value in (PLAIN_BEFORE, PLAIN_AFTER, SEALED_PLAINTEXT):
        assert value not in text and value not in json.dumps(report)


def test_an_unknown_format_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["diff", "--format", "html"])
    assert exit_.value.code == 2
    # the value is not repeated (an argument may hold a secret): the allowed ones are
    assert "argument --format: invalid choice: '…' (choose from 'text', 'json', 'markdown')" in (
        capsys.readouterr().err
    )


# -- escaping, collapsing and the size cap, on reports made by hand --------------------------------


def change(app: str, name: str, status: str = "changed", fields: int = 1) -> Change:
    paths = [(f"spec.values[{i}]", f'"{i}" → "{i + 1}"') for i in range(fields)] if status == "changed" else []
    return Change(app, f"{app}/overlays/home", f"ConfigMap {app}/{name}", status, paths)


def report_of(*changes: Change, apps: dict[str, str] | None = None) -> Report:
    cluster = ClusterDiff("home", list(changes), apps or {c.app: "changed" for c in changes})
    return Report("main", "HEAD", [cluster, ClusterDiff("laptop")])


def balanced(text: str) -> None:
    """The fences, ``<details>`` and tables of ``text`` are well formed."""
    assert text.count("<details>") == text.count("</details>")
    fences = re.findall(r"^(`{3,})$", text, flags=re.M)
    assert len(fences) % 2 == 0
    for row in re.findall(r"^\|.*\|$", text, flags=re.M):
        assert row.count("|") == 5 or row.count("|") == 4  # the apps (3 cells) and sealed (4 cells) tables


def test_names_that_look_like_markup_are_escaped() -> None:
    app = "a|b`c<d>*e_"
    out = markdown(report_of(change(app, "x`y", fields=1)))
    balanced(out)
    outside_code = re.sub(r"^```\n.*?^```$", "", out, flags=re.M | re.S)
    assert app not in outside_code and "a&#124;b&#96;c&#60;d&#62;&#42;e&#95;" in outside_code
    assert "| a&#124;b&#96;c&#60;d&#62;&#42;e&#95; | changed | 1 changed |" in out
    # inside the code block the name is as it is, and the fence is longer than any backtick run in it
    assert "~ ConfigMap a|b`c<d>*e_/x`y" in out


def test_a_backtick_run_in_a_field_gets_a_longer_fence() -> None:
    out = markdown(report_of(Change("app", "app/overlays/home", "ConfigMap app/c", "changed", [("data.x", "```")])))
    assert "\n````\n~ ConfigMap app/c\n    data.x: ```\n````" in out


@given(st.text())
def test_escaped_text_has_no_markup_and_reads_back(text: str) -> None:
    shown = escape(text)
    assert not set(re.sub(r"&#\d+;", "", shown)) & (MARKUP | set("\n\r"))
    assert html.unescape(shown) == " ".join(text.splitlines())


def test_long_lists_are_collapsed() -> None:
    short = markdown(report_of(change("app", "c", fields=COLLAPSE_AFTER - 1)))
    long = markdown(report_of(change("app", "c", fields=COLLAPSE_AFTER)))
    assert "<details>" not in short
    assert "<details><summary>app (app/overlays/home): 1 changed</summary>\n\n```\n~ ConfigMap" in long
    balanced(long)


def test_a_long_diff_is_cut_under_the_cap_with_a_note() -> None:
    changes = [change(f"app{i:03}", f"c{j}", fields=3) for i in range(40) for j in range(10)]
    full = markdown(report_of(*changes))
    assert len(full) > 20_000 and "Cut here" not in full
    out = markdown(report_of(*changes), max_chars=20_000)
    assert len(out) <= 20_000
    balanced(out)
    shown = len(re.findall(r"^~ ConfigMap", out, flags=re.M))
    assert 0 < shown < 400
    assert f"_Cut here: {400 - shown} of the 400 objects that differ are not shown" in out
    assert "artifact `homelab-map`" in out
    # every app's row is there: summaries get room before objects
    assert all(f"| app{i:03} | changed | 10 changed |" in out for i in range(40))
    assert "#### cluster laptop: no differences" in out


def test_an_app_too_long_for_the_cap_shows_its_first_objects() -> None:
    out = markdown(report_of(*(change("big", f"c{j}", fields=5) for j in range(200))), max_chars=8_000)
    assert len(out) <= 8_000
    balanced(out)
    shown = len(re.findall(r"^~ ConfigMap", out, flags=re.M))
    assert f"big (big/overlays/home): {shown} of 200 objects shown" in out
    assert f"_Cut here: {200 - shown} of the 200 objects that differ" in out


def test_no_differences() -> None:
    out = markdown(Report("main", "HEAD", [ClusterDiff("home")]))
    assert (
        out
        == "### homelab diff: main → HEAD\n\n**No differences** on 1 cluster.\n\n#### cluster home: no differences\n"
    )


def test_summaries_of_very_many_clusters_are_cut_too() -> None:
    clusters = [ClusterDiff(f"c{i}", [change("app", "c")], {"app": "changed"}) for i in range(300)]
    out = markdown(Report("main", "HEAD", clusters), max_chars=10_000)
    assert len(out) <= 10_000
    balanced(out)
    assert "#### cluster c0: 1 changed" in out and "#### cluster c299" not in out
    assert "~ ConfigMap" not in out and "_Cut here: 300 of the 300 objects that differ" in out
