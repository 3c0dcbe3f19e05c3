"""Inference images: immutable tags, CMEK, scanning, cleanup; Docker Hub and PyPI through Artifact Registry."""

from components._common import Grant, Ownership, export_inventory
from components.gcp import ContainerRegistry, ContainerRegistryArgs, RemoteRepository

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
registry = ContainerRegistry(
    "inference-images",
    ContainerRegistryArgs(
        ownership=ownership,
        location="us-central1",
        repository_id="inference",
        remotes={
            "dockerhub": RemoteRepository(upstream="docker-hub"),
            "pypi": RemoteRepository(upstream="pypi"),
        },
        access={
            "gke-nodes": Grant(
                principal="serviceAccount:gke-inference-nodes@aiwarden-offline.iam.gserviceaccount.com",
                role="read",
            ),
            "ci": Grant(
                principal="serviceAccount:image-builder@aiwarden-offline.iam.gserviceaccount.com",
                role="write",
            ),
        },
    ),
)
export_inventory()
