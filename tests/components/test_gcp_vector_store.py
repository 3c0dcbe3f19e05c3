"""VectorStore (GCP): Vector Search index + PSC-only index endpoint under CMEK, JWT-authenticated deployment."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from components._common import Ownership
from components.gcp import VectorStoreArgs
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

DEFAULT = 'VectorStore("emb", VectorStoreArgs(ownership=o, region="us-central1", dimensions=768))'
DEPLOYED = """
VectorStore("emb", VectorStoreArgs(
    ownership=o, region="us-central1", project="ml-rag-prod", dimensions=3072, distance="COSINE_DISTANCE",
    approximate_neighbors=50, shard_size="SHARD_SIZE_MEDIUM", update_method="STREAM_UPDATE",
    kms_key=ExistingKey(key="projects/sec-keys/locations/us-central1/keyRings/rag/cryptoKeys/embeddings"),
    contents_delta_uri="gs://ml-rag-embeddings/batch-0001",
    network=GcpNetwork(network="projects/net-host/global/networks/apps", psc_endpoint_project="ml-apps-prod",
                       psc_allowed_projects=("ml-rag-prod", "ml-apps-prod")),
    access={"rag": Grant(principal="serviceAccount:rag-api@ml-apps-prod.iam.gserviceaccount.com", role="read")},
    deployment=Deployment(deployed_index_id="emb_v1", min_replicas=1, max_replicas=3,
                          audiences=("vector-search",))))
"""
SANDBOX = """
VectorStore("scratch", VectorStoreArgs(ownership=sandbox, region="us-central1", dimensions=8, deletion_protection=False))
"""
NETWORK = "projects/net-host/global/networks/apps"
CALLER = {"x": {"principal": "serviceAccount:rag-api@ml-apps-prod.iam.gserviceaccount.com", "role": "read"}}
OWNER = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT, audit=True)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:VectorStore", "emb"),
            ("aiwarden:gcp:Key", "emb-cmek"),
            ("gcp:kms/keyRing:KeyRing", "emb-cmek-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "emb-cmek-key"),
            ("gcp:projects/serviceIdentity:ServiceIdentity", "emb-cmek-aiplatform-identity"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "emb-cmek-aiplatform-agent"),
            ("gcp:vertex/aiIndex:AiIndex", "emb-index"),
            ("gcp:vertex/aiIndexEndpoint:AiIndexEndpoint", "emb-endpoint"),
        ]
    )
    assert {parent_name(c, n) for n in ("emb-cmek", "emb-index", "emb-endpoint")} == {"emb"}
    assert inputs(c, "emb-cmek-aiplatform-identity") == {"service": "aiplatform.googleapis.com"}
    assert "emb-cmek-aiplatform-identity" in depends_on(c, "emb-cmek-aiplatform-agent")
    agent = inputs(c, "emb-cmek-aiplatform-agent")
    assert (
        agent["member"]
        == f"serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-aiplatform.iam.gserviceaccount.com"
    )
    key_id = agent["cryptoKeyId"]

    index = inputs(c, "emb-index")
    assert index == {
        "displayName": "emb",
        "region": "us-central1",
        "indexUpdateMethod": "BATCH_UPDATE",
        "metadata": {
            "config": {
                "dimensions": 768.0,
                "approximateNeighborsCount": 150.0,
                "distanceMeasureType": "DOT_PRODUCT_DISTANCE",
                "shardSize": "SHARD_SIZE_SMALL",
                "algorithmConfig": {"treeAhConfig": {}},
            }
        },
        "encryptionSpec": {"kmsKeyName": key_id},
        "deletionPolicy": "PREVENT",
        "labels": OWNERSHIP,
    }
    endpoint = inputs(c, "emb-endpoint")
    assert endpoint == {
        "displayName": "emb",
        "region": "us-central1",
        "publicEndpointEnabled": False,
        "privateServiceConnectConfig": {
            "enablePrivateServiceConnect": True,
            "projectAllowlists": ["aiwarden-offline"],
        },
        "encryptionSpec": {"kmsKeyName": key_id},
        "deletionPolicy": "PREVENT",
        "labels": OWNERSHIP,
    }
    assert "network" not in endpoint  # PSC and VPC peering are exclusive
    for name in ("emb-index", "emb-endpoint"):
        assert "emb-cmek-aiplatform-agent" in depends_on(c, name)


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT, audit=True)), level="mandatory") == set()


def test_deployment_requires_jwt_from_named_callers_and_logs_access() -> None:
    c = run(DEPLOYED, audit=True)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:VectorStore", "emb"),
            ("gcp:vertex/aiIndex:AiIndex", "emb-index"),
            ("gcp:vertex/aiIndexEndpoint:AiIndexEndpoint", "emb-endpoint"),
            ("gcp:vertex/aiIndexEndpointDeployedIndex:AiIndexEndpointDeployedIndex", "emb-deployed"),
        ]
    )
    key = "projects/sec-keys/locations/us-central1/keyRings/rag/cryptoKeys/embeddings"
    index = inputs(c, "emb-index")
    assert index["encryptionSpec"] == {"kmsKeyName": key}
    assert index["project"] == "ml-rag-prod"
    assert index["indexUpdateMethod"] == "STREAM_UPDATE"
    assert index["deletionPolicy"] == "PREVENT"
    assert index["metadata"] == {
        "contentsDeltaUri": "gs://ml-rag-embeddings/batch-0001",
        "config": {
            "dimensions": 3072.0,
            "approximateNeighborsCount": 50.0,
            "distanceMeasureType": "COSINE_DISTANCE",
            "shardSize": "SHARD_SIZE_MEDIUM",
            "algorithmConfig": {"treeAhConfig": {}},
        },
    }
    endpoint = inputs(c, "emb-endpoint")
    assert endpoint["publicEndpointEnabled"] is False
    assert endpoint["encryptionSpec"] == {"kmsKeyName": key}
    # the Shared VPC host of the consumer network is allowed too, after the projects asked for
    assert endpoint["privateServiceConnectConfig"] == {
        "enablePrivateServiceConnect": True,
        "projectAllowlists": ["ml-rag-prod", "ml-apps-prod", "net-host"],
        "pscAutomationConfigs": [
            {"network": "projects/net-host/global/networks/apps", "projectId": "ml-apps-prod"}
        ],
    }
    deployed = inputs(c, "emb-deployed")
    assert deployed == {
        "indexEndpoint": deployed["indexEndpoint"],
        "index": deployed["index"],
        "deployedIndexId": "emb_v1",
        "displayName": "emb",
        "region": "us-central1",
        "automaticResources": {"minReplicaCount": 1.0, "maxReplicaCount": 3.0},
        "deployedIndexAuthConfig": {
            "authProvider": {
                "allowedIssuers": ["rag-api@ml-apps-prod.iam.gserviceaccount.com"],
                "audiences": ["vector-search"],
            }
        },
        "enableAccessLogging": True,
    }
    assert "/emb-endpoint-" in deployed["indexEndpoint"]
    assert "/emb-index-" in deployed["index"]
    assert depends_on(c, "emb-deployed") == {"emb-index", "emb-endpoint"}
    assert findings(gate(c), level="mandatory") == set()


SHARED_VPC = """
VectorStore("emb", VectorStoreArgs(ownership=o, region="us-central1", dimensions=768,
    network=GcpNetwork(network="projects/net-host/global/networks/apps", psc_endpoint_project="ml-apps-prod",
                       psc_consumers={"batch": PscConsumer(network="projects/net-batch/global/networks/batch")})))
