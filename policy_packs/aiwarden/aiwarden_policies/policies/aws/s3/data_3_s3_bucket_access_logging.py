"""DATA-3: every S3 bucket records access (server access logs or CloudTrail S3 data events)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.cloudtrail import READ, TRAIL, s3_data_events
from aiwarden_policies.lib.s3 import BUCKETS, LOGGING, Buckets, blocks, kind

SPEC = Spec(
    control="DATA-3",
    name="data-3-s3-bucket-access-logging",
    description=(
        "Every S3 bucket records access: a BucketLogging for it (or, without one, the deprecated inline "
        "`logging.targetBucket`), or an enabled CloudTrail trail of the stack whose event selectors record "
        "S3 object reads (`eventSelectors[].dataResources[]` of type AWS::S3::Object on all buckets or "
        "`arn:aws:s3:::<bucket>/`, not WriteOnly; or `advancedEventSelectors` with resources.type "
        "AWS::S3::Object whose resources.ARN conditions include the bucket). S3 default: no access record."
    ),
    remediation_steps=(
        "Add `aws.s3.BucketLogging(bucket=bucket.id, target_bucket=log_bucket.id, target_prefix=f'{name}/')` to "
        "a separate, locked log bucket, or record S3 data events for the bucket in the platform CloudTrail trail."
    ),
    resource_types=BUCKETS + LOGGING + (TRAIL,),
    security_hub=("S3.9",),
)


def _trail_covers(trail: Any, name: str) -> bool:
    if trail.props.get("enableLogging") is False:  # absent: true
        return False
    return READ in s3_data_events(trail, name)


@stack_policy(SPEC)
def data_3_s3_bucket_access_logging(stack: Stack) -> Iterable[tuple[str, str | None]]:
    buckets = Buckets(stack, *LOGGING)
    trails = stack.of_type(TRAIL)

    def decide(bucket: Any) -> Iterator[str]:
        if buckets.has_companion(bucket) or any(
            block.get("targetBucket") for block in blocks(bucket.props, "logging")
        ):
            return
        name = str(bucket.props.get("bucket") or "")
        if Readings(trails, lambda trail: _trail_covers(trail, name)).any():
            return
        yield (
            f"{bucket.resource_type} {bucket.name!r} has no {kind(LOGGING)} and no enabled CloudTrail trail of "
            "the stack records its S3 object reads (S3 default: no access record); add server access logging "
            "or S3 data events."
        )

    yield from stack.each(buckets.buckets, decide)
