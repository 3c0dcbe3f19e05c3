"""A GKE-ready network for inference: Google APIs over restricted.googleapis.com, no route to the internet."""

from components._common import Ownership, export_inventory
from components.gcp import EgressRule, HealthCheckRule, PrivateNetwork, PrivateNetworkArgs, Subnet

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
network = PrivateNetwork(
    "inference",
    PrivateNetworkArgs(
        ownership=ownership,
        network_name="inference-prod",
        subnets={
            "gke": Subnet(
                region="us-central1",
                cidr="10.10.0.0/20",
                secondary_ranges={"pods": "10.20.0.0/14", "services": "10.24.0.0/20"},
            )
        },
        egress={
            # The GKE control plane's private endpoint range.
            "gke-control-plane": EgressRule(destinations=["172.16.0.0/28"], ports=["443", "10250"]),
        },
        health_checks={"inference": HealthCheckRule(target_tags=["inference"], ports=["8080"])},
    ),
)
# What a GKE cluster or a Workbench instance takes as `network=`.
placement = network.placement("gke")
export_inventory()
