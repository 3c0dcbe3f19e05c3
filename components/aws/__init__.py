"""AWS data-plane components: keys, locked buckets, secret wiring, vector stores (OpenSearch, pgvector), the
audit trail and the spend guard; the private network and the container registry AI workloads run in and pull
from. Shared input shapes (``Grant``, ``AwsNetwork``, ``CreateKey``...) are in
``components._common``.

Exports are imported on first use (``components._lazy``).
"""

from typing import TYPE_CHECKING

from components._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__)

if TYPE_CHECKING:
    from components.aws._egress import (
        FirewallEgress as FirewallEgress,
        FirewallZone as FirewallZone,
        ProxyEgress as ProxyEgress,
    )
    from components.aws._eks import ClusterRef as ClusterRef
    from components.aws._model_api import ApiSettings as ApiSettings, UsageQuota as UsageQuota, Waf as Waf
    from components.aws.audit_trail import (
        AuditTrail as AuditTrail,
        AuditTrailArgs as AuditTrailArgs,
        CloudWatchDelivery as CloudWatchDelivery,
        CreateTrailBucket as CreateTrailBucket,
        ExistingTrailBucket as ExistingTrailBucket,
        NoCloudWatchDelivery as NoCloudWatchDelivery,
    )
    from components.aws.bedrock_access import (
        BedrockAccess as BedrockAccess,
        BedrockAccessArgs as BedrockAccessArgs,
        BedrockGuardrail as BedrockGuardrail,
        BedrockModel as BedrockModel,
    )
    from components.aws.container_registry import (
        ContainerRegistry as ContainerRegistry,
        ContainerRegistryArgs as ContainerRegistryArgs,
        CreateScanning as CreateScanning,
        ExistingScanning as ExistingScanning,
        MutableTags as MutableTags,
        PullThroughCache as PullThroughCache,
        ScanningOff as ScanningOff,
    )
    from components.aws.gpu_cluster import (
        ExistingCluster as ExistingCluster,
        GpuCluster as GpuCluster,
        GpuClusterArgs as GpuClusterArgs,
        SystemPool as SystemPool,
    )
    from components.aws.gpu_node_pool import (
        CapacityBlock as CapacityBlock,
        CapacityReservation as CapacityReservation,
        GpuNodePool as GpuNodePool,
        GpuNodePoolArgs as GpuNodePoolArgs,
        OnDemand as OnDemand,
        Spot as Spot,
    )
    from components.aws.key import Key as Key, KeyArgs as KeyArgs
    from components.aws.locked_bucket import (
        CreateLogBucket as CreateLogBucket,
        ExistingLogBucket as ExistingLogBucket,
        LockedBucket as LockedBucket,
        LockedBucketArgs as LockedBucketArgs,
        ObjectLock as ObjectLock,
    )
    from components.aws.managed_notebook import (
        CodeArtifactIndex as CodeArtifactIndex,
        ManagedNotebook as ManagedNotebook,
        ManagedNotebookArgs as ManagedNotebookArgs,
        NotebookBucket as NotebookBucket,
        NotebookSecret as NotebookSecret,
        PipIndex as PipIndex,
        StudioDomain as StudioDomain,
    )
    from components.aws.model_endpoint import (
        ContainerEgress as ContainerEgress,
        CreateApiLoggingRole as CreateApiLoggingRole,
        DataCapture as DataCapture,
        ExistingApiLoggingRole as ExistingApiLoggingRole,
        ModelArtifacts as ModelArtifacts,
        ModelEndpoint as ModelEndpoint,
        ModelEndpointArgs as ModelEndpointArgs,
    )
    from components.aws.private_network import (
        PrivateNetwork as PrivateNetwork,
        PrivateNetworkArgs as PrivateNetworkArgs,
        PrivateSubnet as PrivateSubnet,
    )
    from components.aws.secret_wiring import (
        FunctionRotation as FunctionRotation,
        ManualRotation as ManualRotation,
        PodIdentity as PodIdentity,
        SecretGrant as SecretGrant,
        SecretWiring as SecretWiring,
        SecretWiringArgs as SecretWiringArgs,
    )
    from components.aws.spend_guard import (
        MetricAlarm as MetricAlarm,
        SpendGuard as SpendGuard,
        SpendGuardArgs as SpendGuardArgs,
    )
    from components.aws.vector_database import (
        VectorDatabase as VectorDatabase,
        VectorDatabaseArgs as VectorDatabaseArgs,
    )
    from components.aws.vector_store import VectorStore as VectorStore, VectorStoreArgs as VectorStoreArgs
