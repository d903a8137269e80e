"""The tree's layout: an app's ``base/`` and ``overlays/<cluster>/`` directories, and what an overlay
lists and patches.

Layout under ``<tree path>/`` (``kustomize/`` in the bundled homelab)::

    clusters/overlays/<cluster>       the cluster's root Application, the app-of-apps of its enabled
                                      apps, and its cluster-wide objects
    core-argocd-apps/{base,overlays/<cluster>}
    <app>/{base,overlays/<cluster>}

Every directory has a ``kustomization.yaml``; an overlay lists ``../../base`` and the objects
that only it has, and turns each base object it changed into a JSON patch. A base is what the
app's base builder declares, with no cluster's facts. One object per file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homelab.engine import kustomize
from homelab.engine.data import Directory, Rendered
from homelab.errors import HomelabError
from homelab.model.origin import source_file

if TYPE_CHECKING:
    from homelab.model.app_spec import AppSpec
    from homelab.model.cluster_plan import ClusterPlan


def repo_path(tree_in_repo: str, *parts: str) -> str:
    """Path from the repository root of a directory of the tree, e.g. ``dist/kustomize/immich/overlays/home``."""
    return "/".join(p for p in (tree_in_repo, *parts) if p)


def has_overlay(app: AppSpec, plan: ClusterPlan) -> bool:
    """Whether ``app`` has an overlay for ``plan``'s cluster: listed there (on or off, or deployed by a
    listed app), or given a builder for it."""
    listed = any(app is a or app is a.deploys for a in (*plan.apps, *plan.disabled))
    return listed or plan.cluster.name in app.overlays


def app_directories(
    app: AppSpec, base: list[Rendered], overlays: list[tuple[ClusterPlan, list[Rendered]]]
) -> list[Directory]:
    """``app``'s base directory (``base``: its objects), then one overlay directory per (plan, objects)."""
    assert app.base is not None
    remote = [r.target for r in app.remote_resources]
    dirs = [Directory(path=f"{app.dir}/base", origin=source_file(app.base), objects=base, remote=remote)]
    for plan, objects in overlays:
        origin = source_file(app.builder_for(plan.cluster.name))
        dirs.append(
            Directory(path=f"{app.dir}/overlays/{plan.cluster.name}", origin=origin, objects=objects, base=base)
        )
    return dirs


def kustomization(directory: Directory) -> tuple[list[tuple[str, Rendered]], dict[str, Any]]:
    """The objects ``directory`` holds as files of its own (file name, object), and its kustomization:
    those files, the base, remote resources, and a patch of each base object the overlay changed."""
    base = {obj.key: obj for obj in directory.base or []}
    mine = {obj.key: obj for obj in directory.objects}
    moved = _into_namespace(base, mine)
    own = [obj for obj in directory.objects if obj.key not in base and obj.key not in moved.values()]
    try:
        names = kustomize.file_names([o.key for o in own])
    except ValueError as exc:
        raise HomelabError(f"{directory.origin}: {directory.path}: {exc}; rename one of them") from None
    resources: list[str] = ["../../base"] if directory.base is not None else []
    resources += names
    resources += directory.remote
    patches: list[dict[str, Any]] = []
    for key, base_obj in base.items():
        changed = mine.get(moved.get(key, key))
        if changed is None:
            patches.append(kustomize.delete_patch_entry(key))
            continue
        ops = kustomize.json_patch(base_obj.data, changed.data)
        if ops:
            patches.append(kustomize.json_patch_entry(key, ops))
    return list(zip(names, own, strict=True)), kustomize.kustomization(resources, patches)


def _into_namespace(
    base: dict[kustomize.ObjectKey, Rendered], mine: dict[kustomize.ObjectKey, Rendered]
) -> dict[kustomize.ObjectKey, kustomize.ObjectKey]:
    """Base objects without a namespace the overlay declares in one (as an overlay's ``namespace:`` does): base
    key → the overlay's. Each is patched, not deleted and added: a patch's target without a namespace matches
    the object in every namespace, so deleting the base's would delete the overlay's too."""
    out = {}
    for key in base:
        api_version, kind, namespace, name = key
        if namespace or key in mine:
            continue
        found = [k for k in mine if k[:2] == (api_version, kind) and k[3] == name and k not in base]
        if len(found) == 1:
            out[key] = found[0]
    return out
