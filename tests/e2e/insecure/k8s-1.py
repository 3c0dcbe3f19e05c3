"""K8S-1: the model server pod runs with the default security context: as the image's user (often root),
privilege escalation allowed, default capabilities kept, writable root filesystem, no resource limits, and
the default service account's API token mounted."""

import pulumi_kubernetes as k8s

LABELS = {
    "aiwarden.io/owner": "ml-platform",
    "aiwarden.io/environment": "production",
    "aiwarden.io/data-classification": "confidential",
    "aiwarden.io/purpose": "inference",
}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/model-server@sha256:" + "a" * 64

k8s.apps.v1.Deployment(
    "model-server",
    metadata={"namespace": "inference", "labels": LABELS},
    spec={
        "selector": {"matchLabels": {"app": "model-server"}},
        "template": {
            "metadata": {"labels": {"app": "model-server"}},
            "spec": {"containers": [{"name": "server", "image": IMAGE, "ports": [{"containerPort": 8080}]}]},
        },
    },
)
