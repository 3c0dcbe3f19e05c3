r"""The AWS sections of the stack config: ``aiwarden:<section>`` of a stack with ``aiwarden:cloud: aws``.

Data: ``datasets``, ``vectorStore``, ``providerSecrets``, ``audit``, ``spend``. Compute and exposure: ``network``
(a ``PrivateNetwork``), ``registry`` (a ``ContainerRegistry``), ``gpu`` (a ``GpuCluster`` and its
``GpuNodePool``\ s), ``modelEndpoint`` (a ``ModelEndpoint`` behind the private API), ``notebook`` (a
``ManagedNotebook``), ``bedrock`` (``BedrockAccess``). The platform wires what these share (network placement,
readers of the registry, the notebook's datasets and secrets, usage alarms); a section says only what differs
between stacks. Values the components check themselves (instance types, ARNs of other stacks) are checked when
the platform plans them, before anything registers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from components._common.access import Grant
from components._common.exposure import PublicAccess
from components._common.ownership import Classification, Email
from components.aws._cidrs import AvailabilityZone, Cidr
from components.aws._identifiers import (
    PrincipalArn,
    RoleArn,
    SecurityGroupId,
    SnsTopicArn,
    SubnetId,
    VpcId,
)
from components.platform.sections.common import (
    CAMEL,
    READ_WRITE,
    Image,
    Justified,
    Name,
    Percent,
    ScopeKey,
    check_pool_ceiling,
)


class AwsDatasetConfig(BaseModel):
    """One dataset: an S3 ``LockedBucket`` that only the principals of its ``access`` may use."""

    model_config = CAMEL
    access: dict[Name, Grant[PrincipalArn, Literal["read", "write"]]] = Field(
        default_factory=dict,
        description=f"Who may use the objects, by name: IAM role/user ARNs; {READ_WRITE} (readers are denied "
        "writes and deletes).",
    )
    classification: Classification | None = Field(
        default=None,
        description="Classification of this dataset when it differs from `aiwarden:ownership.dataClassification`.",
    )


class AwsNetworkConfig(BaseModel):
    """An existing VPC placement (``AwsNetwork``): where the vector store's VPC endpoint lives."""

    model_config = CAMEL
    vpc_id: VpcId = Field(alias="vpcId", description="VPC of the workloads.")
    subnet_ids: list[SubnetId] = Field(alias="subnetIds", min_length=1, description="Private subnets.")
    security_group_ids: list[SecurityGroupId] = Field(
        alias="securityGroupIds", min_length=1, description="Security groups of the endpoint."
    )


class AwsVectorStoreConfig(BaseModel):
    """The optional vector store: an OpenSearch Serverless collection behind a VPC endpoint."""

    model_config = CAMEL
    collection_name: str = Field(alias="collectionName", description="The collection name.")
    network: AwsNetworkConfig | None = Field(
        default=None,
        description="`{vpcId, subnetIds, securityGroupIds}` of the VPC endpoint; default: the stack's "
        "`aiwarden:network` (its private subnets and workloads security group).",
    )
    access: dict[Name, Grant[PrincipalArn, Literal["read", "write"]]] = Field(
        default_factory=dict,
        description=f"Who may use the collection, by name: IAM role/user ARNs; {READ_WRITE} and manage indexes.",
    )


class AwsProviderSecretConfig(BaseModel):
    """A model-provider / tool credential: a Secrets Manager secret under a customer-managed key.

    The value is never in config: a `write` grant's role puts it out of band (console, CLI, a rotation job).
    """

    model_config = CAMEL
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

    model_config = CAMEL
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


class AwsSpendConfig(BaseModel):
    """The workload's AWS budget, anomaly detection and their alert routes."""

    model_config = CAMEL
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


# ------------------------------------------------------------------------------------------------ network


class AwsSubnetConfig(BaseModel):
    """A private subnet of the platform network in one availability zone."""

    model_config = CAMEL
    availability_zone: AvailabilityZone = Field(description="Availability zone, e.g. `us-east-1a`.")
    cidr_block: Cidr = Field(description="IPv4 range inside the network's `cidrBlock`.")


