"""The GCP platform: every component's inputs planned from stack config, then registered and wired.

Planning builds every ``*Args`` before anything registers (a refusal names the ``aiwarden:`` key). The network's
ids are known from config (``projects/<gcp:project>/global/networks/<networkName>``), so compute components are
planned with their real placement.

Registration: ``network`` (``PrivateNetwork`` in ``gcp:region``); a ``LockedBucket`` per dataset (``read``
grants get objectViewer, ``write`` grants objectUser, on that bucket only), the ``VectorStore`` if configured
(its ``read`` grants are the JWT callers of its deployed index; its PSC endpoint in its own network or the
platform's), a ``SecretWiring`` per provider secret (replicated in ``gcp:region`` under a created key, secret id
``aiwarden-<project>-<stack>-<name>``: unique per stack); ``registry`` (``ContainerRegistry``); ``gpu-cluster``
(``GpuCluster`` in ``gpu.cluster.subnet``) and a ``GpuNodePool`` ``gpu-<pool>`` each (nodes may pull from the
stack's registry); ``model-endpoint`` (``ModelEndpoint``, PSC endpoint in the network); ``notebook``
(``ManagedNotebook`` in ``notebook.subnet``; its service account may use the datasets and provider secrets
``notebook`` names); the ``AuditConfig`` (Data Access audit logs, owned by one stack per
project: ``audit.manageAuditConfig``; and a locked sink bucket) and the ``SpendGuard`` (with a GPU duty-cycle
alert and a prediction-rate alert: COST-2).

Components placed in the network wait for it, and the GPU pools for the registry (``after``: a transform adding
the resource to every child's ``depends_on``; their inputs name it by id strings, which carry no dependency).
Every component enables the APIs it uses (``enable_apis=True``; never disabled on destroy): the platform program
owns its project's prerequisites.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

from components._common import CreateKey, GcpNetwork, Grant
from components.gcp._gke import ClusterRef, CreateNodeServiceAccount
from components.gcp.audit_config import AuditConfig, AuditConfigArgs, AuditSink
from components.gcp.container_registry import (
    ContainerRegistry,
    ContainerRegistryArgs,
    MutableTags,
    RemoteRepository,
)
from components.gcp.gpu_cluster import GpuCluster, GpuClusterArgs
from components.gcp.gpu_node_pool import GpuAccelerator, GpuAutoscaling, GpuNodePool, GpuNodePoolArgs
from components.gcp.locked_bucket import LockedBucket, LockedBucketArgs, Retention
from components.gcp.managed_notebook import CreateNotebookServiceAccount, ManagedNotebook, ManagedNotebookArgs
from components.gcp.model_endpoint import ModelEndpoint, ModelEndpointArgs, RequestLogging
from components.gcp.private_network import EgressRule, PrivateNetwork, PrivateNetworkArgs, Subnet
from components.gcp.secret_wiring import SecretGrant, SecretWiring, SecretWiringArgs, default_secret_id
from components.gcp.spend_guard import MetricAlert, SpendGuard, SpendGuardArgs
from components.gcp.vector_store import Deployment, VectorStore, VectorStoreArgs
from components.platform.config import (
    PLATFORM_GRANT_NOTEBOOK,
    GcpDatasetConfig,
    GcpPlatformConfig,
    GcpProviderSecretConfig,
    GcpVectorStoreConfig,
    component_args,
)
from components.platform.sections.gcp import (
    GcpGpuConfig,
    GcpGpuPoolConfig,
    GcpModelEndpointConfig,
    GcpNotebookConfig,
    GcpPrivateNetworkConfig,
    GcpRegistryConfig,
)

#: The platform program enables the APIs its components use (the components' own default is false).
ENABLE_APIS = True


@dataclass(frozen=True)
class Where:
    """The stack's project and region (``gcp:project``, ``gcp:region``)."""

    project: str
    region: str

    def network(self, network: GcpPrivateNetworkConfig) -> str:
        return f"projects/{self.project}/global/networks/{network.network_name}"

    def placement(self, network: GcpPrivateNetworkConfig, subnet: str | None = None) -> GcpNetwork:
        """What ``PrivateNetwork.placement(subnet)`` returns, known before it registers."""
        return GcpNetwork(
            network=self.network(network),
            subnetwork=None
            if subnet is None
            else f"projects/{self.project}/regions/{self.region}/subnetworks/{network.network_name}-{subnet}",
        )

    def repository(self, registry: GcpRegistryConfig) -> str:
        return f"projects/{self.project}/locations/{self.region}/repositories/{registry.repository_id}"


