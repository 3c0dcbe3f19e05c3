"""DATA-3: S3 server access logs land where S3 can deliver them.

S3 delivers server access logs only to a destination bucket whose default encryption is SSE-S3 and that
has no Object Lock (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html,
https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html). Logging into an SSE-KMS
or Object Lock bucket is accepted by the API and then silently delivers nothing: the source bucket looks
logged and records no access. The destination is found from the registered resources (``lib.log_buckets``):
a bucket of the stack that is the ``targetBucket`` of a BucketLogging.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.log_buckets import log_buckets
from aiwarden_policies.lib.s3 import (
    BUCKETS,
    ENCRYPTION,
    KMS_ALGORITHMS,
    LOGGING,
    OBJECT_LOCK,
    Buckets,
    encryption_defaults,
    object_locked,
)

SPEC = Spec(
    control="DATA-3",
    name="data-3-s3-access-log-destination-delivers",
    description=(
        "A bucket of the stack that receives S3 server access logs (the `targetBucket` of a BucketLogging) "
        "uses SSE-S3 (AES256, or no encryption configuration: the S3 default) and has no Object Lock. S3 does "
        "not deliver server access logs to an SSE-KMS / DSSE-KMS or Object Lock destination: the logs are "
        "silently lost and the source bucket records no access."
    ),
    remediation_steps=(
        "Log into a dedicated bucket with `sse_algorithm='AES256'` and no Object Lock; protect it with versioning "
        "and a bucket policy denying s3:DeleteObject / s3:DeleteObjectVersion to every principal (the "
        "LockedBucket component's access-log bucket does all of this)."
    ),
    resource_types=(*LOGGING, *ENCRYPTION, *OBJECT_LOCK),
    security_hub=(),
)


def _kms(config: Any) -> str | None:
    for default in encryption_defaults(config.props):
        if default.get("sseAlgorithm") in KMS_ALGORITHMS:
            return str(default.get("sseAlgorithm"))
    return None


@stack_policy(SPEC)
def data_3_s3_access_log_destination_delivers(stack: Stack) -> Iterable[tuple[str, str | None]]:
    buckets = Buckets(stack, *ENCRYPTION, *OBJECT_LOCK)
    logs = log_buckets(stack)
    destinations = [
        target.bucket
        for target in logs.targets.values()
        if target.bucket.resource_type in BUCKETS
        and any(source.resource_type in LOGGING for source in target.sources)
    ]

    def decide(bucket: Any) -> Iterator[str]:
        label = f"{bucket.resource_type} {bucket.name!r}"
        configs = buckets.configurations(bucket, ENCRYPTION, "serverSideEncryptionConfiguration")
        algorithms = Readings(configs, _kms, of=lambda c: c.source)
        for config, algorithm in algorithms.known:
            if algorithm is not None:
                yield (
                    f"{label} receives S3 server access logs but {config.label} sets sseAlgorithm {algorithm!r}: "
                    "S3 delivers no access logs to an SSE-KMS destination (they are silently lost); use AES256."
                )
        algorithms.require()
        if object_locked(bucket, buckets):
            yield (
                f"{label} receives S3 server access logs but has Object Lock: S3 delivers no access logs to an "
                "Object Lock destination (they are silently lost); use versioning and a delete-deny bucket policy."
            )

    yield from stack.each(destinations, decide)
