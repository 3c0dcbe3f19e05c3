"""Stack configuration of the platform program, validated before any resource registers.

``PlatformConfig`` is a union discriminated by ``aiwarden:cloud``: ``AwsPlatformConfig`` or
``GcpPlatformConfig``, each with only the keys its cloud takes, so that "AWS only" and "required on
GCP" are the models themselves. The JSON Schema of the union is generated into
``docs/schema/stack-config.schema.json`` and referenced from every stack file
(``# yaml-language-server: $schema=...``). Every error names the ``aiwarden:`` key it is about
(``aiwarden:datasets.transactions.access.training.principal: ...``); a key of the other cloud says so.

Sections: ``environment``, ``cloud``, ``ownership`` (stamped on every resource); ``datasets`` (a
locked bucket each, with its ``access`` grants); ``vectorStore`` (optional); ``providerSecrets`` (a
secret each, read by the principals of its ``access``; values are put out of band, never in config);
``audit`` (the stack's audit trail / audit config); ``spend`` (budget, anomaly detection, routes).
Grants are the components' shape (``{principal, role}``, ``components._common.access``): IAM principal
ARNs on AWS; IAM members (``serviceAccount:``, ``group:``, ``user:``) on GCP. ``aiwarden:vocabulary``
is not a platform section: components read it themselves (``configured_vocabulary``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin

import pulumi
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from components._common.access import Grant
from components._common.ownership import Classification, Email, Environment, Ownership, Slug
from components.aws._identifiers import (
    PrincipalArn,
    RoleArn,
    SecurityGroupId,
    SnsTopicArn,
    SubnetId,
    VpcId,
)
from components.gcp._principals import (
    BillingAccountId,
    ChannelId,
    Member,
    NetworkId,
    ServiceAccountMember,
)

NAMESPACE = "aiwarden"
M = TypeVar("M", bound=BaseModel)
#: Component names the platform uses itself; datasets and secrets may not take them.
RESERVED_NAMES = frozenset({"audit", "spend", "vector-store"})
CLOUDS = ("aws", "gcp")
_NAMED = re.compile(r"^([A-Za-z][\w-]*(?:\.[A-Za-z0-9][\w-]*)*): ")

Name = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9-]{0,24}$",
        description="lowercase letters, digits and dashes, starting with a letter, 25 max (child names derive from it)",
    ),
]
_CAMEL = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
_READ_WRITE = "`read` = read objects/documents, `write` = also write them"


class OwnershipConfig(BaseModel):
    """The ownership keys of ``aiwarden:ownership`` (environment comes from ``aiwarden:environment``)."""

    model_config = _CAMEL
    owner: Slug = Field(description="Owning team slug, e.g. ml-platform.")
    data_classification: Classification = Field(
        alias="dataClassification",
        description="public, internal, confidential or restricted (aliases folded).",
    )
    purpose: Slug = Field(description="Business purpose slug, e.g. fraud-scoring.")
    cost_center: Slug | None = Field(default=None, alias="costCenter", description="Cost allocation key.")
    contact: Email | None = Field(default=None, description="Responder e-mail.")


# ---------------------------------------------------------------------------------------------------- AWS


class AwsDatasetConfig(BaseModel):
    """One dataset: an S3 ``LockedBucket`` that only the principals of its ``access`` may use."""

    model_config = _CAMEL
    access: dict[Name, Grant[PrincipalArn, Literal["read", "write"]]] = Field(
        default_factory=dict,
        description=f"Who may use the objects, by name: IAM role/user ARNs; {_READ_WRITE} (readers are denied "
        "writes and deletes).",
    )
    classification: Classification | None = Field(
        default=None,
        description="Classification of this dataset when it differs from `aiwarden:ownership.dataClassification`.",
    )


class AwsNetworkConfig(BaseModel):
    """Where the vector store's VPC endpoint lives (``AwsNetwork``)."""

    model_config = _CAMEL
    vpc_id: VpcId = Field(alias="vpcId", description="VPC of the workloads.")
    subnet_ids: list[SubnetId] = Field(alias="subnetIds", min_length=1, description="Private subnets.")
    security_group_ids: list[SecurityGroupId] = Field(
        alias="securityGroupIds", min_length=1, description="Security groups of the endpoint."
    )


