"""Generate docs/constructs.md, the construct reference, from the code's own docstrings.

Every construct and model class: what it is for (its docstring), its props with types and
defaults (the dataclass fields, each with the docstring written under it) and a minimal example
(``example_<module>`` in ``docs/examples.py``, which the tests run). ``--check`` exits 1 when the
committed file differs from what the code says (CI runs it).

    python scripts/construct_docs.py [--check]
"""

from __future__ import annotations

import argparse
import ast
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "constructs.md"
EXAMPLES = ROOT / "docs" / "examples.py"

#: (section title, modules), in the order a new user needs them.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "The model: clusters, apps and plans",
        (
            "homelab/model/cluster.py",
            "homelab/model/app_spec.py",
            "homelab/model/app_group.py",
            "homelab/model/remote_resource.py",
            "constructs_lib/application_settings.py",
            "homelab/model/cluster_plan.py",
            "homelab/model/context.py",
            "homelab/model/homelab.py",
        ),
    ),
    (
        "Argo CD applications",
        (
            "constructs_lib/versions.py",
            "constructs_lib/helm_argo_app.py",
            "constructs_lib/git_argo_app.py",
            "constructs_lib/argo_application.py",
            "constructs_lib/sync_policy.py",
            "constructs_lib/app_of_apps.py",
            "constructs_lib/argocd_ntfy.py",
        ),
    ),
    (
        "Data, secrets and storage",
        (
            "constructs_lib/cnpg_database.py",
            "constructs_lib/sealed_config.py",
            "constructs_lib/external_secret.py",
            "constructs_lib/plain_secret.py",
            "constructs_lib/annotations.py",
            "constructs_lib/longhorn_storage_class.py",
            "constructs_lib/nfs_volume.py",
            "constructs_lib/volume_claim.py",
            "constructs_lib/volume_snapshot_class.py",
        ),
    ),
    (
        "The platform: the components a cluster runs",
        (
            "constructs_lib/platform/platform.py",
            "constructs_lib/platform/component.py",
            "constructs_lib/platform/argocd.py",
            "constructs_lib/platform/image_updater.py",
            "constructs_lib/platform/sealed_secrets.py",
            "constructs_lib/platform/metrics_server.py",
            "constructs_lib/platform/kubelet_cert_approver.py",
            "constructs_lib/platform/snapshotter.py",
            "constructs_lib/platform/longhorn.py",
            "constructs_lib/platform/tailscale_operator.py",
            "constructs_lib/platform/cnpg_operator.py",
            "constructs_lib/platform/velero.py",
            "constructs_lib/platform/cert_manager.py",
            "constructs_lib/platform/intel_device_plugins.py",
            "constructs_lib/platform/descheduler.py",
        ),
    ),
    (
        "Networking and workloads",
        (
            "constructs_lib/ingress.py",
            "constructs_lib/tailscale_ingress.py",
            "constructs_lib/gateway.py",
            "constructs_lib/http_route.py",
            "constructs_lib/http_route_filter.py",
            "constructs_lib/grpc_route.py",
            "constructs_lib/tls_route.py",
            "constructs_lib/tcp_route.py",
            "constructs_lib/deployment.py",
            "constructs_lib/service.py",
            "constructs_lib/job.py",
            "constructs_lib/cron_job.py",
            "constructs_lib/config_map.py",
            "constructs_lib/pod.py",
            "constructs_lib/namespace.py",
            "constructs_lib/object_meta.py",
        ),
    ),
    (
        "Any other object, typed or raw, and the escape hatch",
        ("constructs_lib/api_object.py",),
    ),
)


def _doc(node: ast.AST) -> str:
    return textwrap.dedent(ast.get_docstring(node, clean=True) or "").strip()  # type: ignore[arg-type]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _default(value: ast.expr | None) -> str:
    """How a field's default reads: ``field(default_factory=dict)`` as ``{}``, and so on."""
    if value is None:
        return "**required**"
    if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "field":
        for keyword in value.keywords:
            if keyword.arg == "default_factory":
                factory = ast.unparse(keyword.value)
                return f"`{ {'dict': '{}', 'list': '[]', 'tuple': '()'}.get(factory, factory + '()') }`"
            if keyword.arg == "default":
                return f"`{ast.unparse(keyword.value)}`"
        return "**required**"
    return f"`{ast.unparse(value)}`"


def _fields(cls: ast.ClassDef) -> list[tuple[str, str, str, str]]:
    """(name, type, default, doc) of each annotated field, its doc being the string under it."""
    out = []
    body = cls.body
    for i, stmt in enumerate(body):
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
            continue
        if stmt.target.id.startswith("_"):
            continue
        after = body[i + 1] if i + 1 < len(body) else None
        doc = (
            after.value.value
            if isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
            else ""
        )
        out.append((stmt.target.id, ast.unparse(stmt.annotation), _default(stmt.value), doc))
    return out


def _is_dataclass(cls: ast.ClassDef) -> bool:
    return any("dataclass" in ast.unparse(d) for d in cls.decorator_list)


