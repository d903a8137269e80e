"""``homelab import TREE --repo URL [--into DIR]``: a hand-written Argo CD + kustomize tree becomes a homelab.

Read (:mod:`homelab.importing.read`) → recognise (:mod:`homelab.importing.claims`) → arrange
(:mod:`homelab.importing.clusters`, :mod:`homelab.importing.arrange`, :mod:`homelab.importing.modules`) →
write (:mod:`homelab.importing.write`, with ``homelab init``'s repository around it) → prove
(:mod:`homelab.importing.prove`). TREE is only read; DIR must be new or empty.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from homelab.commands import init
from homelab.engine.layout import repo_path
from homelab.errors import HomelabError
from homelab.importing.arrange import Arranger
from homelab.importing.carried import copy_carried
from homelab.importing.clusters import cluster_facts, settle, tree_prefix
from homelab.importing.layout_map import map_layout
from homelab.importing.modules import Modules, modules
from homelab.importing.prove import compare, report_lines, synthesise
from homelab.importing.read import offline_copy, read_tree
from homelab.importing.schemas import keep_schemas
from homelab.importing.write import app_source, cluster_source, init_source
from homelab.sealing.cert import Certificate, load_certificate
from homelab.sealing.store import SealedStore
from homelab.sealing.store_format import copied_entry
from homelab.validate.schema_cache import REPOSITORY_SCHEMAS
from homelab.validate.tree import Tree

#: homelab init's files the import writes itself (its example app and cluster module).
_OWN = ("clusters/",)


@dataclass(frozen=True)
class ImportOptions:
    """What to import and where."""

    tree: Path
    repo: str
    into: Path | None = None
    """The new repository; default ``<TREE>-homelab`` beside TREE."""
    cluster_roots: tuple[str, ...] = ()
    certs: dict[str, Path] = field(default_factory=dict)
    """Cluster → its sealing certificate (PEM): its SealedSecrets go into its sealed store."""
    homelab_source: str | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ImportOptions:
        certs = {}
        for given in args.cert or ():
            cluster, sep, path = given.partition("=")
            if not sep or not cluster or not path:
                raise HomelabError(f"--cert {given!r}: expected CLUSTER=PEM, e.g. --cert home=cert.pem")
            certs[cluster] = Path(path)
        return cls(
            tree=Path(args.tree),
            repo=args.repo,
            into=Path(args.into) if args.into else None,
            cluster_roots=tuple(args.cluster_root or ()),
            certs=certs,
            homelab_source=args.homelab_source,
        )

    @property
    def directory(self) -> Path:
        return (
            self.into if self.into is not None else self.tree.resolve().parent / f"{self.tree.resolve().name}-homelab"
        )


def check(options: ImportOptions) -> None:
    """Refuse what would lose or overwrite anything, before reading the tree."""
    tree, into = options.tree, options.directory
    if not tree.is_dir():
        raise HomelabError(
            f"{tree}: no such directory; give the hand-written tree (the folder holding the apps and the cluster roots)"
        )
    if into.resolve() == tree.resolve() or tree.resolve() in into.resolve().parents:
        raise HomelabError(
            f"{into} is inside {tree}: homelab import never writes into the tree it reads; give --into a directory beside it"
        )
    if into.exists() and (not into.is_dir() or any(into.iterdir())):
        raise HomelabError(
            f"{into} exists and is not empty: homelab import writes a new repository into a new or empty directory (--into)"
        )
    for cluster, pem in options.certs.items():
        if not pem.is_file():
            raise HomelabError(f"--cert {cluster}={pem}: no such file; fetch it with `kubeseal --fetch-cert > {pem}`")


def run(options: ImportOptions) -> int:
    check(options)
    with tempfile.TemporaryDirectory(prefix="homelab-import-") as scratch:
        remote = offline_copy(options.tree, Path(scratch, "tree"))
        tree = Tree(Path(scratch, "tree"))  # built once: for reading, then for the proof
        source = read_tree(tree, [options.repo], options.cluster_roots, remote, options.tree)
        source.tree = options.tree
        prefix = tree_prefix(source)
        layout = map_layout(tree, source, prefix)
        facts = cluster_facts(source, prefix, options.repo)
        for f in facts.values():
            settle(f, source, prefix)
        certs = {c: load_certificate(p) for c, p in options.certs.items()}
        arranged = modules(source, facts, Arranger(), prefix, layout)
        root = options.directory
        written = write(options, arranged, certs)
        written += copy_carried(options.tree, repo_root := options.directory / prefix, layout.carried)
        synthesise(root)
        schemas, unknown = keep_schemas(root / "dist", root)
        written += schemas
        fixes = {k: v for m in arranged.apps for k, v in m.built.fixes.items()}
        fixes.update({k: v for c in arranged.clusters for k, v in c.objects.fixes.items()})
        fixes.update(layout.fixes)
        proof = compare(
            options.tree,
            tree,
            remote,
            root / "dist" / prefix,
            arranged.paths,
            fixes,
            repos=[options.repo, *(str(c.cluster.get("repo_url")) for c in arranged.clusters)],
            prefix=prefix,
            new_prefix=repo_path("dist", prefix),
            given_roots=options.cluster_roots,
            carried=layout.carried,
            carried_root=repo_root,
        )
    constructs = {k: v for m in [*arranged.apps] for k, v in m.built.constructs.items()}
    constructs.update({k: v for c in arranged.clusters for k, v in c.objects.constructs.items()})
    for line in report_lines(proof, constructs):
        print(line)
    for where, line in arranged.notes:
        print(f"note: {where}: {line}")
    for note in proof.notes:
        print(f"note: {note}")
    if schemas:
        print(
            f"note: {REPOSITORY_SCHEMAS}/: the schemas of {len(schemas)} custom resource kind(s), for validate offline"
        )
    for kind in unknown:
        print(
            f"note: {kind}: no schema at hand (offline?): the new repository's validate fails offline until it is "
            f"fetched once online, or put in {REPOSITORY_SCHEMAS}/<group>/<kind>_<version>.json"
        )
    for where, line in arranged.warnings:
        print(f"WARNING: {where}: {line}", file=sys.stderr)
    same, total = proof.counts
    typed = sum(m.built.typed for m in arranged.apps) + sum(c.objects.typed for c in arranged.clusters)
    count = sum(m.built.total for m in arranged.apps) + sum(c.objects.total for c in arranged.clusters)
    share = 100 * typed / count if count else 100.0
    print(f"typed: {typed}/{count} objects ({share:.0f} %) expressed by typed constructs, the rest as api_object")
    print(f"proof: {same}/{total} objects of the original identical after re-rendering (Application paths aside)")
    for line in layout.unproven:
        print(f"not proven: {line}")
    if arranged.warnings:
        print(
            f"WARNING: {len(arranged.warnings)} plain Secret(s) imported in clear (listed on stderr, each marked in "
            "the Python with its `homelab seal` command): seal them before pushing the repository"
        )
    print(f"{root}: {len(written)} files; next: cd {root} && ./dev test, then read its README")
    return 0 if proof.ok and not layout.unproven else 1


def write(options: ImportOptions, arranged: Modules, certs: Mapping[str, Certificate]) -> list[str]:
    """Write the repository: homelab init's files, the modules, certificates and sealed stores."""
    first = arranged.clusters[0]
    init_options = init.InitOptions(
        directory=options.directory,
        cluster=first.name,
        repo=str(first.cluster.get("repo_url", options.repo)),
        revision=str(first.cluster.get("revision", "main")),
        homelab_source=options.homelab_source,
    )
    options.directory.mkdir(parents=True, exist_ok=True)
    root = options.directory
    written = init.write_repository(init_options, skip=_OWN)
    files = {f"clusters/apps/{m.module}.py": app_source(m) for m in arranged.apps}
    files["clusters/apps/__init__.py"] = '"""The apps, one module each, imported by `homelab import`."""\n'
    files.update({f"clusters/{c.module}.py": cluster_source(c) for c in arranged.clusters})
    files["clusters/__init__.py"] = init_source(arranged.clusters, arranged.core, arranged.homelab)
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as f:
            f.write(text)
    written += list(files)
    with open(root / "pyproject.toml", "a", encoding="utf-8") as f:
        f.write('\n[tool.ruff]\nline-length = 120\n\n[tool.ruff.lint.isort]\nknown-first-party = ["clusters"]\n')
    written += _sealing(options, arranged, certs)
    with open(root / "README.md", "a", encoding="utf-8") as f:
        f.write(_readme(options, arranged, certs))
    _format(root, [p for p in written if p.endswith(".py")])
    init.git_init(root, init_options.revision)
    return written


