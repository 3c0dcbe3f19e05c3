"""SEC-3: the inference role may read every secret of the account (`secretsmanager:GetSecretValue` on
`*`) instead of the one secret it needs."""

import json

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "inference",
}

role = aws.iam.Role(
    "inference",
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
aws.iam.RolePolicy(
    "inference-secrets",
    role=role.id,
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}],
        }
    ),
)
