"""One notion of "this repository": the spellings of a git repository's URL that name the same repository
(:func:`repo_key`), and the comparison Argo CD itself makes of a project's ``sourceRepos``
(:func:`argocd_repo_form`), which is stricter."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: Forges whose owner and repository names are case-insensitive (``github.com/O/R`` is ``github.com/o/r``).
CASE_INSENSITIVE_HOSTS = frozenset({"github.com", "gitlab.com", "codeberg.org"})
#: Other names of a forge's host that serve the same repositories.
HOST_ALIASES = {"www.github.com": "github.com", "ssh.github.com": "github.com", "www.gitlab.com": "gitlab.com"}
#: ``[user@]host:path``, git's scp-like syntax: a colon before any slash, no ``://``.
_SCP_LIKE = re.compile(r"^(?:[^@/:]+@)?(?P<host>[^@/:]+):(?P<path>.*)$")


def repo_key(url: str) -> str:
    """``host/path`` of the repository ``url`` names, the same for every spelling of it: the scheme (https,
    http, ssh, git), the user and any credentials, the port, a trailing ``/`` or ``.git`` and the host's case
    are left out (``git@github.com:o/r.git``, ``ssh://git@github.com/o/r``, ``https://github.com/o/R.git/``
    → ``github.com/o/r``); the path's case only on forges known to ignore it (:data:`CASE_INSENSITIVE_HOSTS`).
    Two different repositories never get the same key."""
    text = url.strip()
    if "://" in text:
        parts = urlsplit(text)
        host, path = (parts.hostname or ""), parts.path
    elif match := _SCP_LIKE.match(text):
        host, path = match["host"], match["path"]
    else:  # host/path without a scheme (as kustomize takes a remote resource), or a local path
        host, _, path = text.partition("/")
    host = host.lower().rstrip(".")
    host = HOST_ALIASES.get(host, host)
    path = path.strip("/")
    if host in CASE_INSENSITIVE_HOSTS:
        path = path.lower()
    path = path.removesuffix(".git").rstrip("/")
    return f"{host}/{path}" if path else host


def argocd_repo_form(url: str) -> str:
    """``url`` (or a ``sourceRepos`` pattern) as Argo CD compares an Application's ``repoURL`` with a
    project's ``sourceRepos`` (its ``git.NormalizeGitURL``): lower case, without ``.git``, a trailing ``/`` or
    ``ssh://`` (``git@host:o/r`` is ``ssh://git@host/o/r``), but ``git@host/o/r`` and ``https://host/o/r``
    stay different: a project admitting one does not admit the other."""
    text = url.strip().lower()
    if "://" not in text and _SCP_LIKE.match(text):
        text = "ssh://" + text.replace(":", "/", 1)
    return text.rstrip("/").removesuffix(".git").removeprefix("ssh://")