def _class(cls: ast.ClassDef) -> list[str]:
    bases = ", ".join(ast.unparse(b) for b in cls.bases)
    lines = [f"### `{cls.name}`" + (f" ({bases})" if bases and bases != "Protocol" else ""), ""]
    if _doc(cls):
        lines += [_doc(cls), ""]
    if _is_dataclass(cls):
        fields = _fields(cls)
        if fields:
            lines += ["| prop | type | default | what it is |", "|---|---|---|---|"]
            lines += [f"| `{n}` | `{_cell(t)}` | {d} | {_cell(doc)} |" for n, t, d, doc in fields]
            lines.append("")
    elif cls.bases and ast.unparse(cls.bases[0]) == "Construct":
        init = next((f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
        if init is not None:
            args = ", ".join(ast.unparse(a) for a in init.args.args[1:] + init.args.kwonlyargs)
            lines += [f"`{cls.name}({args})`", ""]
    return lines


def _function(fn: ast.FunctionDef) -> list[str]:
    args = ast.unparse(fn.args)
    returns = f" -> {ast.unparse(fn.returns)}" if fn.returns else ""
    return [f"- `{fn.name}({args}){returns}`: {_cell(_doc(fn).split(chr(10) + chr(10))[0])}"]


def _examples() -> dict[str, tuple[str, str]]:
    """``example_<name>`` functions of docs/examples.py: name → (docstring, source without the docstring)."""
    tree = ast.parse(EXAMPLES.read_text())
    source = EXAMPLES.read_text().splitlines()
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("example_"):
            first = node.body[0]
            has_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            skip = range(first.lineno - 1, first.end_lineno or first.lineno) if has_doc else range(0)
            lines = [
                line
                for i, line in enumerate(source[node.lineno - 1 : node.end_lineno], node.lineno - 1)
                if i not in skip
            ]
            out[node.name.removeprefix("example_")] = (_doc(node), "\n".join(lines))
    return out


def _inline_constants(tree: ast.Module) -> None:
    """Show a field defaulting to a module constant made by a call (``chart: HelmChart = CHART``) with the
    constant's value, ``HelmChart(repo_url=..., ...)``, rather than its name."""
    constants = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for cls in tree.body:
        for stmt in cls.body if isinstance(cls, ast.ClassDef) else []:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.value, ast.Name) and stmt.value.id in constants:
                stmt.value = constants[stmt.value.id]


def _module(rel: str, examples: dict[str, tuple[str, str]]) -> list[str]:
    tree = ast.parse((ROOT / rel).read_text())
    name = rel.removesuffix(".py").replace("/", ".")
    lines = [f"## `{name}`", ""]
    if _doc(tree):
        lines += [_doc(tree), ""]
    functions = []
    _inline_constants(tree)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            lines += _class(node)
        elif isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            functions += _function(node)
    if functions:
        lines += ["Functions:", "", *functions, ""]
    if Path(rel).stem in examples:
        lines += ["Example:", "", "```python", examples[Path(rel).stem][1], "```", ""]
    return lines


def render() -> str:
    examples = _examples()
    lines = [
        "# Construct reference",
        "",
        "<!-- Generated by `./dev docs` (scripts/construct_docs.py) from the docstrings; do not edit. -->",
        "",
        "Every construct and model class, its props with types and defaults, and a minimal example (the",
        "examples live in `docs/examples.py` and are run by the tests). Props are frozen keyword-only",
        "dataclasses: change one for a cluster with `dataclasses.replace`. How the pieces fit is in the",
        "README's *Adding an app*.",
        "",
        "## Two ways to use the constructs",
        "",
        "- **In a homelab**: a builder `def base(scope: Scope)` gets a `homelab.Scope`, a Python object (no",
        "  Node.js). This library's constructs take `scope`; cdk8s constructs (`k8s.Kube*`, cdk8s-plus) take",
        "  `scope.chart`, the builder's cdk8s chart. The synthesiser reads every object, each once.",
        "- **In any cdk8s program**: create them under a `cdk8s.Chart` (or any cdk8s construct) of your own",
        "  `cdk8s.App`. Each is then a cdk8s construct in the tree, and its objects are in `chart.to_json()` and",
        "  `app.synth()`, exactly as a homelab renders them (a `null` field is in the YAML; read back in Python",
        "  through jsii, `chart.to_json()` drops it). Import `constructs_lib` before `cdk8s` and no system",
        "  Node.js is needed (jsii starts Node.js when cdk8s is imported: imported first, it needs `node` 22+",
        "  on `PATH` or `JSII_NODE`). A cdk8s construct takes the chart or another cdk8s construct as its",
        "  scope, not one of this library's (jsii: `type of argument scope must be constructs.Construct`).",
        "  The example *in-a-cdk8s-program* below is such a program, run by the tests.",
        "",
        "## Contents",
        "",
    ]
    for title, modules in SECTIONS:
        lines.append(f"- {title}: " + ", ".join(f"`{Path(m).stem}`" for m in modules))
    documented = {Path(rel).stem for _, modules in SECTIONS for rel in modules}
    others = {name: example for name, example in examples.items() if name not in documented}
    lines += [f"- {doc.split(chr(10))[0].rstrip('.')}: `{name.replace('_', '-')}`" for name, (doc, _) in others.items()]
    lines.append("")
    for title, modules in SECTIONS:
        lines += [f"# {title}", ""]
        for rel in modules:
            lines += _module(rel, examples)
    for name, (doc, code) in others.items():
        lines += [f"# `{name.replace('_', '-')}`", "", doc, "", "```python", code, "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/constructs.md is not up to date")
    args = parser.parse_args()
    text = render()
    if args.check:
        if not OUTPUT.is_file() or OUTPUT.read_text() != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run ./dev docs and commit it", file=sys.stderr)
            return 1
        print(f"{OUTPUT.relative_to(ROOT)} is up to date")
        return 0
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