def _sealing(options: ImportOptions, arranged: Modules, certs: Mapping[str, Certificate]) -> list[str]:
    """Each cluster's sealed store (the SealedSecrets' ciphertexts as they are) and certificate, if given.

    Without a certificate the ciphertexts are recorded as sealed with one not known: they render as they
    are; sealing new values needs the certificate (``kubeseal --fetch-cert``, then ``homelab cert``)."""
    written = []
    for cluster, pem in options.certs.items():
        target = options.directory / "clusters" / "certs" / f"{cluster}.pem"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pem, target)
        written.append(target.relative_to(options.directory).as_posix())
    for cluster in dict.fromkeys(c.name for c in arranged.clusters):
        entries = [e for m in arranged.apps for e in m.built.sealed.get(cluster, [])]
        entries += [e for c in arranged.clusters for e in c.objects.sealed.get(cluster, [])]
        if not entries:
            continue
        cert = certs.get(cluster)
        path = options.directory / "clusters" / "sealed" / f"{cluster}.yaml"
        store = SealedStore(cluster=cluster, path=path, fingerprint=cert.fingerprint if cert else None)
        for e in entries:
            known = (cert.fingerprint, cert.public_key.key_size // 8) if cert else None
            try:
                entry = copied_entry(e.namespace, e.name, e.scope, dict(e.encrypted), known)
            except ValueError as exc:
                given = f": was it sealed with the certificate given with --cert {cluster}?" if cert else ""
                raise HomelabError(f"SealedSecret {e.namespace}/{e.name}: {exc}{given}") from None
            store.entries[entry.ref] = entry
        path.parent.mkdir(parents=True, exist_ok=True)
        store.save()
        written.append(path.relative_to(options.directory).as_posix())
    return written


def _readme(options: ImportOptions, arranged: Modules, certs: Mapping[str, Certificate]) -> str:
    """The README's section on what the import left to do: certificates to fetch, plain Secrets to seal."""
    lines = [
        "",
        "## Imported by `homelab import`",
        "",
        f"From the tree `{options.tree.resolve().name}/`; review the notes it printed.",
    ]
    for cluster in dict.fromkeys(c.name for c in arranged.clusters):
        count = sum(len(m.built.sealed.get(cluster, [])) for m in [*arranged.apps]) + sum(
            len(c.objects.sealed.get(cluster, [])) for c in arranged.clusters
        )
        if count and cluster not in certs:
            cert = f"clusters/certs/{cluster}.pem"
            lines += [
                "",
                f"- `clusters/sealed/{cluster}.yaml` holds the ciphertexts of {count} SealedSecret(s) as they were "
                "(valid, never decrypted). Sealing a new value needs the cluster's certificate: "
                f"`kubeseal --fetch-cert > {cert} && .venv/bin/homelab cert {cluster} {cert}` "
                "(`homelab bootstrap` says so too).",
            ]
    if arranged.warnings:
        lines += [
            "",
            f"- {len(arranged.warnings)} plain Secret(s) were imported in clear, each marked `# WARNING` in the "
            "Python with the `homelab seal` commands that seal it: seal them before pushing.",
        ]
    return "\n".join(lines) + "\n"


def _format(root: Path, paths: list[str]) -> None:
    """``ruff`` sorts the imports and formats the Python written (the layout is already ruff's; this makes it so)."""
    ruff = [sys.executable, "-m", "ruff"]
    for args in (
        ["check", "--fix", "--select", "I,F401", "--quiet", "--no-cache"],
        ["format", "--quiet", "--no-cache"],
    ):
        subprocess.run([*ruff, *args, *paths], cwd=root, capture_output=True, check=False)