class AwsVectorStoreConfig(BaseModel):
    """The optional vector store: an OpenSearch Serverless collection behind a VPC endpoint."""

    model_config = _CAMEL
    collection_name: str = Field(alias="collectionName", description="The collection name.")
    network: AwsNetworkConfig = Field(
        description="`{vpcId, subnetIds, securityGroupIds}` of the VPC endpoint."
    )
    access: dict[Name, Grant[PrincipalArn, Literal["read", "write"]]] = Field(
        default_factory=dict,
        description=f"Who may use the collection, by name: IAM role/user ARNs; {_READ_WRITE} and manage indexes.",
    )


class AwsProviderSecretConfig(BaseModel):
    """A model-provider / tool credential: a Secrets Manager secret under a customer-managed key.

    The value is never in config: a `write` grant's role puts it out of band (console, CLI, a rotation job).
    """

    model_config = _CAMEL
    access: dict[Name, Grant[RoleArn, Literal["read", "write"]]] = Field(
        min_length=1,
        description="Who may use it, by name: IAM role ARNs; `read` = workloads that read the value, `write` = "
        "the role that puts and rotates it out of band (at least one: only named principals may use the key).",
    )
    rotation_procedure: str = Field(
        alias="rotationProcedure",
        min_length=20,
        description="Who rotates the key at the provider, how often, and where the runbook is.",
    )
    description: str = Field(default="", max_length=1000, description="What the credential is for.")

    @model_validator(mode="after")
    def _written(self) -> AwsProviderSecretConfig:
        if not any(grant.role == "write" for grant in self.access.values()):
            raise ValueError(
                "access: grant `write` to the role that puts the value out of band (only named principals may use "
                "the secret's key)"
            )
        return self


class AwsAuditSettings(BaseModel):
    """The stack's CloudTrail trail."""

    model_config = _CAMEL
    retention_days: int = Field(
        default=400,
        alias="retentionDays",
        ge=365,
        le=3650,
        description="Retention of the trail's log bucket, 365-3650 days (object lock 365 days).",
    )
    cloudwatch_logs: bool = Field(
        default=True,
        alias="cloudwatchLogs",
        description="Also deliver to a KMS-encrypted CloudWatch Logs group (CIS AWS 3.4); false needs "
        "`cloudwatchLogsOptOut`.",
    )
    cloudwatch_logs_opt_out: str | None = Field(
        default=None,
        alias="cloudwatchLogsOptOut",
        min_length=20,
        description="Why the trail needs no CloudWatch Logs delivery, who approved it, until when (with "
        "`cloudwatchLogs: false`; tagged on the trail).",
    )
    sagemaker_data_events: bool = Field(
        default=False, alias="sagemakerDataEvents", description="Record SageMaker data events."
    )
    bedrock_data_events: bool = Field(
        default=False, alias="bedrockDataEvents", description="Record Bedrock data events."
    )

    @model_validator(mode="after")
    def _opt_out(self) -> AwsAuditSettings:
        if not self.cloudwatch_logs and self.cloudwatch_logs_opt_out is None:
            raise ValueError(
                "cloudwatchLogsOptOut: cloudwatchLogs false drops CIS AWS 3.4 delivery; say why (who approved it, "
                "until when), or keep cloudwatchLogs true"
            )
        if self.cloudwatch_logs and self.cloudwatch_logs_opt_out is not None:
            raise ValueError("cloudwatchLogsOptOut: only with cloudwatchLogs false; remove it")
        return self


ScopeKey = Literal["owner", "purpose", "cost-center"]