"""


def test_psc_allowlist_includes_every_consumer_network_project_and_endpoint_project() -> None:
    c = run(SHARED_VPC, audit=True)
    psc = inputs(c, "emb-endpoint")["privateServiceConnectConfig"]
    # default: the index's own project, then each automated endpoint's network (host) and forwarding-rule projects
    assert psc == {
        "enablePrivateServiceConnect": True,
        "projectAllowlists": ["aiwarden-offline", "net-host", "ml-apps-prod", "net-batch"],
        "pscAutomationConfigs": [
            {"network": "projects/net-host/global/networks/apps", "projectId": "ml-apps-prod"},
            {"network": "projects/net-batch/global/networks/batch", "projectId": "net-batch"},
        ],
    }
    assert "emb-psc-policy" not in {n for _, n in children(c)}  # a prerequisite unless asked for


POLICY = SHARED_VPC.replace(
    "dimensions=768,",
    "dimensions=768, enable_apis=True, service_connection_policy=ConnectionPolicy(subnetworks=("
    '"projects/net-host/regions/us-central1/subnetworks/psc",), limit=20),',
)


def test_service_connection_policy_on_request_in_the_network_project() -> None:
    c = run("from components.gcp.vector_store import ConnectionPolicy\n" + POLICY, audit=True)
    assert inputs(c, "emb-psc-policy") == {
        "project": "net-host",
        "location": "us-central1",
        "network": "projects/net-host/global/networks/apps",
        "serviceClass": "gcp-vertexai",
        "description": "aiwarden emb: Private Service Connect automation of Vertex AI in this network",
        "pscConfig": {
            "subnetworks": ["projects/net-host/regions/us-central1/subnetworks/psc"],
            "limit": "20",
        },
        "labels": OWNERSHIP,
    }
    assert parent_name(c, "emb-psc-policy") == "emb"
    # the Network Connectivity API is enabled in the network's project, before the policy
    assert inputs(c, "emb-api-networkconnectivity") == {
        "project": "net-host",
        "service": "networkconnectivity.googleapis.com",
        "disableOnDestroy": False,
    }
    assert depends_on(c, "emb-psc-policy") == {"emb-api-networkconnectivity"}
    assert "emb-psc-policy" in depends_on(c, "emb-endpoint")
    assert {"emb-api-aiplatform", "emb-api-cloudkms"} <= depends_on(c, "emb-index")
    assert findings(gate(c), level="mandatory") == set()


def test_one_inventory_record_covers_index_and_endpoint() -> None:
    c = run(DEPLOYED, audit=True)
    entries = inventory(c)
    assert set(entries) == {"emb"}  # the component: INV-2 and IR-1 resolve its children through it
    assert (entries["emb"]["kind"], entries["emb"]["exposure"]) == ("vector-store", "private")
    assert entries["emb"]["identities"] == ["serviceAccount:rag-api@ml-apps-prod.iam.gserviceaccount.com"]
    ir = incident_response(c)["emb"]
    assert ir["endpointsToDisable"] == [inputs(c, "emb-deployed")["indexEndpoint"]]
    assert ir["credentialsToRevoke"] == entries["emb"]["identities"]
    assert ir["containment"]


def test_deletion_protection_can_be_turned_off_outside_production() -> None:
    c = run(SANDBOX, audit=True)
    assert (
        inputs(c, "scratch-index")["deletionPolicy"]
        == inputs(c, "scratch-endpoint")["deletionPolicy"]
        == "DELETE"
    )
    assert findings(gate(c, environment="sandbox"), level="mandatory") == set()


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        ({"region": "us"}, "region", "pattern"),
        ({"dimensions": 0}, "dimensions", "greater than or equal to 1"),
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
        (
            {"deployment": {"deployed_index_id": "emb_v1", "audiences": ("a",)}},
            "access",
            "grant `read` to at least one service account",
        ),
        ({"access": CALLER}, "access", "only a deployed index checks who queries it"),
        (
            {
                "access": {"x": {"principal": "allUsers", "role": "read"}},
                "deployment": {"deployed_index_id": "emb_v1", "audiences": ("a",)},
            },
            "access.x.principal",
            "anyone on the internet",
        ),
        (
            {
                "access": {"x": {"principal": "user:bob@example.com", "role": "read"}},
                "deployment": {"deployed_index_id": "emb_v1", "audiences": ("a",)},
            },
            "access.x.principal",
            "not a user-managed service account member",
        ),
        (
            {
                "access": {
                    "x": {
                        "principal": "serviceAccount:rag-api@ml-apps-prod.iam.gserviceaccount.com",
                        "role": "invoke",
                    }
                },
                "deployment": {"deployed_index_id": "emb_v1", "audiences": ("a",)},
            },
            "access.x.role",
            "Input should be 'read'",
        ),
        (
            {
                "access": CALLER,
                "deployment": {
                    "deployed_index_id": "emb_v1",
                    "audiences": (),
                },
            },
            "deployment.audiences",
            "at least 1 item",
        ),
        (
            {
                "access": CALLER,
                "deployment": {
                    "deployed_index_id": "emb-v1",
                    "audiences": ("a",),
                },
            },
            "deployment.deployed_index_id",
            "pattern",
        ),
        (
            {
                "access": CALLER,
                "deployment": {
                    "deployed_index_id": "e",
                    "min_replicas": 3,
                    "max_replicas": 2,
                    "audiences": ("a",),
                },
            },
            "deployment",
            "max_replicas is below",
        ),
        (
            {"network": {"network": NETWORK, "psc_consumers": {"x": {"network": "default"}}}},
            "network.psc_consumers.x.network",
            "pattern",
        ),
        (
            {"network": {"network": NETWORK, "psc_allowed_projects": ("*",)}},
            "network.psc_allowed_projects.0",
            "pattern",
        ),
        (
            {
                "network": {
                    "network": NETWORK,
                    "subnetwork": "projects/p-1234/regions/us-central1/subnetworks/s",
                }
            },
            "network.subnetwork",
            "does not use it",
        ),
        ({"contents_delta_uri": "s3://bucket/x"}, "contents_delta_uri", "pattern"),
        (
            {
                "service_connection_policy": {
                    "subnetworks": ("projects/net-host/regions/us-central1/subnetworks/s",)
                }
            },
            "service_connection_policy",
            "it is created in `network.network`; set network",
        ),
        (
            {
                "network": {"network": NETWORK},
                "service_connection_policy": {
                    "subnetworks": ("projects/net-host/regions/us-east1/subnetworks/s",)
                },
            },
            "service_connection_policy.subnetworks",
            "must be a subnetwork of project 'net-host' (the network's) in region 'us-central1'",
        ),
        (
            {
                "network": {"network": NETWORK},
                "service_connection_policy": {
                    "subnetworks": ("projects/other/regions/us-central1/subnetworks/s",)
                },
            },
            "service_connection_policy.subnetworks",
            "must be a subnetwork of project 'net-host'",
        ),
        (
            {"network": {"network": NETWORK}, "service_connection_policy": {"subnetworks": ()}},
            "service_connection_policy.subnetworks",
            "at least 1 item",
        ),
        ({"public_endpoint_enabled": True}, "public_endpoint_enabled", "Extra inputs are not permitted"),
        ({"network": NETWORK}, "network", "valid dictionary or instance of GcpNetwork"),
        ({"allowed_projects": ("ml-rag-prod",)}, "allowed_projects", "Extra inputs are not permitted"),
        (
            {"deletion_protection": False},
            "deletion_protection=False",
            "production data and keys keep deletion",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], field: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        VectorStoreArgs.model_validate(
            {"ownership": OWNER, "region": "us-central1", "dimensions": 768, **changes}
        )
    message = str(caught.value)
    assert field in message
    assert why in message
