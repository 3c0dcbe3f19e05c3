"""DATA-2: sensitive S3 buckets encrypt by default with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.s3 import BUCKETS, ENCRYPTION, Buckets, blocks, kind

KMS_ALGORITHMS = frozenset({"aws:kms", "aws:kms:dsse"})
_MUST = "must use sse_algorithm 'aws:kms' with a customer-managed kmsMasterKeyId."

SPEC = Spec(
    control="DATA-2",
    name="data-2-s3-bucket-sse-kms",
    description=(
        "Every confidential, restricted or unclassified S3 bucket has a BucketServerSideEncryptionConfiguration "
        "(or the deprecated inline `serverSideEncryptionConfiguration`) whose default encryption is "
        "`aws:kms` / `aws:kms:dsse` with a `kmsMasterKeyId`. Without one, or with AES256 or no key id, S3 "
        "encrypts with S3-managed or AWS-managed keys that the workload owner cannot rotate, restrict or revoke."
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


def _defaults(config: Mapping[str, Any] | None) -> list[Any]:
    """The applyServerSideEncryptionByDefault blocks of an encryption configuration (split or inline)."""
    return [d for rule in blocks(config, "rule") for d in blocks(rule, "applyServerSideEncryptionByDefault")]


def _problem(defaults: list[Any]) -> str | None:
    if not defaults:
        return "sets no applyServerSideEncryptionByDefault (S3 default: SSE-S3, AES256)"
    for d in defaults:
        algorithm = d.get("sseAlgorithm")
        if algorithm not in KMS_ALGORITHMS:
            return f"sets sseAlgorithm {algorithm!r} (S3-managed keys)"
        if not d.get("kmsMasterKeyId"):
            return f"sets {algorithm} without kmsMasterKeyId (AWS default: the AWS-managed aws/s3 key)"
    return None


@stack_policy(SPEC)
def data_2_s3_bucket_sse_kms(stack: Stack) -> Iterable[tuple[str, str | None]]:
    buckets = Buckets(stack, *ENCRYPTION)

    def decide(bucket: Any) -> Iterator[str]:
        r = stack.resource(bucket)
        if not r.sensitive:
            return
        label = f"{bucket.resource_type} {bucket.name!r} ({r.classification or 'unclassified'})"
        configs = buckets.configurations(bucket, ENCRYPTION, "serverSideEncryptionConfiguration")
        if not configs:
            yield (
                f"{label} has no {kind(ENCRYPTION)} (S3 default: SSE-S3, AES256 with S3-managed keys); "
                + _MUST
            )
        problems = Readings(configs, lambda c: _problem(_defaults(c.props)), of=lambda c: c.source)
        for config, problem in problems.known:
            if problem is not None:
                yield f"{label}: {config.label} {problem}; " + _MUST
        problems.require()

    yield from stack.each(buckets.buckets, decide)
