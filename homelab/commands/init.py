"""``homelab init DIR``: a new homelab repository, in the conventions of the bundled one.

The files come from ``init_templates/`` (package data): a path part ``dot-x`` is written ``.x``, a file
``NAME.tmpl`` is written ``NAME`` with its ``$name`` fields filled in (:class:`string.Template`), and
``clusters/CLUSTER.py.tmpl`` is the cluster's module. The tree (``dist/``) and the tests' snapshot are then
synthesised in-process, as ``homelab synth`` and the new repository's tests make them.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

import constructs_lib.platform
from homelab.errors import HomelabError
from homelab.model.project import DEFAULT_DECLARATION

DEFAULT_PLATFORM = ("argocd", "sealed-secrets")
DEFAULT_REVISION = "main"
DEFAULT_STORAGE_CLASS = "local-path"
EXECUTABLE = ("dev", "scripts/cdk8s-app")
SNAPSHOT = "tests/__snapshots__/test_tree/test_tree.txt"


@dataclass(frozen=True)
class InitOptions:
    """What the new repository is made of (the flags, or the answers)."""

    directory: Path
    cluster: str
    repo: str
    revision: str = DEFAULT_REVISION
    storage_class: str = DEFAULT_STORAGE_CLASS
    tailnet: str | None = None
    platform: tuple[str, ...] = DEFAULT_PLATFORM
    homelab_source: str | None = None
    """Where the new repository installs the language from (None: where this one was installed from)."""


def platform_components() -> dict[str, str]:
    """Each platform component by its name (the Application it deploys, or the common stem of its
    Applications) -> its props class's name in :mod:`constructs_lib.platform`."""
    found: dict[str, str] = {}
    for name in constructs_lib.platform.__all__:
        cls = getattr(constructs_lib.platform, name)
        if not name.endswith("Props") or not isinstance(cls, type):
            continue
        try:
            props = cls()
        except TypeError:  # props that need arguments: not a component a cluster lists as is
            continue
        if isinstance(props, constructs_lib.platform.PlatformComponent):
            found[_stem(props.application_names())] = name
    return dict(sorted(found.items()))


def _stem(applications: tuple[str, ...]) -> str:
    """The ``-``-separated words all of ``applications`` start with (the one name, when there is one)."""
    stem = []
    for column in zip(*(a.split("-") for a in applications), strict=False):
        if len(set(column)) > 1:
            break
        stem.append(column[0])
    return "-".join(stem)


def parse_platform(text: str) -> tuple[str, ...]:
    """``--platform argocd,sealed-secrets,...``: known component names, each once."""
    known = platform_components()
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in known]
    if unknown:
        raise HomelabError(
            f"--platform: unknown component(s) {', '.join(map(repr, unknown))}; the components are: {', '.join(known)}"
        )
    if not names:
        raise HomelabError(f"--platform: name at least one component, e.g. {','.join(DEFAULT_PLATFORM)}")
    if "argocd" not in names:
        raise HomelabError(
            "--platform: argocd is required: Argo CD deploys everything else, and bootstrap installs it first; "
            f"e.g. --platform argocd,{','.join(n for n in names if n != 'argocd')}"
        )
    sealing = [n for n in names if _needs_sealed_values(known[n])]
    if sealing and "sealed-secrets" not in names:
        raise HomelabError(
            f"--platform: {', '.join(sealing)} {'reads' if len(sealing) == 1 else 'read'} sealed values, which only the sealed-secrets controller "
            f"decrypts: add sealed-secrets (--platform {','.join(names)},sealed-secrets)"
        )
    return names


