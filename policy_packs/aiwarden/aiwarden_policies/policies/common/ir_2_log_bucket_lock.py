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
- S3 server access log destinations (buckets whose only log sources are ``BucketLogging`` resources of
  other buckets, ``lib.log_buckets.access_log_destination``): S3 delivers no access logs to a bucket with
  Object Lock (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html), so for
  them, and only for them, the strongest protection S3 allows counts instead: versioning ``Enabled`` (a
  ``BucketVersioning``; an overwrite keeps the previous version) and a ``BucketPolicy`` with an
  unconditional Deny of ``s3:DeleteObject`` and ``s3:DeleteObjectVersion`` to every principal (lifecycle
  expiration is not a request and still expires them).
- GCS: a ``retentionPolicy`` with ``retentionPeriod`` > 0 (absent: none; objects can be deleted at
  once). Locking it (``isLocked``) is irreversible and left to the owner.
- Log groups are not checked here: an absent ``retentionInDays`` never expires, and a retention
  shorter than the evidence period is LOG-2's finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pulumi_policy import PolicyResource

from aiwarden_policies.contract import iam
from aiwarden_policies.framework import Readings, Spec, Stack, get, stack_policy
from aiwarden_policies.lib.log_buckets import BUCKET_TYPES, GCS_BUCKET, access_log_destination, log_buckets
from aiwarden_policies.lib.s3 import LOGGING, OBJECT_LOCK, POLICY, VERSIONING, Buckets, object_locked

SPEC = Spec(
    control="IR-2",
    name="ir-2-log-bucket-lock",
    description=(
        "Buckets that receive CloudTrail, S3 access, GCS access or Cloud Logging sink logs cannot lose them: "
        "S3 object lock (objectLockEnabled or a BucketObjectLockConfiguration), GCS retention policy. A bucket "
        "that only receives S3 server access logs cannot have Object Lock (S3 delivers no logs to it): versioning "
        "Enabled and a bucket policy denying s3:DeleteObject and s3:DeleteObjectVersion to every principal count "
        "instead."
    ),
    remediation_steps=(
        "S3: create the log bucket with `object_lock_enabled=True` and add `aws.s3.BucketObjectLockConfiguration"
        "(..., bucket=logs.id, rule=...RuleArgs(default_retention=...DefaultRetentionArgs(mode='GOVERNANCE', "
        "days=365)))`; an S3 server access log bucket: `aws.s3.BucketVersioning(..., status='Enabled')` and a "
        "bucket policy statement `{'Effect': 'Deny', 'Principal': '*', 'Action': ['s3:DeleteObject', "
        "'s3:DeleteObjectVersion'], 'Resource': f'{arn}/*'}` (or use the LockedBucket component's log bucket). "
        "GCS: `retention_policy="
        "BucketRetentionPolicyArgs(retention_period='31536000')` on the log bucket, locked once the period is agreed."
    ),
    resource_types=("aws:s3/bucket:Bucket", GCS_BUCKET, *OBJECT_LOCK),
)
#: What an access-log bucket policy must deny every principal, unconditionally, in place of Object Lock.
DELETES = ("s3:DeleteObject", "s3:DeleteObjectVersion")


def _retention_seconds(bucket: PolicyResource) -> float:
    try:
        return float(str(get(bucket.props, "retentionPolicy.retentionPeriod") or 0))
    except ValueError:
        return 0.0


def _versioned(config: Any) -> bool:
    if "versioningConfiguration" in config:
        return bool(config.get("versioningConfiguration", {}).get("status") == "Enabled")
    return config.get("enabled") is True  # the deprecated inline block


def _denies_deletes(policy: Any) -> bool:
    """An unconditional Deny of every object delete to every principal."""
    return any(
        s.effect == "Deny"
        and s.wildcard_principal
        and not s.conditions
        and all(s.grants(action) for action in DELETES)
        for s in iam.statements(policy)
    )


def _missing_guards(bucket: PolicyResource, buckets: Buckets) -> list[str]:
    """What an S3 server access log destination lacks of the protection that replaces Object Lock."""
    missing = []
    versioning = Readings(
        buckets.configurations(bucket, VERSIONING, "versioning"),
        lambda c: _versioned(c.props),
        of=lambda c: c.source,
    )
    if not versioning.any():
        missing.append("versioning Enabled (a BucketVersioning)")
    policies = Readings(buckets.companions(bucket, *POLICY), lambda p: _denies_deletes(p.props.get("policy")))
    if not policies.any():
        missing.append(
            "a BucketPolicy that denies s3:DeleteObject and s3:DeleteObjectVersion to every principal without "
            "conditions"
        )
    return missing


@stack_policy(SPEC)
def ir_2_log_bucket_lock(stack: Stack) -> Iterable[tuple[str, str | None]]:
    logs = log_buckets(stack)
    if not logs.targets and not logs.unresolved:
        return
    buckets = Buckets(stack, *OBJECT_LOCK, *LOGGING, *VERSIONING, *POLICY)
    # A source whose bucket is unknown at preview may log to any bucket: every bucket is then a candidate.
    candidates = (
        stack.of_type(*BUCKET_TYPES) if logs.unresolved else [t.bucket for t in logs.targets.values()]
    )

    def decide(bucket: PolicyResource) -> Iterator[str]:
        gcs = bucket.resource_type == GCS_BUCKET
        if (_retention_seconds(bucket) > 0) if gcs else object_locked(bucket, buckets):
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
        elif access_log_destination(bucket, logs, buckets):
            missing = _missing_guards(bucket, buckets)
            if missing:
                yield (
                    f"{bucket.resource_type} {bucket.name!r} receives S3 server access logs from {sources} and "
                    "cannot have Object Lock (S3 delivers no access logs to such a bucket), but lacks "
                    + " and ".join(missing)
                    + ": whoever may delete objects can erase the evidence."
                )
        else:
            yield (
                f"{bucket.resource_type} {bucket.name!r} receives logs from {sources} but has no object lock "
                "(objectLockEnabled absent: false; no BucketObjectLockConfiguration): whoever may delete objects "
                "can erase the evidence."
            )

    yield from stack.each(candidates, decide)
