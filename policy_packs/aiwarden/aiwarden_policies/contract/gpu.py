"""GPU capacity ceilings (GPU-5), read the same way by the pack and by the components.

One definition of the node ceiling of a GPU node group / node pool: the pack's GPU-5 policies read their
pack config ``maxGpuNodesPerPool`` (``lib.gpu_limits``); the GPU pool components refuse a larger
autoscaling maximum before anything registers, reading stack config ``aiwarden:maxGpuNodesPerPool``
(``parse_max_nodes``). Both default to ``MAX_NODES_DEFAULT``: a stack that raises the ceiling sets both.
Dependency-free on purpose (imported by the policy pack process).
"""

from __future__ import annotations

#: The key of the node ceiling: the GPU-5 policies' pack config and the components' stack config (`aiwarden:`).
MAX_NODES = "maxGpuNodesPerPool"
#: Highest autoscaling maximum (total nodes) of one GPU node group / node pool when nothing is configured.
MAX_NODES_DEFAULT = 8
#: The key of the GPU ceiling of one Kubernetes namespace (quota; replicas x GPUs of a service).
MAX_GPUS = "maxGpusPerNamespace"
#: GPUs one namespace may request when nothing is configured.
MAX_GPUS_DEFAULT = 16
#: Stack config key -> (default, unit) of every GPU ceiling.
CEILINGS: dict[str, tuple[int, str]] = {
    MAX_NODES: (MAX_NODES_DEFAULT, "nodes"),
    MAX_GPUS: (MAX_GPUS_DEFAULT, "GPUs"),
}


class CeilingError(ValueError):
    """A malformed ceiling in configuration."""


def parse_ceiling(key: str, value: str | None) -> int:
    """The ceiling ``key`` (``MAX_NODES``, ``MAX_GPUS``) of a stack config value (a non-negative integer; Pulumi
    hands it as text); None means its default. Malformed: ``CeilingError``."""
    default, unit = CEILINGS[key]
    if value is None:
        return default
    text = value.strip()
    if not text.isdigit() or not text.isascii():
        raise CeilingError(f"expected a non-negative whole number of {unit}, e.g. {default}, not {value!r}")
    return int(text)


def parse_max_nodes(value: str | None) -> int:
    """The node ceiling of a stack config value; None means ``MAX_NODES_DEFAULT``."""
    return parse_ceiling(MAX_NODES, value)
