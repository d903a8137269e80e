"""Renovate Community Edition: dependency updates for the GitHub repositories, as a GitHub AppSpec."""

from __future__ import annotations

from dataclasses import replace

from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.helm_values import merge_values
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import HelmChart
from homelab import AppSpec, Context, Scope

NAMESPACE = "renovate"

RENOVATE = HelmArgoAppProps(
    owned_by=NAMESPACE,
    name="renovate-helm-chart",
    chart=HelmChart(repo_url="https://mend.github.io/renovate-ce-ee", chart="mend-renovate-ce", version="11.x"),
    release_name="renovate",
    values={"renovate": {"mendRnvAcceptTos": "y"}},
    sync=SyncPolicy(options=("ApplyOutOfSyncOnly=true", "CreateNamespace=true")),
)

SECRET = SealedConfigProps(
    name="renovate-secret",
    namespace=NAMESPACE,
    keys=("mendRnvGithubAppId", "mendRnvGithubAppKey", "mendRnvLicenseKey"),
    type="Opaque",
    kubeseal_style=False,
)


#: Renovate's self-hosted configuration: the repository's renovate.json regenerates dist/ after each
#: update with this post-upgrade command, which a self-hosted Renovate runs only when allowed here.
SELF_HOSTED_CONFIG = """module.exports = {
  allowedCommands: ["^\\./dev synth$"],
};
"""


def base(scope: Scope) -> None:
    HelmArgoApp(scope, "renovate", RENOVATE)


def thomelab(scope: Scope, ctx: Context) -> None:
    """Renovate as the GitHub AppSpec of bot user 236257271; its keys in ``renovate-secret``."""
    SealedConfig(scope, "secret", SECRET, store=ctx.sealed)
    github = {
        "mendRnvPlatform": "github",
        "mendRnvEndpoint": "https://api.github.com/",
        "mendRnvGithubBotUserId": "236257271",
        "existingSecret": SECRET.name,
        "config": SELF_HOSTED_CONFIG,
    }
    HelmArgoApp(scope, "renovate", replace(RENOVATE, values=merge_values(RENOVATE.values, {"renovate": github})))


APP = AppSpec(name="renovate", base=base, overlays={"thomelab": thomelab})
