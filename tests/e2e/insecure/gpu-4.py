"""GPU-4: the GKE GPU node pool runs without Shielded VM secure boot (GKE default false) and opts out of
auto-upgrade to keep a driver version, so its nodes are neither verified at boot nor patched."""

import pulumi_gcp as gcp

LABELS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}

gcp.container.NodePool(
    "gpu-pool",
    cluster="ml",
    location="us-central1",
    node_locations=["us-central1-a"],
    autoscaling=gcp.container.NodePoolAutoscalingArgs(min_node_count=0, max_node_count=4),
    management=gcp.container.NodePoolManagementArgs(auto_repair=True, auto_upgrade=False),
    node_config=gcp.container.NodePoolNodeConfigArgs(
        machine_type="g2-standard-8",
        service_account="gpu-nodes@aiwarden-offline.iam.gserviceaccount.com",
        guest_accelerators=[gcp.container.NodePoolNodeConfigGuestAcceleratorArgs(type="nvidia-l4", count=1)],
        workload_metadata_config=gcp.container.NodePoolNodeConfigWorkloadMetadataConfigArgs(
            mode="GKE_METADATA"
        ),
        taints=[
            gcp.container.NodePoolNodeConfigTaintArgs(
                key="nvidia.com/gpu", value="present", effect="NO_SCHEDULE"
            )
        ],
        resource_labels=LABELS,
    ),
)
