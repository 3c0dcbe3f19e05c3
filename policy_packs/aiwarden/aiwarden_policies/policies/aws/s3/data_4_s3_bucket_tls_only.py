"""DATA-4: every S3 bucket policy denies requests that do not use TLS."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from aiwarden_policies.contract.iam import denies_insecure_transport
from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.s3 import BUCKETS, POLICY, Buckets, kind

SPEC = Spec(
    control="DATA-4",
    name="data-4-s3-bucket-tls-only",
    description=(
        "Every S3 bucket has a BucketPolicy (or, without one, the deprecated inline `policy`) with a Deny "
        "statement for every principal when `aws:SecureTransport` is false. S3 default: plain HTTP requests "
        "are accepted."
    ),
    remediation_steps=(
        "Add a statement `{'Sid': 'DenyInsecureTransport', 'Effect': 'Deny', 'Principal': '*', 'Action': 's3:*', "
        "'Resource': [bucket.arn, f'{bucket.arn}/*'], 'Condition': {'Bool': {'aws:SecureTransport': 'false'}}}` "
        "to the bucket's `aws.s3.BucketPolicy` (the LockedBucket component does)."
    ),
    resource_types=BUCKETS + POLICY,
    security_hub=("S3.5",),
)


@stack_policy(SPEC)
def data_4_s3_bucket_tls_only(stack: Stack) -> Iterable[tuple[str, str | None]]:
    buckets = Buckets(stack, *POLICY)

    def decide(bucket: Any) -> Iterator[str]:
        configs = buckets.configurations(bucket, POLICY, "policy")
        if not configs:
            yield (
                f"{bucket.resource_type} {bucket.name!r} has no {kind(POLICY)} (S3 default: HTTP accepted); add one "
                "that denies requests with aws:SecureTransport false."
            )
            return
        # A BucketPolicy's configuration is its properties; an inline configuration is the document itself.
        denies = Readings(
            configs,
            lambda c: denies_insecure_transport(
                c.props.get("policy") if isinstance(c.props, Mapping) else c.props
            ),
            of=lambda c: c.source,
        )
        if denies.any():
            return
        where = ", ".join(c.label for c in configs)
        yield (
            f"{bucket.resource_type} {bucket.name!r}: {where} has no Deny of every principal with "
            "aws:SecureTransport false; add one."
        )

    yield from stack.each(buckets.buckets, decide)
