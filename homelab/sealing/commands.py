"""What ``homelab seal``, ``homelab seal import`` and ``homelab cert`` do, apart from argument parsing.

Plaintext only ever lives in memory here: it is never printed, logged, written or put into an
exception message; nor is an argument that may hold it by mistake (a bad key, cluster, secret name or
path is named by its position, see :data:`NOT_SHOWN`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from constructs_lib.sealed_config import SCOPES, Scope
from homelab import safe_fs
from homelab.cluster import Cluster
from homelab.errors import HomelabError
from homelab.homelab import Homelab
from homelab.sealing.cert import Certificate, load_certificate, parse_certificate
from homelab.sealing.crypto import label_for, scope_of, seal
from homelab.sealing.store import (
    MissingSeal,
    MissingSeals,
    SealedEntry,
    SealedStore,
    check_ciphertexts,
    is_kubernetes_name,
    is_secret_key,
)

NOT_SHOWN = "not shown: it may be a secret"
_KEY_RULE = "a key is letters, digits, '-', '_' and '.'"
_NAMED = {"=": "'='", ":": "':'", " ": "a space", "\t": "a tab", "\n": "a line break", '"': "a quote", "'": "a quote"}


def check_key(key: str, what: str, fix: str = "") -> str:
    """``key`` if it is a Secret key; else an error naming ``what`` was wrong, never the key itself
    (``PASSWORD=hunter2`` given where a key belongs holds a value), and ``fix``."""
    if is_secret_key(key):
        return key
    bad = next((c for c in key if not is_secret_key(c)), None)
    if not key:
        problem = "it is empty"
    elif bad is None:
        problem = "it is longer than 253 characters"
    else:
        problem = f"it contains {_NAMED.get(bad, 'another character')}"
    raise HomelabError(f"{what} is not a valid Secret key ({problem}; {_KEY_RULE}; {NOT_SHOWN}){fix and '; ' + fix}")


def looks_like_a_value(argument: str) -> bool:
    """A ``KEY=VALUE`` given where a name was expected: never to be echoed."""
    return "=" in argument


def parse_ref(ref: str) -> tuple[str, str]:
    """``NAMESPACE/NAME`` as (namespace, name); refused without being repeated (it may hold a value)."""
    if looks_like_a_value(ref):
        raise HomelabError(
            f"the NAMESPACE/NAME argument looks like KEY=VALUE ({NOT_SHOWN}); "
            "name the secret first: homelab seal CLUSTER NAMESPACE/NAME --stdin KEY"
        )
    namespace, sep, name = ref.partition("/")
    if not sep or not is_kubernetes_name(namespace, namespace=True) or not is_kubernetes_name(name):
        raise HomelabError(
            f"the NAMESPACE/NAME argument is not a secret's namespace and name ({NOT_SHOWN}): name the secret as "
            "NAMESPACE/NAME, both lower-case letters, digits and '-' (the name may also hold '.'), "
            "e.g. velero/credentials-velero"
        )
    return namespace, name


def cluster_named(lab: Homelab, name: str, what: str = "the CLUSTER argument") -> Cluster:
    """The cluster ``name``; when there is none, an error that does not repeat ``name`` (it may hold a value)."""
    try:
        return lab.plan(name).cluster
    except HomelabError:
        names = ", ".join(p.cluster.name for p in lab.clusters)
        raise HomelabError(f"{what} names no cluster of this homelab ({NOT_SHOWN}); clusters are: {names}") from None


def read_given(path: str, what: str) -> bytes:
    """The bytes of the file a user named; a path that is no file is not repeated (it may be a value)."""
    if not Path(path).is_file():
        raise HomelabError(f"{what}: no file at the path given ({NOT_SHOWN}); give the path of an existing file")
    return Path(path).read_bytes()


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
            raise HomelabError(f"{source}:{n}: expected KEY=VALUE (the line is {NOT_SHOWN})")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[check_key(key.strip(), f"{source}:{n}: the part before '='", "write KEY=VALUE lines")] = value.encode()
    return out


def _store(lab: Homelab, cluster_name: str) -> tuple[SealedStore, Certificate]:
    """The cluster's store, and its current certificate (required for sealing)."""
    cluster = cluster_named(lab, cluster_name)
    store = lab.sealed_store(cluster)
    if store.fingerprint is None:
        raise HomelabError(
            f"cluster {cluster_name!r} has no certificate at {lab.cert_path(cluster).relative_to(lab.root)}; record it "
            f"with `python -m homelab cert {cluster_name} cert.pem` (from `kubeseal --fetch-cert`)"
        )
    return store, load_certificate(lab.cert_path(cluster))


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
    into: tuple[SealedStore, Certificate] | None = None,
) -> SealResult:
    """(Re)seal ``values`` of secret ``ref``; other keys keep their ciphertext byte for byte.

    The store is written, unless it is given (``into``, with its certificate): its caller writes it."""
    namespace, name = parse_ref(ref)
    remove = tuple(remove)
    for n, key in enumerate(values, 1):
        check_key(key, f"key {n} of the values given")
    for n, key in enumerate(remove, 1):
        check_key(key, f"--remove argument {n}", "give the key alone, e.g. --remove PASSWORD")
    if not values and not remove:
        raise HomelabError("nothing to do: give KEY=VALUE, --from-file, --from-env-file, --stdin KEY or --remove KEY")
    both = sorted(set(values) & set(remove))
    if both:
        raise HomelabError(f"{', '.join(both)}: both given a value and --remove; choose one")
    store, cert = into or _store(lab, cluster_name)
    fingerprint = cert.fingerprint
    entry = store.entries.get(f"{namespace}/{name}")
    if entry is None:
        entry = SealedEntry(namespace=namespace, name=name, scope=scope or "strict", certificate=fingerprint)
    new_scope: Scope = scope or entry.scope
    if scope is not None and scope not in SCOPES:
        raise HomelabError(f"--scope {scope!r}: use one of {', '.join(SCOPES)}")
    missing_remove = [str(n) for n, k in enumerate(remove, 1) if k not in entry.data]
    if missing_remove:  # named by position: a key mistyped for a value must not be echoed
        which = "--remove" if len(remove) == 1 else f"--remove argument {', '.join(missing_remove)}"
        raise HomelabError(
            f"{which}: no such key in {entry.ref} (keys: {', '.join(sorted(entry.data)) or 'none'}; "
            f"the argument is {NOT_SHOWN}); nothing was changed in {store.label}"
        )
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
    if into is None:
        store.save()
    return SealResult(ref=entry.ref, sealed=tuple(sorted(values)), removed=remove, store=store.label)


