"""PgVectorStore (GCP): Cloud SQL for PostgreSQL (pgvector), private IP, TLS only, CMEK, IAM logins."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from components._common import Ownership
from components.gcp import PgVectorStoreArgs
from tests.components.gcp_helpers import PROJECT_NUMBER, run
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    incident_response,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import findings, gate

NETWORK = "projects/aiwarden-offline/global/networks/apps"
DEFAULT = (
    f'PgVectorStore("pg", PgVectorStoreArgs(ownership=o, region="us-central1", '
    f'network=GcpNetwork(network="{NETWORK}")))'
)
OPTIONS = f"""
PgVectorStore("pg", PgVectorStoreArgs(
    ownership=o, region="us-central1", network=GcpNetwork(network="{NETWORK}"), project="ml-rag-prod",
    kms_key=ExistingKey(key="projects/sec-keys/locations/us-central1/keyRings/rag/cryptoKeys/pg"),
    allocated_ip_range="google-managed-services-apps", database_version="POSTGRES_17", tier="db-custom-4-16384",
    availability="ZONAL", ssl_mode="TRUSTED_CLIENT_CERTIFICATE_REQUIRED", database="rag_vectors",
    access={{"rag": Grant(principal="serviceAccount:rag-api@ml-apps-prod.iam.gserviceaccount.com", role="use"),
            "etl": Grant(principal="serviceAccount:embedder@ml-rag-prod.iam.gserviceaccount.com", role="use")}},
    backup_retention_count=30))
"""
SANDBOX = f"""
PgVectorStore("scratch", PgVectorStoreArgs(ownership=sandbox, region="us-central1",
                                           network=GcpNetwork(network="{NETWORK}"),
                                           deletion_protection=False))
