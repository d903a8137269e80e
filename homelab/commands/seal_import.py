"""``homelab seal import PATH...``: copy the ciphertexts of SealedSecret manifests into the sealed stores."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from homelab import safe_fs
from homelab.commands.secret_args import NOT_SHOWN, cluster_named
from homelab.declaration import load_homelab
from homelab.errors import HomelabError
from homelab.model.homelab import Homelab
from homelab.sealing.cert import Certificate, load_certificate
from homelab.sealing.crypto import scope_of
from homelab.sealing.store import SealedStore
from homelab.sealing.store_format import copied_entry, is_kubernetes_name


@dataclass(frozen=True)
class SealImportOptions:
    homelab: str | None
    """The declaration as MODULE:ATTRIBUTE (`--homelab`); the repository's `[tool.homelab]` when None."""
    paths: list[Path]
    cluster: str | None
    """The store to import into; by default the cluster of the ``overlays/<cluster>/`` in each path."""
    replace: bool

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> SealImportOptions:
        return cls(
            homelab=args.homelab, paths=[Path(p) for p in args.paths], cluster=args.cluster, replace=args.replace
        )


def run(options: SealImportOptions) -> int:
    lab = load_homelab(options.homelab)
    with safe_fs.repository_lock(lab.root, "homelab seal import"):
        lines = import_manifests(lab, options.paths, cluster=options.cluster, replace=options.replace)
    for line in lines:
        print(f"imported {line}")
    return 0


def import_manifests(
    lab: Homelab, paths: Iterable[Path], *, cluster: str | None = None, replace: bool = False
) -> list[str]:
    """Copy the ciphertexts of SealedSecret manifests into the stores, without resealing.

    Each manifest goes to ``cluster``'s store or, when not given, to the cluster named by the
    ``overlays/<cluster>/`` directory it lies in. They are recorded as sealed with the cluster's
    current certificate, or with none known when it is not recorded yet. An entry that exists with other ciphertexts is kept unless ``replace``.
    """
    if cluster is not None:
        cluster_named(lab, cluster, "--cluster")
    clusters = {d.cluster.name for d in lab.clusters}
    stores: dict[str, tuple[SealedStore, Certificate | None]] = {}
    imported: list[str] = []
    found = False
    for n, path in enumerate(paths, 1):
        if not path.exists():
            raise HomelabError(f"PATH argument {n}: no such file or directory ({NOT_SHOWN})")
        for file, doc in _sealed_secrets(path):
            found = True
            target = cluster or _cluster_from_path(file, clusters)
            if target is None:
                raise HomelabError(
                    f"{file}: cannot tell which cluster it is sealed for (no overlays/<cluster>/ in its path); "
                    f"pass --cluster ({', '.join(sorted(clusters))})"
                )
            if target not in stores:
                stores[target] = _store(lab, target)
            store, cert = stores[target]
            meta = doc.get("metadata") or {}
            namespace, name = meta.get("namespace"), meta.get("name")
            if not is_kubernetes_name(namespace, namespace=True) or not is_kubernetes_name(name):
                raise HomelabError(
                    f"{file}: a SealedSecret needs metadata.namespace and metadata.name, both Kubernetes names"
                )
            try:
                entry = copied_entry(
                    str(namespace),
                    str(name),
                    scope_of(meta.get("annotations")),
                    (doc.get("spec") or {}).get("encryptedData"),
                    (cert.fingerprint, cert.public_key.key_size // 8) if cert else None,
                )
            except ValueError as exc:
                raise HomelabError(f"{file}: SealedSecret {namespace}/{name}: {exc}") from None
            old = store.entries.get(entry.ref)
            if old is not None and (old.data, old.scope) != (entry.data, entry.scope) and not replace:
                raise HomelabError(
                    f"{file}: {entry.ref} is already in {store.label} with other values; "
                    "pass --replace to overwrite it, or remove it first"
                )
            store.entries[entry.ref] = entry
            unknown = "" if cert else " (no certificate recorded: copied as they are)"
            imported.append(f"{target}: {entry.ref} ({', '.join(sorted(entry.data))}) from {file}{unknown}")
    if not found:
        raise HomelabError("no SealedSecret found in " + ", ".join(str(p) for p in paths))
    for store, _ in stores.values():
        store.save()
    return imported


def _store(lab: Homelab, cluster: str) -> tuple[SealedStore, Certificate | None]:
    """The cluster's store and its certificate, None when not recorded yet (the ciphertexts are copied
    as they are, recorded as sealed with a certificate not known)."""
    plan = lab.plan(cluster)
    store = lab.sealed_store(plan.cluster)
    return store, load_certificate(lab.cert_path(plan.cluster)) if store.fingerprint else None


def _sealed_secrets(path: Path) -> Iterable[tuple[Path, dict]]:
    files = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")) if path.is_dir() else [path]
    for file in files:
        try:
            docs = list(yaml.safe_load_all(file.read_text()))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise HomelabError(f"{file}: not valid YAML ({str(exc).splitlines()[0]})") from None
        for doc in docs:
            if isinstance(doc, dict) and doc.get("kind") == "SealedSecret":
                yield file, doc


def _cluster_from_path(path: Path, clusters: set[str]) -> str | None:
    parts = path.resolve().parts
    for i, part in enumerate(parts[:-1]):
        if part == "overlays" and parts[i + 1] in clusters:
            return parts[i + 1]
    return None
