"""VectorStore: an OpenSearch Serverless VECTORSEARCH collection that is private, CMK-encrypted and least-privilege.

Children (``<name>-<role>``): ``key`` (a ``Key``, usage through OpenSearch Serverless only) unless an
existing key is given; ``encryption-policy`` (customer-managed key), created before the
``collection``; ``vpc-endpoint`` in the workload VPC; ``network-policy`` (``AllowFromPublic: false``,
that endpoint only, no dashboards); ``data-access-policy`` (readers may read documents, writers
may also write them and manage indexes; nobody may delete the collection's indexes through it).
"""

from __future__ import annotations

from typing import Any, ClassVar

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, model_validator

from components._common import AssetRecord, CreateKey, KeyChoice, Ownership, record_asset
from components._common.json_document import joined, json_document
from components._common.ownership import Slug
from components.aws._identifiers import PrincipalArn, SecurityGroupId, SubnetId, VpcId
from components.aws._key_choice import FIELD_DESCRIPTION, ResolvedKey, check_key_choice, resolve_key
from components.aws._tags import aws_tags

TYPE = "aiwarden:aws:VectorStore"
KIND = "vector-store"
#: Collection, policy and VPC endpoint names: 3-32 characters; the longest suffix added is ``-vpce`` / ``-data``.
COLLECTION_NAME = r"^[a-z][a-z0-9-]{2,26}$"
READER_COLLECTION = ("aoss:DescribeCollectionItems",)
READER_INDEX = ("aoss:DescribeIndex", "aoss:ReadDocument")
WRITER_COLLECTION = (
    "aoss:CreateCollectionItems",
    "aoss:DescribeCollectionItems",
    "aoss:UpdateCollectionItems",
)
WRITER_INDEX = (
    "aoss:CreateIndex",
    "aoss:DescribeIndex",
    "aoss:ReadDocument",
    "aoss:UpdateIndex",
    "aoss:WriteDocument",
)


class Network(BaseModel):
    """Where the collection's VPC endpoint lives: the only network path to the collection."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    vpc_id: VpcId = Field(description="VPC of the workloads (a string or an Output, passed through).")
    subnet_ids: tuple[SubnetId, ...] = Field(
        min_length=1, max_length=6, description="Private subnets for the endpoint, one per availability zone."
    )
    security_group_ids: tuple[SecurityGroupId, ...] = Field(
        min_length=1,
        max_length=5,
        description="Security groups of the endpoint (provider default: the VPC's default security group).",
    )


class VectorStoreArgs(BaseModel):
    """Inputs of ``VectorStore``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every taggable child.")
    collection_name: str = Field(
        pattern=COLLECTION_NAME,
        description="Collection name (3-27 lowercase letters, digits, dashes): the policies name it before it "
        "exists, so it is not auto-named.",
    )
    description: str = Field(default="", max_length=1000, description="Collection description.")
    kms_key: KeyChoice | None = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}; None: an AWS-owned key, refused for confidential/restricted data "
        "(provider default: AWS-owned key).",
    )
    network: Network = Field(description="VPC endpoint placement (provider default: a public endpoint).")
    readers: dict[Slug, PrincipalArn] = Field(
        default_factory=dict, description="Principals that may read documents and describe indexes, by name."
    )
    writers: dict[Slug, PrincipalArn] = Field(
        default_factory=dict,
        description="Principals that may also create/update indexes and write documents, by name (no deletes).",
    )
    standby_replicas: bool = Field(
        default=True, description="Standby replicas in another availability zone (provider default: enabled)."
    )

    @model_validator(mode="after")
    def _safe(self) -> VectorStoreArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        if not self.readers and not self.writers:
            raise ValueError(
                "readers: name at least one reader or writer role; without a data access policy nobody can use "
                "the collection"
            )
        return self


def _rules(
    collection: str, collection_permissions: tuple[str, ...], index_permissions: tuple[str, ...]
) -> list[dict[str, Any]]:
    return [
        {
            "ResourceType": "collection",
            "Resource": [f"collection/{collection}"],
            "Permission": list(collection_permissions),
        },
        {
            "ResourceType": "index",
            "Resource": [f"index/{collection}/*"],
            "Permission": list(index_permissions),
        },
    ]


