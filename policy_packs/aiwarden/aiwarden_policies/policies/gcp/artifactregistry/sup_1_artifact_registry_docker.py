"""SUP-1: Artifact Registry Docker repositories use CMEK, immutable tags and vulnerability scanning.

Applies to repositories with ``format`` DOCKER. Absent values are Google's defaults: ``kmsKeyName``
unset (Google-managed key: violation); ``dockerConfig.immutableTags`` false (violation; checked for
standard repositories only — remote and virtual repositories have no tags of their own);
``vulnerabilityScanningConfig.enablementConfig`` INHERITED (scanning follows the project's Container
Scanning API: passes), only DISABLED is a violation.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

SPEC = Spec(
    control="SUP-1",
    name="sup-1-artifact-registry-docker",
    description=(
        "Artifact Registry DOCKER repositories set kmsKeyName (CMEK), dockerConfig.immutableTags = true (standard "
        "repositories) and do not set vulnerabilityScanningConfig.enablementConfig = DISABLED."
    ),
    remediation_steps=(
        "Create the repository with `kms_key_name=<Cloud KMS key>` (set at creation only), "
        "`docker_config=gcp.artifactregistry.RepositoryDockerConfigArgs(immutable_tags=True)` and leave "
        "vulnerability scanning INHERITED with the containerscanning.googleapis.com API enabled."
    ),
    resource_types=("gcp:artifactregistry/repository:Repository",),
)


@resource_policy(SPEC)
def sup_1_artifact_registry_docker(r: Resource) -> Iterable[str]:
    if str(r.get("format") or "").upper() != "DOCKER":
        return
    label = f"Artifact Registry repository {r.name!r}"
    if not r.get("kmsKeyName"):
        yield f"{label}: kmsKeyName is not set (Google default: Google-managed key); it must name a Cloud KMS key."
    if str(r.get("mode") or "STANDARD_REPOSITORY") == "STANDARD_REPOSITORY":
        immutable = r.get("dockerConfig.immutableTags")
        if immutable is not True:
            found = "is not set (Google default: false)" if immutable is None else f"is {immutable!r}"
            yield f"{label}: dockerConfig.immutableTags {found}; it must be true."
    scanning = r.get("vulnerabilityScanningConfig.enablementConfig")
    if str(scanning).upper() == "DISABLED":
        yield (
            f"{label}: vulnerabilityScanningConfig.enablementConfig is {scanning!r}; it must be INHERITED "
            "(scanning on)."
        )