class AwsSpendConfig(BaseModel):
    """The workload's AWS budget, anomaly detection and their alert routes."""

    model_config = _CAMEL
    amount: int = Field(ge=1, description="Monthly budget in whole currency units.")
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code.")
    scope: ScopeKey = Field(default="owner", description="The ownership tag the budget filters on.")
    emails: list[Email] = Field(
        default_factory=list, description="E-mails notified of budget thresholds and anomalies."
    )
    sns_topic_arn: SnsTopicArn | None = Field(
        default=None, alias="snsTopicArn", description="SNS topic for budget and anomaly alerts."
    )
    anomaly_threshold: int = Field(
        default=100, alias="anomalyThreshold", ge=1, description="Anomalies at least this costly alert."
    )

    @model_validator(mode="after")
    def _routed(self) -> AwsSpendConfig:
        if not self.emails and self.sns_topic_arn is None:
            raise ValueError("emails: name at least one e-mail (or snsTopicArn) for budget alerts")
        return self


class _PlatformConfig(BaseModel):
    """What every cloud's stack config has: environment, ownership; names unique across sections."""

    model_config = _CAMEL
    environment: Environment = Field(description="production, staging or sandbox (aliases folded).")
    ownership: OwnershipConfig = Field(description="Inventory metadata stamped on every resource.")

    @model_validator(mode="after")
    def _names(self) -> _PlatformConfig:
        # ``datasets`` / ``provider_secrets`` are declared by each cloud's model, with its own types.
        _check_names(getattr(self, "datasets"), getattr(self, "provider_secrets"))  # noqa: B009
        return self

    def ownership_model(self, classification: str | None = None) -> Ownership:
        return _ownership(self.environment, self.ownership, classification)


class AwsPlatformConfig(_PlatformConfig):
    """``aiwarden:*`` stack config of an AWS stack (``aiwarden:cloud: aws``)."""

    cloud: Literal["aws"] = Field(description="Target cloud of the stack.")
    datasets: dict[Name, AwsDatasetConfig] = Field(
        default_factory=dict, description="Datasets by name: a locked S3 bucket each."
    )
    vector_store: AwsVectorStoreConfig | None = Field(
        default=None, alias="vectorStore", description="Optional OpenSearch Serverless vector collection."
    )
    provider_secrets: dict[Name, AwsProviderSecretConfig] = Field(
        default_factory=dict,
        alias="providerSecrets",
        description="Provider / tool credentials by name: a Secrets Manager secret each, values set out of band.",
    )
    audit: AwsAuditSettings = Field(
        default_factory=AwsAuditSettings, description="The CloudTrail trail, always created."
    )
    spend: AwsSpendConfig = Field(description="Budget and anomaly alerts, always created.")


# ---------------------------------------------------------------------------------------------------- GCP


class GcpDatasetConfig(BaseModel):
    """One dataset: a Cloud Storage ``LockedBucket`` that only the principals of its ``access`` may use."""

    model_config = _CAMEL
    access: dict[Name, Grant[Member, Literal["read", "write"]]] = Field(
        default_factory=dict,
        description="Who may use the objects, by name: IAM members (`serviceAccount:`, `group:`, `user:`); "
        "`read` = objectViewer, `write` = objectUser, on that bucket only.",
    )
    classification: Classification | None = Field(
        default=None,
        description="Classification of this dataset when it differs from `aiwarden:ownership.dataClassification`.",
    )
    location: str | None = Field(default=None, description="Bucket location; default: `gcp:region`.")


class GcpNetworkConfig(BaseModel):
    """The workloads' VPC network (``GcpNetwork``)."""

    model_config = _CAMEL
    network: NetworkId = Field(description="`projects/<project>/global/networks/<network>`.")


class GcpVectorStoreConfig(BaseModel):
    """The optional vector store: a Vertex AI Vector Search index behind Private Service Connect."""

    model_config = _CAMEL
    dimensions: int = Field(ge=1, le=4096, description="Embedding dimensions of the index.")
    network: GcpNetworkConfig | None = Field(
        default=None, description="The workloads' VPC, which gets a Private Service Connect endpoint."
    )
    access: dict[Name, Grant[ServiceAccountMember, Literal["read"]]] = Field(
        default_factory=dict,
        description="Who may query the deployed index, by name: `serviceAccount:` members whose signed JWTs it "
        "accepts (`read`); without grants the index is not deployed.",
    )


