"""TailscaleIngress: default backend, TLS hosts, Funnel as an explicit choice, path routes."""

from __future__ import annotations

import pytest

from constructs_lib.errors import PropsError
from constructs_lib.tailscale_ingress import IngressPath, TailscaleIngress, TailscaleIngressProps
from tests.conftest import render_one


def test_private_ingress() -> None:
    props = TailscaleIngressProps(name="ts-app", service="app", hosts=("app",), funnel=False)
    m = render_one(lambda s: TailscaleIngress(s, "i", props))
    assert m["metadata"] == {"name": "ts-app"}
    assert m["spec"] == {
        "defaultBackend": {"service": {"name": "app", "port": {"name": "http"}}},
        "ingressClassName": "tailscale",
        "tls": [{"hosts": ["app"]}],
    }


def test_funnel_and_tags() -> None:
    props = TailscaleIngressProps(
        name="ts-app", namespace="app", service="app", port=8080, funnel=True, tags=("tag:k8s", "tag:funnel")
    )
    m = render_one(lambda s: TailscaleIngress(s, "i", props))
    assert m["metadata"]["annotations"] == {"tailscale.com/funnel": "true", "tailscale.com/tags": "tag:k8s,tag:funnel"}
    assert m["spec"]["defaultBackend"]["service"]["port"] == {"number": 8080}
    assert "tls" not in m["spec"]


def test_path_routes() -> None:
    props = TailscaleIngressProps(
        name="kasm", funnel=False, paths=(IngressPath(path="/api/", service="api", port=8080),)
    )
    spec = render_one(lambda s: TailscaleIngress(s, "i", props))["spec"]
    assert spec["rules"] == [
        {
            "http": {
                "paths": [
                    {
                        "path": "/api/",
                        "pathType": "Prefix",
                        "backend": {"service": {"name": "api", "port": {"number": 8080}}},
                    }
                ]
            }
        }
    ]


def test_funnel_is_required() -> None:
    with pytest.raises(TypeError, match="funnel"):
        TailscaleIngressProps(name="x", service="x")  # type: ignore[call-arg]


def test_tls_host_must_be_a_tailnet_machine_name() -> None:
    with pytest.raises(
        PropsError, match=r"TailscaleIngress 'ts-sso': TLS host 'sso.tail1234.ts.net' is not a tailnet machine name"
    ):
        TailscaleIngressProps(name="ts-sso", service="sso", hosts=("sso.tail1234.ts.net",), funnel=False)


def test_needs_a_backend() -> None:
    with pytest.raises(PropsError, match=r"give service= \(the default backend\) or paths="):
        TailscaleIngressProps(name="x", funnel=False)


def test_tags_must_be_acl_tags() -> None:
    with pytest.raises(PropsError, match=r"ACL tag 'k8s' must look like 'tag:k8s'"):
        TailscaleIngressProps(name="x", service="x", funnel=False, tags=("k8s",))
