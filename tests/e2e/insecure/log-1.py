"""LOG-1: the account's CloudTrail trail is created with defaults: single-region, no log file
validation, no KMS key, and no S3 data events for the training-data bucket."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}

aws.s3.Bucket("training-data", tags=TAGS)
aws.cloudtrail.Trail("audit", s3_bucket_name="central-audit-logs", tags=TAGS)
