"""GPU-5: a training Job requests GPUs in a namespace that has no ResourceQuota on
`requests.nvidia.com/gpu`: one team can take every GPU of the cluster."""

import pulumi_kubernetes as k8s

LABELS = {
    "aiwarden.io/owner": "ml-platform",
    "aiwarden.io/environment": "production",
    "aiwarden.io/data-classification": "confidential",
    "aiwarden.io/purpose": "training",
}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/train@sha256:" + "a" * 64

ns = k8s.core.v1.Namespace("training", metadata={"labels": LABELS})
k8s.batch.v1.Job(
    "fine-tune",
    metadata={"namespace": ns.metadata.name, "labels": LABELS},
    spec={
        "template": {
            "spec": {
                "restartPolicy": "Never",
                "containers": [
                    {"name": "train", "image": IMAGE, "resources": {"limits": {"nvidia.com/gpu": "8"}}}
                ],
            }
        }
    },
)
