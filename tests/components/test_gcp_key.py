"""Key (GCP): key ring + rotating crypto key, encrypter/decrypter grants for service agents and named principals."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from components._common import CreateKey, Ownership
from components.gcp import KeyArgs
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

DEFAULT = 'Key("k", KeyArgs(ownership=o, location="us-central1"))'
OPTIONS = """
sandbox = Ownership(owner="ml-platform", environment="sandbox", data_classification="confidential", purpose="training")
Key("k", KeyArgs(ownership=sandbox, location="europe-west4", project="ml-data-prod",
                 settings=CreateKey(rotation_period_days=30, deletion_window_days=7), protection_level="HSM",
                 service_agents=("storage", "secretmanager"),
                 access={"etl": Grant(principal="serviceAccount:etl@ml-data-prod.iam.gserviceaccount.com", role="use")},
                 deletion_protection=False))
"""
ENC_DEC = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
OWNER = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:Key", "k"),
            ("gcp:kms/keyRing:KeyRing", "k-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "k-key"),
        ]
    )
    assert parent_name(c, "k-ring") == parent_name(c, "k-key") == "k"
    assert inputs(c, "k-ring") == {"location": "us-central1"}
    key = inputs(c, "k-key")
    assert key["rotationPeriod"] == "7776000s"  # 90 days; provider default: no rotation
    assert key["destroyScheduledDuration"] == "2592000s"
    assert key["purpose"] == "ENCRYPT_DECRYPT"
    assert key["versionTemplate"] == {
        "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION",
        "protectionLevel": "SOFTWARE",
    }
    assert key["deletionPolicy"] == "PREVENT"
    assert key["importOnly"] is False
    assert key["labels"] == OWNERSHIP
    assert key["keyRing"].startswith("projects/aiwarden-offline/locations/us-central1/keyRings/k-ring")
    assert depends_on(c, "k-key") == {"k-ring"}


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT)), level="mandatory") == set()


def test_service_agents_and_use_grants_get_encrypter_decrypter() -> None:
    c = run(OPTIONS)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:Key", "k"),
            ("gcp:kms/keyRing:KeyRing", "k-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "k-key"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "k-storage-agent"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "k-secretmanager-agent"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "k-grant-etl"),
        ]
    )
    members = {
        name: inputs(c, name)["member"]
        for name in ("k-storage-agent", "k-secretmanager-agent", "k-grant-etl")
    }
    assert members == {
        "k-storage-agent": f"serviceAccount:service-{PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com",
        "k-secretmanager-agent": f"serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-secretmanager.iam.gserviceaccount.com",
        "k-grant-etl": "serviceAccount:etl@ml-data-prod.iam.gserviceaccount.com",
    }
    for name in members:
        assert inputs(c, name)["role"] == ENC_DEC
        assert inputs(c, name)["cryptoKeyId"].startswith(inputs(c, "k-key")["keyRing"] + "/cryptoKeys/k-key-")
        assert depends_on(c, name) == {"k-key"}
    assert inputs(c, "k-ring") == {"location": "europe-west4", "project": "ml-data-prod"}
    key = inputs(c, "k-key")
    assert key["rotationPeriod"] == "2592000s"
    assert key["destroyScheduledDuration"] == "604800s"
    assert key["versionTemplate"]["protectionLevel"] == "HSM"
    assert key["deletionPolicy"] == "DELETE"
    assert key["labels"]["environment"] == "sandbox"
    assert findings(gate(c, environment="sandbox"), level="mandatory") == set()


def test_inventory_record_names_the_key_and_who_can_use_it() -> None:
    c = run(OPTIONS)
    entry = inventory(c)["k-key"]
    assert (entry["kind"], entry["owner"], entry["dataClassification"], entry["exposure"]) == (
        "encryption-key",
        "ml-platform",
        "confidential",
        "private",
    )
    assert entry["identities"] == [
        f"serviceAccount:service-{PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com",
        f"serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-secretmanager.iam.gserviceaccount.com",
        "serviceAccount:etl@ml-data-prod.iam.gserviceaccount.com",
    ]
    ir = incident_response(c)["k-key"]
    assert ir["credentialsToRevoke"] == [inputs(c, "k-storage-agent")["cryptoKeyId"]]
    assert ir["containment"]


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        (
            {"access": {"anyone": {"principal": "allUsers", "role": "use"}}},
            "access.anyone",
            "anyone on the internet",
        ),
        (
            {"access": {"all": {"principal": "allAuthenticatedUsers", "role": "use"}}},
            "access.all",
            "anyone on the internet",
        ),
        (
            {"access": {"corp": {"principal": "domain:example.com", "role": "use"}}},
            "access.corp",
            "wildcard or a whole set",
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
        ({"access": {"x": {"principal": "bob@example.com", "role": "use"}}}, "access.x", "`user:<email>`"),
        (
            {"access": {"Bad_Name": {"principal": "user:bob@example.com", "role": "use"}}},
            "access.Bad_Name",
            "pattern",
        ),
        ({"access": {"x": {"principal": "user:bob@example.com", "role": "read"}}}, "access.x.role", "'use'"),
        ({"service_agents": ("storage", "storage")}, "service_agents", "twice"),
        ({"service_agents": ("bigquery",)}, "service_agents.0", "storage"),
        ({"location": "US Central"}, "location", "pattern"),
        ({"project": "My_Project"}, "project", "pattern"),
        (
            {"settings": {"rotation_period_days": 0}},
            "settings.rotation_period_days",
            "greater than or equal to 1",
        ),
        ({"settings": {"kind": "existing", "key": "x"}}, "settings.kind", "'create'"),
        ({"protection_level": "EXTERNAL"}, "protection_level", "SOFTWARE"),
        ({"rotation": 30}, "rotation", "Extra inputs are not permitted"),
        (
            {"deletion_protection": False},
            "deletion_protection=False",
            "production data and keys keep deletion",
        ),
        (
            {"settings": {"deletion_window_days": 7}},
            "settings.deletion_window_days=7",
            "production keys keep destroyed versions restorable for 30 days",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, object], field: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        KeyArgs.model_validate({"ownership": OWNER, "location": "us-central1", **changes})
    message = str(caught.value)
    assert field in message
    assert why in message


def test_defaults_differ_from_provider_defaults_in_the_args_model() -> None:
    args = KeyArgs(ownership=OWNER, location="us")
    assert args.settings == CreateKey()
    assert args.deletion_protection is None  # resolved to on (PREVENT)
    assert args.service_agents == ()
