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
            ("gcp:projects/serviceIdentity:ServiceIdentity", "k-secretmanager-identity"),
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
    # on a fresh project the agents do not exist yet: each grant waits for what creates its agent
    assert inputs(c, "k-secretmanager-identity") == {
        "project": "ml-data-prod",
        "service": "secretmanager.googleapis.com",
    }
    assert depends_on(c, "k-secretmanager-agent") == {"k-key", "k-secretmanager-identity"}
    # the Cloud Storage agent comes from its data source (which creates it): no resource to wait for
    assert depends_on(c, "k-storage-agent") == depends_on(c, "k-grant-etl") == {"k-key"}
    assert inputs(c, "k-ring") == {"location": "europe-west4", "project": "ml-data-prod"}
    key = inputs(c, "k-key")
    assert key["rotationPeriod"] == "2592000s"
    assert key["destroyScheduledDuration"] == "604800s"
    assert key["versionTemplate"]["protectionLevel"] == "HSM"
    assert key["deletionPolicy"] == "DELETE"
    assert key["labels"]["environment"] == "sandbox"
    assert findings(gate(c, environment="sandbox"), level="mandatory") == set()


@pytest.mark.parametrize(
    ("agent", "service"),
    [
        ("aiplatform", "aiplatform.googleapis.com"),
        ("pubsub", "pubsub.googleapis.com"),
        ("cloudsql", "sqladmin.googleapis.com"),
        ("artifactregistry", "artifactregistry.googleapis.com"),
    ],
)
def test_each_identity_agent_is_generated_before_its_grant(agent: str, service: str) -> None:
    c = run(f'Key("k", KeyArgs(ownership=o, location="us-central1", service_agents=("{agent}",)))')
    assert inputs(c, f"k-{agent}-identity") == {"service": service}
    assert depends_on(c, f"k-{agent}-agent") == {"k-key", f"k-{agent}-identity"}


def test_compute_agent_exists_with_its_api_and_has_no_identity_resource() -> None:
    c = run('Key("k", KeyArgs(ownership=o, location="us-central1", service_agents=("compute",)))')
    assert not [n for _, n in children(c) if n.endswith("-identity")]
    assert inputs(c, "k-compute-agent")["member"] == (
        f"serviceAccount:service-{PROJECT_NUMBER}@compute-system.iam.gserviceaccount.com"
    )


def test_enable_apis_enables_kms_and_the_agents_apis_first_and_never_disables_them() -> None:
    c = run(
        'Key("k", KeyArgs(ownership=o, location="us-central1", service_agents=("secretmanager",), enable_apis=True))'
    )
    assert [n for _, n in children(c) if "-api-" in n] == ["k-api-cloudkms", "k-api-secretmanager"]
    assert inputs(c, "k-api-cloudkms") == {"service": "cloudkms.googleapis.com", "disableOnDestroy": False}
    assert inputs(c, "k-api-secretmanager") == {
        "service": "secretmanager.googleapis.com",
        "disableOnDestroy": False,
    }
    apis = {"k-api-cloudkms", "k-api-secretmanager"}
    assert depends_on(c, "k-ring") == apis
    assert depends_on(c, "k-secretmanager-identity") == apis
    assert depends_on(c, "k-secretmanager-agent") == {"k-key", "k-secretmanager-identity", *apis}
    assert findings(gate(c), level="mandatory") == set()


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
    assert args.enable_apis is False  # APIs are a project prerequisite unless asked for
