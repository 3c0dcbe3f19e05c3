"""Container image references (SUP-2): approved registries, digests.

Used by the SageMaker model, Vertex AI and Kubernetes pod-template policies of SUP-2, so that each
reads ``approvedRegistries`` and parses an image reference the same way.

``approvedRegistries`` holds glob patterns (``fnmatch``, case-insensitive). A pattern without "/"
matches the registry host (``*.dkr.ecr.*.amazonaws.com``); a pattern with "/" matches
``host/repository`` (``us-docker.pkg.dev/my-project/*``), to approve one project or path only. The
host of a reference without a registry part ("pytorch/pytorch:2.3") is Docker Hub, ``docker.io``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import Any

DEFAULT_REGISTRIES: tuple[str, ...] = ("*.dkr.ecr.*.amazonaws.com", "*-docker.pkg.dev", "gcr.io")
APPROVED = "approvedRegistries"
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
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
DOCKER_HUB = "docker.io"


def split(image: str) -> tuple[str, str, str | None, str | None]:
    """(registry host, repository path, tag or None, digest or None) of an image reference."""
    name, _, digest = image.strip().partition("@")
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        host, path = first.lower(), rest
    else:
        host, path = DOCKER_HUB, name
    repo, colon, tag = path.rpartition(":") if ":" in path.rsplit("/", 1)[-1] else (path, "", "")
    return host, repo, (tag if colon else None), (digest or None)


def approved(host: str, repository: str, patterns: Iterable[str]) -> bool:
    for pattern in patterns:
        target = f"{host}/{repository}" if "/" in pattern else host
        if fnmatchcase(target.lower(), pattern.lower()):
            return True
    return False


def image_problem(image: str, config: Mapping[str, Any]) -> str | None:
    """Why ``image`` breaks SUP-2 (unapproved registry, not pinned by digest), or None."""
    patterns = list(config.get(APPROVED, DEFAULT_REGISTRIES))
    host, repository, tag, digest = split(image)
    problems = []
    if not approved(host, repository, patterns):
        problems.append(f"comes from registry {host!r}, which is not in {APPROVED} {patterns}")
    if digest is None or not _DIGEST.match(digest):
        found = (
            f"digest {digest!r} is not sha256:<64 hex>"
            if digest
            else ("no tag (resolves to the mutable 'latest')" if tag is None else f"mutable tag {tag!r}")
        )
        problems.append(f"is not pinned by digest ({found}); it must end in @sha256:<64 hex>")
    return f"image {image!r} {' and '.join(problems)}" if problems else None
