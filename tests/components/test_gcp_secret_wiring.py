"""SecretWiring (GCP): CMEK secret, accessor grants on the secret only, Workload Identity, rotation topic."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from components._common import CreateKey, Ownership
from components.gcp import SecretWiringArgs
from tests.components.gcp_helpers import PROJECT_NUMBER, run
from tests.components.helpers import (
    OWNERSHIP,
    SECRET_SIG,
    children,
    depends_on,
    incident_response,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import findings, gate

DEFAULT = """
SecretWiring("openai", SecretWiringArgs(ownership=o, secret_id="openai-api-key", replicas={"us-central1": CreateKey()}))
"""
WIRED = """
SecretWiring("openai", SecretWiringArgs(
    ownership=o, secret_id="openai-api-key",
    replicas={"us-central1": CreateKey(),
              "us-east1": ExistingKey(key="projects/sec-keys/locations/us-east1/keyRings/r/cryptoKeys/k")},
    value=pulumi.Output.from_input("sk-proj-offline-test-value"),
    access={"rag": SecretGrant(principal="serviceAccount:rag-api@aiwarden-offline.iam.gserviceaccount.com",
                               role="read",
                               kubernetes={"rag": KubernetesBinding(service_account=ServiceAccountRef(namespace="rag", name="rag-api"))}),
            "eval": SecretGrant(principal="serviceAccount:evaluator@ml-eval.iam.gserviceaccount.com", role="read",
                                kubernetes={"eval": KubernetesBinding(service_account=ServiceAccountRef(namespace="eval", name="runner"),
                                                                      cluster_project="gke-prod-01")})},
    rotation=Rotation(topic="projects/aiwarden-offline/topics/secret-rotation", period_days=30,
                      first_rotation=datetime(2030, 1, 1, 12, tzinfo=UTC)),
    version_destroy_ttl_days=30))
"""
SANDBOX = """
SecretWiring("scratch", SecretWiringArgs(ownership=sandbox, secret_id="scratch", replicas={"us-central1": CreateKey()},
                                         deletion_protection=False))
