"""K8S-2: the Kubernetes API server of a GKE cluster is private, or reachable only from named networks.

Applied to every GKE cluster, Autopilot included: the catalog scopes K8S-2 to Kubernetes clusters, the
pack has no notion of an "AI cluster" (``assets`` classifies node pools, not clusters) and the workloads a
cluster will run are not visible to a check on the cluster.

A cluster passes when any of these holds:
- ``controlPlaneEndpointsConfig.ipEndpointsConfig.enabled`` is false: the control plane has no IP
  endpoint. Its DNS-based endpoint (``dnsEndpointConfig``) is accepted as private even with
  ``allowExternalTraffic``: Google authorizes every request with IAM (container.clusters.connect)
  before it reaches the API server; restrict it further with VPC Service Controls.
- ``privateClusterConfig.enablePrivateEndpoint`` is true: the public IP endpoint is disabled (private
  nodes are GPU-2's check).
- ``masterAuthorizedNetworksConfig`` is set (its presence enables it) with no 0.0.0.0/0 or ::/0 in
  ``cidrBlocks`` and without ``gcpPublicCidrsAccessEnabled`` (any Google Cloud VM's public IP); no
  ``cidrBlocks`` means no external network at all.

Absent values are GKE's defaults: IP endpoints enabled, private endpoint off, authorized networks off
(the public endpoint accepts connections from any address). GKE control-plane audit logs need no
setting: Kubernetes audit logs go to Cloud Audit Logs (Admin Activity always on), so K8S-2 has no GKE
audit log policy.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.contract.values import items
from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gke import CLUSTER
from aiwarden_policies.lib.network import world_cidrs

SPEC = Spec(
    control="K8S-2",
    name="k8s-2-gke-private-endpoint",
    description=(
        "GKE clusters disable the public IP endpoint (privateClusterConfig.enablePrivateEndpoint = true, or "
        "controlPlaneEndpointsConfig.ipEndpointsConfig.enabled = false with the IAM-authorized DNS endpoint), or "
        "enable masterAuthorizedNetworksConfig with cidrBlocks that never include 0.0.0.0/0; GKE's default "
        "public endpoint accepts connections from any address."
    ),
    remediation_steps=(
        "Set `private_cluster_config=gcp.container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True, "
        "enable_private_endpoint=True, ...)`, or disable IP endpoints with `control_plane_endpoints_config` "
        "(ip_endpoints_config enabled=False) and use the DNS endpoint; otherwise set "
        "`master_authorized_networks_config` with `cidr_blocks` naming the networks that need the API server."
    ),
    resource_types=(CLUSTER,),
)


@resource_policy(SPEC)
def k8s_2_gke_private_endpoint(r: Resource) -> Iterable[str]:
    if r.get("controlPlaneEndpointsConfig.ipEndpointsConfig.enabled") is False:
        return
    if r.get("privateClusterConfig.enablePrivateEndpoint") is True:
        return
    networks = r.get("masterAuthorizedNetworksConfig")
    if networks is None:
        yield (
            f"GKE cluster {r.name!r}: the public endpoint is enabled (privateClusterConfig.enablePrivateEndpoint "
            "not true) and masterAuthorizedNetworksConfig is not set (GKE default: connections from any address), "
            "so the API server is open to the internet; enable the private endpoint, or authorized networks "
            "naming the networks allowed."
        )
        return
    cidrs = [str(block.get("cidrBlock")) for block in items(networks.get("cidrBlocks"))]
    world = world_cidrs(cidrs)
    if world:
        yield (
            f"GKE cluster {r.name!r}: masterAuthorizedNetworksConfig.cidrBlocks contains {', '.join(world)}, so "
            "the public endpoint is open to the internet; list named networks only, or enable the private endpoint."
        )
    if networks.get("gcpPublicCidrsAccessEnabled") is True:
        yield (
            f"GKE cluster {r.name!r}: masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled is true, so any "
            "Google Cloud VM's public IP reaches the public endpoint; it must be false or unset."
        )
