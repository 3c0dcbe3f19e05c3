"""NB-2: the notebook's execution role has AdministratorAccess attached "to get unblocked": anyone with a
notebook terminal holds the account's keys."""

import json

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "research",
}

role = aws.iam.Role(
    "notebook-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"Service": "sagemaker.amazonaws.com"},
                }
            ],
        }
    ),
    tags=TAGS,
)
aws.iam.RolePolicyAttachment(
    "notebook-admin", role=role.name, policy_arn="arn:aws:iam::aws:policy/AdministratorAccess"
)
aws.sagemaker.NotebookInstance(
    "research",
    instance_type="ml.t3.medium",
    role_arn=role.arn,
    direct_internet_access="Disabled",
    root_access="Disabled",
    subnet_id="subnet-0private",
    instance_metadata_service_configuration=aws.sagemaker.NotebookInstanceInstanceMetadataServiceConfigurationArgs(
        minimum_instance_metadata_service_version="2"
    ),
    tags=TAGS,
)
