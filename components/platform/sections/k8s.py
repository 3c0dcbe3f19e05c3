"""The Kubernetes sections of the stack config: a stack with ``aiwarden:cloud: k8s`` deploys into an existing
cluster (the kubeconfig's current context, or ``kubernetes:context``).

``namespace`` (a ``GpuWorkloadNamespace``: restricted pods, default-deny traffic, a GPU quota, one workload
service account with its cloud identity), ``inferenceService`` (an ``InferenceService`` in that namespace, run as
that service account) and ``externalSecrets`` (an ``ExternalSecret`` each, synced into that namespace).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from components._common.access import Grant
from components.platform.sections.common import CAMEL, Image, Name


class K8sSecretEnvConfig(BaseModel):
    """An environment variable from a key of a Kubernetes Secret."""

    model_config = CAMEL
    secret: str = Field(description="The Secret (a `targetSecret` of `aiwarden:externalSecrets`).")
    key: str = Field(description="Its key.")


class K8sStoreConfig(BaseModel):
    """The `SecretStore` (namespaced) or `ClusterSecretStore` the External Secrets operator reads through."""

    model_config = CAMEL
    name: str = Field(description="Store name.")
    kind: Literal["SecretStore", "ClusterSecretStore"] = Field(
        default="SecretStore",
        description="SecretStore (default: scoped to the namespace) or ClusterSecretStore.",
    )


class K8sRemoteSecretConfig(BaseModel):
    """A secret in the cloud secret manager, by name (never by value)."""

    model_config = CAMEL
    key: str = Field(description="Name of the cloud secret (GCP secret id, AWS secret name or ARN).")
    version: str | None = Field(default=None, description="Version; default: the store's (latest).")
    property: str | None = Field(default=None, description="JSON property inside the secret value.")


class K8sQuotaConfig(BaseModel):
    """What all pods of the namespace may request together."""

    model_config = CAMEL
    gpus: int = Field(
        ge=0,
        description="GPUs all pods may request together; at most `aiwarden:maxGpusPerNamespace` (default 16).",
    )
    requests_cpu: str = Field(description="Total CPU requests, e.g. `32`.")
    requests_memory: str = Field(description="Total memory requests, e.g. `256Gi`.")
    pods: int | None = Field(
        default=None, ge=1, description="Most pods at once; default: no pod count quota."
    )


class K8sEksPodIdentityConfig(BaseModel):
    """The workload service account acts as an IAM role through EKS Pod Identity."""

    model_config = CAMEL
    kind: Literal["eks-pod-identity"] = Field(description="EKS Pod Identity.")
    cluster_name: str = Field(description="The EKS cluster.")
    role_arn: str = Field(description="The IAM role the pods act as.")


class K8sGkeWorkloadIdentityConfig(BaseModel):
    """The workload service account acts as a Google service account through GKE Workload Identity."""

    model_config = CAMEL
    kind: Literal["gke-workload-identity"] = Field(description="GKE Workload Identity.")
    service_account: str = Field(description="`serviceAccount:<email>` the pods act as.")
    cluster_project: str = Field(description="The cluster's project (its workload identity pool).")


class K8sServiceAccountConfig(BaseModel):
    """The namespace's workload service account (the inference service runs as it)."""

    model_config = CAMEL
    name: str = Field(default="workload", description="Service account name.")
    identity: (
        Annotated[K8sEksPodIdentityConfig | K8sGkeWorkloadIdentityConfig, Field(discriminator="kind")] | None
    ) = Field(default=None, description="Its cloud identity; default: none (no cloud credentials).")


class K8sNamespaceConfig(BaseModel):
    """The stack's ``GpuWorkloadNamespace``."""

    model_config = CAMEL
    name: str = Field(description="Namespace name (RFC 1123 label; not a system namespace).")
    quota: K8sQuotaConfig = Field(description="The namespace's compute quota (GPUs, CPU, memory).")
    service_account: K8sServiceAccountConfig = Field(
        default_factory=K8sServiceAccountConfig, description="The workload service account."
    )


class K8sPeerConfig(BaseModel):
    """Pods allowed to call the service: by namespace and/or labels."""

    model_config = CAMEL
    namespace: str | None = Field(default=None, description="Their namespace (by name).")
    namespace_labels: dict[str, str] = Field(
        default_factory=dict, description="Or: labels of their namespaces."
    )
    pod_labels: dict[str, str] = Field(default_factory=dict, description="Labels of the pods.")


class K8sScratchConfig(BaseModel):
    """A writable emptyDir (the root filesystem is read-only)."""

    model_config = CAMEL
    mount_path: str = Field(description="Where it is mounted, e.g. `/cache`.")
    size_limit: str = Field(default="1Gi", description="Size limit.")
    memory: bool = Field(default=False, description="Memory-backed (`/dev/shm`).")


class K8sResourcesConfig(BaseModel):
    """CPU and memory of the server container (GPUs are `gpus`)."""

    model_config = CAMEL
    cpu_request: str = Field(default="2", description="`requests.cpu`.")
    cpu_limit: str = Field(default="4", description="`limits.cpu`.")
    memory_request: str = Field(default="16Gi", description="`requests.memory`.")
    memory_limit: str = Field(default="16Gi", description="`limits.memory`.")


class K8sInferenceServiceConfig(BaseModel):
    """The stack's ``InferenceService``: a restricted model server in the namespace, callable by `access` only."""

    model_config = CAMEL
    name: str = Field(description="Deployment and Service name.")
    image: Image = Field(description="Server image, pinned by digest (the model baked in, or mounted).")
    container_args: list[str] = Field(default_factory=list, description="Arguments of the server.")
    port: int = Field(default=8080, ge=1, le=65535, description="Port the server listens on.")
    replicas: int = Field(default=2, ge=1, le=100, description="Pods.")
    gpus: int = Field(default=1, ge=0, le=16, description="GPUs per pod.")
    node_selector: dict[str, str] = Field(
        default_factory=dict,
        description="Node labels of the GPU nodes, e.g. `cloud.google.com/gke-accelerator`.",
    )
    resources: K8sResourcesConfig = Field(
        default_factory=K8sResourcesConfig, description="CPU and memory of the server container."
    )
    env: dict[str, str] = Field(default_factory=dict, description="Plain environment variables (no secrets).")
    secret_env: dict[str, K8sSecretEnvConfig] = Field(
        default_factory=dict,
        description="Environment variables from a Kubernetes Secret synced by `aiwarden:externalSecrets` "
        "(`{secret, key}`).",
    )
    scratch: dict[Name, K8sScratchConfig] = Field(
        default_factory=dict, description="Writable scratch volumes."
    )
    access: dict[Name, Grant[K8sPeerConfig, Literal["invoke"]]] = Field(
        min_length=1, description="Who may call it, by name: pods (`invoke`); every other caller is denied."
    )


class K8sExternalSecretConfig(BaseModel):
    """An ``ExternalSecret``: a cloud secret synced into a Kubernetes Secret of the namespace (never its value)."""

    model_config = CAMEL
    target_secret: str = Field(description="The Kubernetes Secret written in the namespace.")
    store: K8sStoreConfig = Field(
        description="`{name, kind}` of the SecretStore / ClusterSecretStore it reads through."
    )
    data: dict[str, K8sRemoteSecretConfig] = Field(
        min_length=1, description="Keys of the Secret, each from a cloud secret `{key, version?, property?}`."
    )
    refresh_interval: str = Field(default="1h", description="How often the operator syncs it.")
