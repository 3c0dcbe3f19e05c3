"""COST-2 (AWS): a Cost Anomaly Detection monitor and subscription cover the AI workload.

Decisions:
- Applies when the stack has AWS spend assets (GPU compute, model endpoints, notebooks).
- A monitor covers the workload when it is ``monitorType`` DIMENSIONAL with ``monitorDimension``
  SERVICE (every AWS service of the account) or TAG, or CUSTOM with a ``monitorSpecification``
  (JSON) holding a ``Tags`` expression with values (not under ``Not``). LINKED_ACCOUNT and
  COST_CATEGORY monitors do not: each such monitor gets a violation.
- A subscription routes a monitor when its ``monitorArnLists`` references it (property dependency,
  known at preview; else the monitor's ``arn`` value). Every subscription without ``subscribers``
  gets a violation.
- No monitor at all, or covering monitors that no subscription references: one stack-level
  violation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource

from aiwarden_policies.contract.assets import SPEND_KINDS
from aiwarden_policies.contract.values import count
from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.relations import referenced
from aiwarden_policies.lib.stack_assets import ai_assets, applies, names

MONITOR = "aws:costexplorer/anomalyMonitor:AnomalyMonitor"
SUBSCRIPTION = "aws:costexplorer/anomalySubscription:AnomalySubscription"
COVERING_DIMENSIONS = frozenset({"SERVICE", "TAG"})

SPEC = Spec(
    control="COST-2",
    name="cost-2-aws-anomaly-detection",
    description=(
        "A stack with AWS GPU compute, model endpoints or notebooks has a Cost Anomaly Detection monitor over "
        "services (DIMENSIONAL SERVICE/TAG) or cost allocation tags (CUSTOM with a Tags specification) and an "
        "anomaly subscription with subscribers that references it."
    ),
    remediation_steps=(
        "`monitor = aws.costexplorer.AnomalyMonitor(..., monitor_type='DIMENSIONAL', monitor_dimension='SERVICE')` "
        "and `aws.costexplorer.AnomalySubscription(..., monitor_arn_lists=[monitor.arn], frequency='DAILY', "
        "subscribers=[AnomalySubscriptionSubscriberArgs(type='EMAIL', address=<owner>)], threshold_expression=...)`."
    ),
    resource_types=(MONITOR, SUBSCRIPTION),
    tags=("cost",),
)


def _has_tags(expression: Any) -> bool:
    if not isinstance(expression, Mapping):
        return False
    tags = expression.get("Tags")
    if isinstance(tags, Mapping) and tags.get("Key") and tags.get("Values"):
        return True
    return any(_has_tags(sub) for op in ("And", "Or") for sub in (expression.get(op) or []))


def monitor_gap(monitor: PolicyResource) -> str | None:
    """Why a monitor does not cover the workload's services or tags, or None."""
    monitor_type = monitor.props.get("monitorType")
    if monitor_type == "DIMENSIONAL":
        dimension = monitor.props.get("monitorDimension")
        if dimension in COVERING_DIMENSIONS:
            return None
        return f"monitorDimension is {dimension!r}, not SERVICE or TAG"
    if monitor_type == "CUSTOM":
        try:
            spec = json.loads(str(monitor.props.get("monitorSpecification") or "null"))
        except json.JSONDecodeError:
            return "monitorSpecification is not JSON"
        return (
            None if _has_tags(spec) else "its CUSTOM monitorSpecification has no Tags expression with values"
        )
    return f"monitorType is {monitor_type!r}, not DIMENSIONAL or CUSTOM"


@stack_policy(SPEC)
def cost_2_aws_anomaly_detection(stack: Stack) -> Iterable[tuple[str, str | None]]:
    spend = [a for a in ai_assets(stack) if a.kind in SPEND_KINDS and a.cloud == "aws"]
    if not spend:
        return
    monitors = stack.of_type(MONITOR)
    if not monitors:

        def no_monitor() -> Iterator[str]:
            applies(spend)
            yield (
                f"No {MONITOR} in the stack, which spends on {names(spend)}: add a DIMENSIONAL SERVICE monitor "
                "(or a CUSTOM one on the workload's tags) and a subscription to it."
            )

        yield from stack.whole(no_monitor)
        return
    gaps = Readings(monitors, monitor_gap)
    subscriptions = stack.of_type(SUBSCRIPTION)

    def covering(monitor: PolicyResource) -> Iterator[str]:
        gap = gaps.get(monitor)
        if gap is not None:
            applies(spend)
            yield f"{MONITOR} {monitor.name!r}: {gap}; it does not cover the AI workload's services or tags."

    def subscribed(subscription: PolicyResource) -> Iterator[str]:
        if not count(subscription.props.get("subscribers")):
            applies(spend)
            yield f"{SUBSCRIPTION} {subscription.name!r} has no subscribers: anomalies alert nobody."

    def referencing() -> Iterator[str]:
        covered = [m for m, gap in gaps.known if gap is None]
        urns = {m.urn for m in covered}
        if covered:
            refs = Readings(subscriptions, lambda s: referenced(s, "monitorArnLists", monitors, ("arn",)))
            if any(m.urn in urns for found in refs.values() for m in found):
                return
            refs.require()  # a subscription unknown at preview may reference one
        gaps.require()  # a monitor unknown at preview may cover the workload, referenced or not
        if not covered:
            return
        applies(spend)
        listed = ", ".join(repr(m.name) for m in covered)
        yield (
            f"No {SUBSCRIPTION} references the anomaly monitor(s) {listed} (monitorArnLists): detected anomalies "
            "reach nobody."
        )

    yield from stack.each(monitors, covering)
    yield from stack.each(subscriptions, subscribed)
    yield from stack.whole(referencing)
