"""The stack's GPU node ceiling (GPU-5), the same on every cloud.

A GPU node group / node pool may autoscale to at most ``gpu_node_ceiling()`` nodes: stack config
``aiwarden:maxGpuNodesPerPool`` (an integer), else the pack's default
(``aiwarden_policies.contract.gpu``, 8). The pack's GPU-5 policies read their own pack config of the same
name with the same default, so a stack that raises the ceiling sets both. ``check_gpu_nodes`` refuses a
larger maximum before anything registers, naming the field and the fix.
"""

from __future__ import annotations

import pulumi

from aiwarden_policies.contract import gpu
from components._common.ownership import NAMESPACE


def stack_ceiling(key: str) -> int:
    """The stack's GPU ceiling ``key`` (``gpu.MAX_NODES``, ``gpu.MAX_GPUS``); malformed config:
    ``pulumi.RunError`` naming the key (``aiwarden check`` refuses it before the program runs)."""
    try:
        return gpu.parse_ceiling(key, pulumi.Config(NAMESPACE).get(key))
    except gpu.CeilingError as exc:
        raise pulumi.RunError(f"invalid stack config: {NAMESPACE}:{key}: {exc}") from None


def gpu_node_ceiling() -> int:
    """The stack's GPU node ceiling per pool."""
    return stack_ceiling(gpu.MAX_NODES)


def check_gpu_nodes(max_nodes: int, field_name: str) -> None:
    """Refuse an autoscaling maximum above the stack's GPU node ceiling."""
    ceiling = gpu_node_ceiling()
    if max_nodes > ceiling:
        raise ValueError(
            f"{field_name}={max_nodes}: above the stack's GPU ceiling of {ceiling} nodes per pool (control GPU-5; "
            f"stack config {NAMESPACE}:{gpu.MAX_NODES}); lower it to at most {ceiling}, or raise the ceiling for "
            f"this stack with a documented capacity decision (stack config {NAMESPACE}:{gpu.MAX_NODES} and the "
            f"pack config {gpu.MAX_NODES} of the GPU-5 policies)"
        )