def missing_values(lab: Homelab, cluster_name: str) -> list[MissingSeal]:
    """What the declaration needs sealed for the cluster and its store lacks (a synth of it, nothing
    written); first, that the cluster has the certificate sealing needs."""
    from homelab.engine.pipeline import synthesise

    _store(lab, cluster_name)
    try:
        synthesise(lab, clusters=[cluster_name])
    except MissingSeals as exc:
        return sorted(m for m in exc.missing if m.cluster == cluster_name)
    return []


def seal_all(
    lab: Homelab, cluster_name: str, values: Mapping[str, tuple[Scope, Mapping[str, bytes]]]
) -> list[SealResult]:
    """Seal the values of several secrets (by ref: their scope and values) in one write of the store."""
    into = _store(lab, cluster_name)
    results = [seal_values(lab, cluster_name, ref, v, scope=scope, into=into) for ref, (scope, v) in values.items()]
    into[0].save()
    return results


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
    if cluster is not None:
        cluster_named(lab, cluster, "--cluster")
    clusters = {d.cluster.name for d in lab.clusters}
    stores: dict[str, tuple[SealedStore, Certificate]] = {}
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
                data = check_ciphertexts(
                    (doc.get("spec") or {}).get("encryptedData"), rsa_bytes=cert.public_key.key_size // 8
                )
            except ValueError as exc:
                raise HomelabError(f"{file}: SealedSecret {namespace}/{name}: {exc}") from None
            entry = SealedEntry(
                namespace=str(namespace),
                name=str(name),
                scope=scope_of(meta.get("annotations")),
                certificate=cert.fingerprint,
                data=dict(data),
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
    cluster = cluster_named(lab, cluster_name)
    cert = parse_certificate(read_given(str(pem_path), "the PEM argument"), source=str(pem_path))
    store = SealedStore.load(
        cluster=cluster.name,
        path=lab.store_path(cluster),
        fingerprint=cert.fingerprint,
        label=lab.store_path(cluster).relative_to(lab.root).as_posix(),
        rsa_bytes=cert.public_key.key_size // 8,
    )
    target = lab.cert_path(cluster)
    safe_fs.atomic_write(target, cert.pem)  # after reading the store: a damaged one stops before any change
    stale = sorted(ref for ref, e in store.entries.items() if e.certificate != cert.fingerprint)
    return target, stale
