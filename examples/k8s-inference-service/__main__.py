"""A vLLM server for the RAG assistant on GKE: one L4 GPU per pod in a capped, default-deny namespace, the model
baked into an image pinned by digest, the server's API key synced from Secret Manager, reachable only by the
RAG API's pods."""

import pulumi

from components._common import Grant, Ownership, export_inventory
from components.k8s import (
    ComputeQuota,
    ExternalSecret,
    ExternalSecretArgs,
    GkeWorkloadIdentity,
    GpuWorkloadNamespace,
    GpuWorkloadNamespaceArgs,
    InferenceService,
    InferenceServiceArgs,
    PodPeer,
    RemoteSecret,
    Scratch,
    SecretEnv,
    StoreRef,
    WorkloadServiceAccount,
)

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="rag-assistant"
)
namespace = GpuWorkloadNamespace(
    "rag-serving",
    GpuWorkloadNamespaceArgs(
        ownership=ownership,
        namespace="rag-serving",
        quota=ComputeQuota(gpus=4, requests_cpu="32", requests_memory="256Gi"),
        service_account=WorkloadServiceAccount(
            name="vllm",
            identity=GkeWorkloadIdentity(
                service_account="serviceAccount:rag-serving@aiwarden-offline.iam.gserviceaccount.com",
                cluster_project="aiwarden-offline",
            ),
        ),
    ),
)
api_key = ExternalSecret(
    "vllm-api-key",
    ExternalSecretArgs(
        ownership=ownership,
        namespace="rag-serving",
        target_secret="vllm-api-key",
        store=StoreRef(name="gcp-secret-manager", kind="ClusterSecretStore"),
        data={"VLLM_API_KEY": RemoteSecret(key="rag-vllm-api-key")},
    ),
    opts=pulumi.ResourceOptions(depends_on=[namespace]),  # the namespace exists first
)
vllm = InferenceService(
    "vllm",
    InferenceServiceArgs(
        ownership=ownership,
        namespace=namespace.name,  # an Output: the namespace exists first
        name="vllm",
        image="us-docker.pkg.dev/aiwarden-offline/serving/vllm-llama-3-1-8b:2025-06@sha256:"
        "4f1c7d0b9e8a6c5d3b2a19f0e8d7c6b5a4938271605f4e3d2c1b0a9f8e7d6c5b",
        container_args=("--model", "/models/llama-3.1-8b-instruct", "--port", "8000"),
        port=8000,
        replicas=2,
        gpus=1,
        node_selector={"cloud.google.com/gke-accelerator": "nvidia-l4"},
        service_account=namespace.service_account_name,
        env={"HF_HUB_OFFLINE": "1", "XDG_CACHE_HOME": "/cache"},
        secret_env={"VLLM_API_KEY": SecretEnv(secret="vllm-api-key", key="VLLM_API_KEY")},
        scratch={
            "cache": Scratch(mount_path="/cache", size_limit="10Gi"),
            "shm": Scratch(mount_path="/dev/shm", size_limit="8Gi", memory=True),
        },
        access={
            "rag-api": Grant(
                principal=PodPeer(namespace="rag-api", pod_labels={"app.kubernetes.io/name": "rag-api"}),
                role="invoke",
            )
        },
    ),
)
export_inventory()