def _needs_sealed_values(props_class: str) -> bool:
    """Whether the component, with its defaults, reads sealed values on a cluster: rendered once with facts
    whose sealed store records what it is asked for."""
    from constructs_lib._internal.construct import BuilderScope

    asked: list[str] = []

    class Store:
        def sealed_values(self, *, namespace: str, name: str, sealing_scope: object, keys: tuple[str, ...]) -> dict:
            asked.append(f"{namespace}/{name}")
            return dict.fromkeys(keys, "")

    class Facts:
        cluster = type("Facts", (), {"name": "new", "tailnet": "tail0000.ts.net", "ingress_class": "tailscale"})()
        sealed = Store()
        backup_namespaces: tuple[str, ...] = ()
        application_namespaces: tuple[str, ...] = ()

    props = getattr(constructs_lib.platform, props_class)()
    props.add_to(BuilderScope("probe"), facts=Facts())
    return bool(asked)


_VERSION = re.compile(r"(==|>=|<=|~=|!=|>|<)?\s*(\d[\w.!+-]*)")
_URL = re.compile(r"(git\+)?(https?|ssh|file)://\S+")


#: The language's distribution on the package index (``homelab`` there is another project): what a new
#: repository's ``pyproject.toml`` depends on; it installs the ``homelab`` and ``constructs_lib`` packages.
DISTRIBUTION = "cdk8s-homelab"


def installed_source() -> str:
    """Where this homelab language was installed from: its directory or VCS URL (a checkout, ``pip install
    PATH`` or ``git+URL``), else its version on the package index."""
    # The installed one first: a checkout's own homelab.egg-info (of an editable install) has no direct_url.json.
    found = list(importlib.metadata.distributions(name=DISTRIBUTION))
    if not found:
        raise HomelabError(
            f"the homelab language is not installed as {DISTRIBUTION} here (run from a source tree?): give "
            "--homelab-source (a directory, a git URL or a version) for the new repository to install it from"
        )
    dist = next((d for d in found if d.read_text("direct_url.json")), found[0])
    direct = json.loads(dist.read_text("direct_url.json") or "{}")
    url = direct.get("url", "")
    if "vcs_info" in direct:
        vcs = direct["vcs_info"]
        return f"{vcs.get('vcs', 'git')}+{url}@{vcs.get('commit_id', '')}".rstrip("@")
    if url.startswith("file://") and "dir_info" in direct:
        return url
    return dist.version


def dependency(source: str) -> str:
    """The requirement that installs the language from ``source``: a directory, a URL or a version."""
    if _URL.fullmatch(source):
        url = source
        if source.startswith(("http://", "https://", "ssh://")) and not source.endswith((".whl", ".tar.gz", ".zip")):
            url = f"git+{source}"  # a repository
        return f"{DISTRIBUTION} @ {url}"
    version = _VERSION.fullmatch(source)
    if version:
        return f"{DISTRIBUTION}{version.group(1) or '=='}{version.group(2)}"
    path = Path(source).expanduser()
    if path.is_dir():
        return f"{DISTRIBUTION} @ {path.resolve().as_uri()}"
    raise HomelabError(
        f"--homelab-source {source!r}: not a directory, a URL (git+https://…/homelab.git@v1) nor a version "
        "(0.1.0); give where the new repository installs the homelab language from"
    )


def refuse_non_empty(directory: Path) -> None:
    """``homelab init`` writes into a new or empty directory only: it never overwrites anything."""
    if directory.exists() and not directory.is_dir():
        raise HomelabError(f"{directory} is a file; give a new or empty directory")
    if directory.is_dir() and any(directory.iterdir()):
        raise HomelabError(f"{directory} is not empty; homelab init writes a new repository into an empty directory")


def module_name(cluster: str) -> str:
    """The cluster's module in ``clusters/`` (its name, ``-`` as ``_``)."""
    module = cluster.replace("-", "_")
    if not module.isidentifier() or module in ("apps", "__init__"):
        raise HomelabError(
            f"--cluster {cluster!r}: its module clusters/{module}.py could not be imported; "
            "give a name that starts with a letter and is not 'apps', e.g. garage"
        )
    return module


