"""VectorStore (AWS): a private, CMK-encrypted OpenSearch Serverless VECTORSEARCH collection."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from components._common import AwsNetwork, ExistingKey, Ownership
from components.aws import VectorStoreArgs
from components.aws.vector_store import READER_COLLECTION, READER_INDEX, WRITER_COLLECTION, WRITER_INDEX
from tests.components.aws_helpers import ACCOUNT, KEY_ARN, ROOT_ARN, policy, run, statements
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

READER = f"arn:aws:iam::{ACCOUNT}:role/rag-inference"
WRITER = f"arn:aws:iam::{ACCOUNT}:role/rag-ingest"
NETWORK = """AwsNetwork(vpc_id="vpc-0123456789abcdef0", subnet_ids=("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"),
                    security_group_ids=("sg-0123456789abcdef0",))"""
DEFAULT = f"""
VectorStore("rag", VectorStoreArgs(ownership=o, collection_name="rag-docs", network={NETWORK},
                                   access={{"inference": Grant(principal="{READER}", role="read"),
                                           "ingest": Grant(principal="{WRITER}", role="write")}}))
"""
OPTIONS = f"""
o2 = Ownership(owner="ml-platform", environment="production", data_classification="internal", purpose="search")
VectorStore("faq", VectorStoreArgs(ownership=o2, collection_name="faq", network={NETWORK}, kms_key=None,
                                   description="public FAQ embeddings", standby_replicas=False,
                                   access={{"inference": Grant(principal="{READER}", role="read")}}))
VectorStore("rag", VectorStoreArgs(ownership=o, collection_name="rag-docs", network={NETWORK},
                                   kms_key=ExistingKey(key="{KEY_ARN}"),
                                   access={{"ingest": Grant(principal="{WRITER}", role="write")}}))
