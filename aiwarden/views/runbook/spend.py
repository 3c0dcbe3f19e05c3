"""Denial of wallet: the stack's budgets, cost anomaly monitors and alarms, and where to read the spend.

Read from the stack's resources (``SpendGuard`` records no asset: its budget guards all of them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from aiwarden.views.runbook.context import arn, q
from aiwarden.views.runbook.model import Item, Step
from aiwarden.views.stack import Resource, StackView
from aiwarden.views.text import strings

AWS_BUDGET = "aws:budgets/budget:Budget"
ANOMALY_MONITOR = "aws:costexplorer/anomalyMonitor:AnomalyMonitor"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
GCP_BUDGET = "gcp:billing/budget:Budget"
PERIODS = {"DAILY": "day", "MONTHLY": "month", "QUARTERLY": "quarter", "ANNUALLY": "year"}


def _number(value: object) -> str:
    try:
        number = float(str(value))
    except ValueError:
        return str(value)
    return f"{number:g}"


def _tag_filter(budget: Resource) -> str:
    """The Cost Explorer filter of a budget scoped by a cost allocation tag (``user:<key>$<value>``)."""
    for f in budget.get("costFilters") or []:
        if isinstance(f, Mapping) and f.get("name") == "TagKeyValue":
            for value in strings(f.get("values")):
                key, _, tag_value = value.removeprefix("user:").partition("$")
                document = json.dumps({"Tags": {"Key": key, "Values": [tag_value]}}, separators=(",", ":"))
                return f" --filter {q(document)}"
    return ""


def _aws_budget(r: Resource) -> Item:
    name = r.str("name") or r.name
    parsed = arn(r.str("arn"))
    account = parsed.account if parsed and parsed.account else "<ACCOUNT_ID>"
    alerts = []
    for n in r.get("notifications") or []:
        if not isinstance(n, Mapping):
            continue
        to = [*strings(n.get("subscriberEmailAddresses")), *strings(n.get("subscriberSnsTopicArns"))]
        alerts.append(
            f"{_number(n.get('threshold'))}% {str(n.get('notificationType')).lower()} -> {', '.join(to)}"
        )
    amount = (
        f"{_number(r.get('limitAmount'))} {r.str('limitUnit')} per "
        f"{PERIODS.get(r.str('timeUnit'), r.str('timeUnit').lower() or 'period')}"
    )
    return Item(
        name,
        f"AWS budget ({amount})",
        [
            Step(
                f"aws budgets describe-budget --account-id {account} --budget-name {q(name)}",
                "actual and forecast spend",
            ),
            Step(
                "aws ce get-cost-and-usage --time-period Start=<YYYY-MM-DD>,End=<YYYY-MM-DD> --granularity DAILY "
                f"--metrics UnblendedCost --group-by Type=DIMENSION,Key=SERVICE{_tag_filter(r)}",
                "spend per day and service over the incident: when it started and what burns",
            ),
        ],
        "Alerts: " + "; ".join(alerts) if alerts else "",
    )


def _monitor(r: Resource) -> Item:
    monitor = r.str("arn")
    return Item(
        r.str("name") or r.name,
        "Cost anomaly monitor",
        [
            Step(
                f"aws ce get-anomalies --monitor-arn {q(monitor)} --date-interval StartDate=<YYYY-MM-DD>",
                "the anomalies it found, with their root causes (service, account, region, usage type)",
            )
        ],
    )


def _alarm(r: Resource) -> Item:
    name = r.str("name") or r.name
    dimensions = r.get("dimensions") or {}
    on = ", ".join(f"{k}={v}" for k, v in dimensions.items()) if isinstance(dimensions, Mapping) else ""
    region = arn(r.str("arn"))
    where = f" --region {region.region}" if region and region.region else ""
    return Item(
        name,
        f"CloudWatch alarm on {r.str('namespace')} {r.str('metricName')} > {_number(r.get('threshold'))}"
        + (f" ({on})" if on else ""),
        [
            Step(
                f"aws cloudwatch describe-alarm-history --alarm-name {q(name)} --history-item-type StateUpdate{where}",
                "when it fired and cleared",
            )
        ],
        "Notifies: " + ", ".join(strings(r.get("alarmActions"))) if r.get("alarmActions") else "",
    )


def _gcp_budget(r: Resource) -> Item:
    budget = (r.str("name") or r.name).rsplit("/", 1)[-1]
    account = r.str("billingAccount") or "<BILLING_ACCOUNT>"
    amount = r.get("amount") or {}
    specified = amount.get("specifiedAmount") if isinstance(amount, Mapping) else None
    shown = (
        f"{specified.get('units')} {specified.get('currencyCode') or ''}".strip()
        if isinstance(specified, Mapping)
        else ""
    )
    thresholds = [
        f"{_number(float(t.get('thresholdPercent') or 0) * 100)}% {str(t.get('spendBasis') or '').lower()}"
        for t in r.get("thresholdRules") or []
        if isinstance(t, Mapping)
    ]
    return Item(
        r.str("displayName") or budget,
        "Cloud Billing budget" + (f" ({shown})" if shown else ""),
        [
            Step(
                f"gcloud billing budgets describe {q(budget)} --billing-account={q(account)}",
                "the budget, its filters and its notification channels",
            )
        ],
        "Thresholds: " + ", ".join(thresholds) if thresholds else "",
    )


def spend(stack: StackView) -> list[Item]:
    builders = {AWS_BUDGET: _aws_budget, ANOMALY_MONITOR: _monitor, ALARM: _alarm, GCP_BUDGET: _gcp_budget}
    return [builders[r.type](r) for r in stack.resources if r.type in builders]
