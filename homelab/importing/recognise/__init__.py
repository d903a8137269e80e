"""The recognisers, one module per construct family, in the order they are tried.

Each is a :data:`~homelab.importing.recognise.base.Recogniser`: it reads the objects of one build and
proposes construct calls; :func:`homelab.importing.claims.recognise` keeps a proposal only when rendering
it gives exactly its objects. Those that claim several objects at once come first, so a Namespace an
app-of-apps triple holds is not taken alone.
"""

from __future__ import annotations

from homelab.importing.recognise.app_of_apps import (
    recognise_app_of_apps,
    recognise_lone_app_of_apps,
    recognise_namespaces,
)
from homelab.importing.recognise.applications import recognise_applications
from homelab.importing.recognise.base import Recogniser
from homelab.importing.recognise.cnpg import recognise_cnpg_clusters
from homelab.importing.recognise.config import recognise_config
from homelab.importing.recognise.external_secrets import recognise_external_secrets
from homelab.importing.recognise.networking import recognise_gateways, recognise_ingresses
from homelab.importing.recognise.platform import recognise_platform
from homelab.importing.recognise.routes import recognise_routes
from homelab.importing.recognise.sealed import recognise_sealed_secrets
from homelab.importing.recognise.storage import (
    recognise_nfs_volumes,
    recognise_snapshot_classes,
    recognise_storage_classes,
    recognise_volume_claims,
)
from homelab.importing.recognise.workloads import recognise_workloads

RECOGNISERS: tuple[Recogniser, ...] = (
    recognise_app_of_apps,
    recognise_platform,
    recognise_applications,
    recognise_lone_app_of_apps,
    recognise_sealed_secrets,
    recognise_cnpg_clusters,
    recognise_nfs_volumes,
    recognise_storage_classes,
    recognise_snapshot_classes,
    recognise_volume_claims,
    recognise_ingresses,
    recognise_gateways,
    recognise_routes,
    recognise_external_secrets,
    recognise_workloads,
    recognise_config,
    recognise_namespaces,
)
