"""One notion of "this repository": every spelling of a repository's URL has one key (``repo_key``), two
repositories never share one; Argo CD's own, stricter comparison of ``sourceRepos`` (``argocd_repo_form``)."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from homelab.validate.repository import CASE_INSENSITIVE_HOSTS, argocd_repo_form, repo_key

HOSTS = st.sampled_from(["github.com", "gitlab.com", "codeberg.org", "git.example", "gitea.lan", "10.0.0.5"])
NAME = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,8}(\.[a-z]{1,3})?", fullmatch=True).filter(
    lambda n: not n.lower().endswith(".git")
)
PATH = st.lists(NAME, min_size=1, max_size=3).map("/".join)


@st.composite
def repositories(draw: st.DrawFn) -> tuple[str, str]:
    """(host, path) of a repository."""
    return draw(HOSTS), draw(PATH)


@st.composite
def spellings(draw: st.DrawFn, repository: tuple[str, str]) -> str:
    """One of the ways people and tools write ``repository``'s URL."""
    host, path = repository
    if host == "github.com":
        host = draw(st.sampled_from(["github.com", "www.github.com"]))
    host = "".join(c.upper() if draw(st.booleans()) else c for c in host)
    if host.lower() in CASE_INSENSITIVE_HOSTS | {"www.github.com"}:
        path = "".join(c.swapcase() if draw(st.booleans()) else c for c in path)
    form = draw(
        st.sampled_from(
            [
                "https://{h}/{p}",
                "http://{h}/{p}",
                "https://me:token@{h}:8443/{p}",
                "git@{h}:{p}",
                "git@{h}:/{p}",
                "ssh://git@{h}/{p}",
                "ssh://git@{h}:2222/{p}",
                "git://{h}/{p}",
                "{h}/{p}",
            ]
        )
    )
    url = form.format(h=host, p=path) + draw(st.sampled_from(["", ".git", "/", ".git/"]))
    return draw(st.sampled_from(["", " "])) + url + draw(st.sampled_from(["", "\n"]))


def identity(repository: tuple[str, str]) -> tuple[str, str]:
    host, path = repository
    return host, path.lower() if host in CASE_INSENSITIVE_HOSTS else path


@given(st.data(), repositories())
def test_every_spelling_of_a_repository_has_one_key(data: st.DataObject, repository: tuple[str, str]) -> None:
    one, other = data.draw(spellings(repository)), data.draw(spellings(repository))
    assert repo_key(one) == repo_key(other), (one, other)


@given(st.data(), repositories(), repositories())
def test_two_repositories_never_share_a_key(data: st.DataObject, a: tuple[str, str], b: tuple[str, str]) -> None:
    assume(identity(a) != identity(b))
    one, other = data.draw(spellings(a)), data.draw(spellings(b))
    assert repo_key(one) != repo_key(other), (one, other)


def test_the_key_names_host_and_path() -> None:
    assert repo_key("git@github.com:Me/Lab.git") == "github.com/me/lab"
    assert repo_key("ssh://git@ssh.github.com:443/me/lab.git") == "github.com/me/lab"
    # On a forge not known to ignore case, the path keeps its case.
    assert repo_key("https://gitea.lan:3000/Me/Lab") == "gitea.lan/Me/Lab" != repo_key("https://gitea.lan/me/lab")
    assert repo_key("file:///srv/git/lab.git") == repo_key("/srv/git/lab") == "/srv/git/lab"


def test_argo_cd_tells_an_ssh_url_from_an_https_one() -> None:
    """A project admitting https://github.com/me/lab does not admit git@github.com:me/lab.git: Argo CD
    compares them as they are, save for case, .git and ssh://."""
    assert argocd_repo_form("git@github.com:Me/Lab.git") == argocd_repo_form("ssh://git@github.com/me/lab")
    assert argocd_repo_form("https://github.com/Me/Lab.git") == "https://github.com/me/lab"
    assert argocd_repo_form("git@github.com:me/lab") != argocd_repo_form("https://github.com/me/lab")
    assert argocd_repo_form("git@github.com:me/*") == "git@github.com/me/*"  # a sourceRepos pattern
