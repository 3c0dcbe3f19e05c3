"""GPU-5: GPU GKE node pools are tainted for GPU workloads and capped in size.

Applies to GPU pools of node pool resources and clusters. The pool's node ceiling is
``autoscaling.totalMaxNodeCount``, else the per-zone ``autoscaling.maxNodeCount`` (or, without
autoscaling, ``nodeCount`` / ``initialNodeCount``, GKE default 1) times the number of ``nodeLocations``
(1 when not listed: a regional pool without nodeLocations runs in every zone of the region, so this
undercounts — list nodeLocations or use totalMaxNodeCount). GKE adds an
``nvidia.com/gpu`` taint by itself only when the cluster also has non-GPU pools, so the taint must be
explicit.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gke import TYPES, Pool, pools
from aiwarden_policies.lib.gpu_limits import (
    GPU_RESOURCE,
    MAX_NODES,
    MAX_NODES_SCHEMA,
    ceiling,
    dedicated,
)

SPEC = Spec(
    control="GPU-5",
    name="gpu-5-gke-gpu-node-pool-dedicated-capped",
    description=(
        f"GPU GKE node pools carry a nodeConfig.taints entry {GPU_RESOURCE} with effect NO_SCHEDULE (or "
        f"NO_EXECUTE), and their maximum node count does not exceed the {MAX_NODES} ceiling."
    ),
    remediation_steps=(
        'Add `node_config.taints=[gcp.container.NodePoolNodeConfigTaintArgs(key="nvidia.com/gpu", '
        'value="present", effect="NO_SCHEDULE")]` and bound the pool with `autoscaling.total_max_node_count` '
        f"(or max_node_count per zone with explicit node_locations) within `{MAX_NODES}`."
    ),
    resource_types=TYPES,
    config=MAX_NODES_SCHEMA,
)


def _max_nodes(pool: Pool) -> tuple[float, str]:
    """(maximum nodes of the pool, where that number comes from)."""
    total = pool.get("autoscaling.totalMaxNodeCount")
    if total is not None:
        return float(total), pool.path("autoscaling.totalMaxNodeCount")
    zones = len(pool.get("nodeLocations") or []) or 1
    for key in ("autoscaling.maxNodeCount", "nodeCount", "initialNodeCount"):  # all per zone
        per_zone = pool.get(key)
        if per_zone is not None:
            return float(per_zone) * zones, f"{pool.path(key)} × {zones} zone(s)"
    return float(zones), f"{pool.path('nodeCount')} (not set, GKE default 1) × {zones} zone(s)"


@resource_policy(SPEC)
def gpu_5_gke_gpu_node_pool_dedicated_capped(r: Resource) -> Iterable[str]:
    limit = ceiling(r.config, MAX_NODES)
    for pool in pools(r):
        if not pool.gpu:
            continue
        if not dedicated(pool.get("nodeConfig.taints")):
            yield (
                f"GKE GPU {pool.label}: {pool.path('nodeConfig.taints')} has no {GPU_RESOURCE} taint with effect "
                "NO_SCHEDULE (absent: untainted nodes accept any pod); GPU pools must be dedicated."
            )
        nodes, source = _max_nodes(pool)
        if nodes > limit:
            yield f"GKE GPU {pool.label}: {source} allows {nodes:g} nodes; it must be at most {limit} ({MAX_NODES})."
