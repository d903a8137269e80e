"""The filters of an :class:`~constructs_lib.http_route.HTTPRoute` rule, typed: what the Gateway does to a
request before (or instead of) sending it to the rule's Services.

:class:`RequestHeaderModifier` and :class:`ResponseHeaderModifier` set, add and remove headers;
:class:`RequestRedirect` answers with a redirect (a rule that redirects sends nowhere: no ``backend_refs``);
:class:`URLRewrite` rewrites the host or path on the way to the Services; :class:`RequestMirror` copies
each request to another Service (checked like a backend, check ``route-backend``). A rule takes each at
most once (mirrors excepted), and a redirect and a rewrite not together, as the Gateway API requires.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from constructs_lib._internal.k8s_names import check_dns_label, check_hostname
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.errors import PropsError

#: An HTTP header name (RFC 7230 token), as the Gateway API's schema takes it.
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,256}$")
#: The Gateway API's limit on each of a header modifier's lists, and on a rule's filters.
_MAX_ITEMS = 16


def _check_precise_hostname(hostname: str | None, owner: str) -> None:
    """A host a request is sent to: a host name with no wildcard."""
    if hostname is None:
        return
    check_hostname(hostname, what="hostname", owner=owner)
    if hostname.startswith("*"):
        raise PropsError(
            f"{owner}: hostname {hostname!r} is a wildcard; a request goes to one host, e.g. 'example.org'"
        )


@type_checked
@dataclass(frozen=True, kw_only=True)
class HeaderModifier:
    """Headers set (replacing any value), added (beside any value) and removed; the names are HTTP header names."""

    filter_type = ""
    set: Mapping[str, str] = field(default_factory=dict)
    """Headers given these values, replacing what the message had; none by default."""
    add: Mapping[str, str] = field(default_factory=dict)
    """Headers added with these values, beside any the message had; none by default."""
    remove: tuple[str, ...] = ()
    """Headers removed; none by default."""

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if not (self.set or self.add or self.remove):
            raise PropsError(f"{owner}: give set=, add= or remove=, e.g. set={{'X-Forwarded-Proto': 'https'}}")
        for what, names in (("set", list(self.set)), ("add", list(self.add)), ("remove", list(self.remove))):
            if len(names) > _MAX_ITEMS:
                raise PropsError(f"{owner}.{what}: at most {_MAX_ITEMS} headers, got {len(names)}")
            for name in names:
                if not _HEADER_NAME.match(name):
                    raise PropsError(
                        f"{owner}.{what}: {name!r} is not a header name (letters, digits and !#$%&'*+-.^_`|~), "
                        "e.g. 'X-Forwarded-Proto'"
                    )
            lowered = [n.lower() for n in names]
            for name in names:
                if lowered.count(name.lower()) > 1:
                    raise PropsError(f"{owner}.{what}: header {name!r} is named twice (names ignore case); keep one")

    def render(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for what, values in (("set", self.set), ("add", self.add)):
            if values:
                body[what] = [{"name": k, "value": v} for k, v in values.items()]
        if self.remove:
            body["remove"] = list(self.remove)
        key = self.filter_type[0].lower() + self.filter_type[1:]
        return {"type": self.filter_type, key: body}


@type_checked
@dataclass(frozen=True, kw_only=True)
class RequestHeaderModifier(HeaderModifier):
    """Changes the request's headers before it reaches the Services."""

    filter_type = "RequestHeaderModifier"


@type_checked
@dataclass(frozen=True, kw_only=True)
class ResponseHeaderModifier(HeaderModifier):
    """Changes the response's headers before it reaches the client."""

    filter_type = "ResponseHeaderModifier"


@type_checked
@dataclass(frozen=True, kw_only=True)
class PathModifier:
    """How a redirect or a rewrite changes the path: the whole path, or the part the rule's path prefix matched."""

    type: Literal["ReplaceFullPath", "ReplacePrefixMatch"]
    """``ReplaceFullPath``: the path becomes ``value``; ``ReplacePrefixMatch``: the matched prefix becomes
    ``value`` (the rule must then match by one path prefix)."""
    value: str
    """The new path or prefix; it starts with ``/``."""

    def __post_init__(self) -> None:
        if not self.value.startswith("/"):
            raise PropsError(f"PathModifier {self.value!r}: a path starts with '/': write value={'/' + self.value!r}")

    def render(self) -> dict[str, Any]:
        key = "replaceFullPath" if self.type == "ReplaceFullPath" else "replacePrefixMatch"
        return {"type": self.type, key: self.value}


def _render_changes(**changes: Any) -> dict[str, Any]:
    """The fields that are set, a path modifier rendered."""
    return {k: v.render() if isinstance(v, PathModifier) else v for k, v in changes.items() if v is not None}


