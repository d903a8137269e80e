"""Writing the imported homelab as Python: one module per app in ``clusters/apps/``, one per cluster, the
``HOMELAB`` in ``clusters/__init__.py``; values as source through :mod:`homelab.importing.source`.

The repository around them (``pyproject.toml``, ``./dev``, tests, CI, README) is ``homelab init``'s
(:func:`homelab.commands.init.write_repository`), without its example app and cluster module.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib.api_object import api_object
from homelab.importing.built import Builder, Built, Call
from homelab.importing.constants import Replaced
from homelab.importing.matching import split_key
from homelab.importing.recognise.base import api_object_arguments
from homelab.importing.source import Imports, to_source

HEADER = "from __future__ import annotations\n"


@dataclass
class AppModule:
    """One app's module: its builders, its ``AppSpec`` and the apps that deploy its directory."""

    module: str
    name: str
    summary: str
    built: Built
    spec: dict[str, Any] = field(default_factory=dict)
    """``AppSpec`` keyword arguments besides name, base and overlays."""
    deploying: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    """(variable, app name, keyword arguments) of each ``AppSpec(deploys=APP)``."""


@dataclass
class ClusterModule:
    """One cluster's module: its facts, its plan, its own objects."""

    module: str
    name: str
    summary: str
    cluster: dict[str, Any]
    apps: list[str]
    """``module.VARIABLE`` of the apps it runs."""
    disabled: list[str]
    objects: Built
    app_sync: object
    runs_core: bool = True
    """Whether the homelab's core app runs there (its root Application deploys it)."""
    application_settings: Mapping[str, object] = field(default_factory=dict)
    """App name → its ``ApplicationSettings`` on this cluster (``ClusterPlan.application_settings``)."""


#: Constructs that say what an app runs, when it has no Helm chart.
_WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job")


def app_summary(name: str, directory: str, built: Built) -> str:
    """An app module's docstring: what the app is (its Helm charts, else its workloads), what comes with it,
    and where it was imported from."""
    groups: dict[str, list[Call]] = {}
    for call in [*built.base, *(c for b in built.overlays.values() for c in b.calls)]:
        same = groups.setdefault(_construct_name(call), [])
        if call.id not in {c.id for c in same}:  # the first cluster's, for what each cluster declares
            same.append(call)  # (a cluster's copy of a base object has the base call's id)
    by_repo: dict[str, list[str]] = {}
    for call in groups.pop("HelmArgoApp", []):
        chart = getattr(call.claim.props, "chart", None)
        if chart is not None:
            by_repo.setdefault(chart.repo_url, []).append(f"{chart.chart} {chart.version}")
    charts = [f"{_listed(names)} of {repo}" for repo, names in by_repo.items()]
    many = sum(len(names) for names in by_repo.values()) > 1
    raw = len(groups.pop("api_object", []))
    main = [f"the Helm chart{'s' if many else ''} {_listed(charts)}"] if charts else []
    if not main:
        main = [f"{k} {_listed([_object_name(c) for c in groups.pop(k)])}" for k in _WORKLOADS if k in groups]
    rest = [f"{k} {_listed([_object_name(c) for c in v])}" for k, v in groups.items()]
    rest += [f"{raw} object{'s' if raw > 1 else ''} as written (api_object)"] if raw else []
    head = f"{name}: {_listed(main)}." if main else f"{name}: {_listed(rest)}." if rest else f"{name}: no objects."
    more = f"With {_listed(rest)}. " if main and rest else ""
    text = f"{head}\n\n{more}Imported by `homelab import` from {directory}/."
    return "\n".join(textwrap.fill(p, 116, break_on_hyphens=False) if p else p for p in text.split("\n"))


def _object_name(call: Call) -> str:
    """The name of the call's (first) object, else its construct id."""
    return split_key(call.key)[2] or call.id


def _construct_name(call: Call) -> str:
    return getattr(call.claim.construct, "__name__", str(call.claim.construct))


def _listed(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}" if items else ""


