"""``python -m homelab``: the command line's argparse tables and its entry point.

What each command does is in :mod:`homelab.commands`, one module per command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from constructs_lib._internal.node_runtime import ensure_jsii_node
from homelab import user_errors
from homelab.commands.secret_args import SecretSafeParser, shown_argument
from homelab.declaration import DEFAULT_HOMELAB
from homelab.errors import HomelabError


def _synth(args: argparse.Namespace) -> int:
    from homelab.commands import synth

    return synth.run(synth.SynthOptions.from_args(args))


def _seal(args: argparse.Namespace) -> int:
    from homelab.commands import seal

    return seal.run(seal.SealOptions.from_args(args))


def _seal_import(args: argparse.Namespace) -> int:
    from homelab.commands import seal_import

    return seal_import.run(seal_import.SealImportOptions.from_args(args))


def _cert(args: argparse.Namespace) -> int:
    from homelab.commands import cert

    return cert.run(cert.CertOptions.from_args(args))


def _validate(args: argparse.Namespace) -> int:
    from homelab.commands import validate

    return validate.run(validate.ValidateCommandOptions.from_args(args))


def _bootstrap(args: argparse.Namespace) -> int:
    from homelab.commands import bootstrap

    return bootstrap.run(bootstrap.BootstrapOptions.from_args(args))


def _diff(args: argparse.Namespace) -> int:
    from homelab.commands import diff

    return diff.run(diff.DiffOptions.from_args(args))


def _map(args: argparse.Namespace) -> int:
    from homelab.commands import map as map_command

    return map_command.run(map_command.MapOptions.from_args(args))


def _import(args: argparse.Namespace) -> int:
    from homelab.commands import import_repo

    return import_repo.run(import_repo.ImportOptions.from_args(args))


def _init(args: argparse.Namespace) -> int:
    from homelab.commands import init

    return init.run(args)


class _SealForms(argparse.Action):
    """The two forms of ``homelab seal`` as its sub-commands: ``seal import PATH...`` when the first word
    is a form's name, else ``seal CLUSTER NAMESPACE/NAME ...`` (``otherwise``; no cluster is named "import").
    argparse's own sub-commands cannot be used: they need a name first, which the second form has not."""

    def __init__(
        self,
        option_strings: Sequence[str],
        dest: str,
        *,
        forms: dict[str, argparse.ArgumentParser],
        otherwise: argparse.ArgumentParser,
        **kwargs: Any,
    ) -> None:
        super().__init__(option_strings, dest, nargs=argparse.REMAINDER, help=argparse.SUPPRESS, **kwargs)
        self.forms, self.otherwise = forms, otherwise

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, _: Any = None
    ) -> None:
        words = list(values)
        form = self.forms.get(words[0]) if words else None
        if form is None:
            form = self.otherwise
        else:
            words = words[1:]
        parsed, extra = form.parse_known_args(words)
        if extra and form is self.otherwise and not any(item.startswith("-") for item in extra):
            parsed.values = [*parsed.values, *extra]  # KEY=VALUE after options: `seal home ns/x --scope strict a=b`
        elif extra:
            form.error(f"unrecognized arguments: {' '.join(map(shown_argument, extra))}")
        for name, value in vars(parsed).items():
            setattr(namespace, name, value)