class GcpProviderSecretConfig(BaseModel):
    """A model-provider / tool credential: a Secret Manager secret under a customer-managed key.

    The value is never in config: it is added as a secret version out of band.
    """

    model_config = _CAMEL
    access: dict[Name, Grant[ServiceAccountMember, Literal["read"]]] = Field(
        min_length=1,
        description="Who may read it, by name: `serviceAccount:` members granted secretAccessor on it (`read`).",
    )
    description: str = Field(default="", max_length=1000, description="What the credential is for.")


class GcpAuditSettings(BaseModel):
    """The stack's Data Access audit config and its optional locked sink bucket."""

    model_config = _CAMEL
    retention_days: int = Field(
        default=400,
        alias="retentionDays",
        ge=1,
        le=3650,
        description="Retention of the audit log sink bucket.",
    )
    all_services: bool = Field(
        default=False, alias="allServices", description="Data Access audit logs for every service."
    )
    sink: bool = Field(
        default=True, description="Copy every audit log entry into a locked bucket in `gcp:region`."
    )
    manage_audit_config: bool = Field(
        default=True,
        alias="manageAuditConfig",
        description="This stack owns the project's IAM audit configs (one stack per project: they are "
        "authoritative per service). false: register none, and refuse to deploy unless the owning stack has "
        "turned the Data Access logs on.",
    )


class GcpSpendConfig(BaseModel):
    """The workload's GCP billing budget and its alert routes."""

    model_config = _CAMEL
    amount: int = Field(ge=1, description="Monthly budget in whole currency units.")
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code.")
    scope: ScopeKey = Field(default="owner", description="The ownership label the budget filters on.")
    billing_account: BillingAccountId = Field(alias="billingAccount", description="Billing account id.")
    notification_channels: list[ChannelId] = Field(
        default_factory=list,
        alias="notificationChannels",
        max_length=5,
        description="Cloud Monitoring channels (e.g. the owner's e-mail channel) for budget alerts.",
    )


class GcpPlatformConfig(_PlatformConfig):
    """``aiwarden:*`` stack config of a GCP stack (``aiwarden:cloud: gcp``)."""

    cloud: Literal["gcp"] = Field(description="Target cloud of the stack.")
    datasets: dict[Name, GcpDatasetConfig] = Field(
        default_factory=dict, description="Datasets by name: a locked Cloud Storage bucket each."
    )
    vector_store: GcpVectorStoreConfig | None = Field(
        default=None, alias="vectorStore", description="Optional Vertex AI Vector Search index."
    )
    provider_secrets: dict[Name, GcpProviderSecretConfig] = Field(
        default_factory=dict,
        alias="providerSecrets",
        description="Provider / tool credentials by name: a Secret Manager secret each, values set out of band.",
    )
    audit: GcpAuditSettings = Field(
        default_factory=GcpAuditSettings, description="Data Access audit logs, always configured."
    )
    spend: GcpSpendConfig = Field(description="Budget and its alert routes, always created.")


# ---------------------------------------------------------------------------------------------------- both

PlatformConfig = Annotated[AwsPlatformConfig | GcpPlatformConfig, Field(discriminator="cloud")]
"""``aiwarden:*`` stack config of the platform program: one model per ``aiwarden:cloud``."""

MODELS: dict[str, type[AwsPlatformConfig] | type[GcpPlatformConfig]] = {
    "aws": AwsPlatformConfig,
    "gcp": GcpPlatformConfig,
}
ADAPTER: TypeAdapter[AwsPlatformConfig | GcpPlatformConfig] = TypeAdapter(PlatformConfig)
#: Every ``aiwarden:`` key the program reads, on either cloud (``aiwarden:vocabulary`` is the components').
SECTIONS = tuple(
    dict.fromkeys(
        field.alias or name for model in MODELS.values() for name, field in model.model_fields.items()
    )
)


def _check_names(datasets: Iterable[str], secrets: Iterable[str]) -> None:
    datasets, secrets = list(datasets), list(secrets)
    for section, names in (("datasets", datasets), ("providerSecrets", secrets)):
        for name in names:
            if name in RESERVED_NAMES:
                raise ValueError(f"{section}.{name}: the platform uses this name itself; choose another")
    for name in sorted(set(datasets) & set(secrets)):
        raise ValueError(f"providerSecrets.{name}: a dataset has the same name; names must be unique")


