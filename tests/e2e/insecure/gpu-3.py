"""GPU-3: the GKE GPU node pool sets no service account, so its nodes run as the project's default compute
service account with the cloud-platform scope: every pod can act with Editor rights on the project."""

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
    node_config=gcp.container.NodePoolNodeConfigArgs(
        machine_type="g2-standard-8",
        oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
        guest_accelerators=[gcp.container.NodePoolNodeConfigGuestAcceleratorArgs(type="nvidia-l4", count=1)],
        workload_metadata_config=gcp.container.NodePoolNodeConfigWorkloadMetadataConfigArgs(
            mode="GKE_METADATA"
        ),
        shielded_instance_config=gcp.container.NodePoolNodeConfigShieldedInstanceConfigArgs(
            enable_secure_boot=True, enable_integrity_monitoring=True
        ),
        taints=[
            gcp.container.NodePoolNodeConfigTaintArgs(
                key="nvidia.com/gpu", value="present", effect="NO_SCHEDULE"
            )
        ],
        resource_labels=LABELS,
    ),
)
