"""Storage comes back as ``NfsVolume`` (volume and bound claim together), ``LonghornStorageClass``, ``VolumeClaim``
and ``VolumeSnapshotClass``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.nfs_volume import NfsVolume, NfsVolumeProps
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from constructs_lib.volume_snapshot_class import VolumeSnapshotClass, VolumeSnapshotClassProps
from tests.importing.recognising import near_miss, only_claim, recognised

names = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
claims = st.builds(
    VolumeClaimProps,
    name=names,
    namespace=st.one_of(st.none(), names),
    size=st.sampled_from(["1Gi", "20Gi"]),
    storage_class=st.one_of(st.none(), st.just(""), names),
    access_modes=st.sampled_from([("ReadWriteOnce",), ("ReadWriteMany", "ReadOnlyMany")]),
    volume_name=st.one_of(st.none(), names),
    selector=st.one_of(st.none(), st.just({"matchLabels": {"app": "x"}})),
    labels=st.dictionaries(names, names, max_size=2),
    sync_wave=st.one_of(st.none(), st.integers(-2, 2)),
)
classes = st.builds(
    LonghornStorageClassProps,
    name=names,
    replicas=st.integers(1, 5),
    stale_replica_timeout=st.one_of(st.none(), st.integers(1, 60)),
    reclaim_policy=st.sampled_from(["Retain", "Delete"]),
    data_locality=st.sampled_from(["disabled", "best-effort"]),
    allow_expansion=st.booleans(),
    from_backup=st.sampled_from(["", "s3://backups/x"]),
)


@settings(max_examples=25, deadline=None)
@given(claims)
def test_a_claim_is_its_props(props: VolumeClaimProps) -> None:
    claim = only_claim(lambda s: VolumeClaim(s, "data", props))
    assert (claim.construct, claim.props) == (VolumeClaim, props)


@settings(max_examples=25, deadline=None)
@given(classes)
def test_a_longhorn_storage_class_is_its_props(props: LonghornStorageClassProps) -> None:
    claim = only_claim(lambda s: LonghornStorageClass(s, "sc", props))
    assert (claim.construct, claim.props) == (LonghornStorageClass, props)


def test_an_nfs_volume_takes_its_bound_claim_with_it() -> None:
    props = NfsVolumeProps(
        name="nfs-media",
        server="10.0.0.2",
        path="/export/media",
        size="500Gi",
        claim_name="media",
        claim_namespace="tv",
    )
    claim = only_claim(lambda s: NfsVolume(s, "media", props))
    assert (claim.construct, claim.props, claim.objects) == (NfsVolume, props, (0, 1))
    alone = NfsVolumeProps(name="nfs-media", server="nas", path="/export/media", size="1Ti", reclaim_policy="Delete")
    assert only_claim(lambda s: NfsVolume(s, "media", alone)).props == alone


def test_a_field_no_prop_names_leaves_the_object_raw() -> None:
    props = NfsVolumeProps(name="nfs", server="nas", path="/x", size="1Gi", claim_name="data", claim_namespace="a")
    objects, _ = recognised(lambda s: NfsVolume(s, "nfs", props))
    claims = near_miss(objects, 0, ("spec", "mountOptions"), ["nfsvers=4.1"])
    assert [c.construct for c in claims if 1 in c.objects] == [VolumeClaim]  # the claim alone is still typed
    objects, _ = recognised(lambda s: LonghornStorageClass(s, "sc", LonghornStorageClassProps(name="sc")))
    near_miss(objects, 0, ("parameters", "diskSelector"), "ssd")
    objects, _ = recognised(lambda s: VolumeClaim(s, "c", VolumeClaimProps(name="c", size="1Gi")))
    near_miss(objects, 0, ("spec", "volumeMode"), "Block")


snapshot_classes = st.builds(
    VolumeSnapshotClassProps,
    name=names,
    driver=st.sampled_from(["driver.longhorn.io", "rbd.csi.ceph.com"]),
    deletion_policy=st.sampled_from(["Delete", "Retain"]),
    parameters=st.dictionaries(names, names, max_size=2),
    labels=st.dictionaries(names, names, max_size=2),
    annotations=st.sampled_from([{}, {"snapshot.storage.kubernetes.io/is-default-class": "true"}]),
)


@settings(max_examples=20, deadline=None)
@given(snapshot_classes)
def test_a_volume_snapshot_class_is_its_props(props: VolumeSnapshotClassProps) -> None:
    claim = only_claim(lambda s: VolumeSnapshotClass(s, "c", props))
    assert (claim.construct, claim.props) == (VolumeSnapshotClass, props)


def test_what_a_volume_snapshot_class_cannot_say_leaves_it_raw() -> None:
    objects, _ = recognised(lambda s: VolumeSnapshotClass(s, "c", VolumeSnapshotClassProps(name="c", driver="d")))
    near_miss(objects, 0, ("metadata", "namespace"), "default")  # cluster-scoped: a namespace is no prop
    near_miss(objects, 0, ("deletionPolicy",), "Keep")
