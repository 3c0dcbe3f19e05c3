"""The stack's audit trail: management events, and S3 data events of the training data and its access logs."""

import pulumi

from components._common import Ownership, export_inventory
from components.aws import LockedBucket, LockedBucketArgs
from components.aws.audit_trail import AuditTrail, AuditTrailArgs, CloudWatchDelivery

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
data = LockedBucket("training-data", LockedBucketArgs(ownership=ownership))
# Reads and writes of the dataset and of its access-log bucket are recorded (LOG-1, DATA-3).
recorded = {"training-data": data.bucket.bucket}
if data.log_bucket is not None:
    recorded["training-data-access-logs"] = data.log_bucket.bucket
trail = AuditTrail(
    "audit",
    AuditTrailArgs(
        ownership=ownership,
        dataset_buckets=recorded,
        bedrock_data_events=True,
        cloudwatch_logs=CloudWatchDelivery(retention_days=400),
    ),
)
pulumi.export("trail", trail.trail.arn)
export_inventory()