"""
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
NET = AwsNetwork(
    vpc_id="vpc-0123456789abcdef0",
    subnet_ids=("subnet-0123456789abcdef0",),
    security_group_ids=("sg-0123456789abcdef0",),
)


def _collection_rule(permissions: tuple[str, ...]) -> dict[str, Any]:
    return {
        "ResourceType": "collection",
        "Resource": ["collection/rag-docs"],
        "Permission": list(permissions),
    }


def _index_rule(permissions: tuple[str, ...]) -> dict[str, Any]:
    return {"ResourceType": "index", "Resource": ["index/rag-docs/*"], "Permission": list(permissions)}


def test_default_children_and_order() -> None:
    c = run(DEFAULT)
    assert children(c) == [
        ("aiwarden:aws:Key", "rag-key"),
        ("aiwarden:aws:VectorStore", "rag"),
        ("aws:kms/alias:Alias", "rag-key-alias"),
        ("aws:kms/key:Key", "rag-key-cmk"),
        ("aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy", "rag-data-access-policy"),
        ("aws:opensearch/serverlessCollection:ServerlessCollection", "rag-collection"),
        ("aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy", "rag-encryption-policy"),
        ("aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy", "rag-network-policy"),
        ("aws:opensearch/serverlessVpcEndpoint:ServerlessVpcEndpoint", "rag-vpc-endpoint"),
    ]
    assert parent_name(c, "rag-collection") == "rag"
    # The encryption policy (and the others) exist before the collection.
    assert depends_on(c, "rag-collection") >= {
        "rag-encryption-policy",
        "rag-network-policy",
        "rag-data-access-policy",
    }


def test_default_collection_and_policies() -> None:
    c = run(DEFAULT)
    collection = inputs(c, "rag-collection")
    assert collection == {
        "name": "rag-docs",
        "type": "VECTORSEARCH",
        "standbyReplicas": "ENABLED",
        "tags": OWNERSHIP,
    }
    key_arn = policy(c, "rag-encryption-policy")["KmsARN"]
    assert key_arn.startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-")
    enc = inputs(c, "rag-encryption-policy")
    assert (enc["name"], enc["type"]) == ("rag-docs-enc", "encryption")
    assert json.loads(enc["policy"]) == {
        "Rules": [{"ResourceType": "collection", "Resource": ["collection/rag-docs"]}],
        "AWSOwnedKey": False,
        "KmsARN": key_arn,
    }
    endpoint = inputs(c, "rag-vpc-endpoint")
    assert endpoint == {
        "name": "rag-docs-vpce",
        "vpcId": "vpc-0123456789abcdef0",
        "subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        "securityGroupIds": ["sg-0123456789abcdef0"],
    }
    [endpoint_id] = [r.id for r in c.resources if r.name == "rag-vpc-endpoint"]
    net = inputs(c, "rag-network-policy")
    assert (net["name"], net["type"]) == ("rag-docs-net", "network")
    [rules] = json.loads(net["policy"])
    assert rules["AllowFromPublic"] is False
    assert rules["SourceVPCEs"] == [endpoint_id]
    assert rules["Rules"] == [
        {"ResourceType": "collection", "Resource": ["collection/rag-docs"]}
    ]  # no dashboards
    data = inputs(c, "rag-data-access-policy")
    assert (data["name"], data["type"]) == ("rag-docs-data", "data")
    readers, writers = json.loads(data["policy"])
    assert readers["Principal"] == [READER]
    assert readers["Rules"] == [_collection_rule(READER_COLLECTION), _index_rule(READER_INDEX)]
    assert writers["Principal"] == [WRITER]
    assert writers["Rules"] == [_collection_rule(WRITER_COLLECTION), _index_rule(WRITER_INDEX)]
    granted = {p for rule_set in (readers, writers) for rule in rule_set["Rules"] for p in rule["Permission"]}
    assert not {p for p in granted if p.endswith("*") or "Delete" in p}


def test_default_key_is_usable_through_opensearch_serverless_only() -> None:
    usage = statements(run(DEFAULT), "rag-key-cmk")["KeyUsage"]
    assert usage["Principal"] == {"AWS": [ROOT_ARN]}
    assert usage["Condition"] == {
        "StringEquals": {"kms:ViaService": ["aoss.us-east-1.amazonaws.com"], "kms:CallerAccount": ACCOUNT}
    }


def test_default_inventory_record() -> None:
    c = run(DEFAULT)
    entry = inventory(c)["rag-collection"]
    assert (entry["kind"], entry["exposure"], entry["identities"]) == (
        "vector-store",
        "private",
        [READER, WRITER],
    )
    ir = incident_response(c)["rag-collection"]
    [endpoint_id] = [r.id for r in c.resources if r.name == "rag-vpc-endpoint"]
    assert ir["endpointsToDisable"] == [endpoint_id]
    assert "rag-docs-data" in ir["containment"]


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT, trail=True)), level="mandatory") == set()


def test_default_without_the_stack_audit_trail_misses_only_the_trail() -> None:
    assert findings(gate(run(DEFAULT)), level="mandatory") == {("log-1-cloudtrail-audit-trail", "stack")}


def test_options() -> None:
    c = run(OPTIONS)
    names = [n for _, n in children(c)]
    assert "faq-key" not in names and "rag-key" not in names
    faq = inputs(c, "faq-collection")
    assert (faq["standbyReplicas"], faq["description"]) == ("DISABLED", "public FAQ embeddings")
    assert policy(c, "faq-encryption-policy") == {
        "Rules": [{"ResourceType": "collection", "Resource": ["collection/faq"]}],
        "AWSOwnedKey": True,
    }
    assert [s["Description"] for s in policy(c, "faq-data-access-policy")] == ["readers"]
    assert policy(c, "rag-encryption-policy")["KmsARN"] == KEY_ARN
    [writers] = policy(c, "rag-data-access-policy")
    assert (writers["Description"], writers["Principal"]) == ("writers", [WRITER])
    assert findings(gate(run(OPTIONS, trail=True)), level="mandatory") == set()


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"kms_key": None}, ["kms_key: confidential data must be encrypted with a customer-managed key"]),
        ({"kms_key": ExistingKey(key="arn:aws:kms:us-east-1:123456789012:alias/rag")}, ["kms_key.key"]),
        ({"access": {}}, ["access: grant `read` or `write` to at least one principal"]),
        (
            {"access": {"all": {"principal": "*", "role": "read"}}},
            ["access.all.principal", "wildcards are refused"],
        ),
        (
            {"access": {"any": {"principal": "arn:aws:iam::*:role/x", "role": "write"}}},
            ["access.any.principal", "wildcards are refused"],
        ),
        (
            {"access": {"any": {"principal": READER, "role": "admin"}}},
            ["access.any.role", "Input should be 'read' or 'write'"],
        ),
        (
            {
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "subnet_ids": tuple(f"subnet-0123456789abcdef{i}" for i in range(7)),
                    "security_group_ids": ("sg-01234567",),
                }
            },
            ["network.subnet_ids: an OpenSearch Serverless VPC endpoint takes at most 6 subnets"],
        ),
        ({"collection_name": "RAG"}, ["collection_name"]),
        ({"collection_name": "a-very-long-collection-name-x"}, ["collection_name"]),
        (
            {
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "subnet_ids": (),
                    "security_group_ids": ("sg-01234567",),
                }
            },
            ["network.subnet_ids"],
        ),
        (
            {
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "subnet_ids": ("subnet-01234567",),
                    "security_group_ids": (),
                }
            },
            ["network.security_group_ids"],
        ),
        (
            {
                "network": {
                    "vpc_id": "default",
                    "subnet_ids": ("subnet-01234567",),
                    "security_group_ids": ("sg-01234567",),
                }
            },
            ["network.vpc_id", "is not a VPC id"],
        ),
        ({"network": None}, ["network"]),
        ({"public": True}, ["public", "Extra inputs are not permitted"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    data: dict[str, Any] = {
        "ownership": OWN,
        "collection_name": "rag-docs",
        "network": NET,
        "access": {"inference": {"principal": READER, "role": "read"}},
        **changes,
    }
    with pytest.raises(ValidationError) as caught:
        VectorStoreArgs.model_validate(data)
    text = str(caught.value)
    for fragment in fragments:
        assert fragment in text, text
