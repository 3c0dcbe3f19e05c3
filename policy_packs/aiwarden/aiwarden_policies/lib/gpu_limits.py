"""GPU capacity limits (GPU-5): the GPU ceilings, the dedicated-pool taint, GPU quantities.

Used by the EKS node group, GKE node pool and Kubernetes quota policies of GPU-5, so that each reads
``maxGpuNodesPerPool`` / ``maxGpusPerNamespace`` and decides "dedicated" the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiwarden_policies.contract.gpu import MAX_GPUS, MAX_GPUS_DEFAULT, MAX_NODES, MAX_NODES_DEFAULT

GPU_RESOURCE = "nvidia.com/gpu"
#: The only GPU key a ResourceQuota accepts for an extended resource.
QUOTA_KEY = f"requests.{GPU_RESOURCE}"
#: Taint keys that reserve a pool for accelerator workloads (NVIDIA device plugin, AWS Neuron).
TAINT_KEYS = frozenset({GPU_RESOURCE, "aws.amazon.com/neuron"})
#: Effects that keep pods without a toleration off the nodes (EKS and GKE spell them alike).
TAINT_EFFECTS = frozenset({"NO_SCHEDULE", "NO_EXECUTE"})

MAX_NODES_SCHEMA: dict[str, dict[str, Any]] = {
    MAX_NODES: {
        "type": "integer",
        "minimum": 0,
        "default": MAX_NODES_DEFAULT,
        "description": "Highest autoscaling maximum (total nodes) allowed for one GPU node group / node pool.",
    },
}
MAX_GPUS_SCHEMA: dict[str, dict[str, Any]] = {
    MAX_GPUS: {
        "type": "integer",
        "minimum": 0,
        "default": MAX_GPUS_DEFAULT,
        "description": f"Highest `{QUOTA_KEY}` a ResourceQuota may allow in one namespace.",
    },
}


def ceiling(config: Mapping[str, Any], key: str) -> int:
    schema = {**MAX_NODES_SCHEMA, **MAX_GPUS_SCHEMA}[key]
    return int(config.get(key, schema["default"]))


def dedicated(taints: Iterable[Mapping[str, Any]] | None) -> bool:
    """Whether the taints reserve the pool for GPU workloads (GPU key with a NoSchedule/NoExecute effect)."""
    return any(
        str(t.get("key")) in TAINT_KEYS and str(t.get("effect")).upper() in TAINT_EFFECTS
        for t in taints or []
    )


def quantity(value: Any) -> float | None:
    """A GPU count from a Kubernetes quantity ("4", 4.0); None when it is not a plain number."""
    try:
        return float(str(value))
    except ValueError:
        return None