@type_checked
@dataclass(frozen=True, kw_only=True)
class RequestRedirect:
    """Answers the request with a redirect to the same URL changed as given (``scheme='https'``: to HTTPS).
    A rule that redirects has no ``backend_refs``."""

    filter_type = "RequestRedirect"
    scheme: Literal["http", "https"] | None = None
    """The new scheme; the request's when left out."""
    hostname: str | None = None
    """The new host (no wildcard); the request's when left out."""
    path: PathModifier | None = None
    """How the path changes; unchanged when left out."""
    port: int | None = None
    """The new port; the scheme's well-known port (or the request's) when left out."""
    status_code: Literal[301, 302] | None = None
    """301 (moved permanently) or 302 (found); the Gateway API's default (302) when left out."""

    def __post_init__(self) -> None:
        owner = "RequestRedirect"
        if self.scheme is None and self.hostname is None and self.path is None and self.port is None:
            raise PropsError(
                f"{owner}: give scheme=, hostname=, path= or port= (a redirect to the same URL loops), e.g. scheme='https'"
            )
        _check_precise_hostname(self.hostname, owner)
        if self.port is not None and not 1 <= self.port <= 65535:
            raise PropsError(f"{owner}: port must be 1..65535, got {self.port}")

    def render(self) -> dict[str, Any]:
        changes = _render_changes(
            scheme=self.scheme, hostname=self.hostname, path=self.path, port=self.port, statusCode=self.status_code
        )
        return {"type": self.filter_type, "requestRedirect": changes}


@type_checked
@dataclass(frozen=True, kw_only=True)
class URLRewrite:
    """Rewrites the request's host or path on its way to the Services (the client sees no redirect)."""

    filter_type = "URLRewrite"
    hostname: str | None = None
    """The host the Services see (no wildcard); the request's when left out."""
    path: PathModifier | None = None
    """How the path changes; unchanged when left out."""

    def __post_init__(self) -> None:
        if self.hostname is None and self.path is None:
            raise PropsError(
                "URLRewrite: give hostname= or path=, e.g. path=PathModifier(type='ReplacePrefixMatch', value='/')"
            )
        _check_precise_hostname(self.hostname, "URLRewrite")

    def render(self) -> dict[str, Any]:
        return {"type": self.filter_type, "urlRewrite": _render_changes(hostname=self.hostname, path=self.path)}


@type_checked
@dataclass(frozen=True, kw_only=True)
class RequestMirror:
    """Sends a copy of each request to another Service, whose answers are dropped."""

    filter_type = "RequestMirror"
    service: str
    """Name of the Service receiving the copies."""
    port: int
    """Its port number."""
    namespace: str | None = None
    """Its namespace; the route's own when left out (another needs a ReferenceGrant there)."""

    def __post_init__(self) -> None:
        owner = f"RequestMirror {self.service!r}"
        check_dns_label(self.service, what="service", owner=owner)
        if self.namespace is not None:
            check_dns_label(self.namespace, what="namespace", owner=owner)
        if not 1 <= self.port <= 65535:
            raise PropsError(f"{owner}: port must be 1..65535, got {self.port}")

    def render(self) -> dict[str, Any]:
        ref = {"name": self.service, **({"namespace": self.namespace} if self.namespace else {}), "port": self.port}
        return {"type": self.filter_type, "requestMirror": {"backendRef": ref}}


HTTPRouteFilter = RequestHeaderModifier | ResponseHeaderModifier | RequestRedirect | URLRewrite | RequestMirror
"""Any filter an HTTPRoute rule takes."""


def check_filters(owner: str, filters: tuple[HTTPRouteFilter, ...], matches: tuple[Any, ...], backends: int) -> None:
    """The Gateway API's rules on a rule's filters: at most 16; each kind once but mirrors; not a redirect
    and a rewrite together; a redirect with no backends; a prefix replaced only behind one path-prefix match."""
    if len(filters) > _MAX_ITEMS:
        raise PropsError(f"{owner}: at most {_MAX_ITEMS} filters, got {len(filters)}")
    kinds = [f.filter_type for f in filters]
    for kind in dict.fromkeys(kinds):
        if kind != RequestMirror.filter_type and kinds.count(kind) > 1:
            raise PropsError(f"{owner}: filters hold {kind} {kinds.count(kind)} times; a rule takes it once")
    if "RequestRedirect" in kinds and "URLRewrite" in kinds:
        raise PropsError(
            f"{owner}: filters hold a RequestRedirect and a URLRewrite; a rule redirects or rewrites, not both"
        )
    if "RequestRedirect" in kinds and backends:
        raise PropsError(
            f"{owner}: a rule with a RequestRedirect answers the request itself: drop its backend_refs "
            "(or put them in another rule)"
        )
    for f in filters:
        path = getattr(f, "path", None)
        if isinstance(path, PathModifier) and path.type == "ReplacePrefixMatch":
            prefix_only = not matches or (len(matches) == 1 and matches[0].type == "PathPrefix")
            if not prefix_only:
                raise PropsError(
                    f"{owner}: {f.filter_type} replaces the matched prefix, so the rule must match by one path "
                    "prefix: matches=(HTTPRouteMatch(path='/app', type='PathPrefix'),), or use "
                    "PathModifier(type='ReplaceFullPath', ...)"
                )
