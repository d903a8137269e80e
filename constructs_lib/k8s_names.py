"""Checks of Kubernetes object names, shared by every construct."""

from __future__ import annotations

import re

from constructs_lib.errors import PropsError

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def check_dns_label(value: str, *, what: str, owner: str) -> str:
    """Return ``value`` if it is an RFC 1123 label (namespaces, services), else raise PropsError."""
    if not isinstance(value, str) or len(value) > 63 or not _DNS_LABEL.match(value):
        raise PropsError(
            f"{owner}: {what} {value!r} is not a valid Kubernetes name: use at most 63 lower-case "
            "letters, digits and '-', starting and ending with a letter or digit"
        )
    return value


def check_dns_subdomain(value: str, *, what: str, owner: str) -> str:
    """Return ``value`` if it is an RFC 1123 subdomain (most object names), else raise PropsError."""
    if not isinstance(value, str) or len(value) > 253 or not _DNS_SUBDOMAIN.match(value):
        raise PropsError(
            f"{owner}: {what} {value!r} is not a valid Kubernetes name: use at most 253 lower-case "
            "letters, digits, '-' and '.', starting and ending with a letter or digit"
        )
    return value
