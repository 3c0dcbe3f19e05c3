"""The AWS platform: every component's inputs planned from stack config, then registered and wired.

Planning builds every ``*Args`` before anything registers, so that a refusal names the ``aiwarden:`` key and
leaves no half-built stack. What only exists once a component registers (the network's ids, the cluster, the
capture bucket, the execute-api endpoint) is planned with a stand-in of the same shape (``_STAND_IN_*``: as many
subnets as the stack declares) and replaced by the real Output when the platform registers.

Registration, in order:

- ``network`` (``PrivateNetwork``; with ``gpu`` also the ``ec2``, ``eks`` and ``eks-auth`` endpoints);
- a ``LockedBucket`` per dataset (its ``access`` grants; ``read`` grants may not write or delete objects; the
  notebook's role when ``notebook.datasets`` names it), the ``VectorStore`` (in its own network or the
  platform's), a ``SecretWiring`` per provider secret (the notebook's role reads those ``notebook.providerSecrets``
  names);
- ``gpu-cluster`` (``GpuCluster`` in the network's private subnets) and a ``GpuNodePool`` ``gpu-<pool>`` each;
- ``model-endpoint-captures`` (a ``LockedBucket``, with ``modelEndpoint.dataCapture``) and ``model-endpoint``
  (``ModelEndpoint`` in the network, its PRIVATE API associated with the network's execute-api endpoint);
- ``notebook`` (``ManagedNotebook`` in the network; its role may use the named datasets and secrets and their
  keys: the buckets and secrets grant it by a deferred Output of its role ARN);
- ``registry`` (``ContainerRegistry``: readers are the configured ones, every GPU pool's node role and the
  endpoint's execution role; nobody else may pull);
- ``bedrock`` (``BedrockAccess``);
- ``audit`` (``AuditTrail``: S3 data events of every bucket the stack created and their access-log buckets) and
  ``spend`` (``SpendGuard``, with a usage alarm per GPU cluster, endpoint and Bedrock model: COST-2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi

from components._common import AwsNetwork, Grant
from components.aws._eks import ClusterRef
from components.aws._model_api import ApiSettings, Waf
from components.aws.audit_trail import (
    AuditTrail,
    AuditTrailArgs,
    CloudWatchDelivery,
    CreateTrailBucket,
    NoCloudWatchDelivery,
)
from components.aws.bedrock_access import BedrockAccess, BedrockAccessArgs, BedrockGuardrail, BedrockModel
from components.aws.container_registry import (
    ContainerRegistry,
    ContainerRegistryArgs,
    CreateScanning,
    ExistingScanning,
    MutableTags,
    PullThroughCache,
)
from components.aws.gpu_cluster import GpuCluster, GpuClusterArgs, SystemPool
from components.aws.gpu_node_pool import GpuNodePool, GpuNodePoolArgs, OnDemand, Spot
from components.aws.locked_bucket import LockedBucket, LockedBucketArgs
from components.aws.managed_notebook import (
    ManagedNotebook,
    ManagedNotebookArgs,
    NotebookBucket,
    NotebookSecret,
    PipIndex,
)
from components.aws.model_endpoint import (
    ContainerEgress,
    CreateApiLoggingRole,
    DataCapture,
    ExistingApiLoggingRole,
    ModelArtifacts,
    ModelEndpoint,
    ModelEndpointArgs,
)
from components.aws.private_network import (
    DEFAULT_INTERFACE_ENDPOINTS,
    PrivateNetwork,
    PrivateNetworkArgs,
    PrivateSubnet,
)
from components.aws.secret_wiring import ManualRotation, SecretGrant, SecretWiring, SecretWiringArgs
from components.aws.spend_guard import MetricAlarm, SpendGuard, SpendGuardArgs
from components.aws.vector_store import VectorStore, VectorStoreArgs
from components.platform.config import (
    PLATFORM_GRANT_NOTEBOOK,
    AwsDatasetConfig,
    AwsPlatformConfig,
    AwsProviderSecretConfig,
    AwsVectorStoreConfig,
    component_args,
)
from components.platform.sections.aws import (
    AwsBedrockConfig,
    AwsGpuConfig,
    AwsGpuPoolConfig,
    AwsModelEndpointConfig,
    AwsNotebookConfig,
    AwsPrivateNetworkConfig,
    AwsRegistryConfig,
)

#: The interface endpoints EKS nodes need besides the defaults (no route to the internet): EC2 (node join), EKS
#: (the API's DescribeCluster), EKS Auth (Pod Identity).
EKS_ENDPOINTS = ("ec2", "eks", "eks-auth")
#: Stand-ins planned in place of what exists only once a component registers (same shape, never registered).
_STAND_IN_VPC = "vpc-00000000"
_STAND_IN_SG = "sg-00000000"
_STAND_IN_VPCE = "vpce-00000000"
_STAND_IN_NAME = "stand-in"
_STAND_IN_CLUSTER = ClusterRef(name=_STAND_IN_NAME, security_group_id=_STAND_IN_SG)


def _stand_in_network(network: AwsPrivateNetworkConfig) -> AwsNetwork:
    """The platform network's placement shape: one private subnet per configured subnet."""
    return AwsNetwork(
        vpc_id=_STAND_IN_VPC,
        subnet_ids=tuple(f"subnet-{i:08x}" for i in range(len(network.subnets))),
        security_group_ids=(_STAND_IN_SG,),
    )


