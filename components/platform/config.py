"""Stack configuration of the platform program, validated before any resource registers.

The JSON Schema of this model is generated into ``docs/schema/stack-config.schema.json`` and
referenced from every stack file (``# yaml-language-server: $schema=...``). Every error names the
``aiwarden:`` key it is about (``aiwarden:datasets.transactions.readers.training: ...``).

Sections: ``environment``, ``cloud``, ``ownership`` (stamped on every resource); ``datasets`` (a
locked bucket each, with reader and writer principals); ``vectorStore`` (optional); ``providerSecrets``
(a secret each, readable by named workload identities; values are put out of band, never in config);
``audit`` (the stack's audit trail / audit config); ``spend`` (budget, anomaly detection, routes).
Principals are cloud-specific: IAM role ARNs on AWS; IAM members (``serviceAccount:``, ``group:``,
``user:``) for GCP datasets, service account e-mails where a workload identity is required.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

import pulumi
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from components._common.ownership import Ownership, configured_vocabulary
from components.aws._identifiers import PrincipalArn, RoleArn, SecurityGroupId, SubnetId, VpcId
from components.gcp._principals import NetworkId, member, service_account_email

NAMESPACE = "aiwarden"
M = TypeVar("M", bound=BaseModel)
#: Component names the platform uses itself; datasets and secrets may not take them.
RESERVED_NAMES = frozenset({"audit", "spend", "vector-store"})

Name = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9-]{0,24}$",
        description="lowercase letters, digits and dashes, starting with a letter, 25 max (child names derive from it)",
    ),
]
_CAMEL = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class OwnershipConfig(BaseModel):
    """The ownership keys of ``aiwarden:ownership`` (environment comes from ``aiwarden:environment``)."""

    model_config = _CAMEL
    owner: str = Field(description="Owning team slug, e.g. ml-platform.")
    data_classification: str = Field(
        alias="dataClassification", description="public, internal, confidential or restricted."
    )
    purpose: str = Field(description="Business purpose slug, e.g. fraud-scoring.")
    cost_center: str | None = Field(default=None, alias="costCenter", description="Cost allocation key.")
    contact: str | None = Field(default=None, description="Responder e-mail.")


class DatasetConfig(BaseModel):
    """One dataset: a locked bucket that only its readers and writers may use."""

    model_config = _CAMEL
    readers: dict[Name, str] = Field(
        default_factory=dict,
        description="Principals that may read objects, by name: IAM role ARNs (AWS) or IAM members "
        "`serviceAccount:`/`group:`/`user:` (GCP).",
    )
    writers: dict[Name, str] = Field(
        default_factory=dict, description="Principals that may also write objects, by name (same forms)."
    )
    classification: str | None = Field(
        default=None,
        description="Classification of this dataset when it differs from `aiwarden:ownership.dataClassification`.",
    )
    location: str | None = Field(
        default=None, description="GCP only: bucket location; default: `gcp:region`."
    )

    @field_validator("classification")
    @classmethod
    def _classification(cls, value: str | None) -> str | None:
        if value is None:
            return None
        vocabulary = configured_vocabulary()
        canonical: str | None = vocabulary.canonical_classification(value)
        if canonical is None:
            raise ValueError(
                f"{value!r} is not a data classification; use one of {vocabulary.allowed_classifications()}"
            )
        return canonical


class NetworkConfig(BaseModel):
    """AWS: where the vector store's VPC endpoint lives."""

    model_config = _CAMEL
    vpc_id: str = Field(alias="vpcId", description="VPC of the workloads.")
    subnet_ids: list[str] = Field(alias="subnetIds", min_length=1, description="Private subnets.")
    security_group_ids: list[str] = Field(
        alias="securityGroupIds", min_length=1, description="Security groups of the endpoint."
    )


