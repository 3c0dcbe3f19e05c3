"""GPU-5: every namespace where a workload requests GPUs has a ResourceQuota on GPUs.

A stack policy: pod templates (``lib.pods``) whose containers request or limit ``nvidia.com/gpu``
are grouped by their ``metadata.namespace`` (absent: "default"); the namespace needs a
``kubernetes:core/v1:ResourceQuota`` of the stack in the same namespace with
``spec.hard["requests.nvidia.com/gpu"]``. The finding is reported on each GPU workload of an
unquoted namespace; the quota's value is checked by gpu-5-k8s-gpu-quota-cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, get, stack_policy
from aiwarden_policies.lib.gpu_limits import GPU_RESOURCE, QUOTA_KEY, quantity
from aiwarden_policies.lib.namespaces import namespace
from aiwarden_policies.lib.pods import POD_TYPES, containers, pod_spec

QUOTA = "kubernetes:core/v1:ResourceQuota"

SPEC = Spec(
    control="GPU-5",
    name="gpu-5-k8s-gpu-namespace-has-quota",
    description=(
        f"Every namespace whose workloads request {GPU_RESOURCE} has a ResourceQuota with "
        f'spec.hard["{QUOTA_KEY}"], so one team cannot take every GPU of the cluster.'
    ),
    remediation_steps=(
        f'Create a `kubernetes.core.v1.ResourceQuota` in the namespace with `spec.hard={{"{QUOTA_KEY}": "<n>"}}` '
        "within the namespace GPU ceiling (the components' GPU namespace does)."
    ),
)


def _requests_gpu(type_: str, props: Mapping[str, Any]) -> bool:
    spec = pod_spec(type_, props)
    for _, container in containers(spec or {}):
        for kind in ("limits", "requests"):
            amount = quantity(get(container, f"resources.{kind}", {}).get(GPU_RESOURCE, 0))
            if amount is None or amount > 0:
                return True
    return False


@stack_policy(SPEC)
def gpu_5_k8s_gpu_namespace_has_quota(s: Stack) -> Iterable[tuple[str, str | None]]:
    workloads = s.of_type(*POD_TYPES)
    if not workloads:
        return
    # The namespace of each quota on GPUs (None: a quota on something else).
    quotas = Readings(
        s.of_type(QUOTA),
        lambda q: namespace(q.props) if QUOTA_KEY in (get(q.props, "spec.hard") or {}) else None,
    )
    quoted = set(quotas.values())

    def decide(workload: Any) -> Iterator[str]:
        if not _requests_gpu(workload.resource_type, workload.props):
            return
        ns = namespace(workload.props)
        if ns in quoted:
            return
        quotas.require()  # a quota unknown at preview may be in its namespace
        yield (
            f"{workload.resource_type.rsplit(':', 1)[-1]} {workload.name!r} requests {GPU_RESOURCE} in "
            f"namespace {ns!r}, which has no ResourceQuota with spec.hard[{QUOTA_KEY!r}]."
        )

    yield from s.each(workloads, decide)