# ---------------------------------------------------------------------------------------------- data


def _dataset(cfg: AwsPlatformConfig, dataset: AwsDatasetConfig) -> LockedBucketArgs:
    return LockedBucketArgs(ownership=cfg.ownership_model(dataset.classification), access=dataset.access)


def _vector_store(cfg: AwsPlatformConfig, store: AwsVectorStoreConfig) -> VectorStoreArgs:
    network = store.network
    placement = (
        AwsNetwork(
            vpc_id=network.vpc_id,
            subnet_ids=tuple(network.subnet_ids),
            security_group_ids=tuple(network.security_group_ids),
        )
        if network is not None
        else _stand_in_network(cfg.network)  # type: ignore[arg-type]  # the config requires one of them
    )
    return VectorStoreArgs(
        ownership=cfg.ownership_model(),
        collection_name=store.collection_name,
        network=placement,
        access=store.access,
    )


def _secret(cfg: AwsPlatformConfig, secret: AwsProviderSecretConfig) -> SecretWiringArgs:
    return SecretWiringArgs(
        ownership=cfg.ownership_model(),
        description=secret.description or "provider credential; the value is put out of band",
        access={name: SecretGrant(principal=g.principal, role=g.role) for name, g in secret.access.items()},
        rotation=ManualRotation(procedure=secret.rotation_procedure),
    )


def _audit(cfg: AwsPlatformConfig) -> AuditTrailArgs:
    audit = cfg.audit
    return AuditTrailArgs(
        ownership=cfg.ownership_model(),
        log_bucket=CreateTrailBucket(retention_days=audit.retention_days),
        sagemaker_data_events=audit.sagemaker_data_events,
        bedrock_data_events=audit.bedrock_data_events,
        cloudwatch_logs=CloudWatchDelivery()
        if audit.cloudwatch_logs or audit.cloudwatch_logs_opt_out is None
        else NoCloudWatchDelivery(justification=audit.cloudwatch_logs_opt_out),
    )


def _spend(cfg: AwsPlatformConfig) -> SpendGuardArgs:
    spend = cfg.spend
    return SpendGuardArgs(
        ownership=cfg.ownership_model(),
        amount=spend.amount,
        currency=spend.currency,
        scope_tag=spend.scope,
        emails=tuple(spend.emails),
        sns_topic_arn=spend.sns_topic_arn,
        anomaly_threshold=spend.anomaly_threshold,
        alarms=_alarms(cfg, _STAND_IN_NAME, _STAND_IN_NAME),
    )


