"""The Kubernetes platform: a stack on an existing cluster (``aiwarden:cloud: k8s``).

Planning builds every ``*Args`` before anything registers. Registration: the ``GpuWorkloadNamespace`` (named
after ``namespace.name``: restricted pods, default-deny traffic, the GPU quota, the workload service account and
its cloud identity), an ``ExternalSecret`` per ``externalSecrets`` entry (synced into that namespace, after it
exists), then the ``InferenceService`` (in that namespace, as its workload service account, after the secrets it
reads exist). The cluster itself, its External Secrets operator and its secret stores belong to the stack that
runs the cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components._common.access import Grant
from components.k8s._network import Peer, PodPeer
from components.k8s.external_secret import ExternalSecret, ExternalSecretArgs, RemoteSecret, StoreRef
from components.k8s.gpu_workload_namespace import (
    ComputeQuota,
    EksPodIdentity,
    GkeWorkloadIdentity,
    GpuWorkloadNamespace,
    GpuWorkloadNamespaceArgs,
    WorkloadServiceAccount,
)
from components.k8s.inference_service import (
    ContainerResources,
    InferenceService,
    InferenceServiceArgs,
    Scratch,
    SecretEnv,
    ServiceRole,
)
from components.platform.config import K8sPlatformConfig, component_args
from components.platform.sections.k8s import (
    K8sExternalSecretConfig,
    K8sInferenceServiceConfig,
    K8sNamespaceConfig,
)


def _namespace(cfg: K8sPlatformConfig, namespace: K8sNamespaceConfig) -> GpuWorkloadNamespaceArgs:
    account = namespace.service_account
    identity = account.identity
    return GpuWorkloadNamespaceArgs(
        ownership=cfg.ownership_model(),
        namespace=namespace.name,
        quota=ComputeQuota(
            gpus=namespace.quota.gpus,
            requests_cpu=namespace.quota.requests_cpu,
            requests_memory=namespace.quota.requests_memory,
            pods=namespace.quota.pods,
        ),
        service_account=WorkloadServiceAccount(
            name=account.name,
            identity=None
            if identity is None
            else EksPodIdentity(cluster_name=identity.cluster_name, role_arn=identity.role_arn)
            if identity.kind == "eks-pod-identity"
            else GkeWorkloadIdentity(
                service_account=identity.service_account, cluster_project=identity.cluster_project
            ),
        ),
    )


def _external_secret(cfg: K8sPlatformConfig, secret: K8sExternalSecretConfig) -> ExternalSecretArgs:
    return ExternalSecretArgs(
        ownership=cfg.ownership_model(),
        namespace=cfg.namespace.name,
        target_secret=secret.target_secret,
        store=StoreRef(name=secret.store.name, kind=secret.store.kind),
        data={
            key: RemoteSecret(key=remote.key, version=remote.version, property=remote.property)
            for key, remote in secret.data.items()
        },
        refresh_interval=secret.refresh_interval,
    )


def _service(cfg: K8sPlatformConfig, service: K8sInferenceServiceConfig) -> InferenceServiceArgs:
    resources = service.resources
    return InferenceServiceArgs(
        ownership=cfg.ownership_model(),
        namespace=cfg.namespace.name,
        name=service.name,
        image=service.image,
        container_args=tuple(service.container_args),
        port=service.port,
        replicas=service.replicas,
        gpus=service.gpus,
        node_selector=service.node_selector,
        resources=ContainerResources(
            cpu_request=resources.cpu_request,
            cpu_limit=resources.cpu_limit,
            memory_request=resources.memory_request,
            memory_limit=resources.memory_limit,
        ),
        service_account=cfg.namespace.service_account.name,
        env=service.env,
        secret_env={
            name: SecretEnv(secret=ref.secret, key=ref.key) for name, ref in service.secret_env.items()
        },
        scratch={
            name: Scratch(mount_path=s.mount_path, size_limit=s.size_limit, memory=s.memory)
            for name, s in service.scratch.items()
        },
        access={
            name: Grant[Peer, ServiceRole](
                principal=PodPeer(
                    namespace=grant.principal.namespace,
                    namespace_labels=grant.principal.namespace_labels,
                    pod_labels=grant.principal.pod_labels,
                ),
                role=grant.role,
            )
            for name, grant in service.access.items()
        },
    )


@dataclass(frozen=True)
class K8sPlatform:
    """The validated inputs of every Kubernetes component of the stack."""

    namespace: GpuWorkloadNamespaceArgs
    secrets: dict[str, ExternalSecretArgs]
    service: InferenceServiceArgs | None

    @classmethod
    def plan(cls, cfg: K8sPlatformConfig) -> K8sPlatform:
        service = cfg.inference_service
        return cls(
            namespace=component_args("namespace", _namespace, cfg, cfg.namespace),
            secrets={
                name: component_args(f"externalSecrets.{name}", _external_secret, cfg, secret)
                for name, secret in cfg.external_secrets.items()
            },
            service=None if service is None else component_args("inferenceService", _service, cfg, service),
        )

    def deploy(self) -> None:
        namespace = GpuWorkloadNamespace(self.namespace.namespace, self.namespace)
        inside = pulumi.ResourceOptions(depends_on=[namespace])  # the namespace exists first
        secrets = [ExternalSecret(name, args, inside) for name, args in self.secrets.items()]
        if self.service is not None:
            # in the namespace (an Output: it exists first), after the Secrets it reads are synced
            InferenceService(
                self.service.name,
                self.service.model_copy(update={"namespace": namespace.name}),
                pulumi.ResourceOptions(depends_on=secrets) if secrets else None,
            )
