"""A private EKS cluster for the fraud-scoring models and a pool of L40S GPU nodes, on a private network without
a route to the internet."""

import pulumi

from components._common import ExistingKey, Grant, Ownership, export_inventory
from components.aws import (
    AuditTrail,
    AuditTrailArgs,
    ExistingTrailBucket,
    GpuCluster,
    GpuClusterArgs,
    GpuNodePool,
    GpuNodePoolArgs,
    MetricAlarm,
    PrivateNetwork,
    PrivateNetworkArgs,
    PrivateSubnet,
    SpendGuard,
    SpendGuardArgs,
)
from components.aws.private_network import DEFAULT_INTERFACE_ENDPOINTS

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
# The network: two private subnets, the AWS APIs nodes call through VPC endpoints (EC2, EKS, EKS Auth for Pod
# Identity, ECR, S3, STS, CloudWatch Logs...), no route to the internet.
net = PrivateNetwork(
    "fraud",
    PrivateNetworkArgs(
        ownership=ownership,
        cidr_block="10.42.0.0/16",
        subnets={
            "a": PrivateSubnet(availability_zone="us-east-1a", cidr_block="10.42.0.0/19"),
            "b": PrivateSubnet(availability_zone="us-east-1b", cidr_block="10.42.32.0/19"),
        },
        interface_endpoints=(*DEFAULT_INTERFACE_ENDPOINTS, "ec2", "eks", "eks-auth"),
        workload_ports={"https": 443},
    ),
)
cluster = GpuCluster(
    "fraud",
    GpuClusterArgs(
        ownership=ownership,
        cluster_name="fraud-scoring",
        kubernetes_version="1.34",
        network=net.network,
        access={
            "platform": Grant(principal="arn:aws:iam::123456789012:role/ml-platform-admin", role="admin")
        },
        api_access={"vpn": "10.200.0.0/16"},
    ),
)
gpus = GpuNodePool(
    "l40s",
    GpuNodePoolArgs(
        ownership=ownership,
        cluster=cluster.ref(),
        network=net.network,
        instance_types=("g6e.xlarge", "g6e.2xlarge"),
        min_size=0,
        max_size=4,
    ),
)
pulumi.export("clusterName", cluster.cluster_name)
pulumi.export("gpuNodeGroup", gpus.node_group.node_group_name)

# The stack's audit trail (LOG-1) and budget (COST-1), normally provided by the platform.
AuditTrail(
    "audit",
    AuditTrailArgs(
        ownership=ownership,
        kms_key=ExistingKey(
            key="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        ),
        log_bucket=ExistingTrailBucket(bucket="org-log-archive"),
    ),
)
SpendGuard(
    "spend",
    SpendGuardArgs(
        ownership=ownership,
        amount=25000,
        scope_tag="purpose",
        emails=("ml-platform@example.com",),
        sns_topic_arn="arn:aws:sns:us-east-1:123456789012:ml-platform-cost",
        # GPU metrics of EKS nodes come from CloudWatch Container Insights (amazon-cloudwatch-observability add-on).
        alarms={
            "idle-gpus": MetricAlarm(
                namespace="ContainerInsights",
                metric_name="node_gpu_utilization",
                dimensions={"ClusterName": cluster.cluster_name},
                comparison="LessThanThreshold",
                threshold=10,
                period_seconds=3600,
                evaluation_periods=3,
                description="GPU nodes of fraud-scoring under 10% busy for 3 hours: scale the pool down",
            )
        },
    ),
)
export_inventory()