def check_options(options: InitOptions) -> None:
    """Refuse what the new repository could not be built from, before anything is written."""
    from homelab.model.cluster import Cluster

    Cluster(
        name=options.cluster, repo_url=options.repo, revision=options.revision, tailnet=options.tailnet
    )  # its own checks: a DNS label, a tailnet's shape
    module_name(options.cluster)
    if not re.fullmatch(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?", options.storage_class):
        raise HomelabError(f"--storage-class {options.storage_class!r}: expected a storage class name, e.g. local-path")
    if not _URL.fullmatch(options.repo) and not re.fullmatch(r"[\w.-]+@[\w.-]+:\S+", options.repo):
        raise HomelabError(
            f"--repo {options.repo!r}: expected the Git URL Argo CD reads, e.g. https://github.com/me/homelab"
        )


def fields(options: InitOptions) -> dict[str, str]:
    """The templates' ``$name`` fields."""
    components = platform_components()
    chosen = [components[name] for name in options.platform]
    source = options.homelab_source or installed_source()
    return {
        "cluster": options.cluster,
        "module": module_name(options.cluster),
        "project": f"{options.cluster}-homelab",
        "repo": options.repo,
        "revision": options.revision,
        "storage_class": options.storage_class,
        "tailnet_line": f'\n    tailnet="{options.tailnet}",' if options.tailnet else "",
        "platform_imports": "\n".join(f"    {n}," for n in sorted({*chosen, "Platform", "PlatformProps"})),
        "platform_components": "\n".join(f"        {_listed(n, options.platform)}," for n in chosen),
        "dependency": dependency(source),
        "source": source,
    }


def _listed(props: str, platform: tuple[str, ...]) -> str:
    """A component's props as the cluster module lists them: Argo CD's UI on the tailnet only when the
    Tailscale operator that serves it runs."""
    if props == "ArgoCdProps" and "tailscale-operator" not in platform:
        return "ArgoCdProps(tailnet_ingress=False)"
    return f"{props}()"


def templates() -> Iterator[tuple[str, Traversable]]:
    """Every template file with its path in the new repository (fields not yet filled in)."""

    def walk(node: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            name = "." + child.name[4:] if child.name.startswith("dot-") else child.name
            if child.is_dir():
                if child.name != "__pycache__":
                    yield from walk(child, f"{prefix}{name}/")
            else:
                yield f"{prefix}{name}", child

    yield from walk(resources.files("homelab.commands") / "init_templates", "")


def write_repository(options: InitOptions, skip: tuple[str, ...] = ()) -> list[str]:
    """Write every template into ``options.directory`` (created; never overwriting a file), but those whose
    path starts with one of ``skip`` (``homelab import`` writes its own ``clusters/``); the paths written."""
    values = fields(options)
    root = options.directory
    written = []
    for path, template in templates():
        if path.startswith(skip):
            continue
        text = template.read_text(encoding="utf-8")
        if path.endswith(".tmpl"):
            path = path.removesuffix(".tmpl").replace("CLUSTER", values["module"])
            text = Template(text).substitute(values)
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as f:
            f.write(text)
        if path in EXECUTABLE:
            target.chmod(0o755)
        written.append(path)
    return written


@contextlib.contextmanager
def inside(root: Path, package: str) -> Iterator[None]:
    """Run from ``root`` with its ``package`` importable afresh; the working directory, ``sys.path`` and any
    ``package`` imported before (another homelab's) restored after."""
    owned = [name for name in sys.modules if name == package or name.startswith(package + ".")]
    saved = {name: sys.modules.pop(name) for name in owned}
    cwd, path = Path.cwd(), list(sys.path)
    importlib.invalidate_caches()
    os.chdir(root)
    try:
        yield
    finally:
        os.chdir(cwd)
        sys.path[:] = path
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
        sys.modules.update(saved)


def git_init(root: Path, revision: str) -> str | None:
    """``git init`` the repository (its branch: the revision the cluster follows); a note when git is absent."""
    git = shutil.which("git")
    if git is None:
        return (
            "git is not installed: run `git init` in the new repository yourself (the homelab commands find "
            "the repository root by its .git)"
        )
    subprocess.run([git, "-c", f"init.defaultBranch={revision}", "init", "-q", str(root)], check=True)
    return None


def ask_options(args: argparse.Namespace, ask: Callable[[str], str], interactive: bool) -> InitOptions:
    """The options from the flags, asking (``ask``, when ``interactive``) for each one not given."""

    def value(flag: str, question: str, default: str | None, required: bool = False) -> str | None:
        given = getattr(args, flag.replace("-", "_"))
        if given is not None:
            return str(given)
        if interactive:
            shown = f" [{default}]" if default else " (optional, Enter to skip)" if not required else ""
            while True:
                answer = ask(f"{question}{shown}: ").strip()
                if answer or not required:
                    return answer or default
        if required:
            raise HomelabError(
                f"--{flag} is required{' with --yes' if getattr(args, 'yes', False) else ' (no terminal to ask on)'}: "
                "homelab init DIR --cluster NAME --repo URL [--yes]"
            )
        return default

    cluster = value("cluster", "Cluster name (a DNS label, e.g. garage)", None, required=True)
    repo = value("repo", "Git repository Argo CD deploys from (e.g. https://github.com/me/homelab)", None, True)
    platform = value(
        "platform", f"Platform components ({', '.join(platform_components())})", ",".join(DEFAULT_PLATFORM)
    )
    return InitOptions(
        directory=Path(str(args.directory)),
        cluster=str(cluster),
        repo=str(repo),
        revision=str(value("revision", "Branch the cluster follows", DEFAULT_REVISION)),
        storage_class=str(value("storage-class", "Storage class the cluster provides", DEFAULT_STORAGE_CLASS)),
        tailnet=value("tailnet", "Tailscale tailnet (e.g. tail1234.ts.net)", None) or None,
        platform=parse_platform(str(platform)),
        homelab_source=value("homelab-source", "Install the homelab language from", installed_source()),
    )


def run(args: argparse.Namespace, ask: Callable[[str], str] = input, interactive: bool | None = None) -> int:
    """``homelab init DIR``: ask or take the options, write the repository, ``git init`` it, synthesise
    its tree and its tests' snapshot."""
    from homelab.commands import synth
    from homelab.testing import tree_text

    directory = Path(str(args.directory))
    refuse_non_empty(directory)
    if interactive is None:
        interactive = not getattr(args, "yes", False) and sys.stdin.isatty()
    options = ask_options(args, ask, interactive)
    check_options(options)
    requirement = dependency(options.homelab_source or installed_source())
    if "file://" in requirement:  # fine on this machine; CI and other machines cannot install it
        print(
            f"warning: the new repository installs the language from a directory of this machine ({requirement}): "
            "its CI, and any other machine, cannot; give --homelab-source git+https://HOST/OWNER/REPO.git@REF (or "
            "a released version) and it works everywhere",
            file=sys.stderr,
        )
    directory.mkdir(parents=True, exist_ok=True)
    root = directory.resolve()
    written = write_repository(options)
    note = git_init(root, options.revision)
    package = DEFAULT_DECLARATION.partition(":")[0]
    with inside(root, package):
        try:
            status = synth.run(synth.SynthOptions(homelab=None, clusters=None, check=False, dist=None))
        except HomelabError as exc:  # as the CLI would say it, then what to do next
            print(f"error: {exc}", file=sys.stderr)
            status = 1
        if status != 0:
            print(
                f"error: {directory}: the repository is written, but not its tree: fix what is said above (a platform "
                "component's sealed values: `homelab bootstrap` says how), then `./dev synth` and "
                "`./dev test --snapshot-update` in it",
                file=sys.stderr,
            )
            return status
        snapshot = root / SNAPSHOT
        snapshot.parent.mkdir(parents=True)
        with open(snapshot, "x", encoding="utf-8") as f:
            f.write(tree_text())
    print(f"{directory}: a homelab for cluster {options.cluster!r} ({len(written)} files, dist/ and {SNAPSHOT})")
    if note:
        print(f"note: {note}")
    print(f"next: cd {directory} && ./dev synth && ./dev test   (then read README.md)")
    return 0
