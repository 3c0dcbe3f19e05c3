"""A training-data bucket the training role may read and write and the evaluation role only read, through the
workload VPC's S3 endpoint."""

import pulumi

from components._common import ExistingKey, Grant, Ownership, export_inventory
from components.aws import AuditTrail, AuditTrailArgs, ExistingTrailBucket, LockedBucket, LockedBucketArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
data = LockedBucket(
    "training-data",
    LockedBucketArgs(
        ownership=ownership,
        access={
            "training": Grant(principal="arn:aws:iam::123456789012:role/fraud-training", role="write"),
            "evaluation": Grant(principal="arn:aws:iam::123456789012:role/fraud-evaluation", role="read"),
        },
        allowed_vpc_endpoints={"workloads": "vpce-0a1b2c3d4e5f60718"},
    ),
)
pulumi.export("bucket", data.bucket.bucket)

# The stack's audit trail (LOG-1), normally provided by the platform: management events and S3 data events
# of the bucket and of its access-log bucket (DATA-3), into the organization's log archive.
recorded = {"training-data": data.bucket.bucket}
if data.log_bucket is not None:
    recorded["training-data-access-logs"] = data.log_bucket.bucket
AuditTrail(
    "audit",
    AuditTrailArgs(
        ownership=ownership,
        kms_key=ExistingKey(
            key="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        ),
        log_bucket=ExistingTrailBucket(bucket="org-log-archive"),
        dataset_buckets=recorded,
    ),
)
export_inventory()
