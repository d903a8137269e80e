"""Deterministic YAML: the one way the synthesiser turns data into text.

Block style, keys in the order given, lists indented under their key, multi-line strings as
literal blocks, and every string that a YAML 1.2 reader (kustomize, Argo CD) would take for a
number, boolean or null quoted, so ``"1.10"`` or ``"yes"`` stay strings everywhere.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# Plain scalars that YAML 1.1 (PyYAML) or 1.2 core (Go) would not read back as the same string.
_AMBIGUOUS = re.compile(
    r"""^(?:
        ~|null|Null|NULL|true|True|TRUE|false|False|FALSE
      | y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF
      | [-+]?[0-9][0-9_]*
      | 0o[0-7]+ | 0x[0-9a-fA-F]+ | 0b[01]+
      | [-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | [0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    )$""",
    re.VERBOSE,
)


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and all(line == line.rstrip() for line in value.split("\n")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if _AMBIGUOUS.match(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """``data`` as a YAML document (no ``---``), ending with a newline."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True, width=100)


#: libyaml's parser where PyYAML was built with it (it reads the same YAML, ~10x faster).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """Parse one YAML document."""
    return yaml.load(text, Loader=_Loader)  # a safe loader (libyaml or pure Python)


def load_all(text: str) -> list[Any]:
    """Parse every document of a YAML stream."""
    return list(yaml.load_all(text, Loader=_Loader))