class AwsPrivateNetworkConfig(BaseModel):
    """The stack's ``PrivateNetwork``: private subnets, VPC endpoints, flow logs, no route to the internet.

    The GPU cluster and its pools, the model endpoint, the notebook and (without its own ``network``) the vector
    store are placed in its subnets with its workloads security group.
    """

    model_config = CAMEL
    cidr_block: Cidr = Field(description="VPC range: private address space, /16 to /28.")
    subnets: dict[Name, AwsSubnetConfig] = Field(
        min_length=1,
        description="Private subnets by name, each in an explicit availability zone (production: at least two "
        "zones; the GPU cluster needs two).",
    )
    interface_endpoints: list[str] = Field(
        default_factory=list,
        description="Interface endpoints besides `PrivateNetwork`'s defaults (ECR, STS, Secrets Manager, KMS, "
        "CloudWatch Logs, SageMaker API and runtime, execute-api, OpenSearch Serverless, Bedrock runtime), by "
        "service suffix; with `aiwarden:gpu` the platform adds `ec2`, `eks` and `eks-auth`.",
    )
    workload_ports: dict[Name, int] = Field(
        default_factory=lambda: {"https": 443},
        description="TCP ports the members of the workloads security group may open to each other, by name.",
    )
    flow_log_retention_days: int = Field(
        default=365, description="Days the flow-log group keeps events (a CloudWatch Logs retention value)."
    )


# ------------------------------------------------------------------------------------------------ registry


class AwsPullThroughCacheConfig(BaseModel):
    """An upstream registry cached under a prefix of the stack's registry: workloads never pull from the internet."""

    model_config = CAMEL
    upstream_registry_url: str = Field(description="Upstream registry host, e.g. `public.ecr.aws`.")
    repository_prefix: str = Field(description="Prefix of the cached repositories, e.g. `ecr-public`.")
    credential_arn: str | None = Field(
        default=None,
        description="Secrets Manager secret (`ecr-pullthroughcache/...`) with the upstream credentials (Docker Hub, "
        "GitHub, GitLab).",
    )


class AwsRegistryConfig(BaseModel):
    """The stack's ``ContainerRegistry``: an immutable, KMS-encrypted, scanned ECR repository.

    The platform adds the GPU nodes' role and the model endpoint's execution role as readers; images of the
    model endpoint must come from this repository (or its pull-through cache).
    """

    model_config = CAMEL
    repository_name: str = Field(description="Repository name, e.g. `fraud/scorer` (unique in the account).")
    access: dict[Name, Grant[PrincipalArn, Literal["read", "write"]]] = Field(
        default_factory=dict,
        description="Who else may use the images, by name: `read` = pull, `write` = pull and push (CI).",
    )
    pull_through_cache: AwsPullThroughCacheConfig | None = Field(
        default=None, description="Optional pull-through cache of an upstream registry."
    )
    scanning: Literal["create", "existing"] = Field(
        default="create",
        description="`create`: this stack owns the registry's ENHANCED continuous scanning configuration (one per "
        "account and region); `existing`: another stack of the account owns it and covers this repository.",
    )
    mutable_tags: Justified | None = Field(
        default=None,
        description="Named opt-out from immutable tags, with a justification (default: IMMUTABLE; provider "
        "default: MUTABLE).",
    )
    untagged_image_days: int = Field(
        default=14, ge=1, le=3650, description="Untagged images expire this many days after their push."
    )


# ------------------------------------------------------------------------------------------------ gpu


class AwsSystemPoolConfig(BaseModel):
    """The cluster's untainted node group for its add-ons."""

    model_config = CAMEL
    instance_types: list[str] = Field(
        default_factory=lambda: ["m6i.large"],
        min_length=1,
        description="EC2 instance types of the system nodes.",
    )
    min_nodes: int = Field(default=2, ge=1, le=100, description="Fewest nodes.")
    max_nodes: int = Field(default=3, ge=1, le=100, description="Most nodes.")


class AwsClusterConfig(BaseModel):
    """The stack's ``GpuCluster``: a private EKS cluster in the platform network."""

    model_config = CAMEL
    kubernetes_version: str | None = Field(
        default=None, description="Kubernetes version, e.g. `1.34` (default: EKS's latest)."
    )
    access: dict[Name, Grant[PrincipalArn, Literal["admin", "read"]]] = Field(
        min_length=1,
        description="Who may use the Kubernetes API, by name (`admin` or `read`, cluster-wide); at least one admin.",
    )
    api_access: dict[Name, Cidr] = Field(
        default_factory=dict,
        description="Private ranges (VPN, CI runners) allowed to reach the private API endpoint, by name.",
    )
    public_access: PublicAccess | None = Field(
        default=None,
        description="Opt-in to the public API endpoint: `cidrs` (never 0.0.0.0/0) and a `justification`; refused "
        "for restricted data in production. Default: private endpoint only.",
    )
    system_pool: AwsSystemPoolConfig = Field(
        default_factory=AwsSystemPoolConfig, description="The node group of the cluster's add-ons."
    )
    create_autoscaling_service_role: bool = Field(
        default=False,
        description="Create the account's EC2 Auto Scaling service-linked role (once per account, on a fresh "
        "account only; a second stack of the account leaves it false).",
    )


