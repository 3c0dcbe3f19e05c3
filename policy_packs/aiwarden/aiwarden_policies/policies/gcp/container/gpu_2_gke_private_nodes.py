"""GPU-2: GKE nodes have internal IP addresses only.

A cluster must enable private nodes (``privateClusterConfig.enablePrivateNodes``; absent means public
nodes with external IPs, the GKE default); a node pool (resource or inline) must not opt out with
``networkConfig.enablePrivateNodes`` false. Autopilot clusters are checked too.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gke import CLUSTER, TYPES, Pool

SPEC = Spec(
    control="GPU-2",
    name="gpu-2-gke-private-nodes",
    description=(
        "GKE clusters set privateClusterConfig.enablePrivateNodes = true and no node pool sets "
        "networkConfig.enablePrivateNodes = false: nodes get no external IP address."
    ),
    remediation_steps=(
        "Set `private_cluster_config=gcp.container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True, ...)` "
        "on the cluster (with Cloud NAT or Private Google Access for egress) and remove "
        "`network_config.enable_private_nodes=False` from node pools."
    ),
    resource_types=TYPES,
)


def _pool_opt_out(pool: Pool) -> Iterable[str]:
    if pool.get("networkConfig.enablePrivateNodes") is False:
        yield (
            f"GKE {pool.label}: {pool.path('networkConfig.enablePrivateNodes')} is false; nodes get external "
            "IPs. It must be true or unset (inherit the cluster's private nodes)."
        )


@resource_policy(SPEC)
def gpu_2_gke_private_nodes(r: Resource) -> Iterable[str]:
    if r.type != CLUSTER:
        yield from _pool_opt_out(Pool(f"node pool {r.name!r}", "", r.props))
        return
    private = r.get("privateClusterConfig.enablePrivateNodes")
    if private is not True:
        found = (
            "is not set (GKE default: public nodes with external IPs)"
            if private is None
            else f"is {private!r}"
        )
        yield f"GKE cluster {r.name!r}: privateClusterConfig.enablePrivateNodes {found}; it must be true."
    for i, pool in enumerate(r.get("nodePools") or []):
        yield from _pool_opt_out(Pool(f"cluster {r.name!r} nodePools[{i}]", f"nodePools[{i}].", pool))