def _alarms(cfg: AwsPlatformConfig, cluster_name: Any, endpoint_name: Any) -> dict[str, MetricAlarm]:
    """Usage alarms (COST-2) of the GPU cluster, the model endpoint and every Bedrock model; they notify
    ``spend.snsTopicArn``."""
    alarms: dict[str, MetricAlarm] = {}
    if cfg.gpu is not None:
        alarms["gpu-idle"] = MetricAlarm(
            namespace="ContainerInsights",
            metric_name="node_gpu_utilization",
            dimensions={"ClusterName": cluster_name},
            comparison="LessThanThreshold",
            threshold=cfg.gpu.idle_alarm_percent,
            period_seconds=3600,
            evaluation_periods=3,
            description=f"GPU nodes of {cfg.ownership.purpose} under {cfg.gpu.idle_alarm_percent:g}% busy for 3 "
            "hours: scale the pools down",
        )
    if cfg.model_endpoint is not None:
        alarms["endpoint-gpu"] = MetricAlarm(
            namespace="/aws/sagemaker/Endpoints",
            metric_name="GPUUtilization",
            dimensions={"EndpointName": endpoint_name, "VariantName": "primary"},
            threshold=cfg.model_endpoint.gpu_alarm_percent,
            description=f"model-endpoint GPUs above {cfg.model_endpoint.gpu_alarm_percent:g}% for 15 minutes: "
            "scale or investigate (denial of wallet?)",
        )
    if cfg.bedrock is not None:
        for name, model in cfg.bedrock.models.items():
            alarms[f"bedrock-{name}-tokens"] = MetricAlarm(
                namespace="AWS/Bedrock",
                metric_name="InputTokenCount",
                dimensions={"ModelId": _model_id(model.arn)},
                statistic="Sum",
                threshold=cfg.bedrock.hourly_input_token_alarm,
                period_seconds=3600,
                evaluation_periods=1,
                description=f"Bedrock {name}: more than {cfg.bedrock.hourly_input_token_alarm} input tokens in an "
                "hour (denial of wallet?)",
            )
    return alarms


# ---------------------------------------------------------------------------------------------- compute


def _network(cfg: AwsPlatformConfig, network: AwsPrivateNetworkConfig) -> PrivateNetworkArgs:
    extra = [*network.interface_endpoints, *(EKS_ENDPOINTS if cfg.gpu is not None else ())]
    endpoints = tuple(dict.fromkeys([*DEFAULT_INTERFACE_ENDPOINTS, *extra]))
    return PrivateNetworkArgs(
        ownership=cfg.ownership_model(),
        cidr_block=network.cidr_block,
        subnets={
            name: PrivateSubnet(availability_zone=s.availability_zone, cidr_block=s.cidr_block)
            for name, s in network.subnets.items()
        },
        interface_endpoints=endpoints,
        workload_ports=network.workload_ports,
        flow_log_retention_days=network.flow_log_retention_days,
    )


def _registry(cfg: AwsPlatformConfig, registry: AwsRegistryConfig) -> ContainerRegistryArgs:
    cache = registry.pull_through_cache
    return ContainerRegistryArgs(
        ownership=cfg.ownership_model(),
        repository_name=registry.repository_name,
        access=registry.access,
        untagged_image_days=registry.untagged_image_days,
        mutable_tags=MutableTags(justification=registry.mutable_tags.justification)
        if registry.mutable_tags
        else None,
        scanning=CreateScanning() if registry.scanning == "create" else ExistingScanning(),
        pull_through_cache=PullThroughCache(
            upstream_registry_url=cache.upstream_registry_url,
            repository_prefix=cache.repository_prefix,
            credential_arn=cache.credential_arn,
        )
        if cache
        else None,
    )


