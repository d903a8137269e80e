"""The command line's tables: `homelab seal`'s two forms (`seal CLUSTER ...`, `seal import PATH...`)."""

from __future__ import annotations

import pytest

from homelab.cli import build_parser


def test_seal_takes_its_options_before_between_and_after_the_positionals() -> None:
    args = build_parser().parse_args(["seal", "--scope", "strict", "home", "wiki/x", "--stdin", "K", "a=b", "c=d"])
    assert (args.cluster, args.secret, args.values, args.scope, args.stdin) == (
        "home",
        "wiki/x",
        ["a=b", "c=d"],
        "strict",
        "K",
    )
    assert build_parser().parse_args(["seal", "--list", "home"]).list


def test_seal_import_is_a_form_of_seal() -> None:
    values = build_parser().parse_args(["seal", "home", "wiki/x", "a=b"])
    imported = build_parser().parse_args(["seal", "import", "--replace", "a.yaml", "sealed/"])
    assert (imported.command, imported.paths, imported.replace) == ("seal", ["a.yaml", "sealed/"], True)
    assert imported.func is not values.func
    assert not hasattr(imported, "secret") and not hasattr(values, "paths")


@pytest.mark.parametrize(
    ("args", "usage", "option"),
    [
        (["seal", "-h"], "usage: homelab seal [-h] [--from-env-file PATH]", "--allow-empty"),
        (["seal", "import", "--help"], "usage: homelab seal import [-h] [--cluster CLUSTER]", "--replace"),
    ],
)
def test_each_form_of_seal_has_its_help(
    capsys: pytest.CaptureFixture[str], args: list[str], usage: str, option: str
) -> None:
    with pytest.raises(SystemExit, match="0"):
        build_parser().parse_args(args)
    out = capsys.readouterr().out
    assert out.startswith(usage) and option in out


def test_an_option_no_form_of_seal_knows_is_refused_without_its_value(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit, match="2"):
        build_parser().parse_args(["seal", "import", "x.yaml", "--token=Hq7unter2"])
    err = capsys.readouterr().err
    assert "homelab seal import: error: unrecognized arguments: --token=…" in err and "Hq7unter2" not in err


def test_every_flag_the_readme_shows_a_command_take_exists() -> None:
    """Each ``homelab COMMAND ... --flag`` the README shows (in its command list, its examples and its prose)
    names an option that command takes."""
    import argparse
    import re

    from homelab.cli import build_parser
    from tests.conftest import ROOT

    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]

    def options(p: argparse.ArgumentParser) -> set[str]:
        out = {o for a in p._actions for o in a.option_strings}
        for a in p._actions:
            forms = [*getattr(a, "forms", {}).values(), *filter(None, [getattr(a, "otherwise", None)])]  # seal's
            for sub in [*(a.choices.values() if isinstance(a, argparse._SubParsersAction) else []), *forms]:
                out |= options(sub)
        return out

    common = options(parser)
    readme = (ROOT / "README.md").read_text()
    shown = re.findall(rf"homelab ({'|'.join(commands.choices)})\b([^`\n]*)", readme)
    assert len(shown) > 20
    unknown = {
        (command, flag)
        for command, rest in shown
        for flag in re.findall(r"(?<![\w-])--[a-z][a-z-]*", rest.split("#")[0])
        if flag not in options(commands.choices[command]) | common
    }
    assert unknown == set()