def after(*resources: pulumi.Resource) -> pulumi.ResourceOptions:
    """Options making a component and every child wait for ``resources``."""
    waits = list(resources)

    def transform(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult:
        opts = pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions(depends_on=waits))
        return pulumi.ResourceTransformResult(props=args.props, opts=opts)

    return pulumi.ResourceOptions(depends_on=waits, transforms=[transform])


# ---------------------------------------------------------------------------------------------- data


#: The notebook's service account (``ManagedNotebook``'s default for the component name ``notebook``, set here
#: because the datasets and secrets it may use grant it by e-mail before it exists).
NOTEBOOK_ACCOUNT = "notebook-nb"


def _notebook_member(where: Where) -> str:
    return f"serviceAccount:{NOTEBOOK_ACCOUNT}@{where.project}.iam.gserviceaccount.com"


def _dataset(cfg: GcpPlatformConfig, where: Where, name: str, dataset: GcpDatasetConfig) -> LockedBucketArgs:
    # Grants are keyed `<role>-<name>`: the children stay `<dataset>-grant-read-<name>` / `-grant-write-<name>`.
    access = {f"{g.role}-{grant}": g for grant, g in dataset.access.items()}
    mode = cfg.notebook.datasets.get(name) if cfg.notebook is not None else None
    if mode is not None:
        access[f"{mode}-{PLATFORM_GRANT_NOTEBOOK}"] = Grant(principal=_notebook_member(where), role=mode)
    return LockedBucketArgs(
        ownership=cfg.ownership_model(dataset.classification),
        project=where.project,
        location=dataset.location or where.region,
        access=access,
        enable_apis=ENABLE_APIS,
    )


def _vector_store(cfg: GcpPlatformConfig, where: Where, store: GcpVectorStoreConfig) -> VectorStoreArgs:
    if store.network is not None:
        network: GcpNetwork | None = GcpNetwork(network=store.network.network)
    elif cfg.network is not None:
        network = GcpNetwork(network=where.network(cfg.network))
    else:
        network = None
    return VectorStoreArgs(
        ownership=cfg.ownership_model(),
        project=where.project,
        region=where.region,
        dimensions=store.dimensions,
        network=network,
        access=store.access,
        deployment=Deployment(
            deployed_index_id="vector_store", audiences=(f"{cfg.ownership.purpose}-vector-store",)
        )
        if store.access
        else None,
        enable_apis=ENABLE_APIS,
    )


def _secret(
    cfg: GcpPlatformConfig, where: Where, name: str, secret: GcpProviderSecretConfig
) -> SecretWiringArgs:
    return SecretWiringArgs(
        ownership=cfg.ownership_model(),
        project=where.project,
        secret_id=default_secret_id(name),
        replicas={where.region: CreateKey()},
        access={grant: SecretGrant(principal=g.principal, role=g.role) for grant, g in secret.access.items()}
        | (
            {PLATFORM_GRANT_NOTEBOOK: SecretGrant(principal=_notebook_member(where), role="read")}
            if cfg.notebook is not None and name in cfg.notebook.provider_secrets
            else {}
        ),
        enable_apis=ENABLE_APIS,
    )


def _audit(cfg: GcpPlatformConfig, where: Where) -> AuditConfigArgs:
    audit = cfg.audit
    return AuditConfigArgs(
        ownership=cfg.ownership_model(),
        project=where.project,
        all_services=audit.all_services,
        sink=AuditSink(location=where.region, retention=Retention(days=audit.retention_days))
        if audit.sink
        else None,
        manage_audit_config=audit.manage_audit_config,
        enable_apis=ENABLE_APIS,
    )


def _spend(cfg: GcpPlatformConfig, where: Where) -> SpendGuardArgs:
    spend = cfg.spend
    return SpendGuardArgs(
        ownership=cfg.ownership_model(),
        project=where.project,
        billing_account=spend.billing_account,
        amount=spend.amount,
        currency=spend.currency,
        scope_label=spend.scope,
        notification_channels=tuple(spend.notification_channels),
        alerts=_alerts(cfg),
        enable_apis=ENABLE_APIS,
    )


