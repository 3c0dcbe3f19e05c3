"""DATA-4: every S3 bucket policy denies requests that do not use TLS."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.iam import denies_insecure_transport
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
    pending = []
    for bucket in buckets.buckets:
        configs = buckets.configurations(bucket, POLICY, "policy")
        if not configs:
            yield (
                f"{bucket.resource_type} {bucket.name!r} has no {kind(POLICY)} (S3 default: HTTP accepted); add one "
                "that denies requests with aws:SecureTransport false.",
                bucket.urn,
            )
        else:
            pending.append((bucket, configs))
    for bucket, configs in pending:
        # A BucketPolicy's configuration is its properties; an inline configuration is the document itself.
        documents = [config.get("policy") if isinstance(config, Mapping) else config for _, config in configs]
        if not any(denies_insecure_transport(document) for document in documents):
            where = ", ".join(where for where, _ in configs)
            yield (
                f"{bucket.resource_type} {bucket.name!r}: {where} has no Deny of every principal with "
                "aws:SecureTransport false; add one.",
                bucket.urn,
            )
