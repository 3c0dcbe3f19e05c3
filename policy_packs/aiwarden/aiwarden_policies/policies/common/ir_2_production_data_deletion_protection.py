"""IR-2: production data stores survive a destroy or a mistaken delete.

Decisions (only resources whose environment, own tag/label else the stack's, is production):
- S3 buckets (``aws:s3/bucket:Bucket``, deprecated ``BucketV2``) and GCS buckets: ``forceDestroy``
  true is a violation (absent: false; true empties the bucket, evidence included, on delete).
- Buckets classified ``restricted`` also need the Pulumi ``protect`` option: nothing else stops
  ``pulumi destroy`` (``retainOnDelete`` is not visible to policies, so it cannot count).
- RDS instances and clusters: ``deletionProtection`` true (absent: false).
- Cloud SQL instances: ``deletionProtection`` not false (absent: true, the provider default).
- KMS keys: see ir-2-kms-key-deletion-window and ir-2-gcp-crypto-key-destroy-window.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pulumi_policy import PolicyResource

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.log_buckets import GCS_BUCKET
from aiwarden_policies.lib.s3 import BUCKETS as AWS_BUCKETS

RDS = ("aws:rds/instance:Instance", "aws:rds/cluster:Cluster")
CLOUD_SQL = "gcp:sql/databaseInstance:DatabaseInstance"

SPEC = Spec(
    control="IR-2",
    name="ir-2-production-data-deletion-protection",
    description=(
        "Production buckets do not set forceDestroy, restricted production buckets are protected "
        "(Pulumi `protect`), RDS instances/clusters set deletionProtection and Cloud SQL keeps deletionProtection."
    ),
    remediation_steps=(
        "Remove `force_destroy=True` from production buckets; add `opts=pulumi.ResourceOptions(protect=True)` to "
        "buckets holding restricted data; set `deletion_protection=True` on `aws.rds.Instance` / `aws.rds.Cluster`; "
        "leave `deletion_protection` at its default (true) on `gcp.sql.DatabaseInstance`."
    ),
    resource_types=(*AWS_BUCKETS, GCS_BUCKET, *RDS, CLOUD_SQL),
)


def deletion_gaps(stack: Stack, r: PolicyResource) -> list[str]:
    resource = stack.resource(r)
    if r.resource_type in (*AWS_BUCKETS, GCS_BUCKET):
        gaps = []
        if r.props.get("forceDestroy") is True:
            gaps.append("forceDestroy is true (deleting the bucket deletes every object in it)")
        if resource.classification == "restricted" and not r.opts.protect:
            gaps.append("holds restricted data but is not `protect`ed (pulumi destroy would delete it)")
        return gaps
    if r.resource_type in RDS and r.props.get("deletionProtection") is not True:
        return ["deletionProtection is not true (default: false)"]
    if r.resource_type == CLOUD_SQL and r.props.get("deletionProtection") is False:
        return ["deletionProtection is false (provider default: true)"]
    return []


@stack_policy(SPEC)
def ir_2_production_data_deletion_protection(stack: Stack) -> Iterable[tuple[str, str | None]]:
    def decide(r: PolicyResource) -> Iterator[str]:
        if stack.resource(r).environment != "production":
            return
        gaps = deletion_gaps(stack, r)
        if gaps:
            yield f"{r.resource_type} {r.name!r} (production): {'; '.join(gaps)}."

    yield from stack.each(stack.of_type(*AWS_BUCKETS, GCS_BUCKET, *RDS, CLOUD_SQL), decide)
