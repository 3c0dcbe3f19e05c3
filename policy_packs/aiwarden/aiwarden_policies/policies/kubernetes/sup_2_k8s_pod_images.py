"""SUP-2: Kubernetes pod templates run approved images pinned by digest.

Every container, init container and ephemeral container of Pod, Deployment, StatefulSet, DaemonSet,
ReplicaSet, Job and CronJob templates (``lib.pods``) is checked.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.images import APPROVED, CONFIG, image_problem
from aiwarden_policies.lib.pods import POD_TYPES, containers, pod_spec

SPEC = Spec(
    control="SUP-2",
    name="sup-2-k8s-pod-images",
    description=(
        f"Kubernetes pod templates run container images from the stack's {APPROVED}, pinned by digest "
        "(image ending in @sha256:<64 hex>), never a mutable tag such as latest."
    ),
    remediation_steps=(
        "Mirror the image into the platform registry (ECR / Artifact Registry) and reference it by digest: "
        "`<registry>/<repo>@sha256:<digest>`; let a CI step resolve tags to digests."
    ),
    resource_types=POD_TYPES,
    config=CONFIG,
)


@resource_policy(SPEC)
def sup_2_k8s_pod_images(r: Resource) -> Iterable[str]:
    kind = r.type.rsplit(":", 1)[-1]
    for container_kind, container in containers(pod_spec(r.type, r.props) or {}):
        image = container.get("image")
        problem = image_problem(str(image), r.config) if image else None
        if problem:
            yield f"{kind} {r.name!r}: {container_kind} {container.get('name')!r} {problem}."
