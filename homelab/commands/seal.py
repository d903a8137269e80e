"""``homelab seal CLUSTER NAMESPACE/NAME ...``: seal values into a cluster's sealed store; ``--list`` its
entries; ``--missing``: ask for every value the declaration needs and the store lacks.

Plaintext only ever lives in memory here: it is never printed, logged, written or put into an exception
message; nor is an argument that may hold it by mistake (see :mod:`homelab.commands.secret_args`).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from constructs_lib.sealed_config import SEALING_SCOPES, SealingScope
from homelab import safe_fs
from homelab.commands.secret_args import (
    NOT_SHOWN,
    check_key,
    cluster_named,
    looks_like_a_value,
    parse_env_file,
    parse_ref,
    read_given,
    read_stdin,
    shown_argument,
)
from homelab.declaration import load_homelab
from homelab.engine.pipeline import synthesise
from homelab.errors import HomelabError
from homelab.model.homelab import Homelab
from homelab.sealing.cert import Certificate, load_certificate
from homelab.sealing.crypto import label_for, seal
from homelab.sealing.missing import MissingSeal, MissingSeals
from homelab.sealing.store import SealedStore
from homelab.sealing.store_format import UNKNOWN_CERTIFICATE, SealedEntry


@dataclass(frozen=True)
class SealOptions:
    homelab: str | None
    """The declaration as MODULE:ATTRIBUTE (`--homelab`); the repository's `[tool.homelab]` when None."""
    cluster: str
    secret: str | None
    """``NAMESPACE/NAME`` of the SealedConfig."""
    values: list[str]
    """``KEY=VALUE`` arguments, as given."""
    from_env_files: list[str]
    from_files: list[str]
    """``KEY=PATH`` arguments, as given."""
    stdin_key: str | None
    allow_empty: bool
    list_entries: bool
    missing: bool
    scope: SealingScope | None
    remove: list[str]

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> SealOptions:
        return cls(
            homelab=args.homelab,
            cluster=args.cluster,
            secret=args.secret,
            values=args.values,
            from_env_files=args.from_env_file or [],
            from_files=args.from_file or [],
            stdin_key=args.stdin,
            allow_empty=args.allow_empty,
            list_entries=args.list,
            missing=args.missing,
            scope=args.scope,
            remove=args.remove or [],
        )


def run(options: SealOptions) -> int:
    for position, argument in (("CLUSTER", options.cluster), ("NAMESPACE/NAME", options.secret or "")):
        if looks_like_a_value(argument):
            raise HomelabError(
                f"the {position} argument looks like KEY=VALUE ({NOT_SHOWN}); "
                "the order is: homelab seal CLUSTER NAMESPACE/NAME --stdin KEY"
            )
    lab = load_homelab(options.homelab)
    cluster_named(lab, options.cluster)  # before a value is asked for
    if options.list_entries:
        return _list_sealed(lab, options.cluster)
    if options.missing:
        return _seal_missing(lab, options)
    if not options.secret:
        raise HomelabError("name the secret: homelab seal CLUSTER NAMESPACE/NAME --stdin KEY (or --list, --missing)")
    parse_ref(options.secret)
    values = _given_values(options)
    empty = sorted(k for k, v in values.items() if not v)
    if empty and not options.allow_empty:
        raise HomelabError(
            f"{', '.join(empty)}: empty value; nothing was sealed. Give the value, or --allow-empty if empty is meant"
        )
    with safe_fs.repository_lock(lab.root, "homelab seal"):
        result = seal_values(lab, options.cluster, options.secret, values, scope=options.scope, remove=options.remove)
    done = [f"sealed {', '.join(result.sealed)}"] if result.sealed else []
    if result.removed:
        done.append(f"removed {', '.join(result.removed)}")
    print(f"{result.ref}: {'; '.join(done)} in {result.store}. Run `homelab synth` next.")
    return 0


def _given_values(options: SealOptions) -> dict[str, bytes]:
    """The values to seal, by key: from the command line, env files, files and standard input."""
    values: dict[str, bytes] = {}

    def put(key: str, value: bytes, source: str) -> None:
        if key in values:
            raise HomelabError(f"{key}: given twice ({source}); give each key once")
        values[key] = value

    for n, item in enumerate(options.values, 1):
        if item.startswith("-"):  # argparse takes `--opt=a b` (a space after '=') for a positional
            raise HomelabError(f"unknown option {shown_argument(item)}; see `homelab seal --help`")
        key, sep, value = item.partition("=")
        if not sep:
            raise HomelabError(f"value argument {n} is not KEY=VALUE ({NOT_SHOWN})")
        put(check_key(key, f"the part before '=' of value argument {n}"), value.encode(), "on the command line")
    for n, env_file in enumerate(options.from_env_files, 1):
        try:
            text = read_given(env_file, f"--from-env-file argument {n}").decode()
        except UnicodeDecodeError:
            raise HomelabError(f"{env_file}: not UTF-8 text; seal a binary file with --from-file KEY=PATH") from None
        for key, data in parse_env_file(text, env_file).items():
            put(key, data, env_file)
    for n, item in enumerate(options.from_files, 1):
        key, sep, path = item.partition("=")
        what = f"--from-file argument {n}"
        if not sep:
            raise HomelabError(f"{what} is not KEY=PATH ({NOT_SHOWN}), e.g. password=./password.txt")
        check_key(key, f"the part before '=' of {what}", "give KEY=PATH, e.g. --from-file password=./password.txt")
        put(key, read_given(path, f"{what} (KEY=PATH)"), path)
    if options.stdin_key is not None:
        check_key(
            options.stdin_key,
            "the --stdin argument",
            "give the key alone, e.g. --stdin PASSWORD, and type the value at the prompt (or pipe it in)",
        )
        put(options.stdin_key, read_stdin(options.stdin_key), "stdin")
    return values


