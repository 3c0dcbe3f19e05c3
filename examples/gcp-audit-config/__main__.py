"""Data Access audit logs for Cloud Storage, Vertex AI and Secret Manager, copied into a locked bucket."""

import pulumi

from components._common import Ownership, export_inventory
from components.gcp import LockedBucket, LockedBucketArgs, Retention
from components.gcp.audit_config import AuditConfig, AuditConfigArgs, AuditSink

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
LockedBucket("training-data", LockedBucketArgs(ownership=ownership, location="us-central1"))
audit = AuditConfig(
    "audit",
    AuditConfigArgs(
        ownership=ownership,
        services=(
            "storage.googleapis.com",
            "aiplatform.googleapis.com",
            "secretmanager.googleapis.com",
            "bigquery.googleapis.com",
        ),
        sink=AuditSink(location="us-central1", retention=Retention(days=400)),
    ),
)
if audit.bucket is not None:
    pulumi.export("auditBucket", audit.bucket.name)
export_inventory()
