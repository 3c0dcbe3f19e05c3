r"""The GCP sections of the stack config: ``aiwarden:<section>`` of a stack with ``aiwarden:cloud: gcp``.

Data: ``datasets``, ``vectorStore``, ``providerSecrets``, ``audit``, ``spend``. Compute and exposure: ``network``
(a ``PrivateNetwork`` in ``gcp:region``), ``registry`` (an Artifact Registry ``ContainerRegistry``), ``gpu`` (a
private ``GpuCluster`` and its ``GpuNodePool``\ s, whose nodes may pull from the registry), ``modelEndpoint`` (a
Vertex AI ``ModelEndpoint`` behind Private Service Connect in the network), ``notebook`` (a Workbench
``ManagedNotebook`` in a subnet of the network). Every component is in ``gcp:project`` and enables the APIs it
uses.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from components._common.access import Grant
from components._common.exposure import PublicAccess
from components._common.ownership import Classification
from components.gcp._principals import (
    BillingAccountId,
    ChannelId,
    Member,
    NetworkId,
    ServiceAccountMember,
)
from components.platform.sections.common import (
    CAMEL,
    Image,
    Justified,
    Name,
    Percent,
    ScopeKey,
    check_pool_ceiling,
)


class GcpDatasetConfig(BaseModel):
    """One dataset: a Cloud Storage ``LockedBucket`` that only the principals of its ``access`` may use."""

    model_config = CAMEL
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

    model_config = CAMEL
    network: NetworkId = Field(description="`projects/<project>/global/networks/<network>`.")


class GcpVectorStoreConfig(BaseModel):
    """The optional vector store: a Vertex AI Vector Search index behind Private Service Connect."""

    model_config = CAMEL
    dimensions: int = Field(ge=1, le=4096, description="Embedding dimensions of the index.")
    network: GcpNetworkConfig | None = Field(
        default=None,
        description="The workloads' VPC, which gets a Private Service Connect endpoint; default: the stack's "
        "`aiwarden:network` when there is one (else no endpoint).",
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

    model_config = CAMEL
    access: dict[Name, Grant[ServiceAccountMember, Literal["read"]]] = Field(
        min_length=1,
        description="Who may read it, by name: `serviceAccount:` members granted secretAccessor on it (`read`).",
    )
    description: str = Field(default="", max_length=1000, description="What the credential is for.")


class GcpAuditSettings(BaseModel):
    """The stack's Data Access audit config and its optional locked sink bucket."""

    model_config = CAMEL
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

    model_config = CAMEL
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


# ------------------------------------------------------------------------------------------------ network


class GcpSubnetConfig(BaseModel):
    """A private subnet of the platform network in `gcp:region`."""

    model_config = CAMEL
    cidr: str = Field(description="Primary IPv4 range, private (RFC 1918 / RFC 6598).")
    secondary_ranges: dict[str, str] = Field(
        default_factory=dict,
        description="Secondary ranges by name; the GPU cluster's subnet needs `pods` and `services`.",
    )


class GcpEgressConfig(BaseModel):
    """A named egress allowance of the network (everything else is denied and logged)."""

    model_config = CAMEL
    destinations: list[str] = Field(min_length=1, description="Destination ranges (private, or justified).")
    ports: list[str] = Field(default_factory=lambda: ["443"], description="TCP ports or ranges.")


class GcpPrivateNetworkConfig(BaseModel):
    """The stack's ``PrivateNetwork``: Google APIs over restricted.googleapis.com, no route to the internet.

    The GPU cluster, the model endpoint's Private Service Connect endpoint, the notebook and (without its own
    ``network``) the vector store's endpoint are placed in it.
    """

    model_config = CAMEL
    network_name: str = Field(description="VPC network name (unique in the project).")
    subnets: dict[Name, GcpSubnetConfig] = Field(
        min_length=1, description="Subnets by name, in `gcp:region`."
    )
    egress: dict[Name, GcpEgressConfig] = Field(
        default_factory=dict, description="Egress allowances by name, e.g. the GKE control plane's range."
    )


# ------------------------------------------------------------------------------------------------ registry


class GcpRegistryConfig(BaseModel):
    """The stack's ``ContainerRegistry``: an Artifact Registry Docker repository (CMEK, immutable tags, scanning).

    The GPU nodes may pull from it; images of the model endpoint must come from it.
    """

    model_config = CAMEL
    repository_id: str = Field(description="Repository id in `gcp:region`, e.g. `inference`.")
    remotes: dict[Name, Literal["docker-hub", "pypi"]] = Field(
        default_factory=dict, description="Remote repositories (upstream caches) by name."
    )
    access: dict[Name, Grant[Member, Literal["read", "write"]]] = Field(
        default_factory=dict,
        description="Who else may use the images, by name: `read` = pull, `write` = push (CI).",
    )
    mutable_tags: Justified | None = Field(
        default=None, description="Named opt-out from immutable tags, with a justification."
    )


# ------------------------------------------------------------------------------------------------ gpu


