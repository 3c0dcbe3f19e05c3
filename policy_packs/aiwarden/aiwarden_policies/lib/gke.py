"""GKE node pools as the GPU-* policies see them.

A node pool is a ``gcp:container/nodePool:NodePool`` resource, an inline ``nodePools[]`` entry of a
``gcp:container/cluster:Cluster`` (same shape), or the cluster's default pool (``nodeConfig`` at the
cluster root) unless the cluster lists inline pools or sets ``removeDefaultNodePool``. Autopilot
clusters have no pools to check: GKE manages their nodes (Workload Identity, Shielded nodes, COS
and auto-upgrade are enforced by Autopilot).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiwarden_policies.contract.assets import is_gpu
from aiwarden_policies.framework import Resource, get, stack_vocabulary

NODE_POOL = "gcp:container/nodePool:NodePool"
CLUSTER = "gcp:container/cluster:Cluster"
TYPES: tuple[str, ...] = (NODE_POOL, CLUSTER)


@dataclass(frozen=True)
class Pool:
    label: str  # "node pool 'np'", "cluster 'c' nodePools[0]", "cluster 'c' default node pool"
    prefix: str  # engine path prefix of the pool's properties in messages ("" or "nodePools[0].")
    props: Mapping[str, Any]

    def get(self, path: str, default: Any = None) -> Any:
        return get(self.props, path, default)

    def path(self, path: str) -> str:
        return self.prefix + path

    @property
    def gpu(self) -> bool:
        return is_gpu(NODE_POOL, self.props)


def pools(r: Resource) -> list[Pool]:
    """The node pools a node pool or cluster resource defines (see the module docstring)."""
    if r.type == NODE_POOL:
        return [Pool(f"node pool {r.name!r}", "", r.props)]
    if r.get("enableAutopilot"):
        return []
    inline = r.get("nodePools") or []
    if inline:
        return [
            Pool(f"cluster {r.name!r} nodePools[{i}]", f"nodePools[{i}].", p) for i, p in enumerate(inline)
        ]
    if r.get("removeDefaultNodePool"):
        return []
    return [Pool(f"cluster {r.name!r} default node pool", "", r.props)]


def classification(r: Resource, pool: Pool) -> str | None:
    """The pool's data classification: its node ``resourceLabels`` (stack vocabulary), else the resource's own."""
    vocabulary = stack_vocabulary()
    labels = pool.get("nodeConfig.resourceLabels")
    value = labels.get(vocabulary.keys.data_classification) if isinstance(labels, Mapping) else None
    if not value:
        return r.classification
    return vocabulary.canonical_classification(str(value)) or str(value)
