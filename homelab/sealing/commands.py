"""What ``homelab seal``, ``homelab seal import`` and ``homelab cert`` do, apart from argument parsing.

Plaintext only ever lives in memory here: it is never printed, logged, written or put into an
exception message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from constructs_lib.sealed_config import SCOPES, Scope
from homelab import safe_fs
from homelab.errors import HomelabError
from homelab.homelab import Homelab
from homelab.sealing.cert import load_certificate, parse_certificate
from homelab.sealing.crypto import label_for, scope_of, seal
from homelab.sealing.store import SealedEntry, SealedStore


def check_key(key: str) -> str:
    """A Secret data key: letters, digits, '-', '_' and '.'."""
    if not key or not all(c.isalnum() or c in "-._" for c in key):
        raise HomelabError(f"{key!r} is not a valid Secret key: use letters, digits, '-', '_' and '.'")
    return key


def looks_like_a_value(argument: str) -> bool:
    """A ``KEY=VALUE`` given where a name was expected: never to be echoed."""
    return "=" in argument


def parse_ref(ref: str) -> tuple[str, str]:
    if looks_like_a_value(ref):
        raise HomelabError(
            "the NAMESPACE/NAME argument looks like KEY=VALUE (not shown: it may be a secret); "
            "name the secret first: homelab seal CLUSTER NAMESPACE/NAME --stdin KEY"
        )
    namespace, sep, name = ref.partition("/")
    if not sep or not namespace or not name or "/" in name:
        raise HomelabError(f"{ref!r}: name the secret as NAMESPACE/NAME, e.g. velero/credentials-velero")
    return namespace, name


def parse_env_file(text: str, source: str) -> dict[str, bytes]:
    """``KEY=VALUE`` lines (``#`` comments, blank lines, optional ``export``, optional quotes)."""
    out: dict[str, bytes] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        if not sep:
            raise HomelabError(f"{source}:{n}: expected KEY=VALUE (the line is not shown: it may hold a secret)")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[check_key(key.strip())] = value.encode()
    return out


def _store(lab: Homelab, cluster_name: str) -> tuple[SealedStore, str]:
    """The cluster's store, and its current certificate's fingerprint (required for sealing)."""
    cluster = lab.plan(cluster_name).cluster
    store = lab.sealed_store(cluster)
    if store.fingerprint is None:
        raise HomelabError(
            f"cluster {cluster_name!r} has no certificate at {lab.cert_path(cluster).relative_to(lab.root)}; record it "
            f"with `python -m homelab cert {cluster_name} cert.pem` (from `kubeseal --fetch-cert`)"
        )
    return store, store.fingerprint


@dataclass(frozen=True)
class SealResult:
    ref: str
    sealed: tuple[str, ...]
    removed: tuple[str, ...]
    store: str


def seal_values(
    lab: Homelab,
    cluster_name: str,
    ref: str,
    values: Mapping[str, bytes],
    *,
    scope: Scope | None = None,
    remove: Iterable[str] = (),
) -> SealResult:
    """(Re)seal ``values`` of secret ``ref``; other keys keep their ciphertext byte for byte."""
    namespace, name = parse_ref(ref)
    remove = tuple(remove)
    for key in (*values, *remove):
        check_key(key)
    if not values and not remove:
        raise HomelabError("nothing to do: give KEY=VALUE, --from-file, --from-env-file, --stdin KEY or --remove KEY")
    both = sorted(set(values) & set(remove))
    if both:
        raise HomelabError(f"{', '.join(both)}: both given a value and --remove; choose one")
    store, fingerprint = _store(lab, cluster_name)
    cert = load_certificate(lab.cert_path(lab.plan(cluster_name).cluster))
    entry = store.entries.get(f"{namespace}/{name}")
    if entry is None:
        entry = SealedEntry(namespace=namespace, name=name, scope=scope or "strict", certificate=fingerprint)
    new_scope: Scope = scope or entry.scope
    if scope is not None and scope not in SCOPES:
        raise HomelabError(f"--scope {scope!r}: use one of {', '.join(SCOPES)}")
    missing_remove = [k for k in remove if k not in entry.data]
    if missing_remove:
        raise HomelabError(f"{ref} has no key {', '.join(missing_remove)} to remove in {store.label}")
    kept = [k for k in entry.data if k not in values and k not in remove]
    reasons = []
    if new_scope != entry.scope:
        reasons.append(f"its scope changes from {entry.scope} to {new_scope}")
    if entry.certificate != fingerprint:
        reasons.append("it was sealed with another certificate")
    if kept and reasons:
        raise HomelabError(
            f"{ref}: {' and '.join(reasons)}, so every key must be resealed; also give values for: {', '.join(kept)}"
        )
    label = label_for(new_scope, namespace, name)
    for key, value in values.items():
        entry.data[key] = seal(cert.public_key, value, label)
    for key in remove:
        del entry.data[key]
    entry.scope = new_scope
    entry.certificate = fingerprint
    if entry.data:
        store.entries[entry.ref] = entry
    else:
        store.entries.pop(entry.ref, None)
    store.save()
    return SealResult(ref=entry.ref, sealed=tuple(sorted(values)), removed=remove, store=store.label)


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


def import_manifests(
    lab: Homelab, paths: Iterable[Path], *, cluster: str | None = None, replace: bool = False
) -> list[str]:
    """Copy the ciphertexts of SealedSecret manifests into the stores, without resealing.

    Each manifest goes to ``cluster``'s store or, when not given, to the cluster named by the
    ``overlays/<cluster>/`` directory it lies in. They are recorded as sealed with the cluster's
    current certificate. An entry that exists with other ciphertexts is kept unless ``replace``.
    """
    clusters = {d.cluster.name for d in lab.clusters}
    stores: dict[str, tuple[SealedStore, str]] = {}
    imported: list[str] = []
    found = False
    for path in paths:
        if not path.exists():
            raise HomelabError(f"{path}: no such file or directory")
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
            store, fingerprint = stores[target]
            meta = doc.get("metadata") or {}
            namespace, name = meta.get("namespace"), meta.get("name")
            data = (doc.get("spec") or {}).get("encryptedData")
            if not namespace or not name or not isinstance(data, dict):
                raise HomelabError(
                    f"{file}: SealedSecret {name!r} needs metadata.namespace, metadata.name and spec.encryptedData"
                )
            entry = SealedEntry(
                namespace=str(namespace),
                name=str(name),
                scope=scope_of(meta.get("annotations")),
                certificate=fingerprint,
                data={str(k): str(v) for k, v in data.items()},
            )
            old = store.entries.get(entry.ref)
            if old is not None and (old.data, old.scope) != (entry.data, entry.scope) and not replace:
                raise HomelabError(
                    f"{file}: {entry.ref} is already in {store.label} with other values; "
                    "pass --replace to overwrite it, or remove it first"
                )
            store.entries[entry.ref] = entry
            imported.append(f"{target}: {entry.ref} ({', '.join(sorted(entry.data))}) from {file}")
    if not found:
        raise HomelabError("no SealedSecret found in " + ", ".join(str(p) for p in paths))
    for store, _ in stores.values():
        store.save()
    return imported


def record_cert(lab: Homelab, cluster_name: str, pem_path: Path) -> tuple[Path, list[str]]:
    """Store ``pem_path`` as the cluster's certificate; return its path and the secrets now needing a reseal."""
    cluster = lab.plan(cluster_name).cluster
    cert = parse_certificate(pem_path.read_bytes(), source=str(pem_path))
    target = lab.cert_path(cluster)
    safe_fs.atomic_write(target, cert.pem)
    store = SealedStore.load(cluster=cluster.name, path=lab.store_path(cluster), fingerprint=cert.fingerprint)
    stale = sorted(ref for ref, e in store.entries.items() if e.certificate != cert.fingerprint)
    return target, stale
