"""INV-1: the training-data bucket and its notebook carry ad-hoc tags (`team`, `Name`) instead of owner,
environment, data-classification and purpose, so nobody can tell who owns them or what they hold."""

import pulumi_aws as aws

aws.s3.Bucket("training-data", tags={"team": "ml", "Name": "training-data"})
aws.sagemaker.NotebookInstance(
    "research",
    instance_type="ml.t3.medium",
    role_arn="arn:aws:iam::123456789012:role/research-notebook",
    direct_internet_access="Disabled",
    root_access="Disabled",
    subnet_id="subnet-0private",
    tags={"team": "ml"},
)
