"""COST-2 (GCP): a billing budget alerts on forecast and routes the alert to Pub/Sub or monitoring.

Decisions:
- Applies when the stack has GCP spend assets (GPU compute, model endpoints, notebooks).
- At least one ``gcp:billing/budget:Budget`` has a ``thresholdRules`` entry with ``spendBasis``
  FORECASTED_SPEND (absent: CURRENT_SPEND) and an ``allUpdatesRule`` with ``pubsubTopic`` or
  ``monitoringNotificationChannels`` (the same reading as COST-1's, ``lib.budgets``).
- Otherwise one stack-level violation: a missing budget is COST-1's finding too, by design (two
  controls, two requirements).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from aiwarden_policies.contract.assets import SPEND_KINDS
from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.budgets import GCP_BUDGET, gcp_alert_route, gcp_spend_bases
from aiwarden_policies.lib.stack_assets import ai_assets, applies, names

SPEC = Spec(
    control="COST-2",
    name="cost-2-gcp-budget-alert-route",
    description=(
        "A stack with GCP GPU compute, model endpoints or notebooks has a billing budget that alerts on "
        "FORECASTED_SPEND and routes its alerts to a Pub/Sub topic or Cloud Monitoring notification channels."
    ),
    remediation_steps=(
        "On the workload's `gcp.billing.Budget`: add `BudgetThresholdRuleArgs(threshold_percent=1.0, "
        "spend_basis='FORECASTED_SPEND')` and `all_updates_rule=BudgetAllUpdatesRuleArgs(pubsub_topic=topic.id)` "
        "or `monitoring_notification_channels=[channel.id]`."
    ),
    resource_types=(GCP_BUDGET,),
    tags=("cost",),
)


@stack_policy(SPEC)
def cost_2_gcp_budget_alert_route(stack: Stack) -> Iterable[tuple[str, str | None]]:
    spend = [a for a in ai_assets(stack) if a.kind in SPEND_KINDS and a.cloud == "gcp"]
    if not spend:
        return
    budgets = stack.of_type(GCP_BUDGET)

    def routed() -> Iterator[str]:
        if Readings(budgets, lambda b: "FORECASTED_SPEND" in gcp_spend_bases(b) and gcp_alert_route(b)).any():
            return
        applies(spend)
        found = (
            f"its budgets ({', '.join(repr(b.name) for b in budgets)}) do not"
            if budgets
            else "it has no budget to"
        )
        yield (
            f"The stack spends on {names(spend)} but {found} alert on FORECASTED_SPEND through a Pub/Sub topic "
            "or monitoring notification channel: cost anomalies go unnoticed until the bill."
        )

    yield from stack.whole(routed)
