"""NET-3: a firewall rule opens the Jupyter and model-server ports of the GPU VMs to 0.0.0.0/0 "for the
demo"."""

import pulumi_gcp as gcp

gcp.compute.Firewall(
    "allow-notebook",
    network="ml-vpc",
    direction="INGRESS",
    source_ranges=["0.0.0.0/0"],
    target_tags=["gpu-workbench"],
    allows=[gcp.compute.FirewallAllowArgs(protocol="tcp", ports=["8888", "8080"])],
)