def build_parser() -> argparse.ArgumentParser:
    parser = SecretSafeParser(
        prog="homelab", description="Synthesise, check, seal and validate a homelab's GitOps tree."
    )
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
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="{init,import,synth,seal,validate,cert,bootstrap,diff,map}"
    )

    synth = sub.add_parser("synth", help="write the kustomize tree to dist/")
    synth.add_argument("--cluster", action="append", metavar="NAME", help="only this cluster's overlays (repeatable)")
    synth.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 listing every file that would change"
    )
    synth.add_argument(
        "--dist",
        help="output directory inside the repository (default: $CDK8S_OUTDIR, else the homelab's output, dist)",
    )
    synth.set_defaults(func=_synth)

    seal = sub.add_parser(
        "seal",
        help="seal secret values into a cluster's sealed store (`seal import PATH...` imports SealedSecrets)",
        # No option of its own (no argument can hold a NUL): every word after `seal` is for its forms,
        # so `homelab seal -h` is the help of `homelab seal CLUSTER ...`.
        add_help=False,
        prefix_chars="\0",
    )
    seal_values = SecretSafeParser(
        prog="homelab seal",
        description="Seal values of one secret for one cluster. Only the keys given are (re)sealed; "
        "the others keep their ciphertext. Prefer --from-file, --from-env-file or --stdin to KEY=VALUE, "
        "which leaves the value in your shell history.",
    )
    seal_values.add_argument("cluster", help="cluster whose certificate seals the values")
    seal_values.add_argument(
        "secret", nargs="?", metavar="NAMESPACE/NAME", help="the SealedConfig's namespace and name"
    )
    seal_values.add_argument("values", nargs="*", metavar="KEY=VALUE", help="values to seal")
    seal_values.add_argument("--from-env-file", action="append", metavar="PATH", help="KEY=VALUE lines to seal")
    seal_values.add_argument("--from-file", action="append", metavar="KEY=PATH", help="seal a file's bytes as KEY")
    seal_values.add_argument(
        "--stdin",
        metavar="KEY",
        help="seal standard input as KEY (one trailing newline dropped; at a terminal, asked without echo)",
    )
    seal_values.add_argument("--allow-empty", action="store_true", help="seal an empty value (refused otherwise)")
    seal_values.add_argument("--list", action="store_true", help="list the cluster's sealed secrets, orphans marked")
    seal_values.add_argument(
        "--missing",
        action="store_true",
        help="ask (at a terminal, without echo) for every value the declaration needs and the store lacks, "
        "then seal them all at once",
    )
    seal_values.add_argument(
        "--scope", choices=["strict", "namespace-wide", "cluster-wide"], help="default: as before, else strict"
    )
    seal_values.add_argument("--remove", action="append", metavar="KEY", help="drop KEY from the secret")
    seal_values.set_defaults(func=_seal)

    seal_import = SecretSafeParser(
        prog="homelab seal import", description="Import SealedSecret manifests into the sealed stores."
    )
    seal_import.add_argument("paths", nargs="+", metavar="PATH", help="SealedSecret manifests or directories of them")
    seal_import.add_argument("--cluster", help="store to import into; default: the overlays/<cluster>/ in each path")
    seal_import.add_argument("--replace", action="store_true", help="overwrite entries that exist with other values")
    seal_import.set_defaults(func=_seal_import)
    seal.add_argument("form", action=_SealForms, forms={"import": seal_import}, otherwise=seal_values)

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
        help="URL of the GitOps repository, in any spelling (https://…, git@…; repeatable; with --tree: check "
        "without loading a homelab declaration)",
    )
    validate.add_argument(
        "--cluster-root",
        action="append",
        metavar="[NAME=]PATH",
        help="a directory applied by hand to bootstrap a cluster (a kustomization, or a folder of its root "
        "Applications), where the tree does not tell; NAME defaults to the directory's name (repeatable)",
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
        "--online",
        action="store_true",
        help="the network is reachable: a remote resource that fails is an error, and each Helm Application's "
        "chart is rendered (helm template) and checked against its AppProject",
    )
    validate.add_argument(
        "--accept",
        metavar="FILE",
        help="findings accepted on purpose, each with its reason (default: .homelab-validate.yaml at the root "
        "of the repository holding the tree)",
    )
    validate.set_defaults(func=_validate)

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
    boot.set_defaults(func=_bootstrap)

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
    dif.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="text (default), json, or markdown: the per-cluster summary a pull request comment shows",
    )
    dif.set_defaults(func=_diff)

    hmap = sub.add_parser(
        "map",
        help="the whole homelab in one self-contained HTML page (--since REV: what changed marked)",
        description="Draw every cluster's platform components and apps (addresses, databases, volumes, sealed "
        "secrets by name and keys, charts, sync policy, source module and dist/ directory, and how objects link) "
        "from the synthesised model into one HTML file that needs no network. --since REV marks what the "
        "declaration adds, removes and changes since REV.",
    )
    hmap.add_argument("--cluster", action="append", metavar="NAME", help="only this cluster (repeatable)")
    hmap.add_argument(
        "--out",
        default="homelab-map.html",
        metavar="FILE",
        help="where to write (default homelab-map.html; - for stdout)",
    )
    hmap.add_argument("--since", metavar="REV", help="mark what changed since this git revision (commit, branch, tag)")
    hmap.set_defaults(func=_map)

    cert = sub.add_parser("cert", help="record a cluster's sealing certificate (from `kubeseal --fetch-cert`)")
    cert.add_argument("cluster")
    cert.add_argument("pem", help="PEM certificate file")
    cert.set_defaults(func=_cert)
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
    init.set_defaults(func=_init)
    imp = sub.add_parser(
        "import",
        help="import a hand-written Argo CD + kustomize tree as a homelab in DIR, and prove it renders the same",
        description="Read TREE (the folder holding the apps and the cluster roots; never written), write a homelab "
        "repository into DIR (new or empty; default TREE-homelab beside it), synthesise it and compare its tree with "
        "TREE object by object. Exit 0 when every object of TREE is identical after re-rendering.",
    )
    imp.add_argument("tree", metavar="TREE")
    imp.add_argument("--repo", metavar="URL", required=True, help="the Git repository Argo CD deploys TREE from")
    imp.add_argument("--into", metavar="DIR", help="the new repository (default: TREE-homelab beside TREE)")
    imp.add_argument(
        "--cluster-root", action="append", metavar="PATH", help="a cluster's root directory in TREE (repeatable)"
    )
    imp.add_argument(
        "--cert",
        action="append",
        metavar="CLUSTER=PEM",
        help="a cluster's sealing certificate: its SealedSecrets go into its sealed store as they are (repeatable)",
    )
    imp.add_argument("--homelab-source", metavar="SPEC", help="where the new repository installs the language from")
    imp.set_defaults(func=_import)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    ensure_jsii_node()  # before anything imports cdk8s: jsii starts Node.js on import
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--traceback" in argv:  # accepted anywhere on the line
        argv = ["--traceback", *(a for a in argv if a != "--traceback")]
    args, extra = parser.parse_known_args(argv)
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(map(shown_argument, extra))}")
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
