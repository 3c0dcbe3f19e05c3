"""Hardened GCP components: keys, locked buckets, secret wiring, vector stores, audit config, spend guard,
private networks, container registries, GPU clusters and node pools.
Shared input shapes (``Grant``, ``GcpNetwork``, ``CreateKey``...) are in ``components._common``.

Exports are imported on first use (``components._lazy``).
"""

from typing import TYPE_CHECKING

from components._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__)

if TYPE_CHECKING:
    from components.gcp._gke import (
        ClusterRef as ClusterRef,
        CreateNodeServiceAccount as CreateNodeServiceAccount,
        ExistingNodeServiceAccount as ExistingNodeServiceAccount,
    )
    from components.gcp.audit_config import (
        AuditConfig as AuditConfig,
        AuditConfigArgs as AuditConfigArgs,
        AuditSink as AuditSink,
    )
    from components.gcp.container_registry import (
        Cleanup as Cleanup,
        ContainerRegistry as ContainerRegistry,
        ContainerRegistryArgs as ContainerRegistryArgs,
        MutableTags as MutableTags,
        RemoteRepository as RemoteRepository,
        ScanningOff as ScanningOff,
        UpstreamCredentials as UpstreamCredentials,
    )
    from components.gcp.gpu_cluster import (
        ClusterRanges as ClusterRanges,
        GpuCluster as GpuCluster,
        GpuClusterArgs as GpuClusterArgs,
        SystemPool as SystemPool,
    )
    from components.gcp.gpu_node_pool import (
        GpuAccelerator as GpuAccelerator,
        GpuAutoscaling as GpuAutoscaling,
        GpuNodePool as GpuNodePool,
        GpuNodePoolArgs as GpuNodePoolArgs,
    )
    from components.gcp.key import Key as Key, KeyArgs as KeyArgs
    from components.gcp.locked_bucket import (
        CreateLogBucket as CreateLogBucket,
        ExistingLogBucket as ExistingLogBucket,
        LockedBucket as LockedBucket,
        LockedBucketArgs as LockedBucketArgs,
        Retention as Retention,
    )
    from components.gcp.managed_notebook import (
        CreateNotebookServiceAccount as CreateNotebookServiceAccount,
        ExistingNotebookServiceAccount as ExistingNotebookServiceAccount,
        ManagedNotebook as ManagedNotebook,
        ManagedNotebookArgs as ManagedNotebookArgs,
        NotebookGpu as NotebookGpu,
    )
    from components.gcp.model_endpoint import (
        CreateLogDataset as CreateLogDataset,
        ExistingLogTable as ExistingLogTable,
        ModelEndpoint as ModelEndpoint,
        ModelEndpointArgs as ModelEndpointArgs,
        RequestLogging as RequestLogging,
    )
    from components.gcp.pgvector_store import (
        PgVectorStore as PgVectorStore,
        PgVectorStoreArgs as PgVectorStoreArgs,
    )
    from components.gcp.private_network import (
        CloudNat as CloudNat,
        EgressRule as EgressRule,
        FlowLogs as FlowLogs,
        HealthCheckRule as HealthCheckRule,
        IngressRule as IngressRule,
        PrivateNetwork as PrivateNetwork,
        PrivateNetworkArgs as PrivateNetworkArgs,
        Subnet as Subnet,
    )
    from components.gcp.secret_wiring import (
        KubernetesBinding as KubernetesBinding,
        Rotation as Rotation,
        SecretGrant as SecretGrant,
        SecretWiring as SecretWiring,
        SecretWiringArgs as SecretWiringArgs,
    )
    from components.gcp.spend_guard import (
        ExistingTopic as ExistingTopic,
        MetricAlert as MetricAlert,
        SpendGuard as SpendGuard,
        SpendGuardArgs as SpendGuardArgs,
    )
    from components.gcp.vector_store import (
        ConnectionPolicy as ConnectionPolicy,
        Deployment as Deployment,
        VectorStore as VectorStore,
        VectorStoreArgs as VectorStoreArgs,
    )
