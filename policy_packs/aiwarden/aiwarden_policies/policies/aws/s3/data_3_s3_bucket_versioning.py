"""DATA-3: every S3 bucket keeps object versions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.s3 import BUCKETS, VERSIONING, Buckets, kind

SPEC = Spec(
    control="DATA-3",
    name="data-3-s3-bucket-versioning",
    description=(
        "Every S3 bucket has a BucketVersioning with versioningConfiguration.status `Enabled` (or, without one, "
        "the deprecated inline `versioning.enabled` true). S3 default: versioning disabled, so an overwrite or "
        "delete of a dataset or evidence object is final."
    ),
    remediation_steps=(
        "Add `aws.s3.BucketVersioning(bucket=bucket.id, versioning_configuration={'status': 'Enabled'})`, with "
        "a lifecycle rule that expires noncurrent versions (data-3-s3-bucket-noncurrent-lifecycle)."
    ),
    resource_types=BUCKETS + VERSIONING,
    security_hub=("S3.14",),
)


def _status(config: Any) -> str | None:
    """The versioning status of a BucketVersioning, or of an inline block (``enabled``)."""
    if "versioningConfiguration" in config:
        status = config.get("versioningConfiguration", {}).get("status")
        return str(status) if status is not None else None
    enabled = config.get("enabled")
    return "Enabled" if enabled is True else ("Suspended" if enabled is False else None)


@stack_policy(SPEC)
def data_3_s3_bucket_versioning(stack: Stack) -> Iterable[tuple[str, str | None]]:
    buckets = Buckets(stack, *VERSIONING)

    def decide(bucket: Any) -> Iterator[str]:
        configs = buckets.configurations(bucket, VERSIONING, "versioning")
        if not configs:
            yield (
                f"{bucket.resource_type} {bucket.name!r} has no {kind(VERSIONING)} (S3 default: versioning "
                "disabled); add one with versioningConfiguration.status 'Enabled'."
            )
        statuses = Readings(configs, lambda c: _status(c.props), of=lambda c: c.source)
        for config, status in statuses.known:
            if status != "Enabled":
                yield (
                    f"{bucket.resource_type} {bucket.name!r}: {config.label} sets versioning status {status!r}; "
                    "must be 'Enabled'."
                )
        statuses.require()

    yield from stack.each(buckets.buckets, decide)
