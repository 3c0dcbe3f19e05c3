"""SpendGuard: the workload's GCP billing budget, its alert route, and usage alert policies (COST-1, COST-2).

Children (``<name>-<role>``): ``topic`` (a Pub/Sub topic for every budget update, encrypted with a
customer-managed key: ``cmek``, a ``Key`` in ``global`` usable by the Pub/Sub service agent, unless an
existing key is given) and ``topic-publisher`` (the billing budget service account may publish to it)
unless an existing topic is given; ``budget`` (the project's spend filtered on one ownership label,
CURRENT_SPEND and FORECASTED_SPEND threshold rules, every update to the topic and the monitoring channels);
``alert-<name>`` per metric alert policy (GPU duty cycle, Vertex prediction counts) notifying the
channels. A budget is not an AI asset: no inventory record.

Billing budgets need the deployer to hold ``billing.budgets.create`` on the billing account.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aiwarden_policies.contract import vocabulary as v
from components._common import CreateKey, KeyChoice, Ownership
from components._common.ownership import Slug, configured_vocabulary
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import BillingAccountId, ChannelId, ProjectId
from components.gcp._project import KMS_API, enable_apis, enable_apis_field, lookup
from components.gcp.key import Key
from components.gcp.secret_wiring import TopicId

TYPE = "aiwarden:gcp:SpendGuard"
#: A budget, not an AI asset: no inventory record.
KIND = None
#: The service account Cloud Billing publishes budget notifications as.
BUDGET_PUBLISHER = "serviceAccount:billing-budget-alert@system.gserviceaccount.com"
ScopeLabel = Literal["owner", "purpose", "cost-center"]
Comparison = Literal["COMPARISON_GT", "COMPARISON_GE", "COMPARISON_LT", "COMPARISON_LE"]
BUDGETS_API = "billingbudgets.googleapis.com"
PUBSUB_API = "pubsub.googleapis.com"
MONITORING_API = "monitoring.googleapis.com"
#: Pub/Sub topics are global: Google recommends global Cloud KMS keys for CMEK topics.
TOPIC_KEY_LOCATION = "global"


class ExistingTopic(BaseModel):
    """Publish budget updates to an existing topic (it must let the billing budget service account publish)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    topic: TopicId