def data_access_policy(args: VectorStoreArgs) -> pulumi.Output[str]:
    """One rule set for readers, one for writers, each naming its principals."""
    name = args.collection_name
    sets = []
    if args.readers:
        sets.append(
            {
                "Description": "readers",
                "Rules": _rules(name, READER_COLLECTION, READER_INDEX),
                "Principal": list(args.readers.values()),
            }
        )
    if args.writers:
        sets.append(
            {
                "Description": "writers",
                "Rules": _rules(name, WRITER_COLLECTION, WRITER_INDEX),
                "Principal": list(args.writers.values()),
            }
        )
    return json_document(sets)


class VectorStore(pulumi.ComponentResource):
    """A private, CMK-encrypted OpenSearch Serverless vector collection (see the module docstring).

    Outputs: ``collection_arn``, ``collection_endpoint``, ``vpc_endpoint_id``, ``kms_key_arn``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("VEC-1", "DATA-2", "INV-1")

    key: ResolvedKey | None
    encryption_policy: aws.opensearch.ServerlessSecurityPolicy
    vpc_endpoint: aws.opensearch.ServerlessVpcEndpoint
    network_policy: aws.opensearch.ServerlessSecurityPolicy
    data_access_policy: aws.opensearch.ServerlessAccessPolicy
    collection: aws.opensearch.ServerlessCollection

    def __init__(self, name: str, args: VectorStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        collection = args.collection_name
        rule = [{"ResourceType": "collection", "Resource": [f"collection/{collection}"]}]
        self.key = (
            None
            if args.kms_key is None
            else resolve_key(name, args.kms_key, args.ownership, self, services=("aoss",))
        )
        encryption: dict[str, Any] = {"Rules": rule, "AWSOwnedKey": self.key is None}
        if self.key is not None:
            encryption["KmsARN"] = self.key.arn
        self.encryption_policy = aws.opensearch.ServerlessSecurityPolicy(
            f"{name}-encryption-policy",
            name=f"{collection}-enc",
            type="encryption",
            description=f"aiwarden {name}: customer-managed key",
            policy=json_document(encryption),
            opts=child,
        )
        self.vpc_endpoint = aws.opensearch.ServerlessVpcEndpoint(
            f"{name}-vpc-endpoint",
            name=f"{collection}-vpce",
            vpc_id=args.network.vpc_id,
            subnet_ids=list(args.network.subnet_ids),
            security_group_ids=list(args.network.security_group_ids),
            opts=child,
        )
        self.network_policy = aws.opensearch.ServerlessSecurityPolicy(
            f"{name}-network-policy",
            name=f"{collection}-net",
            type="network",
            description=f"aiwarden {name}: VPC endpoint only",
            policy=json_document(
                [
                    {
                        "Description": "private: the collection endpoint through the VPC endpoint only, no dashboards",
                        "Rules": rule,
                        "AllowFromPublic": False,
                        "SourceVPCEs": [self.vpc_endpoint.id],
                    }
                ]
            ),
            opts=child,
        )
        self.data_access_policy = aws.opensearch.ServerlessAccessPolicy(
            f"{name}-data-access-policy",
            name=f"{collection}-data",
            type="data",
            description=f"aiwarden {name}: named readers and writers",
            policy=data_access_policy(args),
            opts=child,
        )
        self.collection = aws.opensearch.ServerlessCollection(
            f"{name}-collection",
            name=collection,
            type="VECTORSEARCH",
            description=args.description or None,
            standby_replicas="ENABLED" if args.standby_replicas else "DISABLED",
            tags=aws_tags(args.ownership),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[self.encryption_policy, self.network_policy, self.data_access_policy]
            ),
        )
        identities = (*args.readers.values(), *args.writers.values())
        record_asset(
            AssetRecord(
                name=f"{name}-collection",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=identities,
                endpoints_to_disable=(self.vpc_endpoint.id,),
                logs_to_preserve=(joined("CloudTrail: aoss events for ", self.collection.arn),),
                containment=f"Remove the principals from the {collection}-data access policy and the VPC endpoint from "
                f"the {collection}-net network policy; disable the key to make the data unreadable.",
            )
        )
        self.register_outputs(
            {
                "collection_arn": self.collection.arn,
                "collection_endpoint": self.collection.collection_endpoint,
                "vpc_endpoint_id": self.vpc_endpoint.id,
                "kms_key_arn": self.key.arn if self.key else None,
            }
        )
