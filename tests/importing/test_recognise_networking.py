"""Ingresses come back as ``TailscaleIngress`` (class ``tailscale``) or ``Ingress``; CNPG clusters as ``CnpgDatabase``."""

from __future__ import annotations

from constructs_lib.cnpg_database import CnpgAffinity, CnpgDatabase, CnpgDatabaseProps, InitDb, ManagedService
from constructs_lib.ingress import Ingress, IngressPath, IngressProps, IngressTls
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import Image
from homelab.importing.claims import recognise
from tests.importing.recognising import near_miss, only_claim, recognised

PATHS = (
    IngressPath(path="/", service="web", port=80),
    IngressPath(path="/api", service="api", port="http", host="wiki.example.org", path_type="Exact"),
)


def test_a_tailscale_ingress_is_its_props() -> None:
    for props in (
        TailscaleIngressProps(
            name="photos", namespace="immich", funnel=False, service="immich-server", port=2283, hosts=("photos",)
        ),
        TailscaleIngressProps(name="wiki", funnel=True, paths=PATHS, tags=("tag:k8s",)),
    ):
        claim = only_claim(lambda s, p=props: TailscaleIngress(s, "ingress", p))
        assert (claim.construct, claim.props) == (TailscaleIngress, props)


def test_an_ingress_of_another_class_is_its_props() -> None:
    props = IngressProps(
        name="wiki",
        namespace="wiki",
        ingress_class_name="traefik",
        paths=PATHS,
        tls=(IngressTls(hosts=("wiki.example.org",), secret_name="wiki-tls"),),
        cluster_issuer="letsencrypt",
        annotations={"traefik.ingress.kubernetes.io/router.entrypoints": "websecure"},
    )
    claim = only_claim(lambda s: Ingress(s, "wiki", props))
    assert (claim.construct, claim.props) == (Ingress, props)
    plain = IngressProps(name="web", service="web")
    assert only_claim(lambda s: Ingress(s, "web", plain)).props == plain


def test_a_cnpg_cluster_is_its_props() -> None:
    props = CnpgDatabaseProps(
        name="immich-pg",
        namespace="immich",
        instances=3,
        storage_size="8Gi",
        storage_class="db",
        image_name=Image(name="ghcr.io/tensorchord/cloudnative-pgvecto.rs", tag="16.5"),
        parameters={"max_connections": "200"},
        shared_preload_libraries=("vectors.so",),
        pg_hba=("host all all 10.0.0.0/8 md5",),
        bootstrap=InitDb(database="immich", owner="immich", post_init_sql=("CREATE EXTENSION vectors;",), secret="db"),
        affinity=CnpgAffinity(enable_pod_anti_affinity=True, topology_key="kubernetes.io/hostname"),
        disabled_default_services=("ro", "r"),
        additional_services=(ManagedService(name="pg-lb", selector_type="rw", type="LoadBalancer"),),
    )
    claim = only_claim(lambda s: CnpgDatabase(s, "db", props))
    assert (claim.construct, claim.props) == (CnpgDatabase, props)
    plain = CnpgDatabaseProps(name="cluster-example", instances=3)  # in the app's namespace
    assert only_claim(lambda s: CnpgDatabase(s, "db", plain)).props == plain


def test_a_field_no_prop_names_leaves_the_object_raw() -> None:
    props = TailscaleIngressProps(name="i", funnel=False, service="w")
    objects, _ = recognised(lambda s: TailscaleIngress(s, "i", props))
    near_miss(objects, 0, ("status",), {"loadBalancer": {}})
    objects, _ = recognised(lambda s: CnpgDatabase(s, "db", CnpgDatabaseProps(name="db", namespace="a")))
    near_miss(objects, 0, ("spec", "backup"), {"retentionPolicy": "30d"})


def test_what_tailscale_ingress_cannot_say_an_ingress_of_class_tailscale_can() -> None:
    props = TailscaleIngressProps(name="i", funnel=False, service="w")
    objects, _ = recognised(lambda s: TailscaleIngress(s, "i", props))
    objects[0]["metadata"]["annotations"] = {"tailscale.com/experimental-forward-cluster-traffic-via-ingress": "true"}
    (claim,) = recognise(objects)
    assert claim.construct is Ingress
    assert claim.props == IngressProps(
        name="i", ingress_class_name="tailscale", service="w", annotations=objects[0]["metadata"]["annotations"]
    )
