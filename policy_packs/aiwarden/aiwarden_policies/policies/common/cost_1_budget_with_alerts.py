"""COST-1: AI spend (GPU compute, model endpoints, notebooks) has a tag-scoped budget with alerts.

Decisions:
- Per cloud with spend assets, the stack must create at least one budget of that cloud that is
  complete; when none is, each budget's gaps are reported on it (an extra, account-wide budget next
  to a complete one is fine). No budget of that cloud: one stack-level violation naming the assets.
- Scoped: one of the budget's tag/label pairs is carried by a spend asset of that cloud, so the
  budget measures this workload. AWS: ``costFilters`` entry ``name: TagKeyValue`` with values
  ``user:<key>$<value>``, or ``filterExpression.tags`` (``key``, ``values``; also inside
  ``ands``/``ors``, never under ``not``). GCP: ``budgetFilter.labels`` (one pair). Asset tags are
  its AWS tags / GCP labels; a GKE node pool's are ``nodeConfig.resourceLabels`` (the labels its
  VMs are billed with).
- Alerts, AWS: ``notifications`` with ``notificationType`` ACTUAL and FORECASTED, each with
  ``subscriberEmailAddresses`` or ``subscriberSnsTopicArns``. GCP: ``thresholdRules`` with
  ``spendBasis`` CURRENT_SPEND (the default when absent) and FORECASTED_SPEND, and an
  ``allUpdatesRule`` routing to ``pubsubTopic`` or ``monitoringNotificationChannels`` (without
  it, only billing-account administrators are mailed, not the workload owner).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyResource

from aiwarden_policies.contract.assets import SPEND_KINDS
from aiwarden_policies.contract.values import count, items
from aiwarden_policies.framework import Readings, Spec, Stack, Unknown, get, stack_policy
from aiwarden_policies.lib.budgets import AWS_BUDGET, GCP_BUDGET, gcp_alert_route, gcp_spend_bases
from aiwarden_policies.lib.stack_assets import Asset, ai_assets, applies, names

BUDGET_BY_CLOUD = {"aws": AWS_BUDGET, "gcp": GCP_BUDGET}
GKE_NODE_POOL = "gcp:container/nodePool:NodePool"
AWS_ALERT_TYPES = ("ACTUAL", "FORECASTED")
GCP_SPEND_BASES = ("CURRENT_SPEND", "FORECASTED_SPEND")

SPEC = Spec(
    control="COST-1",
    name="cost-1-budget-with-alerts",
    description=(
        "A stack with GPU compute, model endpoints or notebooks creates a budget (aws:budgets/budget:Budget, "
        "gcp:billing/budget:Budget) scoped to the workload's cost allocation tags/labels, with actual and "
        "forecast threshold notifications routed to the owner."
    ),
    remediation_steps=(
        "AWS: `aws.budgets.Budget(..., cost_filters=[BudgetCostFilterArgs(name='TagKeyValue', "
        "values=['user:owner$<owner>'])], notifications=[BudgetNotificationArgs(notification_type='ACTUAL', ...), "
        "BudgetNotificationArgs(notification_type='FORECASTED', ...)])` with subscriber e-mails or SNS topics "
        "(activate the tag as a cost allocation tag). GCP: `gcp.billing.Budget(..., budget_filter="
        "BudgetBudgetFilterArgs(labels={'owner': '<owner>'}), threshold_rules=[...CURRENT_SPEND..., "
        "...spend_basis='FORECASTED_SPEND'...], all_updates_rule=BudgetAllUpdatesRuleArgs(pubsub_topic=...))`."
    ),
    resource_types=(AWS_BUDGET, GCP_BUDGET),
    tags=("cost",),
)


def cost_tags(stack: Stack, r: PolicyResource) -> dict[str, str]:
    """The tags/labels the bill carries for a resource."""
    found = (
        get(r.props, "nodeConfig.resourceLabels")
        if r.resource_type == GKE_NODE_POOL
        else stack.resource(r).labels()
    )
    return {str(k): str(val) for k, val in (found or {}).items()}


def _expression_tags(expression: Any) -> set[tuple[str, str]]:
    if not isinstance(expression, Mapping):
        return set()
    pairs: set[tuple[str, str]] = set()
    tags = expression.get("tags")
    if isinstance(tags, Mapping):
        key = str(tags.get("key") or "").removeprefix("user:")
        pairs |= {(key, str(val)) for val in items(tags.get("values"))}
    for operator in ("ands", "ors"):
        for sub in items(expression.get(operator)):
            pairs |= _expression_tags(sub)
    return pairs


def budget_tag_pairs(budget: PolicyResource) -> set[tuple[str, str]]:
    """(key, value) pairs a budget filters on."""
    if budget.resource_type == GCP_BUDGET:
        labels = get(budget.props, "budgetFilter.labels") or {}
        return {(str(k), str(val)) for k, val in labels.items()}
    pairs: set[tuple[str, str]] = set()
    for cost_filter in items(budget.props.get("costFilters")):
        if isinstance(cost_filter, Mapping) and cost_filter.get("name") == "TagKeyValue":
            for raw in items(cost_filter.get("values")):
                key, sep, val = str(raw).removeprefix("user:").partition("$")
                if sep:
                    pairs.add((key, val))
    return pairs | _expression_tags(budget.props.get("filterExpression"))


def _alert_gaps(budget: PolicyResource) -> list[str]:
    if budget.resource_type == GCP_BUDGET:
        gaps = [
            f"no thresholdRules entry with spendBasis {basis}"
            + (" (the default when spendBasis is absent)" if basis == "CURRENT_SPEND" else "")
            for basis in GCP_SPEND_BASES
            if basis not in gcp_spend_bases(budget)
        ]
        if not gcp_alert_route(budget):
            gaps.append(
                "allUpdatesRule routes to no pubsubTopic or monitoringNotificationChannels (default: only "
                "billing-account administrators are mailed)"
            )
        return gaps
    routed = {
        n.get("notificationType")
        for n in items(budget.props.get("notifications"))
        if count(n.get("subscriberEmailAddresses")) or count(n.get("subscriberSnsTopicArns"))
    }
    return [
        f"no {kind} notification with subscriberEmailAddresses or subscriberSnsTopicArns"
        for kind in AWS_ALERT_TYPES
        if kind not in routed
    ]


@dataclass(frozen=True)
class _AssetTags:
    """The tag/label pairs of a cloud's spend assets: of sure assets, of assets that may not be ones (at preview),
    and the assets whose tags are unknown at preview."""

    sure: set[tuple[str, str]]
    maybe: dict[tuple[str, str], Unknown]
    readings: Readings[dict[str, str]]

    @classmethod
    def of(cls, stack: Stack, assets: list[Asset]) -> _AssetTags:
        readings = Readings(assets, lambda a: cost_tags(stack, a.resource), of=lambda a: a.resource)
        sure = {pair for a, tags in readings.known if a.maybe is None for pair in tags.items()}
        maybe = {pair: a.maybe for a, tags in readings.known if a.maybe is not None for pair in tags.items()}
        return cls(sure, maybe, readings)


def _scope_gap(budget: PolicyResource, tags: _AssetTags) -> str | None:
    pairs = budget_tag_pairs(budget)
    gcp = budget.resource_type == GCP_BUDGET
    where = "budgetFilter.labels" if gcp else "costFilters TagKeyValue or filterExpression.tags"
    if not pairs:
        return f"is not scoped to cost allocation tags ({where} absent: it tracks the whole account)"
    if pairs & tags.sure:
        return None
    maybe = sorted(pairs & set(tags.maybe))
    if maybe:  # scoped, if that resource is a spend asset
        raise tags.maybe[maybe[0]]
    tags.readings.require()  # an asset whose tags are unknown at preview may carry one of its pairs
    found = ", ".join(f"{k}={val}" for k, val in sorted(pairs))
    wanted = ", ".join(f"{k}={val}" for k, val in sorted(tags.sure | set(tags.maybe))[:6]) or "none"
    return f"filters on {found} ({where}), which no spend asset carries (their tags: {wanted})"


def _budget_gaps(budget: PolicyResource, tags: _AssetTags) -> list[str]:
    scope = _scope_gap(budget, tags)
    return ([scope] if scope else []) + _alert_gaps(budget)


@stack_policy(SPEC)
def cost_1_budget_with_alerts(stack: Stack) -> Iterable[tuple[str, str | None]]:
    spend: dict[str, list[Asset]] = {}
    for asset in ai_assets(stack):
        if asset.kind in SPEND_KINDS and asset.cloud in BUDGET_BY_CLOUD:
            spend.setdefault(asset.cloud, []).append(asset)
    for cloud, assets in spend.items():
        yield from _cloud_findings(stack, BUDGET_BY_CLOUD[cloud], assets)


def _cloud_findings(stack: Stack, budget_type: str, assets: list[Asset]) -> Iterator[tuple[str, str | None]]:
    budgets = stack.of_type(budget_type)
    if not budgets:

        def no_budget() -> Iterator[str]:
            applies(assets)
            yield (
                f"No {budget_type} in the stack, which spends on {names(assets)}: add a budget scoped to the "
                "workload's tags with actual and forecast alerts to the owner."
            )

        yield from stack.whole(no_budget)
        return
    tags = _AssetTags.of(stack, assets)
    gaps = Readings(budgets, lambda b: _budget_gaps(b, tags))
    if not all(gaps.values()):
        return  # a complete budget: an extra, account-wide one next to it is fine

    def decide(budget: PolicyResource) -> Iterator[str]:
        found = gaps.get(budget)
        gaps.require()  # a budget unknown at preview may be complete
        applies(assets)
        yield f"{budget.resource_type} {budget.name!r}: {'; '.join(found)}."

    yield from stack.each(budgets, decide)
