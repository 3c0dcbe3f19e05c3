"""A training-data bucket: private, CMEK, versioned, access-logged; the trainer may read, the ETL job write."""

from components._common import Grant, Ownership, export_inventory
from components.gcp import AuditConfig, AuditConfigArgs, LockedBucket, LockedBucketArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
bucket = LockedBucket(
    "training-data",
    LockedBucketArgs(
        ownership=ownership,
        location="us-central1",
        access={
            "trainer": Grant(
                principal="serviceAccount:fraud-trainer@aiwarden-offline.iam.gserviceaccount.com", role="read"
            ),
            "etl": Grant(
                principal="serviceAccount:fraud-etl@aiwarden-offline.iam.gserviceaccount.com", role="write"
            ),
        },
    ),
)
# The project's Data Access audit logs (LOG-1): one per project, normally the platform program's.
AuditConfig("audit", AuditConfigArgs(ownership=ownership, project="aiwarden-offline", all_services=True))
export_inventory()
