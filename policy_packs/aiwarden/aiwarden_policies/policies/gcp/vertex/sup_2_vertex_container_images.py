"""SUP-2: Vertex AI custom containers run approved images pinned by digest.

pulumi-gcp 10 has no Vertex model resource with a container image; the Vertex resources that run a
custom container are ``AiEndpointWithModelGardenDeployment`` (``modelConfig.containerSpec.imageUri``;
absent: Model Garden's own serving image, out of scope) and ``AiReasoningEngine``
(``spec.containerSpec.imageUri``; absent: a source/package deployment, out of scope).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.images import APPROVED, CONFIG, image_problem

IMAGE_PATHS: dict[str, str] = {
    "gcp:vertex/aiEndpointWithModelGardenDeployment:AiEndpointWithModelGardenDeployment": "modelConfig.containerSpec.imageUri",
    "gcp:vertex/aiReasoningEngine:AiReasoningEngine": "spec.containerSpec.imageUri",
}

SPEC = Spec(
    control="SUP-2",
    name="sup-2-vertex-container-images",
    description=(
        f"Vertex AI Model Garden deployments and reasoning engines with a custom container use an image from the "
        f"stack's {APPROVED}, pinned by digest (imageUri ending in @sha256:<64 hex>)."
    ),
    remediation_steps=(
        "Push the image to the platform's Artifact Registry Docker repository (immutable tags, scanning on) and "
        "reference it by digest: `<region>-docker.pkg.dev/<project>/<repo>/<image>@sha256:<digest>`."
    ),
    resource_types=tuple(IMAGE_PATHS),
    config=CONFIG,
)


@resource_policy(SPEC)
def sup_2_vertex_container_images(r: Resource) -> Iterable[str]:
    where = IMAGE_PATHS[r.type]
    image = r.get(where)
    problem = image_problem(str(image), r.config) if image else None
    if problem:
        yield f"Vertex AI {r.type.rsplit(':', 1)[-1]} {r.name!r}: {where} {problem}."
