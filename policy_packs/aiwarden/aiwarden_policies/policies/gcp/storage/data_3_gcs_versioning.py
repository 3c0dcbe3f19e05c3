"""DATA-3: GCS buckets keep object versions (or a retention policy keeps objects)."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

BUCKET = "gcp:storage/bucket:Bucket"

SPEC = Spec(
    control="DATA-3",
    name="data-3-gcs-versioning",
    description=(
        "A GCS bucket sets versioning.enabled true (GCP default: versioning disabled), unless it has a retention "
        "policy (retentionPolicy.retentionPeriod): Cloud Storage does not allow both, and retention already "
        "prevents overwriting and deleting objects."
    ),
    remediation_steps=(
        "Set `versioning={'enabled': True}` on the `gcp.storage.Bucket`, with a lifecycle rule that deletes "
        "noncurrent versions (data-3-gcs-noncurrent-lifecycle); for log and evidence buckets a "
        "`retention_policy` is the alternative."
    ),
    resource_types=(BUCKET,),
)


@resource_policy(SPEC)
def data_3_gcs_versioning(r: Resource) -> Iterable[str]:
    enabled = r.get("versioning.enabled")
    if enabled is True or r.get("retentionPolicy.retentionPeriod"):
        return
    if not r.has("versioning.enabled"):
        yield (
            f"{r.type} {r.name!r}: versioning.enabled is not set (GCP default: false) and there is no "
            "retentionPolicy; must be true."
        )
    else:
        yield f"{r.type} {r.name!r}: versioning.enabled is {enabled!r} and there is no retentionPolicy; must be true."
