"""SpendGuard (GCP): label-scoped billing budget routed to Pub/Sub and monitoring channels; usage alerts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import ValidationError

from components._common import Ownership
from components.gcp.spend_guard import BUDGET_PUBLISHER, MetricAlert, SpendGuardArgs
from tests.components.gcp_helpers import PROJECT_NUMBER, run
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import findings, gate

IMPORT = "from components.gcp.spend_guard import *\n"
ACCOUNT = "012345-6789AB-CDEF01"
CHANNEL = "projects/aiwarden-offline/notificationChannels/4012345678901234567"
TOPIC = "projects/ml-shared/topics/billing-alerts"
FILTER = 'metric.type="aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle"'
DEFAULT = (
    IMPORT + f'SpendGuard("spend", SpendGuardArgs(ownership=o, billing_account="{ACCOUNT}", amount=1000))'
)
OPTIONS = (
    IMPORT
    + f"""
SpendGuard("spend", SpendGuardArgs(ownership=o, billing_account="{ACCOUNT}", amount=250, currency="EUR",
    scope_label="purpose", current_thresholds=(1.0,), forecast_thresholds=(0.8, 1.2),
    topic=ExistingTopic(topic="{TOPIC}"), notification_channels=("{CHANNEL}",),
    alerts={{"gpu": MetricAlert(filter='{FILTER}', threshold=0.9, comparison="COMPARISON_GE", duration_seconds=600,
                               aligner="ALIGN_MAX")}}))
