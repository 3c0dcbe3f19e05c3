"""COST-1: a GPU node group of up to eight g5.12xlarge nodes is created with no AWS budget scoped to the
workload's tags: nobody is told when the GPU bill runs away."""

import json

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}

role = aws.iam.Role(
    "gpu-node-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}
            ],
        }
    ),
    tags=TAGS,
)
aws.eks.NodeGroup(
    "gpu-nodes",
    cluster_name="ml",
    node_role_arn=role.arn,
    subnet_ids=["subnet-0private"],
    ami_type="AL2023_x86_64_NVIDIA",
    instance_types=["g5.12xlarge"],
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=2, min_size=0, max_size=8),
    taints=[aws.eks.NodeGroupTaintArgs(key="nvidia.com/gpu", value="true", effect="NO_SCHEDULE")],
    tags=TAGS,
)
