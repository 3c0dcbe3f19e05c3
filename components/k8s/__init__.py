"""Hardened Kubernetes components.

Exports are imported on first use (``components._lazy``).
"""

from typing import TYPE_CHECKING

from components._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__)

if TYPE_CHECKING:
    from components.k8s._network import (
        CidrPeer as CidrPeer,
        PodPeer as PodPeer,
        Port as Port,
    )
    from components.k8s.external_secret import (
        ExternalSecret as ExternalSecret,
        ExternalSecretArgs as ExternalSecretArgs,
        RemoteSecret as RemoteSecret,
        StoreRef as StoreRef,
    )
    from components.k8s.gpu_workload_namespace import (
        AllowRule as AllowRule,
        ComputeQuota as ComputeQuota,
        ContainerDefaults as ContainerDefaults,
        EksPodIdentity as EksPodIdentity,
        GkeWorkloadIdentity as GkeWorkloadIdentity,
        GpuWorkloadNamespace as GpuWorkloadNamespace,
        GpuWorkloadNamespaceArgs as GpuWorkloadNamespaceArgs,
        WorkloadServiceAccount as WorkloadServiceAccount,
    )
    from components.k8s.inference_service import (
        ContainerResources as ContainerResources,
        DisruptionBudget as DisruptionBudget,
        HttpProbe as HttpProbe,
        InferenceService as InferenceService,
        InferenceServiceArgs as InferenceServiceArgs,
        InternalLoadBalancer as InternalLoadBalancer,
        Probes as Probes,
        Scratch as Scratch,
        SecretEnv as SecretEnv,
        SecretFiles as SecretFiles,
    )
