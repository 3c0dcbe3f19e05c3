"""Retrieval embeddings in Aurora PostgreSQL with pgvector: private subnets, TLS, IAM authentication."""

import pulumi

from components._common import AwsNetwork, ExistingKey, Ownership, export_inventory
from components.aws import (
    AuditTrail,
    AuditTrailArgs,
    ExistingTrailBucket,
    VectorDatabase,
    VectorDatabaseArgs,
)

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
database = VectorDatabase(
    "case-embeddings",
    VectorDatabaseArgs(
        ownership=ownership,
        cluster_identifier="case-embeddings",
        network=AwsNetwork(
            vpc_id="vpc-0a1b2c3d4e5f60718",
            subnet_ids=("subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"),
            security_group_ids=("sg-0a1b2c3d4e5f60718",),
        ),
    ),
)
pulumi.export("endpoint", database.cluster.endpoint)

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
