"""VectorStore: an OpenSearch Serverless VECTORSEARCH collection that is private, CMK-encrypted and least-privilege.

Children (``<name>-<role>``): ``key`` (a ``Key``, usage through OpenSearch Serverless only) unless an
existing key is given; ``encryption-policy`` (customer-managed key), created before the
``collection``; ``vpc-endpoint`` in the workload VPC (``network``); ``network-policy``
(``AllowFromPublic: false``, that endpoint only, no dashboards); ``data-access-policy`` (``read``
grants may read documents, ``write`` grants may also write them and manage indexes; nobody may delete
the collection's indexes through it).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import assets
from components._common import AssetRecord, AwsNetwork, CreateKey, Grant, KeyChoice, Ownership, record_asset
from components._common.access import principals
from components._common.inventory import asset_kind
from components._common.json_document import joined, json_document
from components._common.ownership import Slug
from components.aws._identifiers import PrincipalArn
from components.aws._key_choice import FIELD_DESCRIPTION, ResolvedKey, check_key_choice, resolve_key
from components.aws._tags import aws_tags

TYPE = "aiwarden:aws:VectorStore"
KIND = asset_kind(assets.VECTOR_STORE)
#: The roles ``access`` accepts: ``read`` (read documents, describe indexes), ``write`` (also create and update
#: indexes and write documents; no deletes).
StoreRole = Literal["read", "write"]
#: OpenSearch Serverless VPC endpoints take at most six subnets.
MAX_SUBNETS = 6
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


class VectorStoreArgs(BaseModel):
    """Inputs of ``VectorStore``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

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
    network: AwsNetwork = Field(
        description="Placement of the collection's VPC endpoint, its only network path (at most 6 subnets). "
        "Provider default: a public endpoint."
    )
    access: dict[Slug, Grant[PrincipalArn, StoreRole]] = Field(
        default_factory=dict,
        description="Who may use the collection, by name: `read` = read documents and describe indexes, `write` = "
        "also create/update indexes and write documents (no deletes). Principals are ARNs or Outputs, passed "
        "through.",
    )
    standby_replicas: bool = Field(
        default=True, description="Standby replicas in another availability zone (provider default: enabled)."
    )

    @model_validator(mode="after")
    def _safe(self) -> VectorStoreArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        if not self.access:
            raise ValueError(
                "access: grant `read` or `write` to at least one principal; without a data access policy nobody "
                "can use the collection"
            )
        if len(self.network.subnet_ids) > MAX_SUBNETS:
            raise ValueError(
                f"network.subnet_ids: an OpenSearch Serverless VPC endpoint takes at most {MAX_SUBNETS} subnets "
                f"(one per availability zone); {len(self.network.subnet_ids)} given"
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
    """One rule set for the `read` grants, one for the `write` grants, each naming its principals."""
    name = args.collection_name
    sets = []
    readers, writers = principals(args.access, "read"), principals(args.access, "write")
    if readers:
        sets.append(
            {
                "Description": "readers",
                "Rules": _rules(name, READER_COLLECTION, READER_INDEX),
                "Principal": readers,
            }
        )
    if writers:
        sets.append(
            {
                "Description": "writers",
                "Rules": _rules(name, WRITER_COLLECTION, WRITER_INDEX),
                "Principal": writers,
            }
        )
    return json_document(sets)


class VectorStore(pulumi.ComponentResource):
    """A private, CMK-encrypted OpenSearch Serverless vector collection (see the module docstring).

    Outputs: ``collectionArn``, ``collectionEndpoint``, ``vpcEndpointId``, ``kmsKeyArn``.
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
        identities = (*principals(args.access, "read"), *principals(args.access, "write"))
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
                "collectionArn": self.collection.arn,
                "collectionEndpoint": self.collection.collection_endpoint,
                "vpcEndpointId": self.vpc_endpoint.id,
                "kmsKeyArn": self.key.arn if self.key else None,
            }
        )