def _alerts(cfg: GcpPlatformConfig) -> dict[str, MetricAlert]:
    """Usage alerts (COST-2) of the GPU pools and the model endpoint."""
    alerts: dict[str, MetricAlert] = {}
    if cfg.gpu is not None:
        alerts["gpu-idle"] = MetricAlert(
            filter='metric.type="kubernetes.io/container/accelerator/duty_cycle" AND resource.type="k8s_container"',
            threshold=cfg.gpu.idle_alarm_percent,
            comparison="COMPARISON_LT",
            duration_seconds=3600,
        )
    if cfg.model_endpoint is not None:
        alerts["predictions"] = MetricAlert(
            filter='metric.type="aiplatform.googleapis.com/prediction/online/prediction_count" '
            'AND resource.type="aiplatform.googleapis.com/Endpoint"',
            threshold=cfg.model_endpoint.prediction_rate_alarm,
            aligner="ALIGN_RATE",
            duration_seconds=600,
        )
    return alerts


# ---------------------------------------------------------------------------------------------- compute


def _network(cfg: GcpPlatformConfig, where: Where, network: GcpPrivateNetworkConfig) -> PrivateNetworkArgs:
    return PrivateNetworkArgs(
        ownership=cfg.ownership_model(),
        project=where.project,
        network_name=network.network_name,
        subnets={
            name: Subnet(region=where.region, cidr=s.cidr, secondary_ranges=s.secondary_ranges)
            for name, s in network.subnets.items()
        },
        egress={
            name: EgressRule(destinations=tuple(e.destinations), ports=tuple(e.ports))
            for name, e in network.egress.items()
        },
        enable_apis=ENABLE_APIS,
    )


def _registry(cfg: GcpPlatformConfig, where: Where, registry: GcpRegistryConfig) -> ContainerRegistryArgs:
    return ContainerRegistryArgs(
        ownership=cfg.ownership_model(),
        project=where.project,
        location=where.region,
        repository_id=registry.repository_id,
        remotes={name: RemoteRepository(upstream=upstream) for name, upstream in registry.remotes.items()},
        access=registry.access,
        mutable_tags=MutableTags(justification=registry.mutable_tags.justification)
        if registry.mutable_tags
        else None,
        enable_apis=ENABLE_APIS,
    )


def _cluster(cfg: GcpPlatformConfig, where: Where, gpu: GcpGpuConfig) -> GpuClusterArgs:
    cluster = gpu.cluster
    return GpuClusterArgs(
        ownership=cfg.ownership_model(),
        project=where.project,
        location=where.region,
        network=where.placement(cfg.network, cluster.subnet),  # type: ignore[arg-type]  # gpu requires a network
        authorized_networks=cluster.authorized_networks,
        public_access=cluster.public_access,
        release_channel=cluster.release_channel,
        enable_apis=ENABLE_APIS,
    )


def _pool(cfg: GcpPlatformConfig, where: Where, pool: GcpGpuPoolConfig) -> GpuNodePoolArgs:
    registries = {"stack": where.repository(cfg.registry)} if cfg.registry is not None else {}
    return GpuNodePoolArgs(
        ownership=cfg.ownership_model(),
        cluster=ClusterRef(name="stand-in", location=where.region, project=where.project),
        machine_type=pool.machine_type,
        accelerator=GpuAccelerator(type=pool.accelerator.type, count=pool.accelerator.count),
        node_locations=tuple(pool.node_locations),
        autoscaling=GpuAutoscaling(min_nodes=pool.min_nodes, max_nodes=pool.max_nodes),
        spot=pool.spot,
        service_account=CreateNodeServiceAccount(registries=registries),
        enable_apis=ENABLE_APIS,
    )


def _endpoint(cfg: GcpPlatformConfig, where: Where, endpoint: GcpModelEndpointConfig) -> ModelEndpointArgs:
    logging = endpoint.request_logging
    return ModelEndpointArgs(
        ownership=cfg.ownership_model(),
        project=where.project,
        region=where.region,
        image=endpoint.image,
        network=where.placement(cfg.network),  # type: ignore[arg-type]  # the endpoint requires a network
        request_logging=RequestLogging(sampling_rate=logging.sampling_rate) if logging is not None else None,
        access=endpoint.access,
        enable_apis=ENABLE_APIS,
    )


