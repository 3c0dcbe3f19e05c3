"""Retrieval embeddings in a private vector collection: the ingest job writes, the inference service reads."""

import pulumi

from components._common import AwsNetwork, ExistingKey, Grant, Ownership, export_inventory
from components.aws import (
    AuditTrail,
    AuditTrailArgs,
    ExistingTrailBucket,
    VectorStore,
    VectorStoreArgs,
)

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
vectors = VectorStore(
    "case-notes",
    VectorStoreArgs(
        ownership=ownership,
        collection_name="case-notes",
        network=AwsNetwork(
            vpc_id="vpc-0a1b2c3d4e5f60718",
            subnet_ids=("subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"),
            security_group_ids=("sg-0a1b2c3d4e5f60718",),
        ),
        access={
            "inference": Grant(principal="arn:aws:iam::123456789012:role/fraud-inference", role="read"),
            "ingest": Grant(principal="arn:aws:iam::123456789012:role/case-notes-ingest", role="write"),
        },
    ),
)
pulumi.export("collection_endpoint", vectors.collection.collection_endpoint)

# The stack's audit trail (LOG-1), normally provided by the platform: management events into the
# organization's log archive.
AuditTrail(
    "audit",
    AuditTrailArgs(
        ownership=ownership,
        kms_key=ExistingKey(
            key="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        ),
        log_bucket=ExistingTrailBucket(bucket="org-log-archive"),
    ),
)
export_inventory()
