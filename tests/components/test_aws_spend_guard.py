"""SpendGuard (AWS): tag-scoped budget with actual/forecast alerts, anomaly detection, usage alarms."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import ValidationError

from components._common import Ownership
from components.aws.spend_guard import (
    MAX_EMAILS,
    MAX_NOTIFICATIONS,
    MetricAlarm,
    SpendGuardArgs,
    _notifications,
)
from tests.components.aws_helpers import run
from tests.components.helpers import (
    OWNERSHIP,
    children,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import findings, gate

IMPORT = "from components.aws.spend_guard import *\n"
EMAIL = "ml-platform@example.com"
TOPIC = "arn:aws:sns:us-east-1:123456789012:ml-cost"
DEFAULT = IMPORT + f'SpendGuard("spend", SpendGuardArgs(ownership=o, amount=5000, emails=("{EMAIL}",)))'
OPTIONS = (
    IMPORT
    + f"""
SpendGuard("spend", SpendGuardArgs(ownership=o, amount=1200, currency="USD", scope_tag="purpose",
    activate_scope_tag=True, sns_topic_arn="{TOPIC}", actual_thresholds=(50.0,), forecast_thresholds=(90.0, 110.0),
    anomaly_monitor="service", anomaly_threshold=250,
    alarms={{"gpu": MetricAlarm(namespace="/aws/sagemaker/Endpoints", metric_name="GPUUtilization",
                               dimensions={{"EndpointName": "fraud", "VariantName": "primary"}}, threshold=90,
                               statistic="Maximum", period_seconds=60, evaluation_periods=5)}}))
"""
)
#: A spend asset (a GPU notebook) so that COST-1/COST-2 apply; its own NB findings are not this component's.
NOTEBOOK = """
aws.sagemaker.NotebookInstance("nb", instance_type="ml.g5.xlarge", role_arn="arn:aws:iam::123456789012:role/nb",
                               tags=o.aws_tags())
