"""GPU-5: a ResourceQuota that limits GPUs stays within the per-namespace GPU ceiling.

Quotas without GPU keys are out of scope (gpu-5-k8s-gpu-namespace-has-quota requires one where GPUs
are requested). Kubernetes accepts only ``requests.nvidia.com/gpu`` for an extended resource: a quota
keyed ``nvidia.com/gpu`` or ``limits.nvidia.com/gpu`` is rejected by the API server, so it is flagged.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gpu_limits import (
    GPU_RESOURCE,
    MAX_GPUS,
    MAX_GPUS_SCHEMA,
    QUOTA_KEY,
    ceiling,
    quantity,
)

SPEC = Spec(
    control="GPU-5",
    name="gpu-5-k8s-gpu-quota-cap",
    description=(
        f'Kubernetes ResourceQuotas that limit GPUs use spec.hard["{QUOTA_KEY}"] with a value no higher than '
        f"the {MAX_GPUS} ceiling."
    ),
    remediation_steps=(
        f'Set `spec.hard["{QUOTA_KEY}"]` to at most the namespace GPU ceiling (whole number); raise '
        f"`{MAX_GPUS}` in the pack config only with a budget owner's approval."
    ),
    resource_types=("kubernetes:core/v1:ResourceQuota",),
    config=MAX_GPUS_SCHEMA,
)


@resource_policy(SPEC)
def gpu_5_k8s_gpu_quota_cap(r: Resource) -> Iterable[str]:
    hard = r.get("spec.hard") or {}
    for key in hard:
        if key != QUOTA_KEY and key.endswith(GPU_RESOURCE):
            yield (
                f"ResourceQuota {r.name!r}: spec.hard[{key!r}] is not accepted for an extended resource; use "
                f"spec.hard[{QUOTA_KEY!r}]."
            )
    if QUOTA_KEY not in hard:
        return
    limit = ceiling(r.config, MAX_GPUS)
    value = hard[QUOTA_KEY]
    count = quantity(value)
    if count is None or count > limit:
        yield (
            f"ResourceQuota {r.name!r}: spec.hard[{QUOTA_KEY!r}] is {value!r}; it must be a number of at most "
            f"{limit} ({MAX_GPUS})."
        )
