"""DATA-4: every S3 bucket disables ACLs (object ownership BucketOwnerEnforced)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, get, stack_policy
from aiwarden_policies.lib.s3 import BUCKETS, OWNERSHIP, Buckets, kind

ENFORCED = "BucketOwnerEnforced"

SPEC = Spec(
    control="DATA-4",
    name="data-4-s3-bucket-owner-enforced",
    description=(
        "Every S3 bucket has a BucketOwnershipControls with rule.objectOwnership `BucketOwnerEnforced` (ACLs "
        "disabled). Without one the setting is not pinned in code: new buckets start BucketOwnerEnforced, but "
        "imported or older buckets keep ACLs and nothing stops them from being re-enabled."
    ),
    remediation_steps=(
        "Add `aws.s3.BucketOwnershipControls(bucket=bucket.id, rule={'object_ownership': 'BucketOwnerEnforced'})`"
        " and grant access with IAM and bucket policies only (remove BucketAcl resources and inline `acl`/`grants`)."
    ),
    resource_types=BUCKETS + OWNERSHIP,
    security_hub=("S3.12",),
)


@stack_policy(SPEC)
def data_4_s3_bucket_owner_enforced(stack: Stack) -> Iterable[tuple[str, str | None]]:
    buckets = Buckets(stack, *OWNERSHIP)

    def decide(bucket: Any) -> Iterator[str]:
        if not buckets.has_companion(bucket):
            yield (
                f"{bucket.resource_type} {bucket.name!r} has no {kind(OWNERSHIP)}; add one with rule.objectOwnership "
                f"{ENFORCED!r}."
            )
            return
        owners = Readings(buckets.companions(bucket), lambda c: get(c.props, "rule.objectOwnership"))
        for control, ownership in owners.known:
            if ownership != ENFORCED:
                yield (
                    f"{bucket.resource_type} {bucket.name!r}: {control.resource_type.rsplit(':', 1)[1]} "
                    f"{control.name!r} sets rule.objectOwnership {ownership!r}; must be {ENFORCED!r}."
                )
        owners.require()

    yield from stack.each(buckets.buckets, decide)
