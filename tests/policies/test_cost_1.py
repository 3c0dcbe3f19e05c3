"""COST-1: AI spend has a budget scoped to the workload's tags with actual and forecast alerts."""

from __future__ import annotations

import copy

from tests.harness import (
    DELETE,
    UNKNOWN,
    capture,
    drop,
    findings,
    gate,
    message,
    resource,
    set_input,
    unknowns,
)
from tests.policies.programs import AWS_STACK, GCP_STACK

POLICY = "cost-1-budget-with-alerts"


def test_compliant_stacks_have_no_cost1_finding() -> None:
    assert findings(gate(capture(AWS_STACK)), "cost-1") == set()
    assert findings(gate(capture(GCP_STACK)), "cost-1") == set()


def test_no_budget_is_a_stack_level_violation_naming_the_spend() -> None:
    report = gate(drop(capture(AWS_STACK), "budget"))
    assert findings(report, "cost-1") == {(POLICY, "stack")}
    text = message(report, POLICY)
    assert text.startswith("No aws:budgets/budget:Budget in the stack")
    assert "'endpoint' (model-endpoint), 'gpu' (gpu-compute)" in text
    assert "'data'" not in text and "'agent'" not in text  # no spend kinds


def test_aws_budget_without_forecast_notification() -> None:
    c = capture(AWS_STACK)
    set_input(c, "budget", "notifications.1.notificationType", "ACTUAL")
    report = gate(c)
    assert findings(report, "cost-1") == {(POLICY, "budget")}
    assert "no FORECASTED notification with subscriberEmailAddresses or subscriberSnsTopicArns" in message(
        report, POLICY, "budget"
    )


def test_aws_notification_without_subscriber_does_not_count() -> None:
    c = set_input(capture(AWS_STACK), "budget", "notifications.0.subscriberEmailAddresses", [])
    report = gate(c)
    assert findings(report, "cost-1") == {(POLICY, "budget")}
    assert "no ACTUAL notification" in message(report, POLICY, "budget")


def test_aws_budget_absent_filter_means_whole_account() -> None:
    report = gate(set_input(capture(AWS_STACK), "budget", "costFilters", DELETE))
    assert findings(report, "cost-1") == {(POLICY, "budget")}
    assert "is not scoped to cost allocation tags" in message(report, POLICY, "budget")


def test_aws_budget_scoped_to_tags_no_spend_asset_carries() -> None:
    c = set_input(capture(AWS_STACK), "budget", "costFilters.0.values", ["user:owner$other-team"])
    report = gate(c)
    assert findings(report, "cost-1") == {(POLICY, "budget")}
    assert "filters on owner=other-team" in message(report, POLICY, "budget")


def test_aws_filter_expression_tags_scope_the_budget() -> None:
    c = set_input(capture(AWS_STACK), "budget", "costFilters", DELETE)
    set_input(
        c,
        "budget",
        "filterExpression",
        {
            "ands": [
                {"tags": {"key": "user:cost-center", "values": ["cc-42"]}},
                {"dimensions": {"key": "SERVICE", "values": ["Amazon SageMaker"]}},
            ]
        },
    )
    assert findings(gate(c), "cost-1") == set()


def test_an_extra_unscoped_budget_next_to_a_complete_one_is_fine() -> None:
    c = capture(AWS_STACK)
    extra = copy.deepcopy(resource(c, "budget"))
    extra.name, extra.urn = "account-budget", extra.urn.replace("::budget", "::account-budget")
    extra.inputs.pop("costFilters")
    extra.outputs.pop("costFilters")
    c.resources.append(extra)
    assert findings(gate(c), "cost-1") == set()


def test_gcp_budget_without_forecast_rule_or_route() -> None:
    c = set_input(capture(GCP_STACK), "gcp-budget", "thresholdRules", [{"thresholdPercent": 0.8}])
    set_input(c, "gcp-budget", "allUpdatesRule", DELETE)
    report = gate(c)
    assert findings(report, "cost-1") == {(POLICY, "gcp-budget")}
    text = message(report, POLICY, "gcp-budget")
    assert "no thresholdRules entry with spendBasis FORECASTED_SPEND" in text
    assert "allUpdatesRule routes to no pubsubTopic or monitoringNotificationChannels" in text
    assert "CURRENT_SPEND" not in text  # absent spendBasis is CURRENT_SPEND


def test_gcp_budget_label_must_be_carried_by_a_spend_asset() -> None:
    c = set_input(capture(GCP_STACK), "gcp-budget", "budgetFilter.labels", {"owner": "someone-else"})
    report = gate(c)
    assert findings(report, "cost-1") == {(POLICY, "gcp-budget")}
    assert "filters on owner=someone-else (budgetFilter.labels)" in message(report, POLICY, "gcp-budget")


def test_no_gcp_budget_and_mandatory_in_sandbox_too() -> None:
    c = drop(capture(GCP_STACK), "gcp-budget")
    assert findings(gate(c, environment="sandbox"), "cost-1", level="mandatory") == {(POLICY, "stack")}


def test_stack_without_spend_needs_no_budget() -> None:
    program = """
import pulumi_aws as aws
aws.s3.Bucket("only-data", tags={"owner": "ml-platform", "environment": "production",
                                 "data-classification": "internal", "purpose": "demo"})
"""
    assert findings(gate(capture(program)), "cost-1") == set()


def test_unknown_filter_at_preview_is_reported_not_passed() -> None:
    c = set_input(capture(AWS_STACK, preview_mode=True), "budget", "costFilters", UNKNOWN)
    report = gate(c)
    assert unknowns(report, POLICY) == {(POLICY, "budget", "advisory")}
    assert findings(report, "cost-1") == set()