def function_name(cluster: str) -> str:
    """The overlay builder of a cluster in an app module (its name, ``-`` as ``_``)."""
    name = cluster.replace("-", "_").replace(".", "_")
    return name if name.isidentifier() and name not in {"base", "replace", "scope", "ctx"} else f"on_{name}"


def _call_source(call: Call, imports: Imports, taken: set[str]) -> str:
    """``Construct(scope, "id", PROPS)`` (keyword arguments for a raw object or a keyword construct)."""
    name = imports.of(call.claim.construct)
    ident, n = call.id, 2
    while ident in taken:
        ident, n = f"{call.id}-{n}", n + 1
    taken.add(ident)
    head = f'{name}(scope, "{ident}"'
    comment = "".join(f"    # {line}\n" for line in call.comment)
    if call.constant is not None:
        store = ", store=ctx.sealed" if call.sealed else ""
        return f"{comment}    {head}, {call.constant}{store})"
    props = call.claim.props
    assert isinstance(props, Mapping), props  # a raw object's manifest, or a keyword construct's arguments
    kwargs = api_object_arguments(props) if call.claim.construct is api_object else dict(props)
    items = [f"        {k}={to_source(v, imports, indent=8, prefix=len(k) + 2)}," for k, v in kwargs.items()]
    return comment + "\n".join([f"    {head},", *items, "    )"])


def _constant_source(name: str, value: object, imports: Imports) -> str:
    if isinstance(value, Replaced):
        replace = imports.add("dataclasses", "replace")
        args = [f"{k}={to_source(v, imports, indent=4, prefix=len(k) + 1)}" for k, v in value.changes.items()]
        flat = f"{name} = {replace}({value.base}, {', '.join(args)})"
        if len(flat) <= 120 and "\n" not in flat:
            return flat
        return "\n".join([f"{name} = {replace}(", f"    {value.base},", *(f"    {a}," for a in args), ")"])
    return f"{name} = {to_source(value, imports, prefix=len(name) + 3)}"


def _body(builder: Builder, imports: Imports, base: list[Call] | None = None) -> list[str]:
    """A builder's lines (none for an empty one: its docstring is its body); ``base``: the base's calls, whose
    ids ``base(scope)`` takes."""
    lines = ["    base(scope)"] if builder.calls_base else []
    taken = {c.id for c in base or []} if builder.calls_base else set()
    lines += [_call_source(c, imports, taken) for c in builder.calls]
    return lines


def app_source(app: AppModule) -> str:
    """The text of an app's module."""
    imports = Imports()
    spec_name = imports.add("homelab", "AppSpec")
    scope_name = imports.add("homelab", "Scope")
    constants = [_constant_source(n, v, imports) for n, v in app.built.constants.items()]
    functions = [
        f"def base(scope: {scope_name}) -> None:",
        '    """The app as every cluster starts from it."""',
        *_body(Builder(calls=app.built.base), imports),
    ]
    overlays: dict[str, str] = {}
    for cluster, builder in app.built.overlays.items():
        if builder.calls_base and not builder.calls:
            continue  # the base as it is: what AppSpec gives a cluster without an overlay builder
        fn = function_name(cluster)
        overlays[cluster] = fn
        functions += [
            "",
            "",
            f"def {fn}(scope: {scope_name}, ctx: {imports.add('homelab', 'Context')}) -> None:",
            f'    """The app on {cluster}."""',
            *_body(builder, imports, app.built.base),
        ]
    spec = {"name": app.name, **app.spec}
    spec_args = [f"{k}={to_source(v, imports, indent=4, prefix=len(k) + 1)}" for k, v in spec.items()]
    spec_args.insert(1, "base=base")
    if overlays:
        spec_args.insert(2, "overlays={" + ", ".join(f'"{c}": {fn}' for c, fn in overlays.items()) + "}")
    specs = [_spec("APP", spec_name, spec_args)]
    for variable, name, kwargs in app.deploying:
        args = [f'name="{name}"', "deploys=APP"]
        args += [f"{k}={to_source(v, imports, indent=4, prefix=len(k) + 1)}" for k, v in kwargs.items()]
        specs.append(_spec(variable, spec_name, args))
    parts = [f'"""{app.summary}"""', "", HEADER, str(imports), ""]
    if constants:
        parts += ["\n\n".join(constants), ""]
    parts += ["", "\n".join(functions), "", "", "\n".join(specs)]
    return "\n".join(parts).rstrip("\n") + "\n"


