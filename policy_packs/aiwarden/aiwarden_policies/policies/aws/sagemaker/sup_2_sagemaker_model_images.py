"""SUP-2: SageMaker model containers run approved images pinned by digest.

Checks ``primaryContainer.image`` and every ``containers[].image``; a container without ``image``
(a ``modelPackageName`` from the model registry) is out of scope.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.images import APPROVED, CONFIG, image_problem

SPEC = Spec(
    control="SUP-2",
    name="sup-2-sagemaker-model-images",
    description=(
        f"SageMaker models run container images from the stack's {APPROVED} and pinned by digest "
        "(primaryContainer.image / containers[].image ending in @sha256:<64 hex>)."
    ),
    remediation_steps=(
        "Push the image to the platform's ECR repository (scan on push, immutable tags) and reference it by "
        "digest: `<account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<digest>` (e.g. from "
        "`aws.ecr.get_image(...).image_digest`)."
    ),
    resource_types=("aws:sagemaker/model:Model",),
    config=CONFIG,
)


@resource_policy(SPEC)
def sup_2_sagemaker_model_images(r: Resource) -> Iterable[str]:
    found = [("primaryContainer.image", r.get("primaryContainer.image"))]
    found += [(f"containers[{i}].image", c.get("image")) for i, c in enumerate(r.get("containers") or [])]
    for where, image in found:
        problem = image_problem(str(image), r.config) if image else None
        if problem:
            yield f"SageMaker model {r.name!r}: {where} {problem}."
