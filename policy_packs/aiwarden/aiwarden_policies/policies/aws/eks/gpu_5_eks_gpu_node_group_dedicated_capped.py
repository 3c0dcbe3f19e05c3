"""GPU-5: GPU EKS node groups are tainted for GPU workloads and capped in size.

Applies to GPU node groups (``assets.is_gpu``: NVIDIA/Neuron AMI type or GPU instance types on the
node group). ``taints`` absent means untainted nodes; ``scalingConfig.maxSize`` absent means no
ceiling can be shown (the provider requires it).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.contract.assets import is_gpu
from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gpu_limits import (
    GPU_RESOURCE,
    MAX_NODES,
    MAX_NODES_SCHEMA,
    ceiling,
    dedicated,
)

SPEC = Spec(
    control="GPU-5",
    name="gpu-5-eks-gpu-node-group-dedicated-capped",
    description=(
        f"GPU EKS node groups carry a taint {GPU_RESOURCE} (or aws.amazon.com/neuron) with effect NO_SCHEDULE "
        f"(or NO_EXECUTE), and scalingConfig.maxSize does not exceed the {MAX_NODES} ceiling."
    ),
    remediation_steps=(
        'Add `taints=[aws.eks.NodeGroupTaintArgs(key="nvidia.com/gpu", value="true", effect="NO_SCHEDULE")]` '
        "(GPU pods tolerate it) and keep `scaling_config.max_size` within the stack's GPU ceiling; raise "
        f"`{MAX_NODES}` in the pack config only with a budget owner's approval."
    ),
    resource_types=("aws:eks/nodeGroup:NodeGroup",),
    config=MAX_NODES_SCHEMA,
)


@resource_policy(SPEC)
def gpu_5_eks_gpu_node_group_dedicated_capped(r: Resource) -> Iterable[str]:
    if not is_gpu(r.type, r.props):
        return
    if not dedicated(r.get("taints")):
        yield (
            f"GPU EKS node group {r.name!r}: taints has no {GPU_RESOURCE} taint with effect NO_SCHEDULE "
            "(absent: nodes are untainted and accept any pod); GPU pools must be dedicated."
        )
    limit = ceiling(r.config, MAX_NODES)
    max_size = r.get("scalingConfig.maxSize")
    if max_size is None:
        yield f"GPU EKS node group {r.name!r}: scalingConfig.maxSize is not set; it must be at most {limit}."
    elif float(max_size) > limit:
        yield (
            f"GPU EKS node group {r.name!r}: scalingConfig.maxSize is {float(max_size):g}; it must be at most "
            f"{limit} ({MAX_NODES})."
        )