"""
)
#: A spend asset (a Workbench notebook) so that COST-1/COST-2 apply; its NB findings are not this component's.
NOTEBOOK = '\ngcp.workbench.Instance("nb", location="us-central1-a", labels=o.gcp_labels())\n'
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)


def test_default_children() -> None:
    c = run(DEFAULT)
    assert children(c) == [
        ("aiwarden:gcp:Key", "spend-cmek"),
        ("aiwarden:gcp:SpendGuard", "spend"),
        ("gcp:billing/budget:Budget", "spend-budget"),
        ("gcp:kms/cryptoKey:CryptoKey", "spend-cmek-key"),
        ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "spend-cmek-pubsub-agent"),
        ("gcp:kms/keyRing:KeyRing", "spend-cmek-ring"),
        ("gcp:projects/serviceIdentity:ServiceIdentity", "spend-cmek-pubsub-identity"),
        ("gcp:pubsub/topic:Topic", "spend-topic"),
        ("gcp:pubsub/topicIAMMember:TopicIAMMember", "spend-topic-publisher"),
    ]
    assert {
        parent_name(c, n) for n in ("spend-cmek", "spend-topic", "spend-topic-publisher", "spend-budget")
    } == {"spend"}


def test_default_budget_is_label_scoped_alerts_on_current_and_forecast_and_routes_to_the_topic() -> None:
    c = run(DEFAULT)
    [topic] = [r for r in c.resources if r.name == "spend-topic"]
    agent = inputs(c, "spend-cmek-pubsub-agent")
    # the topic is under a customer-managed key in `global` (Pub/Sub topics are global) that the Pub/Sub agent uses
    assert inputs(c, "spend-topic") == {"kmsKeyName": agent["cryptoKeyId"], "labels": OWNERSHIP}
    assert agent["cryptoKeyId"].startswith(
        "projects/aiwarden-offline/locations/global/keyRings/spend-cmek-ring-"
    )
    assert agent["member"] == f"serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com"
    assert inputs(c, "spend-cmek-ring")["location"] == "global"
    assert inputs(c, "spend-cmek-pubsub-identity") == {"service": "pubsub.googleapis.com"}
    assert depends_on(c, "spend-cmek-pubsub-agent") == {"spend-cmek-key", "spend-cmek-pubsub-identity"}
    assert "spend-cmek-pubsub-agent" in depends_on(c, "spend-topic")
    assert inputs(c, "spend-topic-publisher") == {
        "project": "aiwarden-offline",
        "topic": topic.outputs["name"],
        "role": "roles/pubsub.publisher",
        "member": BUDGET_PUBLISHER,
    }
    assert inputs(c, "spend-budget") == {
        "billingAccount": ACCOUNT,
        "displayName": "aiwarden spend",
        "budgetFilter": {
            "projects": [f"projects/{PROJECT_NUMBER}"],
            "labels": {"owner": "ml-platform"},
            "calendarPeriod": "MONTH",
            "creditTypesTreatment": "INCLUDE_ALL_CREDITS",
        },
        "amount": {"specifiedAmount": {"currencyCode": "USD", "units": "1000"}},
        "thresholdRules": [
            {"thresholdPercent": 0.5, "spendBasis": "CURRENT_SPEND"},
            {"thresholdPercent": 0.9, "spendBasis": "CURRENT_SPEND"},
            {"thresholdPercent": 1.0, "spendBasis": "CURRENT_SPEND"},
            {"thresholdPercent": 1.0, "spendBasis": "FORECASTED_SPEND"},
        ],
        "allUpdatesRule": {"pubsubTopic": topic.id, "schemaVersion": "1.0"},
    }
    assert {"spend-topic", "spend-topic-publisher"} <= depends_on(c, "spend-budget")


def test_default_records_no_inventory_entry_and_has_zero_findings() -> None:
    c = run(DEFAULT)
    assert set(inventory(c)) == {"spend-cmek-key"}  # the topic's key records itself; a budget is no AI asset
    assert findings(gate(c)) == set()
    assert findings(gate(run(DEFAULT, preview_mode=True))) == set()


def test_default_meets_cost_1_and_cost_2_for_a_spend_asset() -> None:
    assert findings(gate(run(DEFAULT + NOTEBOOK)), "cost-") == set()
    assert findings(gate(run(IMPORT + NOTEBOOK)), "cost-") == {
        ("cost-1-budget-with-alerts", "stack"),
        ("cost-2-gcp-budget-alert-route", "stack"),
    }


def test_options() -> None:
    c = run(OPTIONS)
    assert children(c) == [
        ("aiwarden:gcp:SpendGuard", "spend"),
        ("gcp:billing/budget:Budget", "spend-budget"),
        ("gcp:monitoring/alertPolicy:AlertPolicy", "spend-alert-gpu"),
    ]
    budget = inputs(c, "spend-budget")
    assert budget["budgetFilter"]["labels"] == {"purpose": "training"}
    assert budget["amount"] == {"specifiedAmount": {"currencyCode": "EUR", "units": "250"}}
    assert budget["thresholdRules"] == [
        {"thresholdPercent": 1.0, "spendBasis": "CURRENT_SPEND"},
        {"thresholdPercent": 0.8, "spendBasis": "FORECASTED_SPEND"},
        {"thresholdPercent": 1.2, "spendBasis": "FORECASTED_SPEND"},
    ]
    assert budget["allUpdatesRule"] == {
        "pubsubTopic": TOPIC,
        "monitoringNotificationChannels": [CHANNEL],
        "schemaVersion": "1.0",
    }
    assert inputs(c, "spend-alert-gpu") == {
        "displayName": "aiwarden spend: gpu",
        "combiner": "OR",
        "conditions": [
            {
                "displayName": "gpu",
                "conditionThreshold": {
                    "filter": FILTER,
                    "comparison": "COMPARISON_GE",
                    "thresholdValue": 0.9,
                    "duration": "600s",
                    "aggregations": [{"alignmentPeriod": "60s", "perSeriesAligner": "ALIGN_MAX"}],
                },
            }
        ],
        "notificationChannels": [CHANNEL],
        "userLabels": OWNERSHIP,
    }
    assert findings(gate(run(OPTIONS + NOTEBOOK)), "cost-") == set()


def test_existing_topic_key_and_enable_apis() -> None:
    key = "projects/sec-keys/locations/global/keyRings/r/cryptoKeys/budget"
    c = run(
        DEFAULT.replace("amount=1000", f'amount=1000, kms_key=ExistingKey(key="{key}"), enable_apis=True')
    )
    assert inputs(c, "spend-topic")["kmsKeyName"] == key
    assert not [n for _, n in children(c) if n.startswith("spend-cmek")]
    apis = {"spend-api-billingbudgets", "spend-api-pubsub"}
    assert {n for _, n in children(c) if "-api-" in n} == apis
    assert inputs(c, "spend-api-billingbudgets") == {
        "service": "billingbudgets.googleapis.com",
        "disableOnDestroy": False,
    }
    assert apis <= depends_on(c, "spend-topic") and apis <= depends_on(c, "spend-budget")


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        SpendGuardArgs.model_validate(data)
    return str(caught.value)


ALERT = MetricAlert(filter=FILTER, threshold=0.9)


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"billing_account": "0123456789ABCDEF01"}, ["billing_account"]),
        ({"alerts": {"gpu": ALERT}}, ["alerts: alert policies notify monitoring channels"]),
        ({"notification_channels": ("projects/p/channels/1",)}, ["notification_channels.0"]),
        ({"notification_channels": (CHANNEL,) * 6}, ["notification_channels", "at most 5"]),
        ({"topic": {"topic": "billing-alerts"}}, ["topic.topic"]),
        ({"scope_label": "cost-center"}, ["scope_label: 'cost-center' needs ownership.cost_center"]),
        ({"current_thresholds": (50.0,)}, ["current_thresholds", "not a fraction of the budget"]),
        ({"forecast_thresholds": (1.0, 1.0)}, ["forecast_thresholds", "listed twice"]),
        ({"current_thresholds": ()}, ["current_thresholds"]),
        ({"amount": 0}, ["amount"]),
        ({"currency": "dollars"}, ["currency"]),
        ({"alerts": {"GPU!": ALERT}, "notification_channels": (CHANNEL,)}, ["alerts.GPU!"]),
        ({"labels": {"x": "y"}}, ["labels", "Extra inputs are not permitted"]),
        (
            {"topic": {"topic": TOPIC}, "kms_key": {"kind": "create"}},
            ["kms_key: an existing topic keeps its own encryption"],
        ),
        (
            {
                "kms_key": {
                    "kind": "existing",
                    "key": "projects/sec-keys/locations/us-central1/keyRings/r/cryptoKeys/k",
                }
            },
            ["kms_key", "the key is in location 'us-central1'", "use a key in 'global'"],
        ),
        ({"kms_key": {"kind": "create", "deletion_window_days": 7}}, ["kms_key.deletion_window_days=7"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    text = _refused({"ownership": OWN, "billing_account": ACCOUNT, "amount": 100, **changes})
    for fragment in fragments:
        assert fragment in text, text


VALID: dict[str, Any] = {
    "ownership": {
        "owner": "ml-platform",
        "environment": "production",
        "data_classification": "confidential",
        "purpose": "training",
        "cost_center": "cc-1",
    },
    "billing_account": ACCOUNT,
    "project": "ml-apps-prod",
    "amount": 100,
    "currency": "EUR",
    "scope_label": "cost-center",
    "current_thresholds": [0.5, 1.0],
    "forecast_thresholds": [1.0],
    "topic": {"topic": TOPIC},
    "notification_channels": [CHANNEL],
    "alerts": {"gpu": {"filter": FILTER, "threshold": 0.9}},
}
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from([ACCOUNT, CHANNEL, TOPIC, "cost-center", "x" * 300]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


def test_valid_baseline() -> None:
    assert SpendGuardArgs.model_validate(VALID).scope() == {"cost-center": "cc-1"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from([k for k in VALID if k != "ownership"]), value=VALUES)
def test_any_field_value_is_validated_or_refused_with_a_validation_error(field: str, value: Any) -> None:
    try:
        args = SpendGuardArgs.model_validate({**VALID, field: value})
    except ValidationError:
        return
    assert not args.alerts or args.notification_channels
    assert len(args.scope()) == 1
    assert all(0 < t <= 10 for t in (*args.current_thresholds, *args.forecast_thresholds))
