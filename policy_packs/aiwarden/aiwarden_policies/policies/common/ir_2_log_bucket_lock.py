"""IR-2: buckets that receive audit and access logs keep them: object lock (S3) or retention policy (GCS).

Decisions:
- Log buckets: targets of S3 access logging, CloudTrail, GCS bucket logging and Cloud Logging
  sinks that are resources of the stack (``lib.log_buckets``).
- S3: object lock is on when the bucket has ``objectLockEnabled`` true (absent: false), the
  deprecated inline ``objectLockConfiguration.objectLockEnabled`` Enabled, or a
  ``BucketObjectLockConfiguration`` targets it. Object lock also forces versioning on for good, so
  a delete leaves the previous versions behind; a default retention in the lock configuration
  (recommended for CloudTrail buckets) makes every log object immutable. A lifecycle rule does not
  count: it deletes evidence on a schedule, it never stops a deletion.
- GCS: a ``retentionPolicy`` with ``retentionPeriod`` > 0 (absent: none; objects can be deleted at
  once). Locking it (``isLocked``) is irreversible and left to the owner.
- Log groups are not checked here: an absent ``retentionInDays`` never expires, and a retention
  shorter than the evidence period is LOG-2's finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pulumi_policy import PolicyResource

from aiwarden_policies.framework import Spec, Stack, get, stack_policy
from aiwarden_policies.lib.log_buckets import BUCKET_TYPES, GCS_BUCKET, log_buckets
from aiwarden_policies.lib.s3 import Buckets, blocks

OBJECT_LOCK = (
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
)

SPEC = Spec(
    control="IR-2",
    name="ir-2-log-bucket-lock",
    description=(
        "Buckets that receive CloudTrail, S3 access, GCS access or Cloud Logging sink logs cannot lose them: "
        "S3 object lock (objectLockEnabled or a BucketObjectLockConfiguration), GCS retention policy."
    ),
    remediation_steps=(
        "S3: create the log bucket with `object_lock_enabled=True` and add `aws.s3.BucketObjectLockConfiguration"
        "(..., bucket=logs.id, rule=...RuleArgs(default_retention=...DefaultRetentionArgs(mode='GOVERNANCE', "
        "days=365)))` (or use the LockedBucket component's log bucket). GCS: `retention_policy="
        "BucketRetentionPolicyArgs(retention_period='31536000')` on the log bucket, locked once the period is agreed."
    ),
    resource_types=("aws:s3/bucket:Bucket", GCS_BUCKET, *OBJECT_LOCK),
)


def _retention_seconds(bucket: PolicyResource) -> float:
    try:
        return float(str(get(bucket.props, "retentionPolicy.retentionPeriod") or 0))
    except ValueError:
        return 0.0


def _aws_locked(bucket: PolicyResource, buckets: Buckets) -> bool:
    if bucket.props.get("objectLockEnabled") is True:
        return True
    if any(
        block.get("objectLockEnabled") == "Enabled"
        for block in blocks(bucket.props, "objectLockConfiguration")
    ):
        return True
    return buckets.has_companion(bucket, *OBJECT_LOCK)


@stack_policy(SPEC)
def ir_2_log_bucket_lock(stack: Stack) -> Iterable[tuple[str, str | None]]:
    logs = log_buckets(stack)
    if not logs.targets and not logs.unresolved:
        return
    buckets = Buckets(stack, *OBJECT_LOCK)
    # A source whose bucket is unknown at preview may log to any bucket: every bucket is then a candidate.
    candidates = (
        stack.of_type(*BUCKET_TYPES) if logs.unresolved else [t.bucket for t in logs.targets.values()]
    )

    def decide(bucket: PolicyResource) -> Iterator[str]:
        gcs = bucket.resource_type == GCS_BUCKET
        if (_retention_seconds(bucket) > 0) if gcs else _aws_locked(bucket, buckets):
            return
        logs.receives(bucket)  # Unknown when it is not known to receive logs and may
        target = logs.targets.get(bucket.urn)
        if target is None:
            return
        sources = ", ".join(
            sorted({f"{s.resource_type.rsplit(':', 1)[1]} {s.name!r}" for s in target.sources})
        )
        if gcs:
            yield (
                f"{bucket.resource_type} {bucket.name!r} receives logs from {sources} but has no "
                "retentionPolicy.retentionPeriod (default: none, objects can be deleted at once)."
            )
        else:
            yield (
                f"{bucket.resource_type} {bucket.name!r} receives logs from {sources} but has no object lock "
                "(objectLockEnabled absent: false; no BucketObjectLockConfiguration): whoever may delete objects "
                "can erase the evidence."
            )

    yield from stack.each(candidates, decide)