class VectorStoreConfig(BaseModel):
    """The optional vector store: OpenSearch Serverless (AWS) or Vertex AI Vector Search (GCP)."""

    model_config = _CAMEL
    readers: dict[Name, str] = Field(
        default_factory=dict,
        description="Principals that may query: IAM role ARNs (AWS) or service account e-mails (GCP, JWT callers "
        "of the deployed index).",
    )
    writers: dict[Name, str] = Field(
        default_factory=dict, description="AWS only: principals that may also write documents and indexes."
    )
    collection_name: str | None = Field(
        default=None, alias="collectionName", description="AWS only (required): the collection name."
    )
    network: NetworkConfig | str | None = Field(
        default=None,
        description="AWS (required): `{vpcId, subnetIds, securityGroupIds}` of the VPC endpoint. GCP (optional): "
        "the consumer VPC `projects/<p>/global/networks/<n>` that gets a Private Service Connect endpoint.",
    )
    dimensions: int | None = Field(
        default=None, ge=1, le=4096, description="GCP only (required): embedding dimensions."
    )


class ProviderSecretConfig(BaseModel):
    """A model-provider / tool credential: a secret under a customer-managed key, read by named workloads.

    The value is never in config: the writer puts it out of band (console, CLI, a rotation job).
    """

    model_config = _CAMEL
    readers: dict[Name, str] = Field(
        min_length=1,
        description="Workload identities that may read it, by name: IAM role ARNs (AWS) or service account "
        "e-mails (GCP).",
    )
    writer: str | None = Field(
        default=None, description="AWS only (required): the role that puts and rotates the value."
    )
    rotation_procedure: str | None = Field(
        default=None,
        alias="rotationProcedure",
        description="AWS only (required): who rotates the key at the provider, how often, and the runbook.",
    )
    description: str = Field(default="", max_length=1000, description="What the credential is for.")


class AuditSettings(BaseModel):
    """The stack's audit trail (AWS CloudTrail) or Data Access audit config (GCP)."""

    model_config = _CAMEL
    retention_days: int = Field(
        default=400,
        alias="retentionDays",
        ge=1,
        le=3650,
        description="Retention of the audit log bucket (AWS: at least 365, object lock 365 days).",
    )
    cloudwatch_logs: bool = Field(
        default=False, alias="cloudwatchLogs", description="AWS: also deliver to a CloudWatch Logs group."
    )
    sagemaker_data_events: bool = Field(
        default=False, alias="sagemakerDataEvents", description="AWS: record SageMaker data events."
    )
    bedrock_data_events: bool = Field(
        default=False, alias="bedrockDataEvents", description="AWS: record Bedrock data events."
    )
    all_services: bool = Field(
        default=False, alias="allServices", description="GCP: Data Access audit logs for every service."
    )
    sink: bool = Field(
        default=True, description="GCP: copy every audit log entry into a locked bucket in `gcp:region`."
    )


class SpendConfig(BaseModel):
    """The workload's budget and its alert routes."""

    model_config = _CAMEL
    amount: int = Field(ge=1, description="Monthly budget in whole currency units.")
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code.")
    scope: Literal["owner", "purpose", "cost-center"] = Field(
        default="owner", description="The ownership tag/label the budget filters on."
    )
    emails: list[str] = Field(
        default_factory=list, description="AWS: e-mails notified of budget thresholds and anomalies."
    )
    sns_topic_arn: str | None = Field(
        default=None, alias="snsTopicArn", description="AWS: SNS topic for budget and anomaly alerts."
    )
    anomaly_threshold: int = Field(
        default=100, alias="anomalyThreshold", ge=1, description="AWS: anomalies at least this costly alert."
    )
    billing_account: str | None = Field(
        default=None, alias="billingAccount", description="GCP (required): billing account id."
    )
    notification_channels: list[str] = Field(
        default_factory=list,
        alias="notificationChannels",
        description="GCP: Cloud Monitoring channels (e.g. the owner's e-mail channel) for budget alerts.",
    )