def _notebook(cfg: GcpPlatformConfig, where: Where, notebook: GcpNotebookConfig) -> ManagedNotebookArgs:
    return ManagedNotebookArgs(
        ownership=cfg.ownership_model(),
        project=where.project,
        zone=notebook.zone or f"{where.region}-a",
        network=where.placement(cfg.network, notebook.subnet),  # type: ignore[arg-type]  # requires a network
        machine_type=notebook.machine_type,
        idle_shutdown_minutes=notebook.idle_shutdown_minutes,
        access=notebook.access,
        public_ip=notebook.public_ip,
        service_account=CreateNotebookServiceAccount(account_id=NOTEBOOK_ACCOUNT),
        enable_apis=ENABLE_APIS,
    )


@dataclass(frozen=True)
class GcpPlatform:
    """The validated inputs of every GCP component of the stack."""

    cfg: GcpPlatformConfig
    datasets: dict[str, LockedBucketArgs]
    vector_store: VectorStoreArgs | None
    secrets: dict[str, SecretWiringArgs]
    audit: AuditConfigArgs
    spend: SpendGuardArgs
    network: PrivateNetworkArgs | None = None
    registry: ContainerRegistryArgs | None = None
    cluster: GpuClusterArgs | None = None
    pools: dict[str, GpuNodePoolArgs] = field(default_factory=dict)
    endpoint: ModelEndpointArgs | None = None
    notebook: ManagedNotebookArgs | None = None

    @classmethod
    def plan(cls, cfg: GcpPlatformConfig) -> GcpPlatform:
        gcp = pulumi.Config("gcp")
        where = Where(project=gcp.require("project"), region=gcp.require("region"))
        store, gpu = cfg.vector_store, cfg.gpu
        return cls(
            cfg=cfg,
            datasets={
                name: component_args(f"datasets.{name}", _dataset, cfg, where, name, dataset)
                for name, dataset in cfg.datasets.items()
            },
            vector_store=None
            if store is None
            else component_args("vectorStore", _vector_store, cfg, where, store),
            secrets={
                name: component_args(f"providerSecrets.{name}", _secret, cfg, where, name, secret)
                for name, secret in cfg.provider_secrets.items()
            },
            audit=component_args("audit", _audit, cfg, where),
            spend=component_args("spend", _spend, cfg, where),
            network=None
            if cfg.network is None
            else component_args("network", _network, cfg, where, cfg.network),
            registry=None
            if cfg.registry is None
            else component_args("registry", _registry, cfg, where, cfg.registry),
            cluster=None if gpu is None else component_args("gpu.cluster", _cluster, cfg, where, gpu),
            pools={
                name: component_args(f"gpu.pools.{name}", _pool, cfg, where, pool)
                for name, pool in (gpu.pools.items() if gpu else ())
            },
            endpoint=None
            if cfg.model_endpoint is None
            else component_args("modelEndpoint", _endpoint, cfg, where, cfg.model_endpoint),
            notebook=None
            if cfg.notebook is None
            else component_args("notebook", _notebook, cfg, where, cfg.notebook),
        )

    def deploy(self) -> None:
        cfg = self.cfg
        net = PrivateNetwork("network", self.network) if self.network is not None else None
        in_network = after(net) if net is not None else None
        # the notebook first: the datasets and secrets it may use grant its service account, which must exist
        notebook = (
            ManagedNotebook("notebook", self.notebook, in_network) if self.notebook is not None else None
        )
        granted = (
            after(notebook.service_account)
            if notebook is not None and notebook.service_account is not None
            else None
        )
        for name, args in self.datasets.items():
            LockedBucket(name, args, granted if cfg.notebook and name in cfg.notebook.datasets else None)
        if self.vector_store is not None:
            own = cfg.vector_store is not None and cfg.vector_store.network is not None
            VectorStore("vector-store", self.vector_store, None if own else in_network)
        for name, secret in self.secrets.items():
            SecretWiring(
                name, secret, granted if cfg.notebook and name in cfg.notebook.provider_secrets else None
            )
        # the registry first: the GPU nodes' pull grants name its repository by id
        registry = ContainerRegistry("registry", self.registry) if self.registry is not None else None
        if self.cluster is not None:
            cluster = GpuCluster("gpu-cluster", self.cluster, in_network)
            for name, pool in self.pools.items():
                GpuNodePool(
                    f"gpu-{name}",
                    pool.model_copy(update={"cluster": cluster.ref()}),
                    after(registry) if registry is not None else None,
                )
        if self.endpoint is not None:
            ModelEndpoint("model-endpoint", self.endpoint, in_network)
        AuditConfig("audit", self.audit)
        SpendGuard("spend", self.spend)
