"""Inference on GPUs: a private GKE cluster on a private network, and a tainted, capped NVIDIA L4 node pool."""

import pulumi

from components._common import Ownership, export_inventory
from components.gcp import (
    AuditConfig,
    AuditConfigArgs,
    CreateNodeServiceAccount,
    GpuAccelerator,
    GpuAutoscaling,
    GpuCluster,
    GpuClusterArgs,
    GpuNodePool,
    GpuNodePoolArgs,
    MetricAlert,
    PrivateNetwork,
    PrivateNetworkArgs,
    SpendGuard,
    SpendGuardArgs,
    Subnet,
)

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
network = PrivateNetwork(
    "gpu-net",
    PrivateNetworkArgs(
        ownership=ownership,
        network_name="inference-prod",
        subnets={
            "gke": Subnet(
                region="us-central1",
                cidr="10.10.0.0/20",
                secondary_ranges={"pods": "10.20.0.0/14", "services": "10.24.0.0/20"},
            ),
            "ci": Subnet(region="us-central1", cidr="10.30.0.0/24"),
        },
    ),
)
cluster = GpuCluster(
    "inference",
    GpuClusterArgs(
        ownership=ownership,
        location="us-central1",
        network=network.placement("gke"),
        # The CI runners that deploy workloads reach the private endpoint from their subnet.
        authorized_networks={"ci": "10.30.0.0/24"},
    ),
    opts=pulumi.ResourceOptions(depends_on=[network]),
)
GpuNodePool(
    "l4",
    GpuNodePoolArgs(
        ownership=ownership,
        cluster=cluster.ref(),
        machine_type="g2-standard-8",
        accelerator=GpuAccelerator(type="nvidia-l4", count=1),
        node_locations=("us-central1-a", "us-central1-b"),
        autoscaling=GpuAutoscaling(min_nodes=0, max_nodes=4),
        service_account=CreateNodeServiceAccount(
            registries={"models": "projects/aiwarden-offline/locations/us-central1/repositories/inference"}
        ),
    ),
)
# Stack companions, normally the platform program's: Data Access audit logs (LOG-1), a budget and a GPU
# duty-cycle alert (COST-1, COST-2).
AuditConfig("audit", AuditConfigArgs(ownership=ownership, project="aiwarden-offline", all_services=True))
SpendGuard(
    "spend",
    SpendGuardArgs(
        ownership=ownership,
        billing_account="012345-6789AB-CDEF01",
        amount=20000,
        scope_label="purpose",
        notification_channels=("projects/aiwarden-offline/notificationChannels/4012345678901234567",),
        alerts={
            "gpu-idle": MetricAlert(
                filter='metric.type="kubernetes.io/container/accelerator/duty_cycle" '
                'AND resource.type="k8s_container"',
                threshold=10,
                comparison="COMPARISON_LT",
                duration_seconds=3600,
            )
        },
    ),
)
export_inventory()