def _check(key: str, validate: Callable[[Any], Any], value: Any) -> None:
    """Run a component's own validator on one value, naming the config key on failure."""
    try:
        validate(value)
    except ValidationError as exc:
        raise ValueError(f"{key}: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None
    except ValueError as exc:
        raise ValueError(f"{key}: {exc}") from None


def _adapter(kind: Any) -> Callable[[Any], Any]:
    return TypeAdapter(kind).validate_python


class PlatformConfig(BaseModel):
    """``aiwarden:*`` stack config of the platform program."""

    model_config = _CAMEL
    environment: str = Field(description="production, staging or sandbox (aliases folded).")
    cloud: Literal["aws", "gcp"] = Field(description="Target cloud of the reference stack.")
    ownership: OwnershipConfig = Field(description="Inventory metadata stamped on every resource.")
    datasets: dict[Name, DatasetConfig] = Field(
        default_factory=dict, description="Datasets by name: a locked bucket each."
    )
    vector_store: VectorStoreConfig | None = Field(
        default=None, alias="vectorStore", description="Optional vector store."
    )
    provider_secrets: dict[Name, ProviderSecretConfig] = Field(
        default_factory=dict,
        alias="providerSecrets",
        description="Provider / tool credentials by name: a secret each, values set out of band.",
    )
    audit: AuditSettings = Field(
        default_factory=AuditSettings, description="Audit trail (AWS) / audit config (GCP), always created."
    )
    spend: SpendConfig = Field(description="Budget and anomaly alerts, always created.")

    @field_validator("environment")
    @classmethod
    def _environment(cls, value: str) -> str:
        vocabulary = configured_vocabulary()
        canonical: str | None = vocabulary.canonical_environment(value)
        if canonical is None:
            raise ValueError(
                f"{value!r} is not an environment; use one of {vocabulary.allowed_environments()}"
            )
        return canonical

    @model_validator(mode="after")
    def _consistent(self) -> PlatformConfig:
        for section, names in (("datasets", self.datasets), ("providerSecrets", self.provider_secrets)):
            for name in names:
                if name in RESERVED_NAMES:
                    raise ValueError(f"{section}.{name}: the platform uses this name itself; choose another")
        for name in set(self.datasets) & set(self.provider_secrets):
            raise ValueError(f"providerSecrets.{name}: a dataset has the same name; names must be unique")
        if self.cloud == "aws":
            self._aws()
        else:
            self._gcp()
        return self

    def _aws(self) -> None:
        principal, role = _adapter(PrincipalArn), _adapter(RoleArn)
        for name, dataset in self.datasets.items():
            for kind, grants in (("readers", dataset.readers), ("writers", dataset.writers)):
                for grant, value in grants.items():
                    _check(f"datasets.{name}.{kind}.{grant}", principal, value)
            if dataset.location is not None:
                raise ValueError(f"datasets.{name}.location: GCP only; AWS buckets live in `aws:region`")
        store = self.vector_store
        if store is not None:
            if store.collection_name is None:
                raise ValueError(
                    "vectorStore.collectionName: required on AWS (the OpenSearch collection name)"
                )
            if not isinstance(store.network, NetworkConfig):
                raise ValueError(
                    "vectorStore.network: required on AWS: {vpcId, subnetIds, securityGroupIds} of the endpoint"
                )
            if store.dimensions is not None:
                raise ValueError("vectorStore.dimensions: GCP only (OpenSearch takes dimensions per index)")
            _check("vectorStore.network.vpcId", _adapter(VpcId), store.network.vpc_id)
            for i, subnet in enumerate(store.network.subnet_ids):
                _check(f"vectorStore.network.subnetIds.{i}", _adapter(SubnetId), subnet)
            for i, group in enumerate(store.network.security_group_ids):
                _check(f"vectorStore.network.securityGroupIds.{i}", _adapter(SecurityGroupId), group)
            for kind, grants in (("readers", store.readers), ("writers", store.writers)):
                for grant, value in grants.items():
                    _check(f"vectorStore.{kind}.{grant}", principal, value)
        for name, secret in self.provider_secrets.items():
            for grant, value in secret.readers.items():
                _check(f"providerSecrets.{name}.readers.{grant}", role, value)
            if secret.writer is None:
                raise ValueError(
                    f"providerSecrets.{name}.writer: required on AWS: the role that puts the value out of band "
                    "(only named principals may use the secret's key)"
                )
            _check(f"providerSecrets.{name}.writer", role, secret.writer)
            if secret.rotation_procedure is None or len(secret.rotation_procedure) < 20:
                raise ValueError(
                    f"providerSecrets.{name}.rotationProcedure: required on AWS (20 characters at least): who "
                    "rotates the key at the provider, how often, and where the runbook is"
                )
        if self.audit.retention_days < 365:
            raise ValueError("audit.retentionDays: CloudTrail log files are kept at least 365 days on AWS")
        if self.audit.all_services:
            raise ValueError("audit.allServices: GCP only")
        if not self.spend.emails and self.spend.sns_topic_arn is None:
            raise ValueError(
                "spend.emails: name at least one e-mail (or spend.snsTopicArn) for budget alerts"
            )
        if self.spend.billing_account is not None or self.spend.notification_channels:
            raise ValueError("spend.billingAccount / spend.notificationChannels: GCP only")

    def _gcp(self) -> None:
        sa = service_account_email
        for name, dataset in self.datasets.items():
            for kind, grants in (("readers", dataset.readers), ("writers", dataset.writers)):
                for grant, value in grants.items():
                    _check(f"datasets.{name}.{kind}.{grant}", member, value)
        store = self.vector_store
        if store is not None:
            if store.dimensions is None:
                raise ValueError(
                    "vectorStore.dimensions: required on GCP (embedding dimensions of the index)"
                )
            if store.collection_name is not None or store.writers:
                raise ValueError("vectorStore.collectionName / vectorStore.writers: AWS only")
            if store.network is not None:
                _check("vectorStore.network", _adapter(NetworkId), store.network)
            for grant, value in store.readers.items():
                _check(f"vectorStore.readers.{grant}", sa, value)
        for name, secret in self.provider_secrets.items():
            for grant, value in secret.readers.items():
                _check(f"providerSecrets.{name}.readers.{grant}", sa, value)
            if secret.writer is not None or secret.rotation_procedure is not None:
                raise ValueError(f"providerSecrets.{name}.writer / rotationProcedure: AWS only")
        if self.audit.cloudwatch_logs or self.audit.sagemaker_data_events or self.audit.bedrock_data_events:
            raise ValueError("audit.cloudwatchLogs / sagemakerDataEvents / bedrockDataEvents: AWS only")
        if self.spend.billing_account is None:
            raise ValueError("spend.billingAccount: required on GCP (the billing account of the project)")
        if self.spend.emails or self.spend.sns_topic_arn is not None:
            raise ValueError(
                "spend.emails / spend.snsTopicArn: AWS only; on GCP, create Cloud Monitoring e-mail channels and "
                "list them in spend.notificationChannels"
            )

    def ownership_model(self, classification: str | None = None) -> Ownership:
        """The stack's ownership, optionally with another data classification (a dataset's override)."""
        o = self.ownership
        return Ownership(
            owner=o.owner,
            environment=self.environment,
            data_classification=classification or o.data_classification,
            purpose=o.purpose,
            cost_center=o.cost_center,
            contact=o.contact,
        )


SECTIONS = {name: field.alias or name for name, field in PlatformConfig.model_fields.items()}


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


def _problem(error: Any) -> str:
    """``aiwarden:<dotted key>: <message>``; a whole-model error carries its key in the message."""
    message = str(error["msg"]).removeprefix("Value error, ")
    loc = ".".join(str(p) for p in error["loc"])
    return f"{NAMESPACE}:{loc}: {message}" if loc else f"{NAMESPACE}:{message}"


def validate(data: dict[str, Any]) -> PlatformConfig:
    """Validate raw ``aiwarden:*`` values (keys without the namespace); errors name each key."""
    try:
        return PlatformConfig.model_validate({k: val for k, val in data.items() if val is not None})
    except ValidationError as exc:
        raise StackConfigError(
            "invalid stack config: " + "; ".join(_problem(e) for e in exc.errors())
        ) from None


def load_config() -> PlatformConfig:
    """Read ``aiwarden:*`` stack config and validate it (errors name the key and the fix)."""
    config = pulumi.Config(NAMESPACE)
    return validate({key: _value(config, key) for key in SECTIONS.values()})


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
