"""COST-2: GPU and token usage have alarms (presence check).

Decisions:
- Applies per cloud when the stack has GPU compute or model endpoints of that cloud (the resources
  whose utilization and token metrics drive the bill).
- AWS: at least one ``aws:cloudwatch/metricAlarm:MetricAlarm``; GCP: at least one
  ``gcp:monitoring/alertPolicy:AlertPolicy``. Presence only: which metric an alarm watches
  (GPUUtilization, InvocationsPerInstance, Bedrock token counts, DCGM / duty-cycle metrics) is
  free-form and not reliably classifiable; review the alarms themselves.
- Otherwise one stack-level violation per cloud naming the assets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

from aiwarden_policies.contract.assets import GPU_COMPUTE, MODEL_ENDPOINT
from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.stack_assets import Asset, ai_assets, applies, names

ALARM_BY_CLOUD = {
    "aws": "aws:cloudwatch/metricAlarm:MetricAlarm",
    "gcp": "gcp:monitoring/alertPolicy:AlertPolicy",
}
METERED_KINDS = frozenset({GPU_COMPUTE, MODEL_ENDPOINT})

SPEC = Spec(
    control="COST-2",
    name="cost-2-usage-alarms",
    description=(
        "A stack with GPU compute or model endpoints has at least one usage alarm per cloud "
        "(aws:cloudwatch/metricAlarm:MetricAlarm, gcp:monitoring/alertPolicy:AlertPolicy) on GPU utilization or "
        "token/invocation metrics."
    ),
    remediation_steps=(
        "AWS: `aws.cloudwatch.MetricAlarm` on GPUUtilization / InvocationsPerInstance (SageMaker) or InputTokenCount "
        "/ OutputTokenCount (Bedrock) with `alarm_actions` to the owner. GCP: `gcp.monitoring.AlertPolicy` on "
        "accelerator duty cycle or Vertex prediction counts with notification channels."
    ),
    resource_types=tuple(ALARM_BY_CLOUD.values()),
    tags=("cost",),
)


@stack_policy(SPEC)
def cost_2_usage_alarms(stack: Stack) -> Iterable[tuple[str, str | None]]:
    metered: dict[str, list[Asset]] = {}
    for asset in ai_assets(stack):
        if asset.kind in METERED_KINDS and asset.cloud in ALARM_BY_CLOUD:
            metered.setdefault(asset.cloud, []).append(asset)
    for cloud, assets in metered.items():
        if not stack.of_type(ALARM_BY_CLOUD[cloud]):
            yield from stack.whole(partial(_no_alarm, ALARM_BY_CLOUD[cloud], assets))


def _no_alarm(alarm: str, assets: list[Asset]) -> Iterator[str]:
    applies(assets)
    yield f"No {alarm} in the stack, which runs {names(assets)}: add alarms on GPU utilization and token/invocation metrics."
