"""GPU-2: SSH remote access is enabled on the GPU node group for debugging, with no source security group,
so port 22 of every GPU node is open to 0.0.0.0/0."""

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
    instance_types=["g5.2xlarge"],
    remote_access=aws.eks.NodeGroupRemoteAccessArgs(ec2_ssh_key="ml-debug"),
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=1, min_size=0, max_size=4),
    taints=[aws.eks.NodeGroupTaintArgs(key="nvidia.com/gpu", value="true", effect="NO_SCHEDULE")],
    tags=TAGS,
)
