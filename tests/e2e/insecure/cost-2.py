"""COST-2: the GPU node group has a monthly budget, but no Cost Anomaly Detection monitor and no GPU
utilization alarm: a sudden spend spike or idle GPUs go unnoticed until the month ends."""

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
aws.budgets.Budget(
    "gpu-budget",
    budget_type="COST",
    limit_amount="20000",
    limit_unit="USD",
    time_unit="MONTHLY",
    cost_filters=[aws.budgets.BudgetCostFilterArgs(name="TagKeyValue", values=["user:owner$ml-platform"])],
    notifications=[
        aws.budgets.BudgetNotificationArgs(
            notification_type=kind,
            comparison_operator="GREATER_THAN",
            threshold=80,
            threshold_type="PERCENTAGE",
            subscriber_email_addresses=["ml-platform@example.com"],
        )
        for kind in ("ACTUAL", "FORECASTED")
    ],
    tags=TAGS,
)
