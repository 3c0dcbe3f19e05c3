"""Container image references (SUP-2): approved registries, digests.

Used by the SageMaker model, Vertex AI and Kubernetes pod-template policies of SUP-2, so that each
reads ``approvedRegistries`` and reports an image reference the same way. Parsing and matching are the
contract's (``aiwarden_policies.contract.images``), shared with the components' ``ImageRef``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiwarden_policies.contract.images import APPROVED, DEFAULT_REGISTRIES, DIGEST, approved, split

CONFIG: dict[str, dict[str, Any]] = {
    APPROVED: {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "default": list(DEFAULT_REGISTRIES),
        "description": (
            "Registries workload images may come from: glob patterns over the registry host, or over "
            "host/repository when the pattern contains '/'. Default: any private ECR registry, any Artifact "
            "Registry Docker host, gcr.io."
        ),
    },
}


def image_problem(image: str, config: Mapping[str, Any]) -> str | None:
    """Why ``image`` breaks SUP-2 (unapproved registry, not pinned by digest), or None."""
    patterns = list(config.get(APPROVED, DEFAULT_REGISTRIES))
    host, repository, tag, digest = split(image)
    problems = []
    if not approved(host, repository, patterns):
        problems.append(f"comes from registry {host!r}, which is not in {APPROVED} {patterns}")
    if digest is None or not DIGEST.match(digest):
        found = (
            f"digest {digest!r} is not sha256:<64 hex>"
            if digest
            else ("no tag (resolves to the mutable 'latest')" if tag is None else f"mutable tag {tag!r}")
        )
        problems.append(f"is not pinned by digest ({found}); it must end in @sha256:<64 hex>")
    return f"image {image!r} {' and '.join(problems)}" if problems else None