class AwsGpuPoolConfig(BaseModel):
    """A ``GpuNodePool``: tainted NVIDIA GPU nodes, capped by the stack's GPU ceiling."""

    model_config = CAMEL
    instance_types: list[str] = Field(
        min_length=1, description="NVIDIA GPU instance types with the same GPU count, e.g. `g6e.xlarge`."
    )
    min_nodes: int = Field(default=0, ge=0, le=1000, description="Fewest nodes (0: scale to zero when idle).")
    max_nodes: int = Field(
        default=2,
        ge=1,
        le=1000,
        description="Most nodes; at most the stack's GPU ceiling (`aiwarden:maxGpuNodesPerPool`, default 8).",
    )
    capacity: Literal["on-demand", "spot"] = Field(
        default="on-demand",
        description="On-Demand (default) or Spot instances (interrupted with 2 minutes' notice).",
    )
    disk_size_gb: int = Field(
        default=200, ge=20, le=16384, description="Root volume, encrypted with the pool's key."
    )

    @model_validator(mode="after")
    def _ceiling(self) -> AwsGpuPoolConfig:
        if self.min_nodes > self.max_nodes:
            raise ValueError(f"minNodes: {self.min_nodes} is above maxNodes ({self.max_nodes}); lower it")
        check_pool_ceiling(self.max_nodes)
        return self


class AwsGpuConfig(BaseModel):
    """GPU compute: the cluster, its GPU pools, and the idle-GPU alarm the platform adds to the spend guard."""

    model_config = CAMEL
    cluster: AwsClusterConfig = Field(description="The EKS cluster (`GpuCluster`).")
    pools: dict[Name, AwsGpuPoolConfig] = Field(
        min_length=1, description="GPU node pools by name (component `gpu-<name>`)."
    )
    idle_alarm_percent: Percent = Field(
        default=10,
        description="Alarm (COST-2) when the cluster's GPUs are busy less than this for three hours (Container "
        "Insights `node_gpu_utilization`).",
    )


# ------------------------------------------------------------------------------------------------ endpoint


class AwsModelArtifactsConfig(BaseModel):
    """Model weights in S3, outside the image."""

    model_config = CAMEL
    s3_uri: str = Field(description="`s3://<bucket>/<key>.tar.gz` or `s3://<bucket>/<prefix>/`.")
    kms_key: str | None = Field(default=None, description="KMS key ARN the artifacts are encrypted with.")


class AwsDataCaptureConfig(BaseModel):
    """Requests and predictions captured into a locked bucket of the stack (``model-endpoint-captures``)."""

    model_config = CAMEL
    sampling_percentage: int = Field(
        default=100, ge=1, le=100, description="Percentage of requests captured."
    )


class AwsWafConfig(BaseModel):
    """A REGIONAL AWS WAF web ACL on the API stage."""

    model_config = CAMEL
    rate_limit: int = Field(
        default=3000, ge=10, description="Requests per client IP per 5 minutes before WAF blocks."
    )


class AwsModelEndpointConfig(BaseModel):
    """The stack's ``ModelEndpoint``: a SageMaker endpoint in the platform network, behind a PRIVATE REST API.

    Callers come through the network's execute-api endpoint only, authorized by IAM (`access`); the platform adds a
    GPU utilization alarm to the spend guard.
    """

    model_config = CAMEL
    image: Image = Field(
        description="Serving image in ECR, pinned by digest and from an approved registry: "
        "`<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag]@sha256:<digest>`."
    )
    instance_type: str = Field(description="SageMaker instance type, e.g. `ml.g5.xlarge`.")
    instance_count: int = Field(default=1, ge=1, le=100, description="Initial instance count.")
    environment: dict[str, str] = Field(
        default_factory=dict, description="Container environment variables (plain values: no secrets)."
    )
    model_artifacts: AwsModelArtifactsConfig | None = Field(
        default=None, description="Model weights in S3; default: the weights are in the image."
    )
    data_capture: AwsDataCaptureConfig | None = Field(
        default=None,
        description="Capture requests and predictions into the `model-endpoint-captures` bucket.",
    )
    rate_limit: float = Field(default=50, gt=0, le=10_000, description="Stage-wide requests per second.")
    burst_limit: int = Field(default=100, ge=1, le=5_000, description="Stage-wide burst.")
    waf: AwsWafConfig | None = Field(default=None, description="Optional AWS WAF web ACL on the stage.")
    api_logging_role: Literal["create", "existing"] = Field(
        default="create",
        description="`create`: this stack sets the region's API Gateway CloudWatch Logs role (one per account and "
        "region, retained on delete); `existing`: another stack of the account set it.",
    )
    access: dict[Name, Grant[RoleArn, Literal["invoke"]]] = Field(
        min_length=1, description="Who may call the endpoint, by name: IAM role ARNs (`invoke`)."
    )
    container_egress: Justified | None = Field(
        default=None,
        description="Named opt-out from network isolation, with a justification (default: isolated).",
    )
    gpu_alarm_percent: Percent = Field(
        default=90, description="Alarm (COST-2) when the endpoint's GPUs are busier than this for 15 minutes."
    )