class MetricAlert(BaseModel):
    """One Cloud Monitoring alert policy on a usage metric (accelerator duty cycle, prediction counts, tokens)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    filter: str = Field(
        min_length=1,
        max_length=2048,
        description='Monitoring filter, e.g. `metric.type="aiplatform.googleapis.com/prediction/online/'
        'accelerator/duty_cycle" AND resource.type="aiplatform.googleapis.com/Endpoint"`.',
    )
    threshold: float = Field(description="Threshold value, in the metric's unit.")
    comparison: Comparison = Field(default="COMPARISON_GT", description="How to compare with the threshold.")
    duration_seconds: int = Field(
        default=300, ge=0, le=86400, description="How long the condition must hold."
    )
    aligner: Literal["ALIGN_MEAN", "ALIGN_MAX", "ALIGN_SUM", "ALIGN_RATE", "ALIGN_DELTA"] = Field(
        default="ALIGN_MEAN", description="Per-series aligner over each 60 s alignment period."
    )


class SpendGuardArgs(BaseModel):
    """Inputs of ``SpendGuard``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, labelled on the topic and alerts.")
    billing_account: BillingAccountId = Field(description="Billing account id of the project.")
    project: ProjectId | None = Field(
        default=None, description="Project whose spend is budgeted; default: the provider's."
    )
    amount: int = Field(ge=1, description="Monthly budget, in whole currency units.")
    currency: str = Field(
        default="USD",
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code; must be the billing account's currency.",
    )
    scope_label: ScopeLabel = Field(
        default="owner",
        description="The ownership label the budget filters on (`budget_filter.labels` takes one pair). "
        "Provider default: every label.",
    )
    current_thresholds: tuple[float, ...] = Field(
        default=(0.5, 0.9, 1.0),
        min_length=1,
        description="Fractions of the budget (1.0 = 100%) at which CURRENT_SPEND alerts (provider default: none).",
    )
    forecast_thresholds: tuple[float, ...] = Field(
        default=(1.0,),
        min_length=1,
        description="Fractions of the budget at which FORECASTED_SPEND alerts (provider default: none).",
    )
    topic: ExistingTopic | None = Field(
        default=None,
        description="Pub/Sub topic for every budget update; default: a topic created here. Provider default: "
        "no topic (only billing administrators are mailed).",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description="CMEK of the created topic (`kms_key_name`), granted to the Pub/Sub service agent: create a "
        "key (default) or an existing key in `global` (Pub/Sub topics are global). Provider default: "
        "Google-managed encryption. Not with `topic` (an existing topic keeps its own encryption).",
    )
    notification_channels: tuple[ChannelId, ...] = Field(
        default=(),
        max_length=5,
        description="Existing Cloud Monitoring channels (e.g. the owner's e-mail channel) that receive budget "
        "alerts and the metric alerts; at most 5.",
    )
    alerts: dict[Slug, MetricAlert] = Field(
        default_factory=dict,
        description="Alert policies on GPU / prediction / token metrics, by name; they notify the channels.",
    )
    enable_apis: bool = enable_apis_field(BUDGETS_API, PUBSUB_API, KMS_API, MONITORING_API)

    @field_validator("current_thresholds", "forecast_thresholds")
    @classmethod
    def _fractions(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        for threshold in value:
            if not 0 < threshold <= 10:
                raise ValueError(
                    f"{threshold!r} is not a fraction of the budget between 0 and 10 (1.0 = 100%)"
                )
        if len(set(value)) != len(value):
            raise ValueError("a threshold is listed twice")
        return value

    @model_validator(mode="after")
    def _routed(self) -> SpendGuardArgs:
        if self.topic is not None and "kms_key" in self.model_fields_set:
            raise ValueError("kms_key: an existing topic keeps its own encryption; remove kms_key (or topic)")
        if self.topic is None:
            check_key_choice(self.kms_key, TOPIC_KEY_LOCATION, self.ownership, "kms_key")
        if self.alerts and not self.notification_channels:
            raise ValueError(
                f"alerts: alert policies notify monitoring channels; list notification_channels ({sorted(self.alerts)})"
            )
        if self.scope_label == "cost-center" and not self.ownership.cost_center:
            raise ValueError(
                "scope_label: 'cost-center' needs ownership.cost_center; set it or scope on owner/purpose"
            )
        return self

    def scope(self) -> dict[str, str]:
        """The one label pair the budget filters on."""
        keys = configured_vocabulary().keys
        key = {"owner": keys.owner, "purpose": keys.purpose, "cost-center": v.COST_CENTER}[self.scope_label]
        return {key: self.ownership.gcp_labels()[key]}


class SpendGuard(pulumi.ComponentResource):
    """A label-scoped billing budget routed to Pub/Sub and monitoring channels, and usage alert policies.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``key`` (`<name>-cmek`, a ``Key`` when
    the topic is created with ``CreateKey``), ``topic`` (`<name>-topic`), ``topic_publisher``
    (`<name>-topic-publisher`), ``budget`` (`<name>-budget`), ``alerts`` (`<name>-alert-<name>`). Outputs:
    ``budgetName``, ``topic``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("COST-1", "COST-2", "INV-1")

    def __init__(self, name: str, args: SpendGuardArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        project = lookup(args.project)
        created_key = args.topic is None and isinstance(args.kms_key, CreateKey)
        apis = [
            BUDGETS_API,
            *([PUBSUB_API] if args.topic is None else []),
            *([KMS_API] if created_key else []),
        ]
        if args.alerts:
            apis.append(MONITORING_API)
        self.apis = enable_apis(name, apis, args.project, self) if args.enable_apis else []
        child = pulumi.ResourceOptions(parent=self, depends_on=self.apis)
        self.key: Key | None = None
        self.topic: gcp.pubsub.Topic | None = None
        self.topic_publisher: gcp.pubsub.TopicIAMMember | None = None
        topic: pulumi.Input[str]
        depends: list[pulumi.Resource] = [*self.apis]
        if args.topic is None:
            resolved = resolve_key(
                f"{name}-cmek",
                args.kms_key,
                ownership=args.ownership,
                location=TOPIC_KEY_LOCATION,
                project=args.project,
                agents=("pubsub",),
                parent=self,
                after=self.apis,
            )
            self.key = resolved.key
            self.topic = gcp.pubsub.Topic(
                f"{name}-topic",
                project=args.project,
                kms_key_name=resolved.id,
                labels=args.ownership.gcp_labels(),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[*self.apis, *resolved.depends_on]),
            )
            self.topic_publisher = gcp.pubsub.TopicIAMMember(
                f"{name}-topic-publisher",
                project=self.topic.project,
                topic=self.topic.name,
                role="roles/pubsub.publisher",
                member=BUDGET_PUBLISHER,
                opts=child,
            )
            topic = self.topic.id
            depends.append(self.topic_publisher)
        else:
            topic = args.topic.topic
        rules = [
            gcp.billing.BudgetThresholdRuleArgs(threshold_percent=threshold, spend_basis=basis)
            for basis, thresholds in (
                ("CURRENT_SPEND", args.current_thresholds),
                ("FORECASTED_SPEND", args.forecast_thresholds),
            )
            for threshold in thresholds
        ]
        self.budget = gcp.billing.Budget(
            f"{name}-budget",
            billing_account=args.billing_account,
            display_name=f"aiwarden {name}"[:60],
            budget_filter=gcp.billing.BudgetBudgetFilterArgs(
                projects=[f"projects/{project.number}"],
                labels=args.scope(),
                calendar_period="MONTH",
                credit_types_treatment="INCLUDE_ALL_CREDITS",
            ),
            amount=gcp.billing.BudgetAmountArgs(
                specified_amount=gcp.billing.BudgetAmountSpecifiedAmountArgs(
                    currency_code=args.currency, units=str(args.amount)
                )
            ),
            threshold_rules=rules,
            all_updates_rule=gcp.billing.BudgetAllUpdatesRuleArgs(
                pubsub_topic=topic,
                monitoring_notification_channels=list(args.notification_channels) or None,
                schema_version="1.0",
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=depends),
        )
        self.alerts = {
            alert: gcp.monitoring.AlertPolicy(
                f"{name}-alert-{alert}",
                project=args.project,
                display_name=f"aiwarden {name}: {alert}",
                combiner="OR",
                conditions=[
                    gcp.monitoring.AlertPolicyConditionArgs(
                        display_name=alert,
                        condition_threshold=gcp.monitoring.AlertPolicyConditionConditionThresholdArgs(
                            filter=spec.filter,
                            comparison=spec.comparison,
                            threshold_value=spec.threshold,
                            duration=f"{spec.duration_seconds}s",
                            aggregations=[
                                gcp.monitoring.AlertPolicyConditionConditionThresholdAggregationArgs(
                                    alignment_period="60s", per_series_aligner=spec.aligner
                                )
                            ],
                        ),
                    )
                ],
                notification_channels=list(args.notification_channels),
                user_labels=args.ownership.gcp_labels(),
                opts=child,
            )
            for alert, spec in args.alerts.items()
        }
        self.register_outputs({"budgetName": self.budget.name, "topic": topic})
