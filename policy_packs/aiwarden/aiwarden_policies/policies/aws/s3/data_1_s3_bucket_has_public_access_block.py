"""DATA-1: every S3 bucket of the stack has a public access block of its own."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.s3 import BUCKETS, PUBLIC_ACCESS_BLOCK, Buckets, kind

SPEC = Spec(
    control="DATA-1",
    name="data-1-s3-bucket-has-public-access-block",
    description=(
        "Every S3 bucket (aws:s3/bucket:Bucket, deprecated BucketV2) has a BucketPublicAccessBlock whose `bucket` "
        "is that bucket. Without one, the bucket's public access settings are all false (S3 default); the four "
        "settings themselves are checked by data-1-s3-public-access-block-all-true."
    ),
    remediation_steps=(
        "Add `aws.s3.BucketPublicAccessBlock(f'{name}-public-access', bucket=bucket.id, block_public_acls=True, "
        "block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)` for each bucket, or "
        "create the bucket with the LockedBucket component."
    ),
    resource_types=BUCKETS + PUBLIC_ACCESS_BLOCK,
    security_hub=("S3.8",),
)


@stack_policy(SPEC)
def data_1_s3_bucket_has_public_access_block(stack: Stack) -> Iterable[tuple[str, str | None]]:
    buckets = Buckets(stack, *PUBLIC_ACCESS_BLOCK)

    def decide(bucket: Any) -> Iterator[str]:
        if not buckets.has_companion(bucket):
            yield (
                f"{bucket.resource_type} {bucket.name!r} has no {kind(PUBLIC_ACCESS_BLOCK)} (S3 default: all four "
                "public access settings false); add one with all four settings true."
            )

    yield from stack.each(buckets.buckets, decide)
