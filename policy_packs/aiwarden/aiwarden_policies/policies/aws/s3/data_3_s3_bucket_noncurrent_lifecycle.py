"""DATA-3: every S3 bucket has a lifecycle rule for noncurrent object versions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.s3 import BUCKETS, LIFECYCLE, Buckets, blocks, kind

#: Rule blocks that act on noncurrent versions (split resource and inline Bucket / BucketV2 spellings).
NONCURRENT_ACTIONS = ("noncurrentVersionExpiration", "noncurrentVersionTransition")

SPEC = Spec(
    control="DATA-3",
    name="data-3-s3-bucket-noncurrent-lifecycle",
    description=(
        "Every S3 bucket has a BucketLifecycleConfiguration (or, without one, deprecated inline `lifecycleRules`) "
        "with an enabled rule that expires or transitions noncurrent versions (noncurrentVersionExpiration / "
        "noncurrentVersionTransitions). S3 default: no lifecycle, old versions are kept and billed forever."
    ),
    remediation_steps=(
        "Add `aws.s3.BucketLifecycleConfiguration(bucket=bucket.id, rules=[{'id': 'noncurrent', 'status': "
        "'Enabled', 'filter': {}, 'noncurrent_version_expiration': {'noncurrent_days': 90}}])` with the retention "
        "the evidence period requires."
    ),
    resource_types=BUCKETS + LIFECYCLE,
    security_hub=("S3.13",),
)


def _handles_noncurrent(rules: Any) -> bool:
    for rule in rules or []:
        # Split resource: status "Enabled"; inline rules: enabled true.
        enabled = rule.get("status") == "Enabled" if "status" in rule else rule.get("enabled") is True
        if enabled and any(blocks(rule, action) for action in NONCURRENT_ACTIONS):
            return True
    return False


@stack_policy(SPEC)
def data_3_s3_bucket_noncurrent_lifecycle(stack: Stack) -> Iterable[tuple[str, str | None]]:
    buckets = Buckets(stack, *LIFECYCLE)

    def decide(bucket: Any) -> Iterator[str]:
        configs = buckets.configurations(bucket, LIFECYCLE, "lifecycleRules")
        if not configs:
            yield (
                f"{bucket.resource_type} {bucket.name!r} has no {kind(LIFECYCLE)} (S3 default: no lifecycle, "
                "noncurrent versions kept forever); add a rule with noncurrentVersionExpiration."
            )
            return
        # A companion's configuration holds `rules`; an inline configuration is one rule.
        handled = Readings(
            configs,
            lambda c: _handles_noncurrent(blocks(c.props, "rule") or [c.props]),
            of=lambda c: c.source,
        )
        if handled.any():
            return
        where = ", ".join(dict.fromkeys(c.label for c in configs))
        yield (
            f"{bucket.resource_type} {bucket.name!r}: no enabled rule of {where} sets "
            "noncurrentVersionExpiration or noncurrentVersionTransitions; add one."
        )

    yield from stack.each(buckets.buckets, decide)
