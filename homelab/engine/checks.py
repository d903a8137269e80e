"""Checks of the rendered objects: names, duplicates, plaintext, Secret keys, the platform.

Each raises a :class:`HomelabError` listing every problem it finds; see :mod:`homelab.engine.tree_checks`
for the checks that use :mod:`homelab.validate` (CRD schemas, GitOps cross-references).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from constructs_lib._internal import k8s_names
from constructs_lib._internal.plaintext import SOPS_FIX, plaintext_findings
from constructs_lib._internal.secret_keys import known_keys, wrong_keys
from homelab.engine import kustomize
from homelab.errors import HomelabError
from homelab.model.origin import source_file

if TYPE_CHECKING:
    from homelab.engine.data import Directory, Draft, Rendered


def check_names(objects: list[Rendered], path: str) -> None:
    """Every object's name, namespace and labels follow Kubernetes's rules (they also name its file)."""
    problems = [
        f"{obj.origin}: {path}: {obj.data.get('kind')} ({obj.path}): {problem}"
        for obj in objects
        for problem in k8s_names.manifest_problems(obj.data)
    ]
    if problems:
        raise HomelabError(
            "\n".join(problems) + "\nFix: rename it where it is declared: its props' name=/namespace=/labels=, "
            "api_object(metadata={'name': ...}), or a cdk8s construct's metadata"
        )


def check_unique(directory: Directory) -> None:
    """Two objects that are one object in the cluster (same group, kind, namespace and name) are an error."""
    seen: dict[tuple[str, str, str, str], Rendered] = {}
    for obj in directory.objects:
        other = seen.setdefault(kustomize.identity(obj.key), obj)
        if other is not obj:
            raise HomelabError(
                f"{obj.origin}: {directory.path}: two objects are {kustomize.describe(obj.key)} "
                f"(constructs {other.path} and {obj.path}); rename one or move it to another directory"
            )


def check_plaintext(directory: Directory) -> None:
    """Refuse what looks like a secret in clear (see :mod:`constructs_lib._internal.plaintext`), every case at once."""
    problems = []
    for obj in directory.objects:
        for field_path, why in plaintext_findings(obj.data):
            if obj.key[1] == "Secret" and field_path in ("data", "stringData"):
                fix = "use SealedConfig, or PlainSecret for values that are not secret"
            elif obj.key[1] == "Secret":  # a key of a SOPS-encrypted Secret left in clear
                fix = f"{SOPS_FIX}, or annotate the object with not_sensitive({{{field_path!r}: 'why'}})"
            else:
                fix = (
                    "seal it (`homelab seal`, a SealedConfig, then reference the Secret: existingSecret, "
                    "secretKeyRef) or, if it is "
                    f"not sensitive, annotate the object with not_sensitive({{{field_path!r}: 'why'}})"
                )
            problems.append(
                f"{obj.origin}: {directory.path}: {kustomize.describe(obj.key)} ({obj.path}) field {field_path}: "
                f"{why}; it would be committed in clear. Fix: {fix}"
            )
    if problems:
        raise HomelabError("\n".join(problems))


def check_secret_keys(draft: Draft) -> None:
    """Every key an object reads from a Secret the cluster's tree defines exists in that Secret."""
    problems = []
    for plan in draft.plans:
        rendered: list[tuple[Rendered, str, str]] = []
        core = draft.lab.core_of(plan)
        for app in (*([core] if core is not None else []), *plan.apps, *plan.disabled):
            target = app.deploys or app
            namespace = plan.cluster.argocd_namespace if app is core else app.app_namespace
            directory = f"{target.dir}/overlays/{plan.cluster.name}"
            rendered += [(r, r.key[2] or namespace, directory) for r in draft.objects(app, plan)]
        pairs = [(r.data, namespace) for r, namespace, _ in rendered]
        where = {id(r.data): (r, directory) for r, _, directory in rendered}
        for obj, ref, keys, source in wrong_keys(pairs, known_keys(pairs)):
            r, directory = where[id(obj)]
            problems.append(
                f"{r.origin}: {directory}: {kustomize.describe(r.key)} field {ref.field}: Secret "
                f"{ref.secret[0]}/{ref.secret[1]} has no key {ref.key!r}; its keys ({source}) are: "
                f"{', '.join(sorted(keys)) or '(none)'}. Use one of them, or declare the key (SealedConfig keys=) "
                "and seal it"
            )
    if problems:
        raise HomelabError("\n".join(dict.fromkeys(problems)))


def check_platform(draft: Draft) -> None:
    """The core overlay of each cluster deploys the Applications of the platform its plan lists."""
    lab = draft.lab
    for plan in draft.plans:
        core = lab.core_of(plan)
        if core is None:
            continue  # it lists no component (the model refuses one)
        deployed = {r.key[3] for r in draft.objects(core, plan) if r.key[1] == "Application"}
        for component in plan.platform.components:
            missing = [name for name in component.application_names() if name not in deployed]
            if missing:
                raise HomelabError(
                    f"{lab.origin_of(plan)}: cluster {plan.cluster.name!r} lists {type(component).__name__} "
                    f"in its platform, but {core.dir}/overlays/{plan.cluster.name} "
                    f"({source_file(core.builder_for(plan.cluster.name))}) deploys no Application "
                    f"{', '.join(map(repr, missing))}; render the plan's platform there: "
                    "Platform(scope, 'platform', PLATFORM, facts=ctx)"
                )