def _cluster(cfg: AwsPlatformConfig, gpu: AwsGpuConfig) -> GpuClusterArgs:
    cluster = gpu.cluster
    return GpuClusterArgs(
        ownership=cfg.ownership_model(),
        kubernetes_version=cluster.kubernetes_version,
        network=_stand_in_network(cfg.network),  # type: ignore[arg-type]  # gpu requires aiwarden:network
        access=cluster.access,
        api_access=cluster.api_access,
        public_access=cluster.public_access,
        system_pool=SystemPool(
            instance_types=tuple(cluster.system_pool.instance_types),
            min_size=cluster.system_pool.min_nodes,
            max_size=cluster.system_pool.max_nodes,
        ),
        create_autoscaling_service_role=cluster.create_autoscaling_service_role,
    )


def _pool(cfg: AwsPlatformConfig, pool: AwsGpuPoolConfig) -> GpuNodePoolArgs:
    return GpuNodePoolArgs(
        ownership=cfg.ownership_model(),
        cluster=_STAND_IN_CLUSTER,
        network=_stand_in_network(cfg.network),  # type: ignore[arg-type]  # gpu requires aiwarden:network
        instance_types=tuple(pool.instance_types),
        min_size=pool.min_nodes,
        max_size=pool.max_nodes,
        disk_size_gb=pool.disk_size_gb,
        capacity=Spot() if pool.capacity == "spot" else OnDemand(),
    )


def _endpoint(cfg: AwsPlatformConfig, endpoint: AwsModelEndpointConfig) -> ModelEndpointArgs:
    artifacts = endpoint.model_artifacts
    return ModelEndpointArgs(
        ownership=cfg.ownership_model(),
        network=_stand_in_network(cfg.network),  # type: ignore[arg-type]  # the endpoint requires aiwarden:network
        image=endpoint.image,
        instance_type=endpoint.instance_type,
        instance_count=endpoint.instance_count,
        environment=endpoint.environment,
        model_artifacts=ModelArtifacts(s3_uri=artifacts.s3_uri, kms_key=artifacts.kms_key)
        if artifacts
        else None,
        container_egress=ContainerEgress(justification=endpoint.container_egress.justification)
        if endpoint.container_egress
        else None,
        api=ApiSettings(
            vpc_endpoint_ids={"workloads": _STAND_IN_VPCE},
            rate_limit=endpoint.rate_limit,
            burst_limit=endpoint.burst_limit,
        ),
        waf=Waf(rate_limit=endpoint.waf.rate_limit) if endpoint.waf else None,
        api_logging_role=CreateApiLoggingRole()
        if endpoint.api_logging_role == "create"
        else ExistingApiLoggingRole(),
        access=endpoint.access,
    )


def _captures(cfg: AwsPlatformConfig) -> LockedBucketArgs:
    return LockedBucketArgs(ownership=cfg.ownership_model())


def _notebook(cfg: AwsPlatformConfig, notebook: AwsNotebookConfig) -> ManagedNotebookArgs:
    return ManagedNotebookArgs(
        ownership=cfg.ownership_model(),
        network=_stand_in_network(cfg.network),  # type: ignore[arg-type]  # the notebook requires aiwarden:network
        instance_type=notebook.instance_type,
        volume_size_gb=notebook.volume_size_gb,
        idle_shutdown_minutes=notebook.idle_shutdown_minutes,
        package_index=PipIndex(url=notebook.pip_index_url) if notebook.pip_index_url else None,
        access=notebook.access,
        direct_internet=notebook.direct_internet,
    )


def _bedrock(cfg: AwsPlatformConfig, bedrock: AwsBedrockConfig) -> BedrockAccessArgs:
    guardrail = {
        key: value
        for key, value in (
            ("content_filters", bedrock.guardrail.content_filters),
            ("sensitive_information", bedrock.guardrail.sensitive_information),
        )
        if value is not None
    }
    return BedrockAccessArgs(
        ownership=cfg.ownership_model(),
        models={
            name: BedrockModel(arn=model.arn, routes_to=tuple(model.routes_to))
            for name, model in bedrock.models.items()
        },
        access=bedrock.access,
        guardrail=BedrockGuardrail.model_validate(guardrail),
        manage_logging=bedrock.manage_logging,
        log_retention_days=bedrock.log_retention_days,
    )


