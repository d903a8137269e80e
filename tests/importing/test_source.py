"""``to_source``: values become Python source that evaluates back to them, laid out as ruff format does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_lib.argo_application import IgnoreDifference
from constructs_lib.helm_argo_app import HelmArgoAppProps
from constructs_lib.sealed_config import SealedConfigProps
from constructs_lib.sync_policy import SyncHook, SyncOptions, SyncPolicy
from constructs_lib.versions import HelmChart, Image
from homelab import AppSpec
from homelab.importing.source import Imports, minimal_arguments, to_source

BIN = Path(sys.executable).parent


def evaluate(source: str, imports: Imports) -> Any:
    namespace: dict[str, Any] = {}
    exec(str(imports), namespace)
    return eval(source, namespace)


keys = st.text(min_size=0, max_size=12)
texts = st.one_of(
    st.text(max_size=30),
    st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20), min_size=2, max_size=5).map(
        "\n".join
    ),
    st.lists(st.sampled_from(["key: value", "  nested: 1", "", "echo 'hi' \"there\"", "a\\b", "\t"]), max_size=6).map(
        lambda lines: "".join(line + "\n" for line in lines)
    ),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), texts)
data = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(keys, inner, max_size=4),
    ),
    max_leaves=25,
)
names = st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True)
charts = st.builds(HelmChart, repo_url=st.just("https://charts.example.org"), chart=names, version=st.just("1.x"))
syncs = st.one_of(
    st.none(),
    st.builds(SyncPolicy, automated=st.booleans(), prune=st.booleans()),
    st.builds(SyncPolicy, options=st.builds(SyncOptions, add=st.just(("PruneLast=true",)))),
)
apps = st.builds(
    HelmArgoAppProps,
    name=names,
    owned_by=st.one_of(st.none(), names),
    destination_namespace=names,
    chart=charts,
    release_name=st.one_of(st.none(), names),
    values=st.dictionaries(keys, data, max_size=4),
    sync=syncs,
    sync_wave=st.one_of(st.none(), st.integers(-3, 3)),
    hook=st.one_of(st.none(), st.just(SyncHook(phase="PostSync"))),
    ignore_differences=st.lists(
        st.builds(IgnoreDifference, kind=st.just("Deployment"), json_pointers=st.just(("/spec/replicas",))), max_size=2
    ).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(data, apps))
def test_source_evaluates_to_the_value(value: object) -> None:
    imports = Imports()
    assert evaluate(to_source(value, imports), imports) == value


@settings(max_examples=60, deadline=None)
@given(apps)
def test_props_name_only_what_leaving_out_would_change(props: HelmArgoAppProps) -> None:
    kwargs = minimal_arguments(props)
    for name in kwargs:
        if name in ("name", "chart"):
            continue
        rest = {k: v for k, v in kwargs.items() if k != name}
        try:
            assert HelmArgoAppProps(**rest) != props, f"{name} could be left out"
        except Exception as error:  # the props refuse the call without it: it is needed
            assert "required" in str(error) or "destination_namespace" in str(error)


def test_derived_and_default_fields_are_left_out() -> None:
    imports = Imports()
    props = HelmArgoAppProps(name="web", owned_by="web", chart=HelmChart(repo_url="https://c", chart="c", version="1"))
    assert to_source(props, imports) == (
        'HelmArgoAppProps(name="web", owned_by="web", chart=HelmChart(repo_url="https://c", chart="c", version="1"))'
    )
    assert imports.lines() == [
        "from constructs_lib.helm_argo_app import HelmArgoAppProps",
        "from constructs_lib.versions import HelmChart",
    ]


def test_small_forms() -> None:
    imports = Imports()
    assert to_source(("one",), imports) == '("one",)'
    assert to_source((), imports) == "()"
    assert to_source({"it's": 'say "hi"'}, imports) == """{"it's": 'say "hi"'}"""
    assert to_source("#!/bin/sh\necho hi\n", imports) == '"""\\\n#!/bin/sh\necho hi\n"""'
    assert to_source("a\nb\\c", imports) == '"a\\nb\\\\c"'  # fits on a line: one string
    long = "\\" + "x" * 70 + "\n" + "y" * 70
    assert to_source(long, imports) == f'(\n    "\\\\{"x" * 70}\\n"\n    "{"y" * 70}"\n)'
    assert to_source(AppSpec, imports) == "AppSpec"
    assert imports.lines() == ["from homelab import AppSpec"]


def test_long_values_are_one_item_per_line() -> None:
    imports = Imports()
    value = {"image": Image(name="ghcr.io/example/application-server", tag="v1.2.3"), "extra": ["x" * 40, "y" * 40]}
    assert to_source(value, imports, indent=4, prefix=len("values=")) == (
        "{\n"
        '        "image": Image(name="ghcr.io/example/application-server", tag="v1.2.3"),\n'
        f'        "extra": ["{"x" * 40}", "{"y" * 40}"],\n'
        "    }"
    )


def test_what_has_no_source_form_is_refused() -> None:
    with pytest.raises(TypeError, match=r"a set \(\{1\}\) has no source form; give data or props"):
        to_source({1}, Imports())
    with pytest.raises(ValueError, match="inf is not a number JSON or YAML can hold"):
        to_source(float("inf"), Imports())


def test_a_module_of_values_passes_ruff_and_mypy(tmp_path: Path) -> None:
    imports = Imports()
    values = {
        "IMMICH": HelmArgoAppProps(
            name="immich",
            owned_by="immich",
            chart=HelmChart(repo_url="https://immich-app.github.io/immich-charts", chart="immich", version="0.10.x"),
            values={
                "script": "#!/bin/sh\nset -eu\necho 'ready'\n",
                "config": "a: 1\n\tb: 2\n" * 10,
                "server": {"env": [{"name": "DB_HOSTNAME", "value": "immich-pg-rw"}] * 3, "replicas": 1},
                "empty": {},
                "nothing": None,
            },
            sync=SyncPolicy(options=("CreateNamespace=true",)),
            ignore_differences=(IgnoreDifference(kind="Secret", jq_path_expressions=(".data",)),),
        ),
        "SECRET": SealedConfigProps(name="db", namespace="immich", keys=("password",), sealing_scope="namespace-wide"),
        "HOOK": SyncHook(phase=("PreSync", "PostSync"), delete_policy=("HookSucceeded",)),
    }
    body = "".join(f"\n{name} = {to_source(v, imports, prefix=len(name) + 3)}\n" for name, v in values.items())
    module = tmp_path / "generated.py"
    module.write_text(f'"""Generated."""\n\n{imports}\n{body}')
    ruff = str(BIN / "ruff")
    check = subprocess.run(
        [ruff, "check", "--no-cache", "--isolated", "--line-length=120", "--select=E,F,W,I,B,UP,SIM,RUF", str(module)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run(
        [ruff, "format", "--isolated", "--line-length=120", "--diff", str(module)], capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    typed = subprocess.run(
        [str(BIN / "mypy"), "--no-incremental", "--follow-imports=silent", "--ignore-missing-imports", str(module)],
        capture_output=True,
        text=True,
    )
    assert typed.returncode == 0, typed.stdout
    namespace: dict[str, Any] = {}
    exec(module.read_text(), namespace)
    assert {name: namespace[name] for name in values} == values
