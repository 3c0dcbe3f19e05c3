"""SUP-1: the model image repository is created with ECR defaults: mutable tags (a pushed `:v1` can be
replaced), no scan on push, and AES256 instead of a KMS key."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "inference",
}

aws.ecr.Repository("model-images", name="ml/model-server", tags=TAGS)
