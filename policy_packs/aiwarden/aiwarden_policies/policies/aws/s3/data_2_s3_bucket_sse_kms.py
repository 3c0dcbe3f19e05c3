"""DATA-2: sensitive S3 buckets encrypt by default with a customer-managed KMS key.

One narrow exception: a bucket that only receives S3 server access logs may use SSE-S3. S3 server access
logging delivers only to destination buckets whose default encryption is SSE-S3 (AES256); with SSE-KMS
the logs are silently not delivered
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html). Such a bucket
is recognised from the registered resources, never from a tag or a name: it is the ``targetBucket`` of
a ``BucketLogging`` of the stack whose ``bucket`` is another bucket, and no other log source of the stack
(CloudTrail, Bedrock invocation logging, ...) writes to it (``lib.log_buckets``). It is exempted from
the KMS requirement only: its default encryption must still be SSE-S3 (AES256, or absent: the S3
default), so a data bucket that also receives access logs, or a log bucket with SSE-C or no encryption
rule, is still a finding. At preview a log source whose target is unknown may make a bucket a
destination: the bucket is then undecided, not passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.log_buckets import access_log_destination, log_buckets
from aiwarden_policies.lib.s3 import (
    BUCKETS,
    ENCRYPTION,
    KMS_ALGORITHMS,
    LOGGING,
    Buckets,
    encryption_defaults,
    kind,
)

#: The default encryption S3 server access log delivery supports on its destination bucket.
SSE_S3 = "AES256"
_MUST = "must use sse_algorithm 'aws:kms' with a customer-managed kmsMasterKeyId."
_MUST_LOGS = (
    "an S3 server access log destination must use sse_algorithm 'AES256' (log delivery supports no SSE-KMS "
    "destination), any other bucket 'aws:kms' with a customer-managed kmsMasterKeyId."
)

SPEC = Spec(
    control="DATA-2",
    name="data-2-s3-bucket-sse-kms",
    description=(
        "Every confidential, restricted or unclassified S3 bucket has a BucketServerSideEncryptionConfiguration "
        "(or the deprecated inline `serverSideEncryptionConfiguration`) whose default encryption is "
        "`aws:kms` / `aws:kms:dsse` with a `kmsMasterKeyId`. Without one, or with AES256 or no key id, S3 "
        "encrypts with S3-managed or AWS-managed keys that the workload owner cannot rotate, restrict or revoke. "
        "Exception: a bucket whose only log sources in the stack are BucketLogging resources of other buckets (an "
        "S3 server access log destination) may use SSE-S3 (AES256, or no configuration): S3 does not deliver "
        "access logs to an SSE-KMS destination."
    ),
    remediation_steps=(
        "Add `aws.s3.BucketServerSideEncryptionConfiguration(bucket=bucket.id, rules=[{"
        "'apply_server_side_encryption_by_default': {'sse_algorithm': 'aws:kms', 'kms_master_key_id': key.arn}, "
        "'bucket_key_enabled': True}])` with a customer-managed `aws.kms.Key(enable_key_rotation=True)`, or use "
        "the LockedBucket component (it creates or takes the key)."
    ),
    resource_types=BUCKETS + ENCRYPTION,
    security_hub=("S3.17",),
)


def _problem(defaults: list[Any], sse_s3_allowed: bool = False) -> str | None:
    if not defaults:
        return "sets no applyServerSideEncryptionByDefault (S3 default: SSE-S3, AES256)"
    for d in defaults:
        algorithm = d.get("sseAlgorithm")
        if sse_s3_allowed and algorithm == SSE_S3:
            continue
        if algorithm not in KMS_ALGORITHMS:
            return f"sets sseAlgorithm {algorithm!r} (S3-managed keys)"
        if not d.get("kmsMasterKeyId"):
            return f"sets {algorithm} without kmsMasterKeyId (AWS default: the AWS-managed aws/s3 key)"
    return None


@stack_policy(SPEC)
def data_2_s3_bucket_sse_kms(stack: Stack) -> Iterable[tuple[str, str | None]]:
    buckets = Buckets(stack, *ENCRYPTION, *LOGGING)
    logs = log_buckets(stack)

    def decide(bucket: Any) -> Iterator[str]:
        r = stack.resource(bucket)
        if not r.sensitive:
            return
        label = f"{bucket.resource_type} {bucket.name!r} ({r.classification or 'unclassified'})"
        configs = buckets.configurations(bucket, ENCRYPTION, "serverSideEncryptionConfiguration")
        problems = Readings(configs, lambda c: _problem(encryption_defaults(c.props)), of=lambda c: c.source)
        must = _MUST
        failing = not configs or any(problem is not None for _, problem in problems.known)
        if failing and access_log_destination(bucket, logs, buckets):
            # An S3 server access log destination: SSE-S3, explicit or absent (the S3 default), passes.
            problems = Readings(
                configs, lambda c: _problem(encryption_defaults(c.props), True), of=lambda c: c.source
            )
            must = _MUST_LOGS
        elif not configs:
            yield (
                f"{label} has no {kind(ENCRYPTION)} (S3 default: SSE-S3, AES256 with S3-managed keys); "
                + _MUST
            )
        for config, problem in problems.known:
            if problem is not None:
                yield f"{label}: {config.label} {problem}; " + must
        problems.require()

    yield from stack.each(buckets.buckets, decide)