def _spec(variable: str, cls: str, args: list[str]) -> str:
    flat = f"{variable} = {cls}({', '.join(args)})"
    if len(flat) <= 120 and "\n" not in flat:
        return flat
    return "\n".join([f"{variable} = {cls}(", *(f"    {a}," for a in args), ")"])


def cluster_source(cluster: ClusterModule) -> str:
    """The text of a cluster's module."""
    imports = Imports()
    scope_name, context_name = imports.add("homelab", "Scope"), imports.add("homelab", "Context")
    cluster_cls, plan_cls = imports.add("homelab", "Cluster"), imports.add("homelab", "ClusterPlan")
    for ref in (*cluster.apps, *cluster.disabled):
        imports.add("clusters.apps", ref.split(".")[0])
    constants = [_constant_source(n, v, imports) for n, v in cluster.objects.constants.items()]
    facts = [f"{k}={to_source(v, imports, indent=4, prefix=len(k) + 1)}" for k, v in cluster.cluster.items()]
    plan = [
        "cluster=CLUSTER",
        f"apps=({''.join(a + ', ' for a in cluster.apps).rstrip(' ')})" if cluster.apps else "apps=()",
    ]
    if cluster.disabled:
        plan.append(f"disabled=({''.join(a + ', ' for a in cluster.disabled).rstrip(' ')})")
    if cluster.objects.base:
        plan.append("cluster_objects=cluster_objects")
    plan.append(f"app_sync={to_source(cluster.app_sync, imports, indent=4, prefix=9)}")
    if cluster.application_settings:
        settings = to_source(dict(cluster.application_settings), imports, indent=4, prefix=21)
        plan.append(f"application_settings={settings}")
    if not cluster.runs_core:
        plan.append("runs_core=False")
    body: list[str] = []
    if cluster.objects.base:
        body = [
            "",
            "",
            f"def cluster_objects(scope: {scope_name}, ctx: {context_name}) -> None:",
            f'    """The objects of {cluster.name}\'s root that are neither an app nor its Application."""',
            *_body(Builder(calls=cluster.objects.base), imports),
        ]
    parts = [f'"""{cluster.summary}"""', "", HEADER, str(imports), "", _spec("CLUSTER", cluster_cls, facts)]
    if constants:
        parts += ["", "\n\n".join(constants)]
    parts += body
    parts += ["", "", _spec("PLAN", plan_cls, plan)]
    return "\n".join(parts).rstrip("\n") + "\n"


def init_source(clusters: list[ClusterModule], core: str, extra: Mapping[str, object]) -> str:
    """``clusters/__init__.py``: the ``HOMELAB``."""
    imports = Imports()
    homelab_cls = imports.add("homelab", "Homelab")
    imports.add("pathlib", "Path")
    for c in clusters:
        imports.add("clusters", c.module)
    if core:
        imports.add("clusters.apps", core)
    args = [
        "root=Path(__file__).resolve().parent.parent",
        *([f"core={core}.APP"] if core else []),
        f"clusters=({''.join(c.module + '.PLAN, ' for c in clusters).rstrip(' ')})",
        *(f"{k}={to_source(v, imports, indent=4, prefix=len(k) + 1)}" for k, v in extra.items()),
    ]
    doc = '"""The homelab, imported by `homelab import`: its clusters and what runs on each."""'
    return "\n".join([doc, "", HEADER, str(imports), "", _spec("HOMELAB", homelab_cls, args)]) + "\n"


def is_props(value: object) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)