"""
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)


def _monitor_arn(c: Any) -> str:
    [found] = [r for r in c.resources if r.name == "spend-anomaly-monitor"]
    return str(found.outputs["arn"])


def test_default_children() -> None:
    c = run(DEFAULT)
    assert children(c) == [
        ("aiwarden:aws:SpendGuard", "spend"),
        ("aws:budgets/budget:Budget", "spend-budget"),
        ("aws:costexplorer/anomalyMonitor:AnomalyMonitor", "spend-anomaly-monitor"),
        ("aws:costexplorer/anomalySubscription:AnomalySubscription", "spend-anomaly-email"),
    ]
    assert {parent_name(c, n) for _, n in children(c) if n != "spend"} == {"spend"}


def test_default_budget_is_scoped_to_the_owner_tag_and_alerts_on_actual_and_forecast() -> None:
    c = run(DEFAULT)
    notification = {
        "comparisonOperator": "GREATER_THAN",
        "thresholdType": "PERCENTAGE",
        "subscriberEmailAddresses": [EMAIL],
    }
    assert inputs(c, "spend-budget") == {
        "budgetType": "COST",
        "timeUnit": "MONTHLY",
        "limitAmount": "5000.0",
        "limitUnit": "USD",
        "costFilters": [{"name": "TagKeyValue", "values": ["user:owner$ml-platform"]}],
        "notifications": [
            {**notification, "notificationType": "ACTUAL", "threshold": 80.0},
            {**notification, "notificationType": "ACTUAL", "threshold": 100.0},
            {**notification, "notificationType": "FORECASTED", "threshold": 100.0},
        ],
        "tags": OWNERSHIP,
    }


def test_default_anomaly_monitor_watches_the_same_tag_and_mails_a_daily_digest() -> None:
    c = run(DEFAULT)
    monitor = inputs(c, "spend-anomaly-monitor")
    assert monitor["monitorType"] == "CUSTOM"
    assert json.loads(monitor["monitorSpecification"]) == {
        "Tags": {"Key": "owner", "Values": ["ml-platform"], "MatchOptions": ["EQUALS"]}
    }
    assert inputs(c, "spend-anomaly-email") == {
        "frequency": "DAILY",
        "monitorArnLists": [_monitor_arn(c)],
        "subscribers": [{"type": "EMAIL", "address": EMAIL}],
        "thresholdExpression": {
            "dimension": {
                "key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                "matchOptions": ["GREATER_THAN_OR_EQUAL"],
                "values": ["100"],
            }
        },
        "tags": OWNERSHIP,
    }


def test_default_records_no_inventory_entry_and_has_zero_findings() -> None:
    c = run(DEFAULT)
    assert inventory(c) == {}
    assert findings(gate(c)) == set()
    assert findings(gate(run(DEFAULT, preview_mode=True))) == set()


def test_default_meets_cost_1_and_cost_2_for_a_spend_asset() -> None:
    assert findings(gate(run(DEFAULT + NOTEBOOK)), "cost-") == set()
    bare = run(IMPORT + NOTEBOOK)
    assert findings(gate(bare), "cost-") == {
        ("cost-1-budget-with-alerts", "stack"),
        ("cost-2-aws-anomaly-detection", "stack"),
    }


def test_options() -> None:
    c = run(OPTIONS)
    assert children(c) == [
        ("aiwarden:aws:SpendGuard", "spend"),
        ("aws:budgets/budget:Budget", "spend-budget"),
        ("aws:cloudwatch/metricAlarm:MetricAlarm", "spend-alarm-gpu"),
        ("aws:costexplorer/anomalyMonitor:AnomalyMonitor", "spend-anomaly-monitor"),
        ("aws:costexplorer/anomalySubscription:AnomalySubscription", "spend-anomaly-sns"),
        ("aws:costexplorer/costAllocationTag:CostAllocationTag", "spend-scope-tag"),
    ]
    assert inputs(c, "spend-scope-tag") == {"tagKey": "purpose", "status": "Active"}
    budget = inputs(c, "spend-budget")
    assert budget["costFilters"] == [{"name": "TagKeyValue", "values": ["user:purpose$training"]}]
    assert [
        (n["notificationType"], n["threshold"], n["subscriberSnsTopicArns"]) for n in budget["notifications"]
    ] == [
        ("ACTUAL", 50.0, [TOPIC]),
        ("FORECASTED", 90.0, [TOPIC]),
        ("FORECASTED", 110.0, [TOPIC]),
    ]
    assert inputs(c, "spend-anomaly-monitor") == {
        "monitorType": "DIMENSIONAL",
        "monitorDimension": "SERVICE",
        "tags": OWNERSHIP,
    }
    sns = inputs(c, "spend-anomaly-sns")
    assert (sns["frequency"], sns["subscribers"]) == ("IMMEDIATE", [{"type": "SNS", "address": TOPIC}])
    assert sns["thresholdExpression"]["dimension"]["values"] == ["250"]
    assert inputs(c, "spend-alarm-gpu") == {
        "alarmDescription": "aiwarden spend: /aws/sagemaker/Endpoints GPUUtilization",
        "namespace": "/aws/sagemaker/Endpoints",
        "metricName": "GPUUtilization",
        "dimensions": {"EndpointName": "fraud", "VariantName": "primary"},
        "statistic": "Maximum",
        "comparisonOperator": "GreaterThanThreshold",
        "threshold": 90.0,
        "period": 60.0,
        "evaluationPeriods": 5.0,
        "treatMissingData": "notBreaching",
        "actionsEnabled": True,
        "alarmActions": [TOPIC],
        "okActions": [TOPIC],
        "tags": OWNERSHIP,
    }
    assert findings(gate(run(OPTIONS + NOTEBOOK)), "cost-") == set()


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        SpendGuardArgs.model_validate(data)
    return str(caught.value)


ALARM = MetricAlarm(namespace="AWS/Bedrock", metric_name="OutputTokenCount", threshold=1e6)


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"emails": ()}, ["emails: name at least one e-mail or an sns_topic_arn"]),
        ({"emails": ("not-an-email",)}, ["emails: 'not-an-email' is not an e-mail address"]),
        (
            {"emails": tuple(f"u{i}@example.com" for i in range(11))},
            [
                "emails: 11 e-mail subscribers; AWS Budgets accepts at most 10 per notification (and one SNS topic): "
                "send to a distribution list or route through sns_topic_arn"
            ],
        ),
        ({"emails": (EMAIL, EMAIL)}, ["emails: an address is listed twice"]),
        (
            {
                "actual_thresholds": (10.0, 20.0, 30.0, 40.0, 50.0, 60.0),
                "forecast_thresholds": (70.0, 80.0, 90.0, 100.0, 110.0),
            },
            [
                "actual_thresholds + forecast_thresholds: 11 thresholds make 11 budget notifications; AWS Budgets "
                "accepts at most 10 per budget: drop some thresholds"
            ],
        ),
        (
            {"sns_topic_arn": "arn:aws:sns:us-east-1:123456789012:*"},
            ["sns_topic_arn", "wildcards are refused"],
        ),
        (
            {"sns_topic_arn": "arn:aws:sqs:us-east-1:123456789012:q"},
            ["sns_topic_arn", "is not an SNS topic ARN"],
        ),
        ({"alarms": {"tokens": ALARM}}, ["alarms: CloudWatch alarms notify through SNS"]),
        ({"scope_tag": "cost-center"}, ["scope_tag: 'cost-center' needs ownership.cost_center"]),
        ({"scope_tag": "team"}, ["scope_tag"]),
        ({"actual_thresholds": (0.0,)}, ["actual_thresholds", "not a percentage"]),
        ({"forecast_thresholds": (100.0, 100.0)}, ["forecast_thresholds", "listed twice"]),
        ({"forecast_thresholds": ()}, ["forecast_thresholds"]),
        ({"amount": 0}, ["amount"]),
        ({"currency": "usd"}, ["currency"]),
        ({"anomaly_monitor": "account"}, ["anomaly_monitor"]),
        (
            {"sns_topic_arn": TOPIC, "alarms": {"tokens": {**ALARM.model_dump(), "period_seconds": 7}}},
            ["alarms.tokens.period_seconds"],
        ),
        ({"budget_type": "USAGE"}, ["budget_type", "Extra inputs are not permitted"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    text = _refused({"ownership": OWN, "amount": 100, "emails": (EMAIL,), **changes})
    for fragment in fragments:
        assert fragment in text, text


def test_the_aws_budgets_limits_themselves_are_accepted() -> None:
    """AWS Budgets: 10 e-mail subscribers and one SNS topic per notification, 10 notifications per budget."""
    args = SpendGuardArgs(
        ownership=OWN,
        amount=100,
        emails=tuple(f"u{i}@example.com" for i in range(MAX_EMAILS)),
        sns_topic_arn=TOPIC,
        actual_thresholds=(10.0, 20.0, 30.0, 40.0, 50.0, 60.0),
        forecast_thresholds=(70.0, 80.0, 90.0, 100.0),
    )
    notifications = _notifications(args)
    assert len(notifications) == MAX_NOTIFICATIONS == 10
    assert all(
        len(n.subscriber_email_addresses or []) + len(n.subscriber_sns_topic_arns or []) == 11
        for n in notifications
    )


VALID: dict[str, Any] = {
    "ownership": {
        "owner": "ml-platform",
        "environment": "production",
        "data_classification": "confidential",
        "purpose": "training",
        "cost_center": "cc-1",
    },
    "amount": 100,
    "currency": "EUR",
    "scope_tag": "cost-center",
    "activate_scope_tag": True,
    "emails": [EMAIL],
    "sns_topic_arn": TOPIC,
    "actual_thresholds": [50.0, 100.0],
    "forecast_thresholds": [100.0],
    "anomaly_monitor": "tag",
    "anomaly_threshold": 10,
    "alarms": {"gpu": {"namespace": "AWS/SageMaker", "metric_name": "GPUUtilization", "threshold": 90}},
}
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["*", EMAIL, TOPIC, "cost-center", "service", "x" * 300]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


def test_valid_baseline() -> None:
    assert SpendGuardArgs.model_validate(VALID).scope() == ("cost-center", "cc-1")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from([k for k in VALID if k != "ownership"]), value=VALUES)
def test_any_field_value_is_validated_or_refused_with_a_validation_error(field: str, value: Any) -> None:
    try:
        args = SpendGuardArgs.model_validate({**VALID, field: value})
    except ValidationError:
        return
    assert args.emails or args.sns_topic_arn is not None
    assert not args.alarms or args.sns_topic_arn is not None
    assert args.actual_thresholds and args.forecast_thresholds
    assert all(0 < t <= 1000 for t in (*args.actual_thresholds, *args.forecast_thresholds))
    assert len(args.emails) <= MAX_EMAILS
    assert len(args.actual_thresholds) + len(args.forecast_thresholds) <= MAX_NOTIFICATIONS