class GcpClusterConfig(BaseModel):
    """The stack's ``GpuCluster``: a private GKE cluster in a subnet of the platform network."""

    model_config = CAMEL
    subnet: Name = Field(
        description="The `aiwarden:network` subnet (with `pods` and `services` secondary ranges)."
    )
    authorized_networks: dict[Name, str] = Field(
        default_factory=dict,
        description="Private ranges (CI runners, VPN) allowed to reach the private control-plane endpoint, by name.",
    )
    public_access: PublicAccess | None = Field(
        default=None,
        description="Opt-in to the public control-plane endpoint: `cidrs` and a `justification` (default: private).",
    )
    release_channel: Literal["RAPID", "REGULAR", "STABLE", "EXTENDED"] = Field(
        default="REGULAR", description="GKE release channel."
    )


class GcpAcceleratorConfig(BaseModel):
    """The GPUs of each node."""

    model_config = CAMEL
    type: str = Field(description="GPU model, e.g. `nvidia-l4`.")
    count: int = Field(ge=1, le=16, description="GPUs per node.")


class GcpGpuPoolConfig(BaseModel):
    """A ``GpuNodePool``: tainted GPU nodes, capped by the stack's GPU ceiling, pulling from the stack registry."""

    model_config = CAMEL
    machine_type: str = Field(description="Machine type, e.g. `g2-standard-8`.")
    accelerator: GcpAcceleratorConfig = Field(description="GPU model and count per node.")
    node_locations: list[str] = Field(
        default_factory=list,
        description="Zones of the nodes (those that have the GPU); default: the cluster's.",
    )
    min_nodes: int = Field(default=0, ge=0, le=1000, description="Fewest nodes (total across zones).")
    max_nodes: int = Field(
        default=1,
        ge=1,
        le=1000,
        description="Most nodes (total); at most the stack's GPU ceiling (`aiwarden:maxGpuNodesPerPool`, default 8).",
    )
    spot: bool = Field(default=False, description="Spot VMs (preemptible).")

    @model_validator(mode="after")
    def _ceiling(self) -> GcpGpuPoolConfig:
        if self.min_nodes > self.max_nodes:
            raise ValueError(f"minNodes: {self.min_nodes} is above maxNodes ({self.max_nodes}); lower it")
        check_pool_ceiling(self.max_nodes)
        return self


class GcpGpuConfig(BaseModel):
    """GPU compute: the cluster, its GPU pools, and the idle-GPU alert the platform adds to the spend guard."""

    model_config = CAMEL
    cluster: GcpClusterConfig = Field(description="The GKE cluster (`GpuCluster`).")
    pools: dict[Name, GcpGpuPoolConfig] = Field(
        min_length=1, description="GPU node pools by name (`gpu-<name>`)."
    )
    idle_alarm_percent: Percent = Field(
        default=10, description="Alert (COST-2) when the GPUs' duty cycle stays under this for an hour."
    )


# ------------------------------------------------------------------------------------------------ endpoint


class GcpRequestLoggingConfig(BaseModel):
    """Requests and predictions logged to a CMEK-encrypted BigQuery dataset."""

    model_config = CAMEL
    sampling_rate: float = Field(default=1.0, gt=0, le=1, description="Fraction of requests logged.")


class GcpModelEndpointConfig(BaseModel):
    """The stack's ``ModelEndpoint``: a Vertex AI endpoint reachable over Private Service Connect in the network."""

    model_config = CAMEL
    image: Image = Field(
        description="Serving image in Artifact Registry, pinned by digest and from an approved registry: "
        "`<location>-docker.pkg.dev/<project>/<repository>/<image>[:tag]@sha256:<digest>`."
    )
    request_logging: GcpRequestLoggingConfig | None = Field(
        default_factory=GcpRequestLoggingConfig,
        description="Request-response logging (default: every request).",
    )
    access: dict[Name, Grant[Member, Literal["invoke"]]] = Field(
        min_length=1, description="Who may call it, by name: IAM members (`invoke`)."
    )
    prediction_rate_alarm: float = Field(
        default=50, gt=0, description="Alert (COST-2) when predictions per second exceed this for 10 minutes."
    )


# ------------------------------------------------------------------------------------------------ notebook


class GcpNotebookConfig(BaseModel):
    """The stack's ``ManagedNotebook``: a Workbench instance in a subnet of the network, no public IP, no root.

    Its service account may read (or write) the named datasets and read the named provider secrets: the platform
    grants it on each bucket and secret, and nothing else.
    """

    model_config = CAMEL
    subnet: Name = Field(description="The `aiwarden:network` subnet of the instance.")
    zone: str | None = Field(default=None, description="Zone; default `<gcp:region>-a`.")
    machine_type: str = Field(default="e2-standard-4", description="Machine type.")
    idle_shutdown_minutes: int = Field(
        default=60, ge=10, le=240, description="Stop after this many idle minutes."
    )
    datasets: dict[Name, Literal["read", "write"]] = Field(
        default_factory=dict,
        description="`aiwarden:datasets` the notebook's service account may `read` or `write`, by name.",
    )
    provider_secrets: list[Name] = Field(
        default_factory=list,
        description="`aiwarden:providerSecrets` the notebook's service account may read, by name.",
    )
    access: dict[Name, Grant[Member, Literal["use", "admin"]]] = Field(
        min_length=1,
        description="The instance owner, by name: `use` (one `user:`, opens JupyterLab) and optionally `admin`.",
    )
    public_ip: PublicAccess | None = Field(
        default=None, description="Opt-in to an external IP, with a justification (default: none)."
    )
