"""Checks of the whole tree that use :mod:`homelab.validate`: ``set_field`` pointers and CRD schemas, GitOps
cross-references.

The validator is imported only when a check has something to check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homelab.engine import kustomize
from homelab.errors import HomelabError
from homelab.kinds import group_of
from homelab.model.homelab import BOOTSTRAP_DIRECTORY
from homelab.user_errors import line_in

if TYPE_CHECKING:
    from homelab.engine.data import Directory, Draft
    from homelab.kinds import KindScopes
    from homelab.validate.findings import Finding


def check_set_fields(directories: list[Directory], scopes: KindScopes) -> None:
    """Every ``set_field`` pointer names a field of its object's schema, where one is at hand offline (a core
    kind's, the library's custom kinds', a CRD of the tree, one ``homelab validate`` cached), and the value it
    set has the type (and enum value) the schema says: a misspelt path would be written out as given and
    ignored, or refused, by the API server, a wrong type refused. Each error names the line of the
    ``set_field`` call."""
    calls = [(d, o, call) for d in directories for o in d.objects for call in getattr(o.construct, "set_fields", ())]
    if not calls:
        return  # the validator is not even loaded
    from homelab.validate.schema_cache import DEFAULT_LOCATION, cache_dir
    from homelab.validate.schemas import PACKAGED_LOCATION, Schemas

    checker = Schemas(scopes=scopes)
    checker.add_crds(o.data for d in directories for o in d.objects if o.key[1] == "CustomResourceDefinition")
    checker.add_location(DEFAULT_LOCATION, cache_dir(), fetch=False)
    checker.add_location(PACKAGED_LOCATION)
    problems: dict[str, str] = {}  # the message by the call's place and pointer: a base is rendered in each overlay too
    for directory, obj, call in calls:
        where = f"{line_in(call.stack) or obj.origin}: {kustomize.describe(obj.key)} ({obj.path})"
        problem = checker.pointer_problem(obj.key[0], obj.key[1], call.pointer)
        if problem:
            fix = "correct the pointer (the API's field names)"
        elif problem := checker.value_problem(obj.data, call.pointer):
            fix = "give set_field a value of the type the field takes"
        else:
            continue
        problems.setdefault(
            f"{where} {call.pointer}",
            f"{where} in {directory.path}: set_field({call.pointer!r}): {problem}"
            f"{'' if problem.endswith('?') else '.'} Fix: {fix}, or use the construct's prop for the field where it "
            "has one",
        )
    if problems:
        raise HomelabError("\n".join(problems.values()))


def check_custom_resources(directories: list[Directory], scopes: KindScopes) -> None:
    """Check each custom resource (Argo CD, CloudNativePG, SealedSecret, Tailscale, ...) against its
    schema where one is at hand without the network: a CRD the tree contains, or one ``homelab
    validate`` fetched into its cache. Their constructs build dicts rather than typed classes (a
    typed import of each CRD would be code to regenerate on every operator upgrade, for objects
    whose free-form parts — Helm ``valuesObject`` — no type can describe), so this is where a
    misspelt field of a custom resource is caught before anything is written."""
    from homelab.validate.schema_cache import DEFAULT_LOCATION, cache_dir, cached_schema

    objects = [(d, o) for d in directories for o in d.objects]
    crds = [o.data for _, o in objects if o.key[1] == "CustomResourceDefinition"]
    cache = cache_dir()
    kinds = {(o.key[0], o.key[1]) for _, o in objects}
    with_schema = {
        (api_version, kind)
        for api_version, kind in kinds
        if "." in group_of(api_version)
        and not group_of(api_version).endswith(".k8s.io")
        and (crds or cached_schema(DEFAULT_LOCATION, cache, api_version, kind).is_file())
    }
    custom = [(d, o) for d, o in objects if (o.key[0], o.key[1]) in with_schema]
    if not custom:
        return  # no schema at hand: the validator is not even loaded
    from homelab.validate.schemas import Schemas

    checker = Schemas(scopes=scopes)
    checker.add_crds(crds)
    checker.add_location(DEFAULT_LOCATION, cache, fetch=False)
    problems = []
    for directory, obj in custom:
        for field_path, message in checker.errors(obj.data) or []:
            problems.append(
                f"{obj.origin}: {directory.path}: {kustomize.describe(obj.key)} field {field_path}: {message} "
                "(its CRD's schema)"
            )
    if problems:
        raise HomelabError("custom resources that their CRDs refuse; nothing was written:\n" + "\n".join(problems))


def check_gitops(draft: Draft) -> list[str]:
    """Refuse a tree with GitOps errors (what validate would report, builds aside); return the warnings
    (those not accepted in the repository's acceptance file), for the caller to print."""
    from homelab.validate import accept

    findings = gitops_findings(draft)
    accept_file = draft.lab.root / accept.FILE_NAME
    if accept_file.is_file():
        findings, _ = accept.apply(findings, accept.from_file(accept_file))
        findings = [f for f in findings if f.check != "stale-acceptance"]  # synth sees no builds nor schemas
    findings = [f for f in findings if f.check != "skipped"]  # what synth derives needs no such check
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise HomelabError(
            "the tree would not deploy as declared; nothing was written:\n" + "\n".join(f"  {_line(f)}" for f in errors)
        )
    return [_line(f) for f in findings if f.severity != "error"]


def _line(f: Finding) -> str:
    """A finding as synth prints it: where, the check's id, what, the fix and the acceptance that would take it."""
    where = " ".join(p for p in (f.object, f.field) if p)
    text = f"{f.file or f.entry}: {where}: [{f.check}] {f.message}. Fix: {f.fix}"
    if f.acceptance:
        text += f"\n    {f.accept_hint()}"
    return text


def gitops_findings(draft: Draft) -> list[Finding]:
    """validate's GitOps cross-reference checks, run on the tree about to be written, per cluster."""
    from homelab.validate import gitops
    from homelab.validate.follow import follow
    from homelab.validate.rendered import RenderedTree
    from homelab.validate.repository import repo_key

    tree = RenderedTree({d.path: [(o.data, o.origin) for o in d.objects] for d in draft.directories})
    findings = []
    for plan in draft.plans:
        c = plan.cluster
        start = f"{BOOTSTRAP_DIRECTORY}/overlays/{c.name}"
        content = follow(tree, c.name, [start], {repo_key(c.repo_url)}, draft.tree_in_repo, draft.scopes)
        # An app's ExistingProject is declared to exist without an AppProject of the tree.
        existing = {f"Application {c.argocd_namespace}/{a.name}" for a in plan.apps if not a.declares_project}
        findings += [
            f
            for f in gitops.check(
                content,
                tree,
                argocd_ns=c.argocd_namespace,
                builtin_storage_classes=set(c.builtin_storage_classes),
                scopes=draft.scopes,
                plaintext=False,  # every directory's objects were searched already (checks.check_plaintext)
            )
            if not (f.check == "project" and f.object in existing)
        ]
    return findings
