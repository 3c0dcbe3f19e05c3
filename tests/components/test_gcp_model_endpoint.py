"""ModelEndpoint (GCP): a private (PSC or peered), CMEK-encrypted Vertex AI endpoint called by named principals."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components.gcp import ModelEndpointArgs
from tests.components.gcp_helpers import GCP_CONFIG, HEADER, PROJECT_NUMBER, protected, run
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    example,
    incident_response,
    inputs,
    inventory,
    parent_name,
    readme_example,
)
from tests.harness import capture, findings, gate

DIGEST = "sha256:" + "3f" * 32
IMAGE = f"us-central1-docker.pkg.dev/aiwarden-offline/inference/fraud@{DIGEST}"
API = "serviceAccount:scoring-api@aiwarden-offline.iam.gserviceaccount.com"
WHY = "partner demo without VPC access, approved by security until 2026-12"
VERTEX_AGENT = f"serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-aiplatform.iam.gserviceaccount.com"
KEY = "projects/sec-keys/locations/us-central1/keyRings/r/cryptoKeys/endpoints"
OWNER = {
    "owner": "ml-platform",
    "environment": "production",
    "data_classification": "confidential",
    "purpose": "training",
}
#: The stack companions the pack asks for once a model endpoint exists: a budget routed to Pub/Sub and a usage
#: alert (COST-1, COST-2); the audit config (LOG-1) comes with ``run(..., audit=True)``.
COMPANIONS = """
SpendGuard("spend", SpendGuardArgs(ownership=o, billing_account="012345-6789AB-CDEF01", amount=1000,
    notification_channels=("projects/aiwarden-offline/notificationChannels/1",),
    alerts={"predictions": MetricAlert(filter='metric.type="aiplatform.googleapis.com/prediction/online/prediction_count"',
                                       threshold=50, aligner="ALIGN_RATE")}))
