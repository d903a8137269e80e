"""``python -m homelab``: synthesise, check, seal and validate the homelab."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from constructs_lib._internal.node_runtime import ensure_jsii_node
from homelab import safe_fs, user_errors, writer
from homelab.errors import HomelabError
from homelab.origin import UNKNOWN, module_file
from homelab.project import DEFAULT_DECLARATION, find_settings, with_output
from homelab.project import repository_root as _repository_root

if TYPE_CHECKING:
    from constructs_lib.sealed_config import Scope
    from homelab.engine.pipeline import Synthesis
    from homelab.homelab import Homelab
    from homelab.sealing.store import SealedStore

DEFAULT_HOMELAB = DEFAULT_DECLARATION


def load_homelab(spec: str | None = None) -> Homelab:
    """Import ``module:attribute`` (default: the repository's ``[tool.homelab] declaration``) and return the
    :class:`Homelab` it names (or that calling it returns), with the output ``[tool.homelab]`` gives."""
    settings = find_settings(Path.cwd())
    given = f"--homelab {spec!r}" if spec or settings.file is None else f"{settings.file}: [tool.homelab] declaration"
    spec = spec or settings.declaration
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise HomelabError(f"{given} = {spec!r}: expected MODULE:ATTRIBUTE, e.g. {DEFAULT_HOMELAB}")
    for directory in (Path.cwd(), settings.directory, _repository_root(Path.cwd())):
        if directory is not None and str(directory) not in sys.path:
            sys.path.insert(0, str(directory))
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is None or not module_name.startswith(exc.name):
            raise  # the declaration itself imports something missing: reported with its file and line
        raise HomelabError(
            f"{given} = {spec!r}: cannot import {module_name} ({exc}); run inside the repository, "
            "or (validate) give --tree DIR --repo URL to check a tree without a homelab declaration"
        ) from None
    except HomelabError as exc:  # raised by the declaration's own code: told at its line
        raise HomelabError(user_errors.describe(exc)) from exc
    from homelab.homelab import Homelab

    lab = getattr(module, attr, None)
    if callable(lab) and not isinstance(lab, Homelab):
        try:
            lab = lab()
        except HomelabError as exc:
            raise HomelabError(user_errors.describe(exc)) from exc
    if not isinstance(lab, Homelab):
        raise HomelabError(f"{given} = {spec!r}: {module_name}.{attr} is not a Homelab (nor a function returning one)")
    if lab.declared_in is None and lab.origin == UNKNOWN:  # built by a function: its module declares it
        lab = replace(lab, declared_in=module_file(module_name))
    return with_output(lab, settings)


def _owned_by(clusters: list[str]) -> Callable[[str], bool]:
    marks = [f"/overlays/{name}/" for name in clusters]
    return lambda path: "/base/" in path or any(mark in path for mark in marks)


def cmd_synth(args: argparse.Namespace) -> int:
    # A synth that writes holds the lock from before the declaration is imported until the tree is written,
    # so one that started before a source changed (a module, a file a builder reads) never writes over the
    # tree of one that started after: the lock of the repository the declaration is imported from, then
    # the homelab's own (the same one, usually). --check writes nothing and needs none.
    with contextlib.ExitStack() as locks:
        sources = _repository_root(Path.cwd())
        if sources and not args.check:
            locks.enter_context(safe_fs.repository_lock(sources, "homelab synth"))
        return _synth(args, locks)


def _synth(args: argparse.Namespace, locks: contextlib.ExitStack) -> int:
    from homelab.app_modules import unlisted_apps
    from homelab.engine.pipeline import synthesise

    lab = load_homelab(args.homelab)
    given = args.dist or os.environ.get("CDK8S_OUTDIR") or None
    output = lab.output_dir(given)
    # Messages name the directory as it was given, else relative to the working directory when inside it.
    dist = Path(given) if given else output.relative_to(Path.cwd()) if output.is_relative_to(Path.cwd()) else output
    clusters = args.cluster or None
    if clusters:
        for name in clusters:
            lab.plan(name)
    if not args.check:
        locks.enter_context(safe_fs.repository_lock(lab.root, "homelab synth"))
    synthesis = synthesise(lab, clusters=clusters, tree_in_repo=lab.tree_in_repo(output))
    files = synthesis.files
    _warn_orphans(synthesis)
    for warning in [*unlisted_apps(lab), *synthesis.warnings]:
        print(f"warning: {warning}", file=sys.stderr)
    owns = _owned_by(clusters) if clusters else (lambda _: True)
    if args.check:
        plan = writer.plan(dist, files, owns)
        error = writer.problems(plan, dist)
        for label, paths in (("added", plan.added), ("changed", plan.changed), ("removed", plan.removed)):
            for path in paths:
                print(f"would be {label}: {dist / path}")
        if error:
            print(error, file=sys.stderr)
        if plan.clean:
            print(f"{dist}/ is in sync with the code ({len(plan.result)} files)")
            return 0
        print(f"{dist}/ is out of sync: run `homelab synth` and commit the result", file=sys.stderr)
        return 1
    for note in writer.recover(output):
        print(f"recovered: {note}")
    plan = writer.plan(dist, files, owns)
    if plan.clean:
        print(f"{dist}/: {len(plan.result)} files, unchanged")
        return 0
    writer.write(dist, plan)
    print(
        f"{dist}/: {len(plan.result)} files ({len(plan.added)} added, {len(plan.changed)} changed, "
        f"{len(plan.removed)} removed)"
    )
    return 0


def _warn_orphans(synthesis: Synthesis) -> None:
    """Warn about sealed values no SealedConfig of the rendered clusters uses any more."""
    from homelab.sealing.store import SealedStore

    for cluster, store in synthesis.stores.items():
        if not isinstance(store, SealedStore):
            continue
        for entry in store.orphans():
            keys = " ".join(f"--remove {k}" for k in sorted(entry.data))
            print(
                f"warning: {store.label}: {entry.ref} is sealed but no SealedConfig uses it (renamed or removed?); "
                f"drop it with: homelab seal {cluster} {entry.ref} {keys}",
                file=sys.stderr,
            )


def cmd_bootstrap(args: argparse.Namespace) -> int:
    from homelab import bootstrap
    from homelab.validate.tree import kubectl_path

    lab = load_homelab(args.homelab)
    lab.plan(args.cluster)
    output = lab.output_dir(args.dist)
    b = bootstrap.plan(lab, args.cluster, output)
    if not args.check:
        print(bootstrap.steps(b), end="")
        return 0
    problems = bootstrap.check(b, lab, kubectl_path())
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"bootstrap {args.cluster}: {b.bootstrap_dir} and {b.core_dir} build; Argo CD values match the declaration")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    import tempfile

    from homelab import diff
    from homelab.engine.pipeline import synthesise

    if len(args.revisions) > 2 or (args.tree and len(args.revisions) > 1):
        raise HomelabError("diff takes at most two revisions (one with --tree): homelab diff [REV_A [REV_B]]")
    repo_path = None
    if args.repo_path:
        old, sep, new = args.repo_path.partition("=")
        if not sep or not old or not new:
            raise HomelabError(f"--repo-path {args.repo_path!r}: expected OLD=NEW, e.g. kustomize=dist/kustomize")
        repo_path = (old, new)
    lab = load_homelab(args.homelab)
    for name in args.cluster or []:
        lab.plan(name)
    output = lab.output_dir(None)
    in_repo = lab.tree_in_repo(output)
    with tempfile.TemporaryDirectory(prefix="homelab-diff-") as tmp:
        work = Path(tmp)

        def at(revision: str) -> diff.Side:
            return diff.Side(diff.git_tree(lab.root, revision, in_repo, work / revision.replace("/", "_")), revision)

        def synthesised() -> diff.Side:
            files = synthesise(lab, tree_in_repo=in_repo).files
            root = diff.write_files(files, work / "working") / lab.tree_path
            return diff.Side(root, "working tree (synthesised)", repo_path)

        if args.tree:
            old, new = diff.Side(Path(args.tree), args.tree), synthesised()
        elif len(args.revisions) == 2:
            old, new = at(args.revisions[0]), at(args.revisions[1])
        else:
            old, new = at(args.revisions[0] if args.revisions else "HEAD"), synthesised()
        report = diff.compare(old, new, args.cluster, sealed_by_key=args.sealed == "keys")
    print(report.json() if args.format == "json" else report.text())
    return 1 if report.differences else 0


def _read_stdin(key: str) -> bytes:
    """A value from standard input: without echo at a terminal; exactly one trailing newline dropped."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"{key} (not echoed): ").encode()
    data = sys.stdin.buffer.read()
    return data[:-1] if data.endswith(b"\n") else data


def cmd_seal(args: argparse.Namespace) -> int:
    from homelab.sealing.commands import (
        NOT_SHOWN,
        check_key,
        cluster_named,
        looks_like_a_value,
        parse_env_file,
        parse_ref,
        read_given,
        seal_values,
    )

    for position, argument in (("CLUSTER", args.cluster), ("NAMESPACE/NAME", args.secret or "")):
        if looks_like_a_value(argument):
            raise HomelabError(
                f"the {position} argument looks like KEY=VALUE ({NOT_SHOWN}); "
                "the order is: homelab seal CLUSTER NAMESPACE/NAME --stdin KEY"
            )
    lab = load_homelab(args.homelab)
    cluster_named(lab, args.cluster)  # before a value is asked for
    if args.list:
        return _list_sealed(lab, args.cluster)
    if args.missing:
        return _seal_missing(lab, args)
    if not args.secret:
        raise HomelabError("name the secret: homelab seal CLUSTER NAMESPACE/NAME --stdin KEY (or --list, --missing)")
    parse_ref(args.secret)
    values: dict[str, bytes] = {}

    def put(key: str, value: bytes, source: str) -> None:
        if key in values:
            raise HomelabError(f"{key}: given twice ({source}); give each key once")
        values[key] = value

    for n, item in enumerate(args.values, 1):
        if item.startswith("-"):  # argparse takes `--opt=a b` (a space after '=') for a positional
            raise HomelabError(f"unknown option {shown_argument(item)}; see `homelab seal --help`")
        key, sep, value = item.partition("=")
        if not sep:
            raise HomelabError(f"value argument {n} is not KEY=VALUE ({NOT_SHOWN})")
        put(check_key(key, f"the part before '=' of value argument {n}"), value.encode(), "on the command line")
    for n, env_file in enumerate(args.from_env_file or [], 1):
        try:
            text = read_given(env_file, f"--from-env-file argument {n}").decode()
        except UnicodeDecodeError:
            raise HomelabError(f"{env_file}: not UTF-8 text; seal a binary file with --from-file KEY=PATH") from None
        for key, data in parse_env_file(text, env_file).items():
            put(key, data, env_file)
    for n, item in enumerate(args.from_file or [], 1):
        key, sep, path = item.partition("=")
        what = f"--from-file argument {n}"
        if not sep:
            raise HomelabError(f"{what} is not KEY=PATH ({NOT_SHOWN}), e.g. password=./password.txt")
        check_key(key, f"the part before '=' of {what}", "give KEY=PATH, e.g. --from-file password=./password.txt")
        put(key, read_given(path, f"{what} (KEY=PATH)"), path)
    if args.stdin is not None:
        check_key(
            args.stdin,
            "the --stdin argument",
            "give the key alone, e.g. --stdin PASSWORD, and type the value at the prompt (or pipe it in)",
        )
        put(args.stdin, _read_stdin(args.stdin), "stdin")
    empty = sorted(k for k, v in values.items() if not v)
    if empty and not args.allow_empty:
        raise HomelabError(
            f"{', '.join(empty)}: empty value; nothing was sealed. Give the value, or --allow-empty if empty is meant"
        )
    with safe_fs.repository_lock(lab.root, "homelab seal"):
        result = seal_values(lab, args.cluster, args.secret, values, scope=args.scope, remove=args.remove or ())
    done = [f"sealed {', '.join(result.sealed)}"] if result.sealed else []
    if result.removed:
        done.append(f"removed {', '.join(result.removed)}")
    print(f"{result.ref}: {'; '.join(done)} in {result.store}. Run `homelab synth` next.")
    return 0


def _seal_missing(lab: Homelab, args: argparse.Namespace) -> int:
    """``homelab seal CLUSTER --missing``: ask for each value not sealed yet, without echo, then seal
    them all in one write of the store (an interrupted run writes nothing)."""
    import getpass

    from homelab.sealing.commands import missing_values, seal_all

    others = [args.secret, args.values, args.from_env_file, args.from_file, args.stdin, args.remove, args.scope]
    if any(others):
        raise HomelabError(
            "--missing asks for the values itself: give the cluster alone, homelab seal CLUSTER --missing"
        )
    missing = missing_values(lab, args.cluster)
    if not missing:
        print(f"{args.cluster}: every sealed value the declaration needs is sealed")
        return 0
    if not sys.stdin.isatty():
        raise HomelabError(
            "--missing asks for each value at a terminal, without echo, and standard input is not one; "
            "seal each value with its own command instead (it reads the value from standard input):\n"
            + "\n".join(f"  {m.command}" for m in missing)
        )
    print(
        f"{len(missing)} value(s) to seal for cluster {args.cluster}; nothing is written until all are given",
        file=sys.stderr,
    )
    values: dict[str, tuple[Scope, dict[str, bytes]]] = {}
    for m in missing:
        try:
            value = getpass.getpass(f"{m.ref} {m.key} (not echoed): ").encode()
        except EOFError:
            raise HomelabError("the input ended before every value was given; nothing was sealed") from None
        if not value and not args.allow_empty:
            raise HomelabError(
                f"{m.ref} {m.key}: empty value; nothing was sealed. Run again, with --allow-empty if empty is meant"
            )
        values.setdefault(m.ref, (m.scope, {}))[1][m.key] = value
    with safe_fs.repository_lock(lab.root, "homelab seal"):
        results = seal_all(lab, args.cluster, values)
    for result in results:
        print(f"{result.ref}: sealed {', '.join(result.sealed)} in {result.store}.")
    print("Run `homelab synth` next.")
    return 0


def _list_sealed(lab: Homelab, cluster: str) -> int:
    """``homelab seal CLUSTER --list``: every entry of the cluster's store, and whether a SealedConfig uses it."""
    from homelab.engine.pipeline import synthesise

    store = lab.sealed_store(lab.plan(cluster).cluster)
    synthesise(lab, clusters=[cluster], stores={cluster: _Recording(store)})
    print(f"{store.label}: {len(store.entries)} sealed secret(s)")
    for ref in sorted(store.entries):
        e = store.entries[ref]
        status = "used" if ref in store.used else "ORPHANED: no SealedConfig uses it"
        print(f"  {ref} ({e.scope}; {', '.join(sorted(e.data))}): {status}")
    return 0


class _Recording:
    """A sealed store that answers every lookup (a listing must not stop at a missing value) and records it."""

    def __init__(self, store: SealedStore) -> None:
        self.store = store

    def sealed_values(self, *, namespace: str, name: str, scope: Any, keys: tuple[str, ...]) -> dict[str, str]:
        self.store.used.add(f"{namespace}/{name}")
        return {k: "" for k in keys}


def cmd_seal_import(args: argparse.Namespace) -> int:
    from homelab.sealing.commands import import_manifests

    lab = load_homelab(args.homelab)
    with safe_fs.repository_lock(lab.root, "homelab seal import"):
        lines = import_manifests(lab, [Path(p) for p in args.paths], cluster=args.cluster, replace=args.replace)
    for line in lines:
        print(f"imported {line}")
    return 0


def cmd_cert(args: argparse.Namespace) -> int:
    from homelab.sealing.commands import record_cert

    lab = load_homelab(args.homelab)
    with safe_fs.repository_lock(lab.root, "homelab cert"):
        target, stale = record_cert(lab, args.cluster, Path(args.pem))
    print(f"{args.cluster}: certificate recorded in {target.relative_to(lab.root)}")
    for ref in stale:
        print(f"  reseal {ref}: it was sealed with the previous certificate")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from homelab.commands import init

    return init.run(args)


def cmd_validate(args: argparse.Namespace) -> int:
    from homelab.app_modules import unlisted_apps
    from homelab.validate import ValidateOptions, validate
    from homelab.validate.accept import FILE_NAME as ACCEPT_FILE

    if args.tree and args.repo:
        # A hand-written tree, checked with the facts given here: no homelab declaration needed.
        tree = Path(args.tree)
        root = _repository_root(tree.resolve())
        facts = {
            "repos": set(args.repo),
            "prefix": args.prefix if args.prefix is not None else tree.resolve().name,
            "argocd_namespace": args.argocd_namespace,
            "builtin_storage_classes": {"*": set(args.storage_class or [])},
        }
    else:
        lab = load_homelab(args.homelab)
        for warning in unlisted_apps(lab):
            print(f"warning: {warning}", file=sys.stderr)
        # The acceptances are those of the repository holding the tree (another tree's: its own, or none).
        root = _repository_root(Path(args.tree).resolve()) if args.tree else lab.root
        clusters = {p.cluster.name: p.cluster for p in lab.clusters}
        for name in args.cluster or []:
            lab.plan(name)
        if args.tree:
            tree = Path(args.tree)
            inside = tree.resolve().is_relative_to(lab.root.resolve())
            prefix = tree.resolve().relative_to(lab.root.resolve()).as_posix() if inside else tree.resolve().name
        else:
            output = lab.output_dir(os.environ.get("CDK8S_OUTDIR") or None)
            tree, prefix = output / lab.tree_path, lab.tree_in_repo(output)
        facts = {
            "repos": {c.repo_url for c in clusters.values()} | set(args.repo or []),
            "prefix": prefix if args.prefix is None else args.prefix,
            "argocd_namespace": _one_argocd_namespace(lab, args.cluster),
            "cluster_scoped_kinds": lab.cluster_scoped_kinds,
            "builtin_storage_classes": {
                name: set(c.builtin_storage_classes) | set(args.storage_class or []) for name, c in clusters.items()
            },
        }
    accept_file = Path(args.accept) if args.accept else None
    if accept_file is None and root is not None and (root / ACCEPT_FILE).is_file():
        accept_file = root / ACCEPT_FILE
    options = ValidateOptions(
        tree=tree,
        accept_file=accept_file,
        online=args.online,
        unused=args.unused,
        clusters=args.cluster,
        crd_schema_dirs=[Path(p) for p in args.crd_schemas or []],
        crd_files=[Path(p) for p in args.crds or []],
        schema_locations=args.schema_location,
        allowed_kinds=set(args.allow_kind or []),
        k8s_version=args.k8s_version,
        **facts,
    )
    report = validate(options)
    print(report.json() if args.format == "json" else report.text())
    return report.exit_code(strict=args.strict)


def _one_argocd_namespace(lab: Homelab, only: list[str] | None) -> str:
    namespaces = sorted({p.cluster.argocd_namespace for p in lab.clusters if not only or p.cluster.name in only})
    if len(namespaces) > 1:
        raise HomelabError(
            f"{lab.origin}: clusters run Argo CD in different namespaces ({', '.join(namespaces)}); "
            "validate them one at a time with --cluster NAME --argocd-namespace NS"
        )
    return namespaces[0]


_LONG_OPTION = re.compile(r"--[A-Za-z][-A-Za-z0-9_]*")


def shown_argument(argument: str) -> str:
    """How an error names a command-line argument it did not expect, which may hold a secret: a long
    option up to its '=' (``--password=…``), a short one by its first letter (``-p…``), anything else ``…``."""
    name, sep, _ = argument.partition("=")
    if _LONG_OPTION.fullmatch(name):
        return name + sep + "…" * bool(sep)
    if argument[:1] == "-" and argument[1:2].isalpha():
        return argument[:2] + "…" * (len(argument) > 2)
    return "…"


class _Parser(argparse.ArgumentParser):
    """argparse whose errors never repeat an argument it was given (it may hold a secret): each one the
    message contains, but for the parser's own option names and choices, is shown by :func:`shown_argument`."""

    given: Sequence[str] = ()

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self.given = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        own = {name for action in self._actions for name in (*action.option_strings, *map(str, action.choices or ()))}
        pieces: dict[str, str] = {}  # what the message may contain -> what to show instead
        for argument in self.given:
            if argument in own:
                continue
            shown = shown_argument(argument)
            pieces[argument] = shown
            if argument[:1] == "-":  # argparse's "explicit argument": after '=', or after a short option's letter
                explicit = {argument.partition("=")[2], argument[2:] if argument[1:2] != "-" else ""}
                pieces.update({part: "…" for part in explicit if part and part not in own})
        for piece in sorted(pieces, key=len, reverse=True):
            shown = pieces[piece].replace("\\", "\\\\")
            for form in (piece, repr(piece)[1:-1]):
                message = re.sub(rf"(?<![^\s'\"=(]){re.escape(form)}(?![^\s'\",)])", shown, message)
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="homelab", description="Synthesise, check, seal and validate a homelab's GitOps tree.")
    parser.add_argument(
        "--homelab",
        help="the Homelab to use, as MODULE:ATTRIBUTE (default: [tool.homelab] declaration in the repository's "
        f"pyproject.toml, else {DEFAULT_HOMELAB})",
    )
    parser.add_argument(
        "--traceback",
        action="store_true",
        help="on an error in the declaration, show Python's full trace instead of file:line: message",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="{init,synth,seal,validate,cert,bootstrap,diff}")

    synth = sub.add_parser("synth", help="write the kustomize tree to dist/")
    synth.add_argument("--cluster", action="append", metavar="NAME", help="only this cluster's overlays (repeatable)")
    synth.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 listing every file that would change"
    )
    synth.add_argument(
        "--dist",
        help="output directory inside the repository (default: $CDK8S_OUTDIR, else the homelab's output, dist)",
    )
    synth.set_defaults(func=cmd_synth)

    seal = sub.add_parser(
        "seal",
        help="seal secret values into a cluster's sealed store (`seal import PATH...` imports SealedSecrets)",
        description="Seal values of one secret for one cluster. Only the keys given are (re)sealed; "
        "the others keep their ciphertext. Prefer --from-file, --from-env-file or --stdin to KEY=VALUE, "
        "which leaves the value in your shell history.",
    )
    seal.add_argument("cluster", help="cluster whose certificate seals the values")
    seal.add_argument("secret", nargs="?", metavar="NAMESPACE/NAME", help="the SealedConfig's namespace and name")
    seal.add_argument("values", nargs="*", metavar="KEY=VALUE", help="values to seal")
    seal.add_argument("--from-env-file", action="append", metavar="PATH", help="KEY=VALUE lines to seal")
    seal.add_argument("--from-file", action="append", metavar="KEY=PATH", help="seal a file's bytes as KEY")
    seal.add_argument(
        "--stdin",
        metavar="KEY",
        help="seal standard input as KEY (one trailing newline dropped; at a terminal, asked without echo)",
    )
    seal.add_argument("--allow-empty", action="store_true", help="seal an empty value (refused otherwise)")
    seal.add_argument("--list", action="store_true", help="list the cluster's sealed secrets, orphans marked")
    seal.add_argument(
        "--missing",
        action="store_true",
        help="ask (at a terminal, without echo) for every value the declaration needs and the store lacks, "
        "then seal them all at once",
    )
    seal.add_argument(
        "--scope", choices=["strict", "namespace-wide", "cluster-wide"], help="default: as before, else strict"
    )
    seal.add_argument("--remove", action="append", metavar="KEY", help="drop KEY from the secret")
    seal.set_defaults(func=cmd_seal)

    seal_import = sub.add_parser(
        "seal-import", prog="homelab seal import", description="Import SealedSecret manifests into the sealed stores."
    )
    seal_import.add_argument("paths", nargs="+", metavar="PATH", help="SealedSecret manifests or directories of them")
    seal_import.add_argument("--cluster", help="store to import into; default: the overlays/<cluster>/ in each path")
    seal_import.add_argument("--replace", action="store_true", help="overwrite entries that exist with other values")
    seal_import.set_defaults(func=cmd_seal_import)

    validate = sub.add_parser(
        "validate",
        help="check a kustomize tree: builds, schemas and GitOps cross-references",
        description="Validate the synthesised tree (default: dist/<tree path>) or any hand-written one. "
        "Exit 0 when clean, 1 with errors (or warnings with --strict), 2 on a usage error.",
    )
    validate.add_argument("--cluster", action="append", metavar="NAME", help="only this cluster (repeatable)")
    validate.add_argument("--tree", metavar="DIR", help="the kustomize tree to check (default: dist/<tree path>)")
    validate.add_argument("--crd-schemas", action="append", metavar="DIR", help="<group>/<kind>_<version>.json schemas")
    validate.add_argument("--crds", action="append", metavar="FILE", help="CRD manifests (kubectl get crd -o yaml)")
    validate.add_argument(
        "--schema-location",
        action="append",
        metavar="TEMPLATE",
        help="URL or file:// template of custom resources' schemas with {group}, {kind}, {version} (repeatable); "
        "default: the CRDs catalog, fetched once into ~/.cache/homelab/schemas, unless --crd-schemas is given",
    )
    validate.add_argument("--allow-kind", action="append", metavar="KIND", help="accept KIND (or group/KIND) unchecked")
    validate.add_argument(
        "--repo",
        action="append",
        metavar="URL",
        help="URL of the GitOps repository (with --tree: check without loading a homelab declaration)",
    )
    validate.add_argument(
        "--prefix", help="where the tree lives in the repository (default: the homelab's, or --tree's name)"
    )
    validate.add_argument("--argocd-namespace", default="argocd", help="Argo CD's namespace, with --tree and --repo")
    validate.add_argument(
        "--storage-class", action="append", metavar="NAME", help="a storage class the clusters provide"
    )
    validate.add_argument("--k8s-version", default="1.32", help="Kubernetes version of the schemas (default 1.32)")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.add_argument("--strict", action="store_true", help="warnings fail too")
    validate.add_argument("--unused", action="store_true", help="also list YAML files no kustomization reads")
    validate.add_argument(
        "--online", action="store_true", help="the network is reachable: a remote resource that fails is an error"
    )
    validate.add_argument(
        "--accept",
        metavar="FILE",
        help="findings accepted on purpose, each with its reason (default: .homelab-validate.yaml at the root "
        "of the repository holding the tree)",
    )
    validate.set_defaults(func=cmd_validate)

    boot = sub.add_parser(
        "bootstrap",
        help="print the steps that bring a cluster up from nothing (--check: verify them offline)",
        description="Print copy-pasteable steps: sealing key and certificate, Argo CD with the declared chart "
        "and values, then the cluster's bootstrap directory. --check verifies offline that every directory "
        "named builds and the printed values are the declared Argo CD Application's.",
    )
    boot.add_argument("cluster")
    boot.add_argument("--check", action="store_true", help="verify instead of printing; exit 1 on a problem")
    boot.add_argument("--dist", help="output directory the tree is written to (default: the homelab's, dist)")
    boot.set_defaults(func=cmd_bootstrap)

    dif = sub.add_parser(
        "diff",
        help="what a change does to each cluster, object by object (working tree vs HEAD by default)",
        description="Compare two trees after kubectl kustomize, per cluster and app: no revision, the "
        "synthesised working tree against HEAD's committed tree; REV, it against REV's; REV_A REV_B, the two "
        "committed trees; --tree DIR, a hand-written tree against the synthesised one (the migration check). "
        "Secret values are never shown. Exit 0 without differences, 1 with, 2 on an error.",
    )
    dif.add_argument("revisions", nargs="*", metavar="REV", help="git revisions (commit, branch, tag)")
    dif.add_argument("--cluster", action="append", metavar="NAME", help="only this cluster (repeatable)")
    dif.add_argument("--tree", metavar="DIR", help="a hand-written kustomize tree to compare with the synthesised one")
    dif.add_argument(
        "--repo-path", metavar="OLD=NEW", help="the synthesised tree lives at NEW where the compared one lived at OLD"
    )
    dif.add_argument(
        "--sealed",
        choices=["ciphertexts", "keys"],
        default="ciphertexts",
        help="compare SealedSecrets by ciphertext (a reseal shows as 'resealed: KEY', default) or by key only "
        "(trees sealed with different certificates)",
    )
    dif.add_argument("--format", choices=["text", "json"], default="text")
    dif.set_defaults(func=cmd_diff)

    init = sub.add_parser(
        "init",
        help="start a new homelab repository in DIR (asks on a terminal, or takes the flags)",
        description="Write a new homelab repository into DIR (new or empty): pyproject.toml, clusters/ with the "
        "cluster's module and an example app, dist/ synthesised, tests, README, CI, renovate.json; then git init.",
    )
    init.add_argument("directory", metavar="DIR")
    init.add_argument("--cluster", metavar="NAME", help="the cluster's name (a DNS label, e.g. garage)")
    init.add_argument("--repo", metavar="URL", help="the Git repository Argo CD deploys from")
    init.add_argument("--revision", help="the branch the cluster follows (default main)")
    init.add_argument(
        "--storage-class", metavar="NAME", help="a storage class the cluster provides (default local-path)"
    )
    init.add_argument("--tailnet", metavar="DOMAIN", help="the cluster's Tailscale tailnet (tail1234.ts.net)")
    init.add_argument("--platform", metavar="COMPONENT,...", help="platform components (default argocd,sealed-secrets)")
    init.add_argument(
        "--homelab-source",
        metavar="SPEC",
        help="where the new repository installs the language from: a directory, a git URL or a version "
        "(default: where this one was installed from)",
    )
    init.add_argument("--yes", action="store_true", help="ask nothing: --cluster and --repo must be given")
    init.set_defaults(func=cmd_init)

    cert = sub.add_parser("cert", help="record a cluster's sealing certificate (from `kubeseal --fetch-cert`)")
    cert.add_argument("cluster")
    cert.add_argument("pem", help="PEM certificate file")
    cert.set_defaults(func=cmd_cert)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    ensure_jsii_node()  # before anything imports cdk8s: jsii starts Node.js on import
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # `homelab seal import PATH...` is the seal-import command (a cluster cannot be named "import").
    if "seal" in argv:
        i = argv.index("seal")
        if argv[i + 1 : i + 2] == ["import"]:
            argv[i : i + 2] = ["seal-import"]
    # KEY=VALUE arguments may come after options (`seal home ns/x --scope strict a=b`).
    if "--traceback" in argv:  # accepted anywhere on the line
        argv = ["--traceback", *(a for a in argv if a != "--traceback")]
    args, extra = parser.parse_known_args(argv)
    if extra:
        if args.command != "seal" or any(item.startswith("-") for item in extra):
            parser.error(f"unrecognized arguments: {' '.join(map(shown_argument, extra))}")
        args.values = [*args.values, *extra]
    if args.traceback:
        return int(args.func(args))
    try:
        return int(args.func(args))
    except HomelabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if args.command in ("validate", "diff") else 1
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a mistake in the declaration (TypeError, NameError, ...): told at its line
        user_errors.report(exc)
        return 1
