"""NB-1: the research notebook does not set `direct_internet_access`, so SageMaker gives it direct
internet access (the AWS default is Enabled) and it is not placed in a private subnet."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "research",
}

aws.sagemaker.NotebookInstance(
    "research",
    instance_type="ml.t3.medium",
    role_arn="arn:aws:iam::123456789012:role/research-notebook",
    root_access="Disabled",
    tags=TAGS,
)
