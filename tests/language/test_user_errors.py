"""Errors in a declaration: ``file:line: message`` at the user's line, "did you mean", a few lines;
``--traceback`` for the whole trace."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


def homelab(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "homelab", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        (
            "misspelt_prop",
            "error: tests/language/mistakes/misspelt_prop.py:9: TypeError: HelmArgoAppProps.__init__() got an "
            "unexpected keyword argument 'chrat'; did you mean 'chart'?",
        ),
        (
            "bad_app_name",
            "error: tests/language/mistakes/bad_app_name.py:8: AppSpec 'My_Wiki': name 'My_Wiki' is not a valid",
        ),
        (
            "misspelt_in_builder",
            "error: tests/language/mistakes/misspelt_in_builder.py:14: TypeError: ObjectMeta.__init__() got an "
            "unexpected keyword argument 'nmae'; did you mean 'name'?",
        ),
        (
            "wrong_prop_type",
            "error: tests/language/mistakes/wrong_prop_type.py:8: TailscaleIngressProps.hosts: expected a tuple "
            "(tuple[str, ...]), got the string 'status'; for one item write hosts=('status',), with the comma",
        ),
        (
            "wrong_type_in_builder",
            "error: tests/language/mistakes/wrong_type_in_builder.py:13: db/base: CnpgDatabaseProps.instances: "
            "expected int, got str '3'",
        ),
        (
            "bytes_in_values",
            "error: tests/language/mistakes/bytes_in_values.py:10: HelmArgoAppProps.values: "
            "values['auth']['adminPassword'] is bytes; allowed: str, a finite number, bool, None, a list or a dict",
        ),
        (
            "bad_object_name",
            "error: tests/language/mistakes/bad_object_name.py:13: app/base: ConfigMap (app/x): metadata.name "
            "'UPPER' is not a valid name for a ConfigMap",
        ),
        (
            "misspelt_top_level_field",
            "error: tests/language/mistakes/misspelt_top_level_field.py:13: app/base: ConfigMap: top-level field "
            "'sepc' is not a Kubernetes field; did you mean 'spec'?",
        ),
    ],
)
def test_an_error_in_the_declaration_is_told_at_the_users_line(module: str, expected: str) -> None:
    run = homelab("--homelab", f"tests.language.mistakes.{module}:LAB", "synth", "--check")
    lines = [line for line in run.stderr.splitlines() if not line.startswith("b'!!")]
    assert run.returncode == 1
    assert lines[0].startswith(expected), lines
    assert len(lines) <= 3, lines
    assert "Traceback" not in run.stderr


def test_traceback_shows_the_full_trace() -> None:
    run = homelab("--homelab", "tests.language.mistakes.misspelt_prop:LAB", "synth", "--check", "--traceback")
    assert run.returncode == 1
    assert "Traceback (most recent call last)" in run.stderr and "chrat" in run.stderr