def _ownership(environment: str, o: OwnershipConfig, classification: str | None) -> Ownership:
    """The stack's ownership, optionally with another data classification (a dataset's override)."""
    return Ownership(
        owner=o.owner,
        environment=environment,
        data_classification=classification or o.data_classification,
        purpose=o.purpose,
        cost_center=o.cost_center,
        contact=o.contact,
    )


def _value(config: pulumi.Config, key: str) -> Any:
    raw = config.get(key)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


class StackConfigError(ValueError):
    """Invalid stack configuration: the message names each ``aiwarden:`` key and what is wrong."""


def _accepts(model: Any, path: tuple[Any, ...]) -> bool:
    """Whether ``path`` (aliases, dict keys, list indexes) names a setting of ``model``."""
    annotation = model
    for part in path:
        while True:  # unwrap Annotated and Optional
            origin = get_origin(annotation)
            if origin is Annotated:
                annotation = get_args(annotation)[0]
            elif origin is not None and type(None) in get_args(annotation):
                annotation = next(a for a in get_args(annotation) if a is not type(None))
            else:
                break
        origin = get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = {f.alias or n: f for n, f in annotation.model_fields.items()}
            if part not in fields:
                return False
            annotation = fields[part].annotation
        elif origin is dict:
            annotation = get_args(annotation)[1]
        elif origin in (list, tuple):
            annotation = get_args(annotation)[0]
        else:
            return False
    return True


def _problem(error: Any, cloud: Any) -> str:
    """``aiwarden:<dotted key>: <message>``; a whole-model error carries its key in the message."""
    kind = error["type"]
    if kind == "union_tag_invalid":
        return f"{NAMESPACE}:cloud: {error['input'].get('cloud')!r} is not a cloud; use one of {', '.join(CLOUDS)}"
    if kind == "union_tag_not_found":
        return f"{NAMESPACE}:cloud: Field required (one of {', '.join(CLOUDS)})"
    loc = tuple(error["loc"])
    if loc and loc[0] in CLOUDS:  # the union's tag
        loc = loc[1:]
    message = str(error["msg"]).removeprefix("Value error, ")
    model = MODELS.get(cloud) if isinstance(cloud, str) else None
    named = _NAMED.match(message)
    if kind == "value_error" and named and model is not None:
        # a model validator names the field it is about first ("emails: ..."): make it part of the key
        inner = tuple(named.group(1).split("."))
        if _accepts(model, loc + inner):
            loc, message = loc + inner, message[named.end() :]
    if kind == "extra_forbidden":
        other = next((c for c in CLOUDS if c != cloud), None)
        if other is not None and _accepts(MODELS[other], loc):
            message = f"{other.upper()} only (this stack's {NAMESPACE}:cloud is {cloud}); remove it"
    key = ".".join(str(p) for p in loc)
    return f"{NAMESPACE}:{key}: {message}" if key else f"{NAMESPACE}:{message}"


def validate(data: dict[str, Any]) -> AwsPlatformConfig | GcpPlatformConfig:
    """Validate raw ``aiwarden:*`` values (keys without the namespace); errors name each key."""
    values = {k: val for k, val in data.items() if val is not None}
    try:
        return ADAPTER.validate_python(values)
    except ValidationError as exc:
        cloud = values.get("cloud")
        raise StackConfigError(
            "invalid stack config: " + "; ".join(_problem(e, cloud) for e in exc.errors())
        ) from None


def load_config() -> AwsPlatformConfig | GcpPlatformConfig:
    """Read ``aiwarden:*`` stack config and validate it (errors name the key and the fix)."""
    config = pulumi.Config(NAMESPACE)
    return validate({key: _value(config, key) for key in SECTIONS})


def component_args(key: str, build: Callable[..., M], *args: Any) -> M:
    """``build(*args)``: a component's Args from config; a refusal names the ``aiwarden:`` key it came from."""
    try:
        return build(*args)
    except ValidationError as exc:
        problems = [
            f"{NAMESPACE}:{key}: {'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        ]
        raise StackConfigError("invalid stack config: " + "; ".join(problems)) from None