# ------------------------------------------------------------------------------------------------ notebook


class AwsNotebookConfig(BaseModel):
    """The stack's ``ManagedNotebook``: a SageMaker notebook in the platform network, no root, stopped when idle.

    Its role may read (or write) the named datasets and read the named provider secrets: the platform grants it on
    each bucket and secret (and their keys), and nothing else.
    """

    model_config = CAMEL
    instance_type: str = Field(default="ml.t3.medium", description="SageMaker notebook instance type.")
    volume_size_gb: int = Field(default=5, ge=5, le=16384, description="ML storage volume (KMS-encrypted).")
    idle_shutdown_minutes: int = Field(
        default=60, ge=5, le=1440, description="Stop after this many idle minutes."
    )
    pip_index_url: str | None = Field(
        default=None, description="The platform's PyPI mirror pip installs from (no public PyPI)."
    )
    datasets: dict[Name, Literal["read", "write"]] = Field(
        default_factory=dict, description="`aiwarden:datasets` the notebook may `read` or `write`, by name."
    )
    provider_secrets: list[Name] = Field(
        default_factory=list, description="`aiwarden:providerSecrets` the notebook may read, by name."
    )
    access: dict[Name, Grant[RoleArn, Literal["use"]]] = Field(
        min_length=1, description="Who may open the notebook, by name: IAM role ARNs (`use`)."
    )
    direct_internet: PublicAccess | None = Field(
        default=None,
        description="Opt-in to SageMaker's direct internet access, with a justification (default: none).",
    )


# ------------------------------------------------------------------------------------------------ bedrock


class AwsBedrockModelConfig(BaseModel):
    """A Bedrock model or inference profile callers may invoke."""

    model_config = CAMEL
    arn: str = Field(description="Foundation-model or inference-profile ARN.")
    routes_to: list[str] = Field(
        default_factory=list,
        description="For an inference profile: the foundation-model ARNs it routes to (reachable only through it).",
    )


class AwsGuardrailConfig(BaseModel):
    """The guardrail every call must name."""

    model_config = CAMEL
    content_filters: dict[str, str] | None = Field(
        default=None,
        description="Filter strength (LOW, MEDIUM, HIGH) by category (SEXUAL, VIOLENCE, HATE, INSULTS, MISCONDUCT, "
        "PROMPT_ATTACK); default: BedrockAccess's (HIGH on every category).",
    )
    sensitive_information: dict[str, str] | None = Field(
        default=None,
        description="Action (BLOCK, ANONYMIZE) by PII entity type; default: BedrockAccess's (credentials blocked).",
    )


class AwsBedrockConfig(BaseModel):
    """The stack's ``BedrockAccess``: named models, named callers, a guardrail, invocation logging."""

    model_config = CAMEL
    models: dict[Name, AwsBedrockModelConfig] = Field(min_length=1, description="Models by name.")
    access: dict[Name, Grant[RoleArn, Literal["invoke"]]] = Field(
        min_length=1, description="Who may invoke them, by name: IAM role ARNs (`invoke`)."
    )
    guardrail: AwsGuardrailConfig = Field(
        default_factory=AwsGuardrailConfig, description="The guardrail every call must name (always created)."
    )
    manage_logging: bool = Field(
        default=True,
        description="This stack owns the region's model invocation logging (one per account and region). false in "
        "a second stack of the account: that stack's logging is the evidence (LOG-1 reports it).",
    )
    log_retention_days: int = Field(
        default=365, description="Days invocation logs are kept (a CloudWatch Logs retention value)."
    )
    hourly_input_token_alarm: int = Field(
        default=2_000_000,
        ge=1,
        description="Alarm (COST-2) when the stack's Bedrock input tokens exceed this in an hour.",
    )
