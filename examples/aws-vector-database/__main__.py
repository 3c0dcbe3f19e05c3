"""Retrieval embeddings in Aurora PostgreSQL with pgvector: private subnets, TLS, IAM authentication."""

import pulumi
import pulumi_aws as aws

from components._common import Ownership, export_inventory
from components.aws import DatabaseNetwork, VectorDatabase, VectorDatabaseArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
database = VectorDatabase(
    "case-embeddings",
    VectorDatabaseArgs(
        ownership=ownership,
        cluster_identifier="case-embeddings",
        network=DatabaseNetwork(
            subnet_ids=("subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"),
            security_group_ids=("sg-0a1b2c3d4e5f60718",),
        ),
    ),
)
pulumi.export("endpoint", database.cluster.endpoint)

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
