"""K8S-2: the training cluster is created with EKS defaults: its API server endpoint is public to 0.0.0.0/0,
Kubernetes Secrets are not encrypted with a customer-managed key and no audit log is kept."""

import json

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}

role = aws.iam.Role(
    "training-cluster-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "eks.amazonaws.com"}}
            ],
        }
    ),
    tags=TAGS,
)
aws.iam.RolePolicyAttachment(
    "training-cluster-policy",
    role=role.name,
    policy_arn="arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
)
aws.eks.Cluster(
    "training",
    role_arn=role.arn,
    vpc_config=aws.eks.ClusterVpcConfigArgs(subnet_ids=["subnet-0private0a", "subnet-0private0b"]),
    tags=TAGS,
)