def _model_id(arn: str) -> str:
    """The ``ModelId`` dimension of Bedrock's metrics: a foundation model's id or an inference profile's id."""
    return arn.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class AwsPlatform:
    """The validated inputs of every AWS component of the stack."""

    cfg: AwsPlatformConfig
    datasets: dict[str, LockedBucketArgs]
    vector_store: VectorStoreArgs | None
    secrets: dict[str, SecretWiringArgs]
    audit: AuditTrailArgs
    spend: SpendGuardArgs
    network: PrivateNetworkArgs | None = None
    registry: ContainerRegistryArgs | None = None
    cluster: GpuClusterArgs | None = None
    pools: dict[str, GpuNodePoolArgs] = field(default_factory=dict)
    captures: LockedBucketArgs | None = None
    endpoint: ModelEndpointArgs | None = None
    notebook: ManagedNotebookArgs | None = None
    bedrock: BedrockAccessArgs | None = None

    @classmethod
    def plan(cls, cfg: AwsPlatformConfig) -> AwsPlatform:
        store, endpoint = cfg.vector_store, cfg.model_endpoint
        return cls(
            cfg=cfg,
            datasets={
                name: component_args(f"datasets.{name}", _dataset, cfg, dataset)
                for name, dataset in cfg.datasets.items()
            },
            vector_store=None if store is None else component_args("vectorStore", _vector_store, cfg, store),
            secrets={
                name: component_args(f"providerSecrets.{name}", _secret, cfg, secret)
                for name, secret in cfg.provider_secrets.items()
            },
            audit=component_args("audit", _audit, cfg),
            spend=component_args("spend", _spend, cfg),
            network=None if cfg.network is None else component_args("network", _network, cfg, cfg.network),
            registry=None
            if cfg.registry is None
            else component_args("registry", _registry, cfg, cfg.registry),
            cluster=None if cfg.gpu is None else component_args("gpu.cluster", _cluster, cfg, cfg.gpu),
            pools={
                name: component_args(f"gpu.pools.{name}", _pool, cfg, pool)
                for name, pool in (cfg.gpu.pools.items() if cfg.gpu else ())
            },
            captures=None
            if endpoint is None or endpoint.data_capture is None
            else component_args("modelEndpoint.dataCapture", _captures, cfg),
            endpoint=None if endpoint is None else component_args("modelEndpoint", _endpoint, cfg, endpoint),
            notebook=None
            if cfg.notebook is None
            else component_args("notebook", _notebook, cfg, cfg.notebook),
            bedrock=None if cfg.bedrock is None else component_args("bedrock", _bedrock, cfg, cfg.bedrock),
        )

    def deploy(self) -> None:
        cfg = self.cfg
        net = PrivateNetwork("network", self.network) if self.network is not None else None
        placement = net.network if net is not None else None
        notebook_role, resolve_notebook_role = _deferred(cfg.notebook)

        buckets: dict[str, LockedBucket] = {}
        for name, args in self.datasets.items():
            mode = cfg.notebook.datasets.get(name) if cfg.notebook else None
            if mode is not None:
                grant = Grant(principal=notebook_role, role=mode)
                args = args.model_copy(update={"access": {**args.access, PLATFORM_GRANT_NOTEBOOK: grant}})
            buckets[name] = LockedBucket(name, args)
        if self.vector_store is not None:
            store = self.vector_store
            if cfg.vector_store is not None and cfg.vector_store.network is None:
                store = store.model_copy(update={"network": placement})
            VectorStore("vector-store", store)
        secrets: dict[str, SecretWiring] = {}
        for name, secret_args in self.secrets.items():
            if cfg.notebook is not None and name in cfg.notebook.provider_secrets:
                reader = SecretGrant(principal=notebook_role, role="read")
                secret_args = secret_args.model_copy(
                    update={"access": {**secret_args.access, PLATFORM_GRANT_NOTEBOOK: reader}}
                )
            secrets[name] = SecretWiring(name, secret_args)

        readers: dict[str, Any] = {}
        cluster_name: Any = None
        endpoint_name: Any = None
        if self.cluster is not None and cfg.gpu is not None:
            cluster = GpuCluster("gpu-cluster", self.cluster.model_copy(update={"network": placement}))
            for name, pool_args in self.pools.items():
                pool = GpuNodePool(
                    f"gpu-{name}",
                    pool_args.model_copy(update={"cluster": cluster.ref(), "network": placement}),
                )
                readers[f"nodes-{name}"] = Grant(principal=pool.node_role.role.arn, role="read")
            cluster_name = cluster.cluster_name

        recorded: dict[str, Any] = {}
        for name, bucket in buckets.items():
            _record(recorded, name, bucket)
        if self.endpoint is not None and cfg.model_endpoint is not None and net is not None:
            endpoint_cfg = cfg.model_endpoint
            update: dict[str, Any] = {
                "network": placement,
                "api": self.endpoint.api.model_copy(
                    update={"vpc_endpoint_ids": {"workloads": net.endpoints["execute-api"].id}}
                ),
            }
            if self.captures is not None and endpoint_cfg.data_capture is not None:
                captures = LockedBucket("model-endpoint-captures", self.captures)
                _record(recorded, "model-endpoint-captures", captures)
                update["data_capture"] = DataCapture(
                    bucket=captures, sampling_percentage=endpoint_cfg.data_capture.sampling_percentage
                )
            endpoint = ModelEndpoint("model-endpoint", self.endpoint.model_copy(update=update))
            readers["model-endpoint"] = Grant(principal=endpoint.execution_role.arn, role="read")
            endpoint_name = endpoint.endpoint.name

        if self.notebook is not None and cfg.notebook is not None:
            notebook_update: dict[str, Any] = {
                "network": placement,
                "buckets": {
                    name: NotebookBucket(
                        bucket=buckets[name].bucket.bucket, role=mode, kms_key=_key_arn(buckets[name])
                    )
                    for name, mode in cfg.notebook.datasets.items()
                },
                "secrets": {
                    name: NotebookSecret(arn=secrets[name].secret.arn, kms_key=secrets[name].key.arn)
                    for name in cfg.notebook.provider_secrets
                },
            }
            notebook = ManagedNotebook("notebook", self.notebook.model_copy(update=notebook_update))
            if resolve_notebook_role is not None:
                resolve_notebook_role(notebook.role.arn)

        if self.registry is not None:
            registry = self.registry
            ContainerRegistry(
                "registry", registry.model_copy(update={"access": {**registry.access, **readers}})
            )

        if self.bedrock is not None and cfg.bedrock is not None:
            bedrock = BedrockAccess("bedrock", self.bedrock)
            if bedrock.log_bucket is not None:
                _record(recorded, "bedrock-invocation-logs", bedrock.log_bucket)

        AuditTrail("audit", self.audit.model_copy(update={"dataset_buckets": recorded}))
        alarms = _alarms(cfg, cluster_name, endpoint_name)  # planned (validated) with stand-in names
        SpendGuard("spend", self.spend.model_copy(update={"alarms": alarms}))


def _record(recorded: dict[str, Any], name: str, bucket: LockedBucket) -> None:
    """The bucket and its access-log bucket, for the trail's S3 data events."""
    recorded[name] = bucket.bucket.bucket
    if bucket.log_bucket is not None:
        recorded[f"{name}-access-logs"] = bucket.log_bucket.bucket


def _key_arn(bucket: LockedBucket) -> Any:
    return bucket.key.arn if bucket.key is not None else None


def _deferred(notebook: AwsNotebookConfig | None) -> tuple[Any, Any]:
    """The notebook role's ARN before the notebook exists (buckets and secrets grant it; it reads them)."""
    if notebook is None or not (notebook.datasets or notebook.provider_secrets):
        return None, None
    return pulumi.deferred_output()
