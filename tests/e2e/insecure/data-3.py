"""DATA-3: the dataset bucket keeps versions, but nothing records who reads it (no server access logging,
no CloudTrail S3 data events) and old versions are never expired."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}

bucket = aws.s3.Bucket("training-data", tags=TAGS)
aws.s3.BucketVersioning(
    "training-data-versioning",
    bucket=bucket.id,
    versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
)
