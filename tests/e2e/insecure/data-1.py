"""DATA-1: to share a dataset with a partner, the team relaxed the bucket's public access block and added
a bucket policy that lets any principal (`*`) read every object."""

import json

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}

bucket = aws.s3.Bucket("training-data", tags=TAGS)
aws.s3.BucketPublicAccessBlock(
    "training-data-pab",
    bucket=bucket.id,
    block_public_acls=True,
    ignore_public_acls=True,
    block_public_policy=False,
    restrict_public_buckets=False,
)
aws.s3.BucketPolicy(
    "training-data-policy",
    bucket=bucket.id,
    policy=bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "PartnerRead",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"{arn}/*",
                    }
                ],
            }
        )
    ),
)
