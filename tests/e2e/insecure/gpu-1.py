"""GPU-1: the GPU node group's launch template leaves metadata options at their defaults: IMDSv1 stays
available, so any pod that reaches 169.254.169.254 can read the node role's credentials."""

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
template = aws.ec2.LaunchTemplate(
    "gpu-lt",
    block_device_mappings=[
        aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
            device_name="/dev/xvda",
            ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(encrypted="true", volume_size=200),
        )
    ],
    tags=TAGS,
)
aws.eks.NodeGroup(
    "gpu-nodes",
    cluster_name="ml",
    node_role_arn=role.arn,
    subnet_ids=["subnet-0private"],
    ami_type="AL2023_x86_64_NVIDIA",
    instance_types=["g5.2xlarge"],
    launch_template=aws.eks.NodeGroupLaunchTemplateArgs(id=template.id, version="$Latest"),
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=1, min_size=0, max_size=4),
    taints=[aws.eks.NodeGroupTaintArgs(key="nvidia.com/gpu", value="true", effect="NO_SCHEDULE")],
    tags=TAGS,
)
