"""Retrieval embeddings in a private vector collection: the ingest job writes, the inference service reads."""

import pulumi
import pulumi_aws as aws

from components._common import Ownership, export_inventory
from components.aws import Network, VectorStore, VectorStoreArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
vectors = VectorStore(
    "case-notes",
    VectorStoreArgs(
        ownership=ownership,
        collection_name="case-notes",
        network=Network(
            vpc_id="vpc-0a1b2c3d4e5f60718",
            subnet_ids=("subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"),
            security_group_ids=("sg-0a1b2c3d4e5f60718",),
        ),
        readers={"inference": "arn:aws:iam::123456789012:role/fraud-inference"},
        writers={"ingest": "arn:aws:iam::123456789012:role/case-notes-ingest"},
    ),
)
pulumi.export("collection_endpoint", vectors.collection.collection_endpoint)

# The stack's audit trail (LOG-1), normally provided by the platform: management and S3 data events into the
# organization's log archive.
aws.cloudtrail.Trail(
    "audit",
    s3_bucket_name="org-log-archive",
    is_multi_region_trail=True,
    enable_log_file_validation=True,
    kms_key_id="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    event_selectors=[
        aws.cloudtrail.TrailEventSelectorArgs(
            read_write_type="All",
            include_management_events=True,
            data_resources=[
                aws.cloudtrail.TrailEventSelectorDataResourceArgs(
                    type="AWS::S3::Object", values=["arn:aws:s3"]
                )
            ],
        )
    ],
    tags=ownership.aws_tags(),
)
export_inventory()
