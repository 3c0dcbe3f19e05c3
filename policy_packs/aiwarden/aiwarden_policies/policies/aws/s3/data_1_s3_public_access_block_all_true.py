"""DATA-1: every S3 public access block turns on all four settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.s3 import PUBLIC_ACCESS_BLOCK

#: The four settings; each defaults to false when not set (AWS and the provider).
SETTINGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")

SPEC = Spec(
    control="DATA-1",
    name="data-1-s3-public-access-block-all-true",
    description=(
        "An S3 BucketPublicAccessBlock sets blockPublicAcls, blockPublicPolicy, ignorePublicAcls and "
        "restrictPublicBuckets to true (each defaults to false when not set)."
    ),
    remediation_steps=(
        "Set `block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` to "
        "True on the `aws.s3.BucketPublicAccessBlock` (or use the LockedBucket component). In REMEDIATE mode "
        "the pack sets the missing or false settings to true (an in-place update)."
    ),
    resource_types=PUBLIC_ACCESS_BLOCK,
    security_hub=("S3.8",),
)


def remediate(r: Resource) -> dict[str, Any] | None:
    if all(r.get(key) is True for key in SETTINGS):
        return None
    return r.updated(dict.fromkeys(SETTINGS, True))


@resource_policy(SPEC, remediate=remediate)
def data_1_s3_public_access_block_all_true(r: Resource) -> Iterable[str]:
    for key in SETTINGS:
        if not r.has(key):
            yield f"{r.type} {r.name!r}: {key} is not set (AWS default: false); must be true."
        elif r.get(key) is not True:
            yield f"{r.type} {r.name!r}: {key} is {r.get(key)!r}; must be true."
