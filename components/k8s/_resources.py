"""Compute quantities (CPU, memory) and the stack's GPU ceiling, as the Kubernetes components read them.

Quantities are the Kubernetes notation without exponents: CPU in cores or millicores (``500m``, ``2``),
memory in bytes with a binary or decimal suffix (``512Mi``, ``8Gi``, ``1G``). Memory with the suffix ``m``
(milli-bytes, a valid but almost always mistaken quantity: ``512m`` is half a byte) is refused.

The GPU ceiling is the most GPUs one namespace may request (``requests.nvidia.com/gpu`` of its quota, and
what one inference service may take): stack config ``aiwarden:maxGpusPerNamespace``, else 16 — the default of
the pack's ``maxGpusPerNamespace`` (policy ``gpu-5-k8s-gpu-quota-cap``), which reads its own pack config.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from aiwarden_policies.contract import gpu
from components._common.gpu import stack_ceiling
from components._common.ownership import NAMESPACE

GPU_RESOURCE = "nvidia.com/gpu"
#: The only GPU key a ResourceQuota accepts for an extended resource (``limits.`` is refused by the API server).
GPU_QUOTA_KEY = f"requests.{GPU_RESOURCE}"
MAX_GPUS_PER_NAMESPACE = gpu.MAX_GPUS
#: The pack's default of ``maxGpusPerNamespace`` (``gpu-5-k8s-gpu-quota-cap``).
DEFAULT_MAX_GPUS_PER_NAMESPACE = gpu.MAX_GPUS_DEFAULT

_QUANTITY = re.compile(
    r"^(?P<number>[0-9]+(\.[0-9]+)?|\.[0-9]+)(?P<suffix>m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$"
)
_FACTORS = {
    "": Decimal(1),
    "m": Decimal("0.001"),
    "k": Decimal(10) ** 3,
    "M": Decimal(10) ** 6,
    "G": Decimal(10) ** 9,
    "T": Decimal(10) ** 12,
    "P": Decimal(10) ** 15,
    "E": Decimal(10) ** 18,
    "Ki": Decimal(2) ** 10,
    "Mi": Decimal(2) ** 20,
    "Gi": Decimal(2) ** 30,
    "Ti": Decimal(2) ** 40,
    "Pi": Decimal(2) ** 50,
    "Ei": Decimal(2) ** 60,
}


def amount(quantity: str) -> Decimal:
    """The value of a quantity (cores, bytes)."""
    match = _QUANTITY.match(quantity)
    if match is None:
        raise ValueError(f"{quantity!r} is not a quantity")
    return Decimal(match.group("number")) * _FACTORS[match.group("suffix") or ""]


def check_requests_within_limits(resources: Any, field: str, why: str) -> None:
    """Raise naming ``<field>.<cpu|memory>_request`` when a request is above its limit; ``why`` says who refuses it."""
    for resource in ("cpu", "memory"):
        request, limit = getattr(resources, f"{resource}_request"), getattr(resources, f"{resource}_limit")
        if amount(request) > amount(limit):
            raise ValueError(
                f"{field}.{resource}_request {request} is above {resource}_limit {limit} ({why}); lower it"
            )


def _cpu(value: str) -> str:
    match = _QUANTITY.match(value)
    if match is None or (match.group("suffix") or "") not in ("", "m"):
        raise ValueError(f"{value!r} is not a CPU quantity; use cores or millicores, e.g. 2, 0.5 or 500m")
    if amount(value) <= 0:
        raise ValueError(f"{value!r}: a CPU quantity must be above zero")
    return value


def _memory(value: str) -> str:
    match = _QUANTITY.match(value)
    if match is None:
        raise ValueError(f"{value!r} is not a memory quantity; use bytes with a suffix, e.g. 512Mi or 8Gi")
    if match.group("suffix") == "m":
        raise ValueError(f"{value!r} is milli-bytes; did you mean {match.group('number')}Mi (mebibytes)?")
    if amount(value) < 1:
        raise ValueError(f"{value!r}: a memory quantity must be at least one byte")
    return value


CpuQuantity = Annotated[
    str, AfterValidator(_cpu), Field(description="CPU: cores or millicores, e.g. `2` or `500m`.")
]
MemoryQuantity = Annotated[
    str, AfterValidator(_memory), Field(description="Memory: bytes with a suffix, e.g. `512Mi`, `8Gi`.")
]


def gpu_ceiling() -> int:
    """The stack's GPU ceiling per namespace: stack config ``aiwarden:maxGpusPerNamespace``, else 16."""
    return stack_ceiling(MAX_GPUS_PER_NAMESPACE)


def check_gpus(field: str, count: int, what: str) -> None:
    """``ValueError`` naming ``field`` when ``count`` GPUs exceed the stack's ceiling."""
    limit = gpu_ceiling()
    if count > limit:
        raise ValueError(
            f"{field}: {what} {count} GPUs, above the stack's ceiling of {limit} per namespace (control GPU-5; stack "
            f"config {NAMESPACE}:{MAX_GPUS_PER_NAMESPACE}); ask for fewer, or have the budget owner raise the "
            f"ceiling there and in the pack config maxGpusPerNamespace"
        )
