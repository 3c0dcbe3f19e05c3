"""SUP-2: the inference Deployment pulls `vllm/vllm-openai:latest` from Docker Hub: an unapproved registry
and a mutable tag, so what runs in production can change without a deploy."""

import pulumi_kubernetes as k8s

LABELS = {
    "aiwarden.io/owner": "ml-platform",
    "aiwarden.io/environment": "production",
    "aiwarden.io/data-classification": "confidential",
    "aiwarden.io/purpose": "inference",
}

k8s.apps.v1.Deployment(
    "llm-server",
    metadata={"namespace": "inference", "labels": LABELS},
    spec={
        "selector": {"matchLabels": {"app": "llm-server"}},
        "template": {
            "metadata": {"labels": {"app": "llm-server"}},
            "spec": {"containers": [{"name": "vllm", "image": "vllm/vllm-openai:latest"}]},
        },
    },
)
