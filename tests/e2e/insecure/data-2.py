"""DATA-2: the bucket holding confidential training data is encrypted with S3-managed keys (AES256), not a
customer-managed KMS key that the platform can rotate, audit and revoke."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}

bucket = aws.s3.Bucket("training-data", tags=TAGS)
aws.s3.BucketServerSideEncryptionConfiguration(
    "training-data-sse",
    bucket=bucket.id,
    rules=[
        aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="AES256"
            )
        )
    ],
)
