"""Billing budgets (COST-1, COST-2): how a GCP budget alerts and where its alerts go."""

from __future__ import annotations

from pulumi_policy import PolicyResource

from aiwarden_policies.contract.values import count, items

AWS_BUDGET = "aws:budgets/budget:Budget"
GCP_BUDGET = "gcp:billing/budget:Budget"


def gcp_spend_bases(budget: PolicyResource) -> set[str]:
    """Spend bases of a GCP budget's threshold rules (absent spendBasis: CURRENT_SPEND)."""
    return {
        str(rule.get("spendBasis") or "CURRENT_SPEND") for rule in items(budget.props.get("thresholdRules"))
    }


def gcp_alert_route(budget: PolicyResource) -> bool:
    """Whether a GCP budget's allUpdatesRule routes to a Pub/Sub topic or monitoring channels."""
    if budget.property_dependencies.get("allUpdatesRule"):
        return True  # a resource reference in the rule: its only resource fields are the topic and channels
    rule = budget.props.get("allUpdatesRule") or {}
    return bool(rule.get("pubsubTopic")) or count(rule.get("monitoringNotificationChannels")) > 0
