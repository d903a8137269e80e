"""CloudNativePG ``Cluster`` objects as ``CnpgDatabase``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.cnpg_database import CnpgAffinity, CnpgDatabase, CnpgDatabaseProps, InitDb, ManagedService
from homelab.importing.recognise.base import Objects, Proposal, metadata, name_of, of_kind, propose
from homelab.importing.recognise.pods import image_of


def init_db(initdb: Mapping[str, Any]) -> InitDb:
    return InitDb(
        database=initdb["database"],
        owner=initdb["owner"],
        data_checksums=initdb.get("dataChecksums"),
        post_init_sql=tuple(initdb.get("postInitSQL") or ()),
        post_init_application_sql=tuple(initdb.get("postInitApplicationSQL") or ()),
        secret=(initdb.get("secret") or {}).get("name"),
    )


def affinity(spec: Mapping[str, Any]) -> CnpgAffinity:
    return CnpgAffinity(
        enable_pod_anti_affinity=spec.get("enablePodAntiAffinity"),
        topology_key=spec.get("topologyKey"),
        pod_anti_affinity_type=spec.get("podAntiAffinityType"),
        node_selector=dict(spec.get("nodeSelector") or {}),
        tolerations=tuple(spec.get("tolerations") or ()),
        node_affinity=spec.get("nodeAffinity"),
        additional_pod_affinity=spec.get("additionalPodAffinity"),
        additional_pod_anti_affinity=spec.get("additionalPodAntiAffinity"),
    )


def managed_service(entry: Mapping[str, Any]) -> ManagedService:
    template = entry.get("serviceTemplate") or {}
    meta = template.get("metadata") or {}
    return ManagedService(
        name=meta["name"],
        selector_type=entry["selectorType"],
        type=(template.get("spec") or {}).get("type"),
        annotations=dict(meta.get("annotations") or {}),
        labels=dict(meta.get("labels") or {}),
        update_strategy=entry.get("updateStrategy"),
    )


def cnpg_props(obj: Mapping[str, Any]) -> CnpgDatabaseProps:
    meta, spec = metadata(obj), obj["spec"]
    postgresql = spec.get("postgresql") or {}
    storage = spec.get("storage") or {}
    services = (spec.get("managed") or {}).get("services") or {}
    initdb = (spec.get("bootstrap") or {}).get("initdb")
    return CnpgDatabaseProps(
        name=meta["name"],
        namespace=meta.get("namespace"),
        instances=spec["instances"],
        storage_size=storage["size"],
        storage_class=storage.get("storageClass"),
        pvc_template=storage.get("pvcTemplate"),
        image_name=image_of(spec["imageName"]) if "imageName" in spec else None,
        start_delay=spec.get("startDelay"),
        stop_delay=spec.get("stopDelay"),
        parameters=dict(postgresql.get("parameters") or {}),
        shared_preload_libraries=tuple(postgresql.get("shared_preload_libraries") or ()),
        pg_hba=tuple(postgresql.get("pg_hba") or ()),
        enable_alter_system=postgresql.get("enableAlterSystem"),
        bootstrap=init_db(initdb) if initdb is not None else None,
        affinity=affinity(spec["affinity"]) if "affinity" in spec else None,
        disabled_default_services=tuple(services.get("disabledDefaultServices") or ()),
        additional_services=tuple(managed_service(s) for s in services.get("additional") or ()),
    )


def recognise_cnpg_clusters(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A ``CnpgDatabase`` per CloudNativePG Cluster."""
    for i in of_kind(objects, free, "postgresql.cnpg.io", "Cluster"):
        yield from propose(CnpgDatabase, partial(cnpg_props, objects[i]), (i,), name_of(objects[i]))
