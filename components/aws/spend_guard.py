"""SpendGuard: the workload's AWS budget, cost anomaly detection and usage alarms (COST-1, COST-2).

Children (``<name>-<role>``): ``budget`` (monthly COST budget filtered on one cost allocation tag
of the workload, ``TagKeyValue user:<key>$<value>``, with ACTUAL and FORECASTED notifications to the
named e-mails / SNS topic); ``anomaly-monitor`` (CUSTOM on the same tag, or the account's DIMENSIONAL
SERVICE monitor); ``anomaly-email`` (DAILY digest to the e-mails) and ``anomaly-sns`` (IMMEDIATE to
the topic) subscriptions with an absolute-impact threshold; ``alarm-<name>`` per metric alarm (GPU
utilization, invocations, token counts) notifying the SNS topic; optionally ``scope-tag`` (activates
the tag key as a cost allocation tag). A budget is not an AI asset: no inventory record.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aiwarden_policies.contract import vocabulary as v
from components._common import Ownership
from components._common.ownership import Slug, configured_vocabulary
from components.aws._identifiers import SnsTopicArn
from components.aws._tags import aws_tags

TYPE = "aiwarden:aws:SpendGuard"
#: A budget, not an AI asset: no inventory record.
KIND = None
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
#: AWS Budgets: a notification has at most one SNS subscriber and 10 e-mail subscribers (11 in all), and a budget
#: at most ten notifications (the `Notification` reference, "A budget can have up to ten notifications", and the API
#: model's `NotificationWithSubscribersList` maximum; older text, still in the CreateBudget reference, said five).
#: Every threshold is one notification, each to all the subscribers.
#: https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Notification.html
#: https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_NotificationWithSubscribers.html
MAX_EMAILS = 10
MAX_NOTIFICATIONS = 10
ScopeTag = Literal["owner", "purpose", "cost-center"]
Comparison = Literal[
    "GreaterThanThreshold",
    "GreaterThanOrEqualToThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
]


class MetricAlarm(BaseModel):
    """One CloudWatch alarm on a usage metric (e.g. SageMaker GPUUtilization, Bedrock OutputTokenCount)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, arbitrary_types_allowed=True)
    namespace: str = Field(
        pattern=r"^[^:][^:]{0,254}$", description="Metric namespace, e.g. `/aws/sagemaker/Endpoints`."
    )
    metric_name: str = Field(
        min_length=1, max_length=255, description="Metric name, e.g. `GPUUtilization`, `InputTokenCount`."
    )
    dimensions: dict[str, Any] = Field(
        default_factory=dict,
        description="Metric dimensions (values: strings or Outputs, passed through), e.g. `{'EndpointName': ...}`.",
    )
    statistic: Literal["Average", "Maximum", "Minimum", "Sum", "SampleCount"] = Field(
        default="Average", description="Statistic over each period."
    )
    comparison: Comparison = Field(
        default="GreaterThanThreshold", description="How to compare with threshold."
    )
    threshold: float = Field(description="Alarm threshold, in the metric's unit.")
    period_seconds: Literal[10, 30, 60, 300, 900, 3600, 21600, 86400] = Field(
        default=300, description="Length of one evaluation period."
    )
    evaluation_periods: int = Field(default=3, ge=1, le=100, description="Periods that must breach.")
    description: str = Field(default="", max_length=1024, description="Alarm description.")