def _seal_missing(lab: Homelab, options: SealOptions) -> int:
    """``homelab seal CLUSTER --missing``: ask for each value not sealed yet, without echo, then seal
    them all in one write of the store (an interrupted run writes nothing)."""
    others = [
        options.secret,
        options.values,
        options.from_env_files,
        options.from_files,
        options.stdin_key,
        options.remove,
        options.scope,
    ]
    if any(others):
        raise HomelabError(
            "--missing asks for the values itself: give the cluster alone, homelab seal CLUSTER --missing"
        )
    missing = missing_values(lab, options.cluster)
    if not missing:
        print(f"{options.cluster}: every sealed value the declaration needs is sealed")
        return 0
    if not sys.stdin.isatty():
        raise HomelabError(
            "--missing asks for each value at a terminal, without echo, and standard input is not one; "
            "seal each value with its own command instead (it reads the value from standard input):\n"
            + "\n".join(f"  {m.command}" for m in missing)
        )
    print(
        f"{len(missing)} value(s) to seal for cluster {options.cluster}; nothing is written until all are given",
        file=sys.stderr,
    )
    values: dict[str, tuple[SealingScope, dict[str, bytes]]] = {}
    for m in missing:
        try:
            value = getpass.getpass(f"{m.ref} {m.key} (not echoed): ").encode()
        except EOFError:
            raise HomelabError("the input ended before every value was given; nothing was sealed") from None
        if not value and not options.allow_empty:
            raise HomelabError(
                f"{m.ref} {m.key}: empty value; nothing was sealed. Run again, with --allow-empty if empty is meant"
            )
        values.setdefault(m.ref, (m.scope, {}))[1][m.key] = value
    with safe_fs.repository_lock(lab.root, "homelab seal"):
        results = seal_all(lab, options.cluster, values)
    for result in results:
        print(f"{result.ref}: sealed {', '.join(result.sealed)} in {result.store}.")
    print("Run `homelab synth` next.")
    return 0


def _list_sealed(lab: Homelab, cluster: str) -> int:
    """``homelab seal CLUSTER --list``: every entry of the cluster's store, and whether a SealedConfig uses it."""
    store = lab.sealed_store(lab.plan(cluster).cluster)
    synthesise(lab, clusters=[cluster], stores={cluster: _UseRecorder(store)})
    print(f"{store.label}: {len(store.entries)} sealed secret(s)")
    for ref in sorted(store.entries):
        e = store.entries[ref]
        status = "used" if ref in store.used else "ORPHANED: no SealedConfig uses it"
        print(f"  {ref} ({e.scope}; {', '.join(sorted(e.data))}): {status}")
    return 0


class _UseRecorder:
    """A sealed store that answers every lookup (a listing must not stop at a missing value) and records it."""

    def __init__(self, store: SealedStore) -> None:
        self.store = store

    def sealed_values(self, *, namespace: str, name: str, sealing_scope: Any, keys: tuple[str, ...]) -> dict[str, str]:
        self.store.used.add(f"{namespace}/{name}")
        return {k: "" for k in keys}


def sealing_store(lab: Homelab, cluster_name: str) -> tuple[SealedStore, Certificate]:
    """The cluster's store, and its current certificate (required for sealing)."""
    cluster = cluster_named(lab, cluster_name)
    store = lab.sealed_store(cluster)
    if store.fingerprint is None:
        path = lab.cert_path(cluster).relative_to(lab.root)
        copied = store.copied()
        kept = (
            f" (the {len(copied)} secret(s) {store.label} holds were copied with no certificate, as they were "
            "sealed: they stay valid; sealing a new value needs the certificate)"
            if copied
            else ""
        )
        raise HomelabError(
            f"cluster {cluster_name!r} has no certificate at {path}{kept}; fetch it from the cluster with "
            f"`kubeseal --fetch-cert > {path}` and record it with `python -m homelab cert {cluster_name} {path}`"
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
    scope: SealingScope | None = None,
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
    store, cert = into or sealing_store(lab, cluster_name)
    fingerprint = cert.fingerprint
    entry = store.entries.get(f"{namespace}/{name}")
    if entry is None:
        entry = SealedEntry(namespace=namespace, name=name, scope=scope or "strict", certificate=fingerprint)
    new_scope: SealingScope = scope or entry.scope
    if scope is not None and scope not in SEALING_SCOPES:
        raise HomelabError(f"--scope {scope!r}: use one of {', '.join(SEALING_SCOPES)}")
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
    if entry.certificate == UNKNOWN_CERTIFICATE:
        reasons.append(
            f"the certificate it was sealed with is not recorded (`homelab cert {cluster_name} PEM` records it)"
        )
    elif entry.certificate != fingerprint:
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
    sealing_store(lab, cluster_name)
    try:
        synthesise(lab, clusters=[cluster_name])
    except MissingSeals as exc:
        return sorted(m for m in exc.missing if m.cluster == cluster_name)
    return []


def seal_all(
    lab: Homelab, cluster_name: str, values: Mapping[str, tuple[SealingScope, Mapping[str, bytes]]]
) -> list[SealResult]:
    """Seal the values of several secrets (by ref: their scope and values) in one write of the store."""
    into = sealing_store(lab, cluster_name)
    results = [seal_values(lab, cluster_name, ref, v, scope=scope, into=into) for ref, (scope, v) in values.items()]
    into[0].save()
    return results