"""
OWNER = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
#: IAM logins, the CIS GCP Foundations Benchmark 6.2 logging flags, pgAudit.
FLAGS = [
    {"name": "cloudsql.iam_authentication", "value": "on"},
    {"name": "log_checkpoints", "value": "on"},
    {"name": "log_connections", "value": "on"},
    {"name": "log_disconnections", "value": "on"},
    {"name": "log_lock_waits", "value": "on"},
    {"name": "log_min_messages", "value": "warning"},
    {"name": "log_min_error_statement", "value": "error"},
    {"name": "log_min_duration_statement", "value": "-1"},
    {"name": "cloudsql.enable_pgaudit", "value": "on"},
    {"name": "pgaudit.log", "value": "ddl,role"},
]


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:PgVectorStore", "pg"),
            ("aiwarden:gcp:Key", "pg-cmek"),
            ("gcp:kms/keyRing:KeyRing", "pg-cmek-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "pg-cmek-key"),
            ("gcp:projects/serviceIdentity:ServiceIdentity", "pg-cmek-cloudsql-identity"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "pg-cmek-cloudsql-agent"),
            ("gcp:sql/databaseInstance:DatabaseInstance", "pg-instance"),
            ("gcp:sql/database:Database", "pg-db"),
        ]
    )
    assert {parent_name(c, n) for n in ("pg-cmek", "pg-instance", "pg-db")} == {"pg"}
    # the Cloud SQL agent does not exist on a fresh project until its identity is generated
    assert inputs(c, "pg-cmek-cloudsql-identity") == {"service": "sqladmin.googleapis.com"}
    assert "pg-cmek-cloudsql-identity" in depends_on(c, "pg-cmek-cloudsql-agent")
    agent = inputs(c, "pg-cmek-cloudsql-agent")
    assert (
        agent["member"] == f"serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-cloud-sql.iam.gserviceaccount.com"
    )
    assert inputs(c, "pg-instance") == {
        "region": "us-central1",
        "databaseVersion": "POSTGRES_16",
        "encryptionKeyName": agent["cryptoKeyId"],
        "deletionProtection": True,
        "settings": {
            "edition": "ENTERPRISE",  # absent: ENTERPRISE_PLUS for POSTGRES_16, which refuses db-custom tiers
            "tier": "db-custom-2-8192",
            "availabilityType": "REGIONAL",
            "deletionProtectionEnabled": True,
            "ipConfiguration": {"ipv4Enabled": False, "privateNetwork": NETWORK, "sslMode": "ENCRYPTED_ONLY"},
            "backupConfiguration": {
                "enabled": True,
                "pointInTimeRecoveryEnabled": True,
                "backupRetentionSettings": {"retainedBackups": 14.0, "retentionUnit": "COUNT"},
            },
            "databaseFlags": FLAGS,
            "userLabels": OWNERSHIP,
        },
    }
    assert "pg-cmek-cloudsql-agent" in depends_on(c, "pg-instance")
    assert inputs(c, "pg-db")["name"] == "vectors"
    assert inputs(c, "pg-db")["instance"].startswith("pg-instance-")


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT, audit=True)), level="mandatory") == set()


def test_options_and_iam_logins() -> None:
    c = run(OPTIONS, audit=True)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:PgVectorStore", "pg"),
            ("gcp:sql/databaseInstance:DatabaseInstance", "pg-instance"),
            ("gcp:sql/database:Database", "pg-db"),
            ("gcp:sql/user:User", "pg-user-rag"),
            ("gcp:sql/user:User", "pg-user-etl"),
        ]
    )
    instance = inputs(c, "pg-instance")
    assert (
        instance["encryptionKeyName"] == "projects/sec-keys/locations/us-central1/keyRings/rag/cryptoKeys/pg"
    )
    assert (instance["project"], instance["databaseVersion"], instance["deletionProtection"]) == (
        "ml-rag-prod",
        "POSTGRES_17",
        True,
    )
    settings = instance["settings"]
    assert settings["ipConfiguration"] == {
        "ipv4Enabled": False,
        "privateNetwork": NETWORK,
        "allocatedIpRange": "google-managed-services-apps",
        "sslMode": "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
    }
    assert (settings["tier"], settings["availabilityType"], settings["deletionProtectionEnabled"]) == (
        "db-custom-4-16384",
        "ZONAL",
        True,
    )
    assert settings["backupConfiguration"]["backupRetentionSettings"]["retainedBackups"] == 30.0
    assert inputs(c, "pg-db")["name"] == "rag_vectors"
    users = {n: inputs(c, n) for n in ("pg-user-rag", "pg-user-etl")}
    assert {n: (u["name"], u["type"], u["project"]) for n, u in users.items()} == {
        "pg-user-rag": ("rag-api@ml-apps-prod.iam", "CLOUD_IAM_SERVICE_ACCOUNT", "ml-rag-prod"),
        "pg-user-etl": ("embedder@ml-rag-prod.iam", "CLOUD_IAM_SERVICE_ACCOUNT", "ml-rag-prod"),
    }
    assert all("password" not in u for u in users.values())
    assert findings(gate(c), level="mandatory") == set()


def test_enterprise_plus_takes_a_performance_optimized_tier() -> None:
    c = run(
        DEFAULT.replace(
            "network=GcpNetwork",
            'edition="ENTERPRISE_PLUS", tier="db-perf-optimized-N-4", network=GcpNetwork',
        )
    )
    settings = inputs(c, "pg-instance")["settings"]
    assert (settings["edition"], settings["tier"]) == ("ENTERPRISE_PLUS", "db-perf-optimized-N-4")


def test_enable_apis_enables_sql_admin_and_kms_first() -> None:
    c = run(DEFAULT.replace("network=GcpNetwork", "enable_apis=True, network=GcpNetwork"))
    apis = {"pg-api-sqladmin", "pg-api-cloudkms"}
    assert {n for _, n in children(c) if "-api-" in n} == apis
    assert inputs(c, "pg-api-sqladmin") == {"service": "sqladmin.googleapis.com", "disableOnDestroy": False}
    assert apis <= depends_on(c, "pg-instance")
    assert apis <= depends_on(c, "pg-cmek-cloudsql-identity")


def test_inventory_record() -> None:
    c = run(OPTIONS)
    entry = inventory(c)["pg-instance"]
    assert (entry["kind"], entry["exposure"]) == ("vector-store", "private")
    assert entry["identities"] == [
        "serviceAccount:rag-api@ml-apps-prod.iam.gserviceaccount.com",
        "serviceAccount:embedder@ml-rag-prod.iam.gserviceaccount.com",
    ]
    ir = incident_response(c)["pg-instance"]
    assert ir["credentialsToRevoke"] == entry["identities"]
    assert len(ir["endpointsToDisable"]) == 1


def test_deletion_protection_can_be_turned_off_outside_production() -> None:
    c = run(SANDBOX)
    instance = inputs(c, "scratch-instance")
    assert (instance["deletionProtection"], instance["settings"]["deletionProtectionEnabled"]) == (
        False,
        False,
    )
    assert findings(gate(c, environment="sandbox"), level="mandatory") == set()


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        ({"network": None}, "network", "valid dictionary or instance of GcpNetwork"),
        ({"network": {"network": "default"}}, "network.network", "pattern"),
        (
            {"network": {"network": NETWORK, "psc_allowed_projects": ("ml-rag-prod",)}},
            "network.psc_allowed_projects",
            "does not use it",
        ),
        ({"private_network": NETWORK}, "private_network", "Extra inputs are not permitted"),
        (
            {"access": {"anyone": {"principal": "allUsers", "role": "use"}}},
            "access.anyone",
            "anyone on the internet",
        ),
        (
            {
                "access": {
                    "gce": {
                        "principal": f"serviceAccount:{PROJECT_NUMBER}-compute@developer.gserviceaccount.com",
                        "role": "use",
                    }
                }
            },
            "access.gce",
            "default service account",
        ),
        (
            {
                "access": {
                    "rag": {
                        "principal": "serviceAccount:rag-api@ml-apps-prod.iam.gserviceaccount.com",
                        "role": "read",
                    }
                }
            },
            "access.rag.role",
            "Input should be 'use'",
        ),
        ({"ssl_mode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"}, "ssl_mode", "ENCRYPTED_ONLY"),
        ({"database_version": "MYSQL_8_0"}, "database_version", "POSTGRES_16"),
        ({"database": "Vectors"}, "database", "pattern"),
        ({"tier": "n2-standard-4"}, "tier", "pattern"),
        (
            {"edition": "ENTERPRISE_PLUS"},
            "tier",
            "'db-custom-2-8192' is not available in the ENTERPRISE_PLUS edition",
        ),
        (
            {"tier": "db-perf-optimized-N-2"},
            "tier",
            "is an ENTERPRISE_PLUS tier; set edition='ENTERPRISE_PLUS'",
        ),
        ({"edition": "STANDARD"}, "edition", "'ENTERPRISE' or 'ENTERPRISE_PLUS'"),
        (
            {
                "kms_key": {
                    "kind": "existing",
                    "key": "projects/sec-keys/locations/us-east1/keyRings/r/cryptoKeys/k",
                }
            },
            "kms_key",
            "must be in the data's location",
        ),
        ({"ipv4_enabled": True}, "ipv4_enabled", "Extra inputs are not permitted"),
        ({"authorized_networks": ["0.0.0.0/0"]}, "authorized_networks", "Extra inputs are not permitted"),
        ({"root_password": "hunter2"}, "root_password", "Extra inputs are not permitted"),
        (
            {"deletion_protection": False},
            "deletion_protection=False",
            "production data and keys keep deletion",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], field: str, why: str) -> None:
    base = {"ownership": OWNER, "region": "us-central1", "network": {"network": NETWORK}}
    with pytest.raises(ValidationError) as caught:
        PgVectorStoreArgs.model_validate({**base, **changes})
    message = str(caught.value)
    assert field in message
    assert why in message
