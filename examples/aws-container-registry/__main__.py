"""The fraud scorer's images: CI pushes, the inference nodes pull, nothing else does; public base images come
through a pull-through cache of the ECR Public Gallery, so no workload pulls from the internet."""

import pulumi

from components._common import Grant, Ownership, export_inventory
from components.aws import ContainerRegistry, ContainerRegistryArgs, PullThroughCache

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
registry = ContainerRegistry(
    "scorer",
    ContainerRegistryArgs(
        ownership=ownership,
        repository_name="fraud/scorer",
        access={
            "ci": Grant(principal="arn:aws:iam::123456789012:role/fraud-ci", role="write"),
            "inference": Grant(principal="arn:aws:iam::123456789012:role/fraud-inference-nodes", role="read"),
        },
        pull_through_cache=PullThroughCache(
            upstream_registry_url="public.ecr.aws", repository_prefix="ecr-public"
        ),
    ),
)
pulumi.export("repositoryUrl", registry.repository.repository_url)
export_inventory()
