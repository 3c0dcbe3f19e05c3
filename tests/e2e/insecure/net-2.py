"""NET-2: the inference namespace is created with ownership labels only: no default-deny NetworkPolicy and
no restricted Pod Security enforcement, so every pod can talk to everything and run privileged."""

import pulumi_kubernetes as k8s

LABELS = {
    "aiwarden.io/owner": "ml-platform",
    "aiwarden.io/environment": "production",
    "aiwarden.io/data-classification": "confidential",
    "aiwarden.io/purpose": "inference",
}

k8s.core.v1.Namespace("inference", metadata={"name": "inference", "labels": LABELS})
