"""SUP-1: ECR repositories keep tags immutable and encrypt with KMS.

Absent values are AWS's defaults: ``imageTagMutability`` MUTABLE and ``encryptionConfigurations``
AES256, both violations. ``IMMUTABLE_WITH_EXCLUSION`` leaves the excluded tags movable, so only
``IMMUTABLE`` passes (exempt the repository with a justification otherwise).

Remediation (REMEDIATE mode) turns on ``imageScanningConfiguration.scanOnPush``, the one SUP-1 fix
that is safe in place: changing tag mutability can break pipelines that move tags, and changing
encryption replaces the repository. Scanning itself is checked by sup-1-ecr-image-scanning, a stack
policy (it must see the registry scanning configuration), which cannot remediate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiwarden_policies.framework import Resource, Spec, resource_policy

SPEC = Spec(
    control="SUP-1",
    name="sup-1-ecr-repository-settings",
    description=(
        "ECR repositories set imageTagMutability = IMMUTABLE and encryptionConfigurations[].encryptionType = KMS; "
        "in REMEDIATE mode the policy also turns on imageScanningConfiguration.scanOnPush in place."
    ),
    remediation_steps=(
        'Set `image_tag_mutability="IMMUTABLE"` (push new tags or use digests instead of moving tags) and '
        '`encryption_configurations=[aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS", '
        "kms_key=<CMK ARN>)]` (changing encryption replaces the repository: migrate images first)."
    ),
    resource_types=("aws:ecr/repository:Repository",),
    security_hub=("ECR.2",),
)


def remediate(r: Resource) -> Mapping[str, Any] | None:
    if r.get("imageScanningConfiguration.scanOnPush") is True:
        return None
    return r.updated_at("imageScanningConfiguration", {"scanOnPush": True})


@resource_policy(SPEC, remediate=remediate)
def sup_1_ecr_repository_settings(r: Resource) -> Iterable[str]:
    mutability = r.get("imageTagMutability")
    if mutability is None:
        yield (
            f"ECR repository {r.name!r}: imageTagMutability is not set (AWS default: MUTABLE); it must be "
            "IMMUTABLE."
        )
    elif str(mutability) != "IMMUTABLE":
        yield f"ECR repository {r.name!r}: imageTagMutability is {mutability!r}; it must be IMMUTABLE."
    encryption = list(r.get("encryptionConfigurations") or [])
    if not encryption:
        yield (
            f"ECR repository {r.name!r}: encryptionConfigurations is not set (AWS default: AES256); "
            "encryptionType must be KMS."
        )
    for i, config in enumerate(encryption):
        kind = config.get("encryptionType")
        if not str(kind or "").upper().startswith("KMS"):
            found = "is not set (AWS default: AES256)" if kind is None else f"is {kind!r}"
            yield f"ECR repository {r.name!r}: encryptionConfigurations[{i}].encryptionType {found}; it must be KMS."
