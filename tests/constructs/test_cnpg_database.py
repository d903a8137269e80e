"""CnpgDatabase: the Cluster it renders and the typed wiring to its generated secret."""

from __future__ import annotations

from dataclasses import replace

import pytest

from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps, InitDb
from constructs_lib.errors import PropsError
from constructs_lib.versions import Image
from tests.conftest import render_one

DB = CnpgDatabaseProps(name="app-pg", namespace="app")


def test_defaults() -> None:
    m = render_one(lambda s: CnpgDatabase(s, "db", DB))
    assert m["apiVersion"] == "postgresql.cnpg.io/v1" and m["kind"] == "Cluster"
    assert m["metadata"] == {"name": "app-pg", "namespace": "app"}
    assert m["spec"] == {"instances": 1, "storage": {"size": "1Gi"}}


def test_without_a_namespace_it_is_the_apps() -> None:
    m = render_one(lambda s: CnpgDatabase(s, "db", CnpgDatabaseProps(name="app-pg")))
    assert m["metadata"] == {"name": "app-pg"}


def test_everything() -> None:
    props = replace(
        DB,
        instances=3,
        image_name=Image(name="ghcr.io/x/pg", tag="16"),
        start_delay=30,
        stop_delay=100,
        parameters={"max_connections": "200"},
        shared_preload_libraries=("vectors.so",),
        pg_hba=("host all all 10.0.0.0/8 md5",),
        enable_alter_system=True,
        storage_class="fast",
        storage_size="8Gi",
        bootstrap=InitDb(database="app", owner="app", data_checksums=True, post_init_sql=("SELECT 1;",)),
    )
    spec = render_one(lambda s: CnpgDatabase(s, "db", props))["spec"]
    assert spec == {
        "instances": 3,
        "imageName": "ghcr.io/x/pg:16",
        "startDelay": 30,
        "stopDelay": 100,
        "postgresql": {
            "parameters": {"max_connections": "200"},
            "shared_preload_libraries": ["vectors.so"],
            "pg_hba": ["host all all 10.0.0.0/8 md5"],
            "enableAlterSystem": True,
        },
        "storage": {"storageClass": "fast", "size": "8Gi"},
        "bootstrap": {
            "initdb": {"database": "app", "owner": "app", "dataChecksums": True, "postInitSQL": ["SELECT 1;"]}
        },
    }


def test_secret_helpers_name_the_generated_secret() -> None:
    assert DB.app_secret == "app-pg-app"
    assert DB.env({"DB_HOST": "host"}) == [
        {"name": "DB_HOST", "valueFrom": {"secretKeyRef": {"name": "app-pg-app", "key": "host"}}}
    ]
    assert DB.env_map({"DB_URI": "uri"}) == {
        "DB_URI": {"valueFrom": {"secretKeyRef": {"name": "app-pg-app", "key": "uri"}}}
    }


def test_unknown_secret_key() -> None:
    with pytest.raises(PropsError, match=r"CnpgDatabase 'app-pg': no secret key 'pass'; keys are host, port"):
        DB.secret_ref("pass")  # type: ignore[arg-type]


def test_instances_must_be_1_to_9() -> None:
    with pytest.raises(PropsError, match=r"CnpgDatabase 'app-pg': instances must be 1..9, got 0"):
        replace(DB, instances=0)


def test_delays_must_be_positive() -> None:
    with pytest.raises(PropsError, match=r"start_delay must be a positive number of seconds, got 0"):
        replace(DB, start_delay=0)


def test_a_secret_selector_names_the_app_secret_and_its_key() -> None:
    """The ``{name, key}`` a custom resource or chart takes, and the env var form built from it."""
    from constructs_lib.cnpg_database import CnpgDatabaseProps

    db = CnpgDatabaseProps(name="wiki-pg", namespace="wiki", instances=1, storage_size="1Gi")
    assert db.secret_selector("password") == {"name": db.app_secret, "key": "password"}
    assert db.secret_ref("password") == {"valueFrom": {"secretKeyRef": db.secret_selector("password")}}
