"""DATA-4: the GCS bucket for evaluation sets keeps fine-grained (per-object ACL) access instead of
uniform bucket-level access, so object ACLs can grant access that bucket IAM does not show."""

import pulumi_gcp as gcp

LABELS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "evaluation",
}

gcp.storage.Bucket("eval-sets", location="US", public_access_prevention="enforced", labels=LABELS)
