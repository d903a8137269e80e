"""A whole homelab exercising every pattern of issue 21 together, written the way a user writes one: a cluster
module (``home.py``: its facts, platform and plan) and one module per app in ``apps/`` — no escape hatch, no
acceptance file.

- ``apps/edge.py``: Traefik, a Helm operator with its cluster kinds, and the Gateway every route attaches to
  (HTTP, HTTPS with a wildcard certificate cert-manager issues, TLS passthrough, TCP), with an HTTP-to-HTTPS
  redirect route;
- ``apps/external_secrets.py``: the External Secrets Operator, a Helm operator with its cluster kinds;
- ``apps/sso.py``: the Keycloak operator, whose Service and admin Secret are declared with ``Creates``, a
  Keycloak it runs, reached through a TLSRoute;
- ``apps/wiki.py``: the app using all the rest (see its docstring).
"""

from __future__ import annotations

from pathlib import Path

from constructs_lib.platform import Platform
from homelab import AppSpec, Homelab, Scope
from tests.patterns.all_patterns_lab import home


def platform_base(scope: Scope) -> None:
    """The platform's shared base: what every cluster's platform starts from."""
    Platform(scope, "platform", home.PLATFORM)


CORE = AppSpec(name="core-argocd-apps", base=platform_base, overlays={"home": home.core_overlay})

LAB = Homelab(root=Path(__file__).resolve().parent, core=CORE, clusters=(home.PLAN,))