"""


def endpoint(*extra: str, name: str = "fraud") -> str:
    options = "".join(f", {e}" for e in extra)
    return f'ModelEndpoint("{name}", ModelEndpointArgs(ownership=o, region="us-central1", image="{IMAGE}"{options}))\n'


DEFAULT = endpoint()
INVOKER = f'access={{"api": Grant(principal="{API}", role="invoke")}}'


def _endpoint_id(c: Any) -> str:
    return str(inputs(c, "fraud-endpoint")["name"])


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:ModelEndpoint", "fraud"),
            ("aiwarden:gcp:Key", "fraud-cmek"),
            ("gcp:kms/keyRing:KeyRing", "fraud-cmek-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "fraud-cmek-key"),
            ("gcp:projects/serviceIdentity:ServiceIdentity", "fraud-cmek-aiplatform-identity"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "fraud-cmek-aiplatform-agent"),
            ("gcp:vertex/aiEndpoint:AiEndpoint", "fraud-endpoint"),
        ]
    )
    assert {parent_name(c, n) for n in ("fraud-cmek", "fraud-endpoint")} == {"fraud"}
    # the Vertex AI service agent is made to exist, then granted the key, before the endpoint uses it
    assert inputs(c, "fraud-cmek-aiplatform-identity") == {"service": "aiplatform.googleapis.com"}
    agent = inputs(c, "fraud-cmek-aiplatform-agent")
    assert (
        agent["member"]
        == f"serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-aiplatform.iam.gserviceaccount.com"
    )
    assert agent["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert {"fraud-cmek-aiplatform-agent", "fraud-cmek-aiplatform-identity"} <= depends_on(
        c, "fraud-endpoint"
    )
    e = inputs(c, "fraud-endpoint")
    assert e == {
        "name": e["name"],
        "displayName": "fraud",
        "description": f"aiwarden ModelEndpoint fraud: serves {IMAGE}",
        "location": "us-central1",
        "region": "us-central1",
        "privateServiceConnectConfig": {
            "enablePrivateServiceConnect": True,
            "projectAllowlists": ["aiwarden-offline"],
        },
        "encryptionSpec": {"kmsKeyName": agent["cryptoKeyId"]},
        "deletionPolicy": "PREVENT",
        "labels": OWNERSHIP,
    }
    # numeric, 9 digits, no leading zero: what the API takes (provider auto-naming would not be numeric)
    assert re.fullmatch(r"[1-9][0-9]{8}", e["name"])
    assert protected(c, "fraud-endpoint")
    assert inputs(c, "fraud-cmek-ring")["location"] == "us-central1"


def test_default_passes_every_policy() -> None:
    report = gate(run(DEFAULT + COMPANIONS, audit=True))
    assert findings(report) == set()
    assert report.undecided == []


def test_psc_consumers_are_automated_and_their_projects_allowlisted() -> None:
    c = run(
        endpoint(
            'network=GcpNetwork(network="projects/net-host/global/networks/apps", psc_endpoint_project="ml-apps", '
            'psc_consumers={"batch": PscConsumer(network="projects/batch-net/global/networks/batch")}, '
            'psc_allowed_projects=("ml-apps", "ml-batch"))'
        )
    )
    psc = inputs(c, "fraud-endpoint")["privateServiceConnectConfig"]
    assert psc == {
        "enablePrivateServiceConnect": True,
        # the named projects, then every automated endpoint's network project and forwarding-rule project
        "projectAllowlists": ["ml-apps", "ml-batch", "net-host", "batch-net"],
        "pscAutomationConfigs": [
            {"network": "projects/net-host/global/networks/apps", "projectId": "ml-apps"},
            {"network": "projects/batch-net/global/networks/batch", "projectId": "batch-net"},
        ],
    }
    assert "network" not in inputs(c, "fraud-endpoint")


def test_psc_network_without_allowed_projects_allows_the_endpoint_project() -> None:
    c = run(endpoint('network=GcpNetwork(network="projects/aiwarden-offline/global/networks/apps")'))
    psc = inputs(c, "fraud-endpoint")["privateServiceConnectConfig"]
    assert psc["projectAllowlists"] == ["aiwarden-offline"]
    assert psc["pscAutomationConfigs"] == [
        {"network": "projects/aiwarden-offline/global/networks/apps", "projectId": "aiwarden-offline"}
    ]


def test_vpc_peering_names_the_network_by_project_number() -> None:
    c = run(
        endpoint(
            'connectivity="vpc-peering"',
            'network=GcpNetwork(network="projects/net-host/global/networks/apps")',
        )
    )
    e = inputs(c, "fraud-endpoint")
    assert e["network"] == f"projects/{PROJECT_NUMBER}/global/networks/apps"
    assert "privateServiceConnectConfig" not in e
    # a network already given by number is kept as it is
    c = run(
        endpoint(
            'connectivity="vpc-peering"',
            'network=GcpNetwork(network="projects/987654321/global/networks/apps")',
        )
    )
    assert inputs(c, "fraud-endpoint")["network"] == "projects/987654321/global/networks/apps"
    assert findings(gate(c), "ep-") == set()


def test_request_logging_creates_a_cmek_dataset_the_vertex_agent_writes() -> None:
    c = run(endpoint("request_logging=RequestLogging(sampling_rate=0.25)"))
    added = set(children(c)) - set(children(run(DEFAULT)))
    assert added == {
        ("gcp:bigquery/dataset:Dataset", "fraud-logs"),
        ("gcp:bigquery/datasetIamMember:DatasetIamMember", "fraud-logs-writer"),
        ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "fraud-cmek-grant-bigquery"),
    }
    key_id = inputs(c, "fraud-cmek-aiplatform-agent")["cryptoKeyId"]
    bigquery = inputs(c, "fraud-cmek-grant-bigquery")
    assert (
        bigquery["member"]
        == f"serviceAccount:bq-{PROJECT_NUMBER}@bigquery-encryption.iam.gserviceaccount.com"
    )
    assert (bigquery["cryptoKeyId"], bigquery["role"]) == (
        key_id,
        "roles/cloudkms.cryptoKeyEncrypterDecrypter",
    )
    dataset = inputs(c, "fraud-logs")
    assert {k: dataset[k] for k in ("datasetId", "location", "defaultEncryptionConfiguration")} == {
        "datasetId": "fraud_predictions",
        "location": "us-central1",
        "defaultEncryptionConfiguration": {"kmsKeyName": key_id},
    }
    assert (dataset["deleteContentsOnDestroy"], dataset["deletionPolicy"], dataset["labels"]) == (
        False,
        "PREVENT",
        OWNERSHIP,
    )
    assert protected(c, "fraud-logs")
    # BigQuery's encryption account can use the key before the dataset is created with it
    assert {"fraud-cmek-grant-bigquery", "fraud-cmek-key"} <= depends_on(c, "fraud-logs")
    assert inputs(c, "fraud-logs-writer") == {
        "project": "aiwarden-offline",
        "datasetId": "fraud_predictions",
        "role": "roles/bigquery.dataEditor",
        "member": f"serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-aiplatform.iam.gserviceaccount.com",
    }
    assert "fraud-cmek-aiplatform-identity" in depends_on(c, "fraud-logs-writer")
    assert inputs(c, "fraud-endpoint")["predictRequestResponseLoggingConfig"] == {
        "enabled": True,
        "samplingRate": 0.25,
        "bigqueryDestination": {
            "outputUri": "bq://aiwarden-offline.fraud_predictions.request_response_logging"
        },
    }
    # the dataset exists and the agent may write to it before the endpoint starts logging
    assert {"fraud-logs", "fraud-logs-writer"} <= depends_on(c, "fraud-endpoint")
    logs = incident_response(c)["fraud-endpoint"]["logsToPreserve"]
    assert logs[0] == "bq://aiwarden-offline.fraud_predictions.request_response_logging"
    assert findings(gate(run(endpoint("request_logging=RequestLogging()") + COMPANIONS, audit=True))) == set()


def test_existing_key_with_a_created_dataset_makes_the_vertex_agent_exist_itself() -> None:
    c = run(
        endpoint(
            f'kms_key=ExistingKey(key="{KEY}")',
            'request_logging=RequestLogging(destination=CreateLogDataset(dataset_id="fraud_logs"))',
        )
    )
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:ModelEndpoint", "fraud"),
            ("gcp:projects/serviceIdentity:ServiceIdentity", "fraud-aiplatform-identity"),
            ("gcp:bigquery/dataset:Dataset", "fraud-logs"),
            ("gcp:bigquery/datasetIamMember:DatasetIamMember", "fraud-logs-writer"),
            ("gcp:vertex/aiEndpoint:AiEndpoint", "fraud-endpoint"),
        ]
    )
    assert inputs(c, "fraud-aiplatform-identity") == {"service": "aiplatform.googleapis.com"}
    assert "fraud-aiplatform-identity" in depends_on(c, "fraud-logs-writer")
    assert inputs(c, "fraud-logs")["defaultEncryptionConfiguration"] == {"kmsKeyName": KEY}
    assert inputs(c, "fraud-logs")["datasetId"] == "fraud_logs"
    assert inputs(c, "fraud-endpoint")["encryptionSpec"] == {"kmsKeyName": KEY}


def test_existing_log_table_creates_no_dataset() -> None:
    c = run(
        endpoint(
            f'kms_key=ExistingKey(key="{KEY}")',
            'request_logging=RequestLogging(destination=ExistingLogTable(table="ml-logs-prod.vertex.fraud"))',
        )
    )
    assert children(c) == sorted(
        [("aiwarden:gcp:ModelEndpoint", "fraud"), ("gcp:vertex/aiEndpoint:AiEndpoint", "fraud-endpoint")]
    )
    logging = inputs(c, "fraud-endpoint")["predictRequestResponseLoggingConfig"]
    assert logging["bigqueryDestination"] == {"outputUri": "bq://ml-logs-prod.vertex.fraud"}


def test_invokers_get_predict_only_on_this_endpoint() -> None:
    c = run(
        endpoint(
            f'access={{"api": Grant(principal="{API}", role="invoke"), '
            '"analysts": Grant(principal="group:fraud-analysts@example.com", role="invoke")}'
        )
    )
    role = inputs(c, "fraud-invoker")
    assert role == {
        "roleId": "aiwarden_fraud_invoker",
        "title": "fraud invoker",
        "description": "aiwarden ModelEndpoint fraud: call the endpoint (predict) and nothing else",
        "permissions": ["aiplatform.endpoints.predict"],
        "stage": "GA",
        "deletionPolicy": "PREVENT",
    }
    assert protected(c, "fraud-invoker")
    for grant, member in (("api", API), ("analysts", "group:fraud-analysts@example.com")):
        assert inputs(c, f"fraud-grant-{grant}") == {
            "project": "aiwarden-offline",
            "location": "us-central1",
            "endpoint": _endpoint_id(c),
            "role": "projects/aiwarden-offline/roles/aiwarden_fraud_invoker",
            "member": member,
        }
    record = inventory(c)["fraud-endpoint"]
    assert (record["kind"], record["exposure"], record["identities"]) == (
        "model-endpoint",
        "private",
        [VERTEX_AGENT, API, "group:fraud-analysts@example.com"],
    )
    ir = incident_response(c)["fraud-endpoint"]
    assert ir["credentialsToRevoke"] == [API, "group:fraud-analysts@example.com"]
    assert ir["endpointsToDisable"] == [
        f"projects/aiwarden-offline/locations/us-central1/aiEndpoints/{_endpoint_id(c)}"
    ]
    assert IMAGE in ir["containment"]
    assert findings(gate(c), "ep-") == set()


def test_the_predefined_invoker_role_and_a_named_custom_role() -> None:
    c = run(endpoint(INVOKER, 'invoker_role="aiplatform-user"'))
    assert "fraud-invoker" not in {n for _, n in children(c)}
    assert inputs(c, "fraud-grant-api")["role"] == "roles/aiplatform.user"
    c = run(endpoint(INVOKER, 'custom_role_id="fraudScoringInvoker"'))
    assert inputs(c, "fraud-invoker")["roleId"] == "fraudScoringInvoker"
    assert inputs(c, "fraud-grant-api")["role"] == "projects/aiwarden-offline/roles/fraudScoringInvoker"


def test_outputs_carry_the_image_and_the_deployment_steps() -> None:
    c = run(
        f'e = ModelEndpoint("fraud", ModelEndpointArgs(ownership=o, region="us-central1", image="{IMAGE}", '
        'endpoint_id="123456789"))\n'
        'pulumi.export("deploy", e.deploy_commands)\n'
    )
    assert inputs(c, "fraud-endpoint")["name"] == "123456789"
    assert c.outputs["deploy"] == [
        f"gcloud ai models upload --project=aiwarden-offline --region=us-central1 --display-name=fraud "
        f"--container-image-uri={IMAGE}",
        "gcloud ai endpoints deploy-model 123456789 --project=aiwarden-offline --region=us-central1 "
        "--model=<MODEL_ID printed by the upload> --display-name=fraud --enable-access-logging "
        "--service-account=<dedicated serving account e-mail>",
    ]


def test_public_endpoint_is_named_justified_labelled_and_still_flagged() -> None:
    c = run(
        "from components._common import PublicAccess\n"
        + endpoint(f'public_access=PublicAccess(justification="{WHY}")')
        + COMPANIONS,
        audit=True,
    )
    e = inputs(c, "fraud-endpoint")
    assert "privateServiceConnectConfig" not in e and "network" not in e
    assert e["labels"] == {**OWNERSHIP, "aiwarden-exception": "public-endpoint"}
    assert (
        e["description"] == f"aiwarden ModelEndpoint fraud: serves {IMAGE}. Exception public-endpoint: {WHY}"
    )
    assert inventory(c)["fraud-endpoint"]["exposure"] == "public"
    # the pack's EP-1 still flags it: exceptions go through its configuration, by resource name
    assert findings(gate(c), level="mandatory") == {("ep-1-vertex-endpoint-private", "fraud-endpoint")}


def test_enable_apis_enables_vertex_kms_and_bigquery_first() -> None:
    c = run(endpoint("enable_apis=True", INVOKER, "request_logging=RequestLogging()"))
    apis = {
        "fraud-api-aiplatform": "aiplatform.googleapis.com",
        "fraud-api-cloudkms": "cloudkms.googleapis.com",
        "fraud-api-bigquery": "bigquery.googleapis.com",
    }
    for name, service in apis.items():
        assert inputs(c, name) == {"service": service, "disableOnDestroy": False}
    for name in (
        "fraud-cmek-ring",
        "fraud-cmek-aiplatform-identity",
        "fraud-logs",
        "fraud-endpoint",
        "fraud-invoker",
    ):
        assert set(apis) <= depends_on(c, name), name
    # an existing key and no logging: only Vertex AI
    c = run(endpoint("enable_apis=True", f'kms_key=ExistingKey(key="{KEY}")'))
    assert [n for t, n in children(c) if t == "gcp:projects/service:Service"] == ["fraud-api-aiplatform"]


def test_deletion_protection_can_be_turned_off_outside_production() -> None:
    c = run(
        'ModelEndpoint("fraud", ModelEndpointArgs(ownership=sandbox, region="us-central1", '
        f'image="{IMAGE}", deletion_protection=False, request_logging=RequestLogging(), {INVOKER}))'
    )
    for name in ("fraud-endpoint", "fraud-logs", "fraud-invoker"):
        assert inputs(c, name)["deletionPolicy"] == "DELETE" and not protected(c, name), name


def _args(**changes: Any) -> dict[str, Any]:
    return {"ownership": OWNER, "region": "us-central1", "image": IMAGE, **changes}


RESTRICTED = {**OWNER, "data_classification": "restricted"}
PUBLIC = {"justification": WHY}
NET = {"network": "projects/net-host/global/networks/apps"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"image": "us-central1-docker.pkg.dev/p/r/fraud:1.4"}, "has the mutable tag '1.4'"),
        ({"image": "us-central1-docker.pkg.dev/p/r/fraud"}, "no tag or digest"),
        ({"image": f"us-central1-docker.pkg.dev/p/r/fraud:latest@{DIGEST}"}, "the tag 'latest'"),
        ({"image": f"docker.io/library/python@{DIGEST}"}, "not one of the stack's approved registries"),
        (
            {"image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud@{DIGEST}"},
            "Vertex AI pulls custom containers from Artifact Registry only",
        ),
        ({"access": {"all": {"principal": "allUsers", "role": "invoke"}}}, "anyone on the internet"),
        (
            {"access": {"all": {"principal": "allAuthenticatedUsers", "role": "invoke"}}},
            "anyone on the internet",
        ),
        (
            {"access": {"corp": {"principal": "domain:example.com", "role": "invoke"}}},
            "a whole set of principals",
        ),
        (
            {"access": {"any": {"principal": "user:*@example.com", "role": "invoke"}}},
            "a whole set of principals",
        ),
        (
            {
                "access": {
                    "vm": {
                        "principal": "serviceAccount:1-compute@developer.gserviceaccount.com",
                        "role": "invoke",
                    }
                }
            },
            "default service account",
        ),
        ({"access": {"api": {"principal": API, "role": "admin"}}}, "Input should be 'invoke'"),
        ({"ownership": RESTRICTED, "public_access": PUBLIC}, "public_access: restricted data in production"),
        ({"public_access": {**PUBLIC, "cidrs": ["203.0.113.0/24"]}}, "public_access.cidrs"),
        ({"public_access": PUBLIC, "network": NET}, "public_access: a public endpoint is neither peered"),
        ({"public_access": PUBLIC, "connectivity": "vpc-peering"}, "remove network and connectivity"),
        ({"public_access": {"justification": "because"}}, "at least 20 characters"),
        ({"connectivity": "vpc-peering"}, "network: VPC peering needs the network"),
        (
            {"connectivity": "vpc-peering", "network": {**NET, "psc_allowed_projects": ["ml-apps"]}},
            "network.psc_allowed_projects: VPC peering does not use it",
        ),
        (
            {"network": {**NET, "subnetwork": "projects/net-host/regions/us-central1/subnetworks/a"}},
            "network.subnetwork: a Vertex AI endpoint does not use it",
        ),
        (
            {
                "kms_key": {
                    "kind": "existing",
                    "key": "projects/sec-keys/locations/us-east1/keyRings/r/cryptoKeys/k",
                }
            },
            "kms_key: the key is in location 'us-east1'",
        ),
        ({"kms_key": {"kind": "create", "deletion_window_days": 7}}, "kms_key.deletion_window_days=7"),
        ({"deletion_protection": False}, "deletion_protection=False: production"),
        ({"endpoint_id": "0123"}, "String should match pattern"),
        ({"endpoint_id": "1234567890"}, "String should match pattern"),
        ({"custom_role_id": "fraudInvoker"}, "custom_role_id: the custom role is created only"),
        (
            {
                "custom_role_id": "fraudInvoker",
                "invoker_role": "aiplatform-user",
                "access": {"a": {"principal": API, "role": "invoke"}},
            },
            "custom_role_id: the custom role is created only",
        ),
        ({"private_service_connect_config": {}}, "private_service_connect_config: Private Service Connect"),
        ({"public_endpoint_enabled": True}, "public_endpoint_enabled: the endpoint is private"),
        ({"encryption_spec": {}}, "encryption_spec: use kms_key"),
        ({"request_logging": {"sampling_rate": 0}}, "greater than 0"),
        (
            {"request_logging": {"destination": {"kind": "existing", "table": "dataset.table"}}},
            "String should match",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_the_fix(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        ModelEndpointArgs.model_validate(_args(**changes))


def test_sandbox_may_serve_public_restricted_data_and_production_public_internal_data() -> None:
    ModelEndpointArgs.model_validate(
        _args(ownership={**RESTRICTED, "environment": "sandbox"}, public_access=PUBLIC)
    )
    ModelEndpointArgs.model_validate(
        _args(ownership={**OWNER, "data_classification": "internal"}, public_access=PUBLIC)
    )


def test_a_name_whose_default_ids_are_invalid_fails_before_registration() -> None:
    long = "f" * 60
    with pytest.raises(AiwardenError) as caught:
        capture(HEADER + endpoint(INVOKER, name=long), GCP_CONFIG)
    assert "custom_role_id: the default 'aiwarden_" in caught.value.message
    assert "gcp:vertex" not in caught.value.message


def test_example_is_the_readme_example_and_passes_the_gate() -> None:
    c, code = example("gcp-model-endpoint")
    assert code == readme_example("gcp/model_endpoint.md")
    assert c.error is None
    report = gate(c)
    assert findings(report) == set()
    assert report.undecided == []
    assert inventory(c)["fraud-scoring-endpoint"]["kind"] == "model-endpoint"