"""
SM_AGENT = f"serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-secretmanager.iam.gserviceaccount.com"
OWNER = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
RAG = "rag-api@aiwarden-offline.iam.gserviceaccount.com"
K8S = {"service_account": {"namespace": "rag", "name": "rag-api"}}
BASE: dict[str, Any] = {
    "ownership": OWNER,
    "secret_id": "openai-api-key",
    "replicas": {"us-central1": CreateKey()},
}


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:SecretWiring", "openai"),
            ("aiwarden:gcp:Key", "openai-cmek-us-central1"),
            ("gcp:kms/keyRing:KeyRing", "openai-cmek-us-central1-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "openai-cmek-us-central1-key"),
            (
                "gcp:projects/serviceIdentity:ServiceIdentity",
                "openai-cmek-us-central1-secretmanager-identity",
            ),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "openai-cmek-us-central1-secretmanager-agent"),
            ("gcp:secretmanager/secret:Secret", "openai-secret"),
        ]
    )
    assert parent_name(c, "openai-secret") == parent_name(c, "openai-cmek-us-central1") == "openai"
    # the Secret Manager agent is generated before it is granted the key (it does not exist on a fresh project)
    assert inputs(c, "openai-cmek-us-central1-secretmanager-identity") == {
        "service": "secretmanager.googleapis.com"
    }
    assert "openai-cmek-us-central1-secretmanager-identity" in depends_on(
        c, "openai-cmek-us-central1-secretmanager-agent"
    )
    agent = inputs(c, "openai-cmek-us-central1-secretmanager-agent")
    assert agent["member"] == SM_AGENT
    secret = inputs(c, "openai-secret")
    assert secret == {
        "secretId": "openai-api-key",
        "replication": {
            "userManaged": {
                "replicas": [
                    {
                        "location": "us-central1",
                        "customerManagedEncryption": {"kmsKeyName": agent["cryptoKeyId"]},
                    }
                ]
            }
        },
        "versionDestroyTtl": "604800s",
        "deletionProtection": True,
        "labels": OWNERSHIP,
    }
    assert "openai-cmek-us-central1-secretmanager-agent" in depends_on(c, "openai-secret")


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT)), level="mandatory") == set()


def test_value_accessors_workload_identity_and_rotation() -> None:
    c = run(WIRED)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:SecretWiring", "openai"),
            ("aiwarden:gcp:Key", "openai-cmek-us-central1"),
            (
                "gcp:projects/serviceIdentity:ServiceIdentity",
                "openai-cmek-us-central1-secretmanager-identity",
            ),
            ("gcp:projects/serviceIdentity:ServiceIdentity", "openai-secretmanager-identity"),
            ("gcp:pubsub/topicIAMMember:TopicIAMMember", "openai-rotation-publisher"),
            ("gcp:serviceaccount/iAMMember:IAMMember", "openai-wi-rag"),
            ("gcp:serviceaccount/iAMMember:IAMMember", "openai-wi-eval"),
            ("gcp:kms/keyRing:KeyRing", "openai-cmek-us-central1-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "openai-cmek-us-central1-key"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "openai-cmek-us-central1-secretmanager-agent"),
            ("gcp:secretmanager/secret:Secret", "openai-secret"),
            ("gcp:secretmanager/secretVersion:SecretVersion", "openai-version"),
            ("gcp:secretmanager/secretIamMember:SecretIamMember", "openai-accessor-rag"),
            ("gcp:secretmanager/secretIamMember:SecretIamMember", "openai-accessor-eval"),
        ]
    )
    secret = inputs(c, "openai-secret")
    replicas = secret["replication"]["userManaged"]["replicas"]
    assert [(r["location"], r["customerManagedEncryption"]["kmsKeyName"]) for r in replicas] == [
        ("us-central1", inputs(c, "openai-cmek-us-central1-secretmanager-agent")["cryptoKeyId"]),
        ("us-east1", "projects/sec-keys/locations/us-east1/keyRings/r/cryptoKeys/k"),
    ]
    assert secret["topics"] == [{"name": "projects/aiwarden-offline/topics/secret-rotation"}]
    assert secret["rotation"] == {"rotationPeriod": "2592000s", "nextRotationTime": "2030-01-01T12:00:00Z"}
    assert secret["versionDestroyTtl"] == "2592000s"
    assert secret["deletionProtection"] is True
    assert inputs(c, "openai-rotation-publisher") == {
        "topic": "projects/aiwarden-offline/topics/secret-rotation",
        "role": "roles/pubsub.publisher",
        "member": SM_AGENT,
    }
    assert "openai-rotation-publisher" in depends_on(c, "openai-secret")
    # the agent that publishes rotation notifications exists before the topic grant
    assert depends_on(c, "openai-rotation-publisher") == {"openai-secretmanager-identity"}

    version = inputs(c, "openai-version")
    assert version["secretData"] == {
        SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270",
        "value": "sk-proj-offline-test-value",
    }
    assert version["enabled"] is True

    assert {n: inputs(c, n) for n in ("openai-accessor-rag", "openai-accessor-eval")} == {
        "openai-accessor-rag": {
            "secretId": "openai-api-key",
            "project": "aiwarden-offline",
            "role": "roles/secretmanager.secretAccessor",
            "member": "serviceAccount:rag-api@aiwarden-offline.iam.gserviceaccount.com",
        },
        "openai-accessor-eval": {
            "secretId": "openai-api-key",
            "project": "aiwarden-offline",
            "role": "roles/secretmanager.secretAccessor",
            "member": "serviceAccount:evaluator@ml-eval.iam.gserviceaccount.com",
        },
    }
    assert {n: inputs(c, n) for n in ("openai-wi-rag", "openai-wi-eval")} == {
        "openai-wi-rag": {
            "serviceAccountId": "projects/aiwarden-offline/serviceAccounts/rag-api@aiwarden-offline.iam.gserviceaccount.com",
            "role": "roles/iam.workloadIdentityUser",
            "member": "serviceAccount:aiwarden-offline.svc.id.goog[rag/rag-api]",
        },
        "openai-wi-eval": {
            "serviceAccountId": "projects/ml-eval/serviceAccounts/evaluator@ml-eval.iam.gserviceaccount.com",
            "role": "roles/iam.workloadIdentityUser",
            "member": "serviceAccount:gke-prod-01.svc.id.goog[eval/runner]",
        },
    }
    assert findings(gate(c), level="mandatory") == set()


def test_no_project_level_grant_is_ever_made() -> None:
    c = run(WIRED)
    assert not [r.type for r in c.resources if r.type.startswith("gcp:projects/iAM")]


def test_enable_apis_enables_secret_manager_kms_and_iam_first() -> None:
    c = run(WIRED.replace("version_destroy_ttl_days=30", "version_destroy_ttl_days=30, enable_apis=True"))
    apis = {"openai-api-secretmanager", "openai-api-cloudkms", "openai-api-iam"}
    assert {n for _, n in children(c) if "-api-" in n} == apis
    assert inputs(c, "openai-api-iam") == {"service": "iam.googleapis.com", "disableOnDestroy": False}
    for name in (
        "openai-secret",
        "openai-cmek-us-central1-ring",
        "openai-secretmanager-identity",
        "openai-wi-rag",
    ):
        assert apis <= depends_on(c, name), name
    # no Workload Identity binding, no created key: only the Secret Manager API
    only = run(
        DEFAULT.replace(
            "CreateKey()}",
            'ExistingKey(key="projects/sec-keys/locations/us-central1/keyRings/r/cryptoKeys/k")}, enable_apis=True',
        )
    )
    assert [n for _, n in children(only) if "-api-" in n] == ["openai-api-secretmanager"]


def test_inventory_names_every_identity_that_can_read_the_secret() -> None:
    c = run(WIRED)
    entry = inventory(c)["openai-secret"]
    assert (entry["kind"], entry["exposure"]) == ("secret", "private")
    assert entry["identities"] == [
        "serviceAccount:rag-api@aiwarden-offline.iam.gserviceaccount.com",
        "serviceAccount:evaluator@ml-eval.iam.gserviceaccount.com",
        "serviceAccount:aiwarden-offline.svc.id.goog[rag/rag-api]",
        "serviceAccount:gke-prod-01.svc.id.goog[eval/runner]",
    ]
    ir = incident_response(c)["openai-secret"]
    assert ir["credentialsToRevoke"] == [inputs(c, "openai-version")["secret"]]
    assert "secretmanager.googleapis.com" in ir["logsToPreserve"][0]


def test_deletion_protection_can_be_turned_off_outside_production() -> None:
    c = run(SANDBOX)
    assert inputs(c, "scratch-secret")["deletionProtection"] is False
    assert findings(gate(c, environment="sandbox"), level="mandatory") == set()


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        ({"value": "sk-proj-plaintext"}, "value", "plain str"),
        ({"value": b"sk-proj-plaintext"}, "value", "plain bytes"),
        ({"value": {"key": "sk"}}, "value", "plain dict"),
        (
            {"access": {"anyone": {"principal": "allUsers", "role": "read"}}},
            "access.anyone",
            "anyone on the internet",
        ),
        (
            {
                "access": {
                    "gce": {
                        "principal": f"serviceAccount:{PROJECT_NUMBER}-compute@developer.gserviceaccount.com",
                        "role": "read",
                    }
                }
            },
            "access.gce",
            "default service account",
        ),
        (
            {"access": {"x": {"principal": "x@p-123456.iam.gserviceaccount.com", "role": "read"}}},
            "access.x",
            "`serviceAccount:<name>@<project-id>.iam.gserviceaccount.com`",
        ),
        (
            {"access": {"x": {"principal": "user:bob@example.com", "role": "read"}}},
            "access.x",
            "not a user-managed service account",
        ),
        (
            {"access": {"x": {"principal": f"serviceAccount:{RAG}", "role": "write"}}},
            "access.x.role",
            "Input should be 'read'",
        ),
        (
            {
                "access": {
                    "a": {"principal": f"serviceAccount:{RAG}", "role": "read", "kubernetes": {"rag": K8S}},
                    "b": {"principal": f"serviceAccount:{RAG}", "role": "read", "kubernetes": {"rag": K8S}},
                }
            },
            "access.b.kubernetes.rag",
            "access.a already has a binding of this name",
        ),
        (
            {
                "access": {
                    "rag": {
                        "principal": f"serviceAccount:{RAG}",
                        "role": "read",
                        "kubernetes": {
                            "rag": {"service_account": {"namespace": "Rag_NS", "name": "rag-api"}}
                        },
                    }
                }
            },
            "access.rag.kubernetes.rag.service_account.namespace",
            "pattern",
        ),
        ({"replicas": {}}, "replicas", "at least 1 item"),
        (
            {
                "replicas": {
                    "us-east1": {
                        "kind": "existing",
                        "key": "projects/sec-keys/locations/us-central1/keyRings/r/cryptoKeys/k",
                    }
                }
            },
            "replicas['us-east1']",
            "must be in the data's location",
        ),
        (
            {"replicas": {"us-central1": {"kind": "existing", "key": "not-a-key"}}},
            "replicas['us-central1']",
            "not a Cloud KMS crypto key id",
        ),
        ({"replicas": {"us-central1": None}}, "replicas.us-central1", "Input should be"),
        (
            {"rotation": {"topic": "rotation", "period_days": 30, "first_rotation": "2030-01-01T00:00:00Z"}},
            "rotation.topic",
            "pattern",
        ),
        (
            {
                "rotation": {
                    "topic": "projects/aiwarden-offline/topics/rot",
                    "period_days": 30,
                    "first_rotation": "2030-01-01T00:00:00",
                }
            },
            "rotation.first_rotation",
            "timezone",
        ),
        ({"secret_id": "openai api key"}, "secret_id", "pattern"),
        ({"replication": "auto"}, "replication", "Extra inputs are not permitted"),
        (
            {"deletion_protection": False},
            "deletion_protection=False",
            "production data and keys keep deletion",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], field: str, why: str) -> None:
    data = {**BASE, **changes}
    with pytest.raises(ValidationError) as caught:
        SecretWiringArgs.model_validate(data)
    message = str(caught.value)
    assert field in message
    assert why in message


def test_rotation_time_is_rendered_in_utc() -> None:
    from datetime import timedelta, timezone

    args = SecretWiringArgs.model_validate(
        {
            **BASE,
            "rotation": {
                "topic": "projects/aiwarden-offline/topics/rot",
                "period_days": 1,
                "first_rotation": datetime(2030, 1, 1, 14, tzinfo=timezone(timedelta(hours=2))),
            },
        }
    )
    assert args.rotation is not None
    assert args.rotation.first_rotation.astimezone(UTC) == datetime(2030, 1, 1, 12, tzinfo=UTC)
