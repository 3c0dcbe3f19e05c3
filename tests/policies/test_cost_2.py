"""COST-2: cost anomaly detection (AWS monitor + subscription, GCP forecast alert route) and usage alarms."""

from __future__ import annotations

import json

from tests.harness import DELETE, UNKNOWN, capture, drop, findings, gate, message, set_input, unknowns
from tests.policies.programs import AWS_STACK, GCP_STACK

ANOMALY = "cost-2-aws-anomaly-detection"
GCP_ROUTE = "cost-2-gcp-budget-alert-route"
ALARMS = "cost-2-usage-alarms"


def test_compliant_stacks_have_no_cost2_finding() -> None:
    assert findings(gate(capture(AWS_STACK)), "cost-2") == set()
    assert findings(gate(capture(GCP_STACK)), "cost-2") == set()


def test_no_anomaly_monitor_is_a_stack_level_violation() -> None:
    report = gate(drop(capture(AWS_STACK), "monitor", "anomaly"))
    assert findings(report, "cost-2") == {(ANOMALY, "stack")}
    assert "No aws:costexplorer/anomalyMonitor:AnomalyMonitor in the stack" in message(report, ANOMALY)


def test_monitor_on_linked_accounts_does_not_cover_the_workload() -> None:
    c = set_input(capture(AWS_STACK), "monitor", "monitorDimension", "LINKED_ACCOUNT")
    report = gate(c)
    assert findings(report, "cost-2") == {(ANOMALY, "monitor")}
    assert "monitorDimension is 'LINKED_ACCOUNT', not SERVICE or TAG" in message(report, ANOMALY, "monitor")


def test_custom_monitor_needs_a_tags_specification() -> None:
    c = set_input(capture(AWS_STACK), "monitor", "monitorType", "CUSTOM")
    set_input(c, "monitor", "monitorDimension", DELETE)
    set_input(
        c, "monitor", "monitorSpecification", json.dumps({"Dimensions": {"Key": "SERVICE", "Values": ["x"]}})
    )
    assert findings(gate(c), "cost-2") == {(ANOMALY, "monitor")}
    tags = {"Tags": {"Key": "owner", "Values": ["ml-platform"], "MatchOptions": ["EQUALS"]}}
    set_input(
        c, "monitor", "monitorSpecification", json.dumps({"And": [tags, {"Dimensions": {"Key": "REGION"}}]})
    )
    assert findings(gate(c), "cost-2") == set()


def test_subscription_without_subscribers_or_reference() -> None:
    c = set_input(capture(AWS_STACK), "anomaly", "subscribers", [])
    report = gate(c)
    assert findings(report, "cost-2") == {(ANOMALY, "anomaly")}
    assert "has no subscribers" in message(report, ANOMALY, "anomaly")
    unreferenced = set_input(capture(AWS_STACK), "anomaly", "monitorArnLists", DELETE)
    report = gate(unreferenced)
    assert findings(report, "cost-2") == {(ANOMALY, "stack")}
    assert "references the anomaly monitor(s) 'monitor'" in message(report, ANOMALY)


def test_gcp_budget_without_forecast_alert_route() -> None:
    c = set_input(capture(GCP_STACK), "gcp-budget", "allUpdatesRule", DELETE)
    report = gate(c)
    assert findings(report, "cost-2") == {(GCP_ROUTE, "stack")}
    assert "its budgets ('gcp-budget') do not alert on FORECASTED_SPEND" in message(report, GCP_ROUTE)
    c = set_input(capture(GCP_STACK), "gcp-budget", "thresholdRules", [{"thresholdPercent": 1.0}])
    assert findings(gate(c), "cost-2") == {(GCP_ROUTE, "stack")}


def test_gcp_route_through_monitoring_channels_counts() -> None:
    c = set_input(capture(GCP_STACK), "gcp-budget", "allUpdatesRule", DELETE)
    set_input(
        c,
        "gcp-budget",
        "allUpdatesRule",
        {"monitoringNotificationChannels": ["projects/p/notificationChannels/1"]},
    )
    assert findings(gate(c), "cost-2") == set()


def test_usage_alarms_per_cloud() -> None:
    report = gate(drop(capture(AWS_STACK), "gpu-idle"))
    assert findings(report, "cost-2") == {(ALARMS, "stack")}
    text = message(report, ALARMS)
    assert text.startswith("No aws:cloudwatch/metricAlarm:MetricAlarm in the stack")
    assert "'endpoint' (model-endpoint), 'gpu' (gpu-compute)" in text
    assert findings(gate(drop(capture(GCP_STACK), "gpu-idle")), "cost-2") == {(ALARMS, "stack")}


def test_advisory_in_sandbox() -> None:
    c = drop(capture(AWS_STACK), "monitor", "anomaly")
    assert findings(gate(c), "cost-2", level="mandatory") == {(ANOMALY, "stack")}
    assert findings(gate(c, environment="sandbox"), "cost-2", level="advisory") == {(ANOMALY, "stack")}


def test_unknown_monitor_type_at_preview_is_reported_not_passed() -> None:
    c = set_input(capture(AWS_STACK, preview_mode=True), "monitor", "monitorType", UNKNOWN)
    report = gate(c)
    # the monitor's coverage, and whether a subscription references a covering monitor
    assert unknowns(report, ANOMALY) == {(ANOMALY, "monitor", "advisory"), (ANOMALY, "stack", "advisory")}
    assert findings(report, "cost-2") == set()