class SpendGuardArgs(BaseModel):
    """Inputs of ``SpendGuard``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child.")
    amount: int = Field(ge=1, description="Monthly budget limit, in whole currency units.")
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$", description="Budget currency (ISO 4217).")
    scope_tag: ScopeTag = Field(
        default="owner",
        description="The ownership tag the budget and the anomaly monitor filter on (`user:<key>$<value>`); it "
        "must be activated as a cost allocation tag. Provider default: no filter (the whole account).",
    )
    activate_scope_tag: bool = Field(
        default=False,
        description="Activate the scope tag key as a cost allocation tag (payer account only; default: "
        "activated out of band).",
    )
    emails: tuple[str, ...] = Field(
        default=(),
        description=f"E-mail subscribers of the budget notifications and the anomaly digest (at most {MAX_EMAILS}: "
        "the AWS Budgets limit per notification).",
    )
    sns_topic_arn: SnsTopicArn | None = Field(
        default=None,
        description="SNS topic for budget notifications, immediate anomaly alerts and the metric alarms.",
    )
    actual_thresholds: tuple[float, ...] = Field(
        default=(80.0, 100.0),
        min_length=1,
        description="Percentages of the limit at which ACTUAL spend notifies (provider default: none); one budget "
        f"notification each, at most {MAX_NOTIFICATIONS} with `forecast_thresholds`.",
    )
    forecast_thresholds: tuple[float, ...] = Field(
        default=(100.0,),
        min_length=1,
        description="Percentages of the limit at which FORECASTED spend notifies (provider default: none); one "
        f"budget notification each, at most {MAX_NOTIFICATIONS} with `actual_thresholds`.",
    )
    anomaly_monitor: Literal["tag", "service"] = Field(
        default="tag",
        description="`tag`: a CUSTOM monitor on the scope tag (this workload); `service`: the DIMENSIONAL "
        "SERVICE monitor (one per account). Provider default: no anomaly detection.",
    )
    anomaly_threshold: int = Field(
        default=100,
        ge=1,
        description="Anomalies with a total impact of at least this much alert (currency units).",
    )
    alarms: dict[Slug, MetricAlarm] = Field(
        default_factory=dict,
        description="CloudWatch alarms on GPU / token / invocation metrics, by name; they notify `sns_topic_arn`.",
    )

    @field_validator("emails")
    @classmethod
    def _emails(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(value) > MAX_EMAILS:
            raise ValueError(
                f"emails: {len(value)} e-mail subscribers; AWS Budgets accepts at most {MAX_EMAILS} per notification "
                "(and one SNS topic): send to a distribution list or route through sns_topic_arn"
            )
        if len(set(value)) != len(value):
            raise ValueError("emails: an address is listed twice")
        for email in value:
            if not re.fullmatch(_EMAIL, email):
                raise ValueError(f"emails: {email!r} is not an e-mail address")
        return value

    @field_validator("actual_thresholds", "forecast_thresholds")
    @classmethod
    def _percentages(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        for threshold in value:
            if not 0 < threshold <= 1000:
                raise ValueError(f"{threshold!r} is not a percentage of the limit between 0 and 1000")
        if len(set(value)) != len(value):
            raise ValueError("a threshold is listed twice")
        return value

    @model_validator(mode="after")
    def _routed(self) -> SpendGuardArgs:
        notifications = len(self.actual_thresholds) + len(self.forecast_thresholds)
        if notifications > MAX_NOTIFICATIONS:
            raise ValueError(
                f"actual_thresholds + forecast_thresholds: {notifications} thresholds make {notifications} budget "
                f"notifications; AWS Budgets accepts at most {MAX_NOTIFICATIONS} per budget: drop some thresholds"
            )
        if not self.emails and self.sns_topic_arn is None:
            raise ValueError(
                "emails: name at least one e-mail or an sns_topic_arn; budget and anomaly alerts must reach the "
                "owner (COST-1, COST-2)"
            )
        if self.alarms and self.sns_topic_arn is None:
            raise ValueError(
                f"alarms: CloudWatch alarms notify through SNS; set sns_topic_arn ({sorted(self.alarms)})"
            )
        if self.scope_tag == "cost-center" and not self.ownership.cost_center:
            raise ValueError(
                "scope_tag: 'cost-center' needs ownership.cost_center; set it or scope on owner/purpose"
            )
        return self

    def scope(self) -> tuple[str, str]:
        """The (tag key, value) the budget and the anomaly monitor filter on."""
        tags = self.ownership.aws_tags()
        keys = configured_vocabulary().keys
        key = {"owner": keys.owner, "purpose": keys.purpose, "cost-center": v.COST_CENTER}[self.scope_tag]
        return key, tags[key]


def _notifications(args: SpendGuardArgs) -> list[aws.budgets.BudgetNotificationArgs]:
    topics = [args.sns_topic_arn] if args.sns_topic_arn is not None else None
    emails = list(args.emails) or None
    return [
        aws.budgets.BudgetNotificationArgs(
            notification_type=kind,
            comparison_operator="GREATER_THAN",
            threshold=threshold,
            threshold_type="PERCENTAGE",
            subscriber_email_addresses=emails,
            subscriber_sns_topic_arns=topics,
        )
        for kind, thresholds in (("ACTUAL", args.actual_thresholds), ("FORECASTED", args.forecast_thresholds))
        for threshold in thresholds
    ]


def monitor_specification(key: str, value: str) -> str:
    """A Cost Explorer expression selecting the costs tagged ``key=value``."""
    return json.dumps({"Tags": {"Key": key, "Values": [value], "MatchOptions": ["EQUALS"]}})


class SpendGuard(pulumi.ComponentResource):
    """A tag-scoped budget, cost anomaly detection and usage alarms (see the module docstring).

    Outputs: ``budgetName``, ``anomalyMonitorArn``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("COST-1", "COST-2", "INV-1")

    scope_tag: aws.costexplorer.CostAllocationTag | None
    budget: aws.budgets.Budget
    anomaly_monitor: aws.costexplorer.AnomalyMonitor
    anomaly_subscriptions: dict[str, aws.costexplorer.AnomalySubscription]
    alarms: dict[str, aws.cloudwatch.MetricAlarm]

    def __init__(self, name: str, args: SpendGuardArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = aws_tags(args.ownership)
        key, value = args.scope()
        self.scope_tag = None
        if args.activate_scope_tag:
            self.scope_tag = aws.costexplorer.CostAllocationTag(
                f"{name}-scope-tag", tag_key=key, status="Active", opts=child
            )
        self.budget = aws.budgets.Budget(
            f"{name}-budget",
            budget_type="COST",
            time_unit="MONTHLY",
            limit_amount=f"{args.amount}.0",
            limit_unit=args.currency,
            cost_filters=[
                aws.budgets.BudgetCostFilterArgs(name="TagKeyValue", values=[f"user:{key}${value}"])
            ],
            notifications=_notifications(args),
            tags=tags,
            opts=child,
        )
        self.anomaly_monitor = aws.costexplorer.AnomalyMonitor(
            f"{name}-anomaly-monitor",
            monitor_type="CUSTOM" if args.anomaly_monitor == "tag" else "DIMENSIONAL",
            monitor_specification=monitor_specification(key, value)
            if args.anomaly_monitor == "tag"
            else None,
            monitor_dimension="SERVICE" if args.anomaly_monitor == "service" else None,
            tags=tags,
            opts=child,
        )
        threshold = aws.costexplorer.AnomalySubscriptionThresholdExpressionArgs(
            dimension=aws.costexplorer.AnomalySubscriptionThresholdExpressionDimensionArgs(
                key="ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                match_options=["GREATER_THAN_OR_EQUAL"],
                values=[str(args.anomaly_threshold)],
            )
        )
        routes: list[tuple[str, str, str, list[Any]]] = []
        if args.emails:
            routes.append(("email", "DAILY", "EMAIL", list(args.emails)))
        if args.sns_topic_arn is not None:
            routes.append(("sns", "IMMEDIATE", "SNS", [args.sns_topic_arn]))
        self.anomaly_subscriptions = {
            route: aws.costexplorer.AnomalySubscription(
                f"{name}-anomaly-{route}",
                frequency=frequency,
                monitor_arn_lists=[self.anomaly_monitor.arn],
                subscribers=[
                    aws.costexplorer.AnomalySubscriptionSubscriberArgs(type=kind, address=address)
                    for address in addresses
                ],
                threshold_expression=threshold,
                tags=tags,
                opts=child,
            )
            for route, frequency, kind, addresses in routes
        }
        actions = [args.sns_topic_arn] if args.sns_topic_arn is not None else []
        self.alarms = {
            alarm: aws.cloudwatch.MetricAlarm(
                f"{name}-alarm-{alarm}",
                alarm_description=spec.description or f"aiwarden {name}: {spec.namespace} {spec.metric_name}",
                namespace=spec.namespace,
                metric_name=spec.metric_name,
                dimensions=spec.dimensions or None,
                statistic=spec.statistic,
                comparison_operator=spec.comparison,
                threshold=spec.threshold,
                period=spec.period_seconds,
                evaluation_periods=spec.evaluation_periods,
                treat_missing_data="notBreaching",
                actions_enabled=True,
                alarm_actions=actions,
                ok_actions=actions,
                tags=tags,
                opts=child,
            )
            for alarm, spec in args.alarms.items()
        }
        self.register_outputs({"budgetName": self.budget.name, "anomalyMonitorArn": self.anomaly_monitor.arn})
