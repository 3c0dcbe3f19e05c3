"""DATA-3: GCS buckets keep object versions."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

BUCKET = "gcp:storage/bucket:Bucket"

SPEC = Spec(
    control="DATA-3",
    name="data-3-gcs-versioning",
    description="A GCS bucket sets versioning.enabled true (GCP default: versioning disabled).",
    remediation_steps=(
        "Set `versioning={'enabled': True}` on the `gcp.storage.Bucket`, with a lifecycle rule that deletes "
        "noncurrent versions (data-3-gcs-noncurrent-lifecycle)."
    ),
    resource_types=(BUCKET,),
)


@resource_policy(SPEC)
def data_3_gcs_versioning(r: Resource) -> Iterable[str]:
    if not r.has("versioning.enabled"):
        yield f"{r.type} {r.name!r}: versioning.enabled is not set (GCP default: false); must be true."
    elif r.get("versioning.enabled") is not True:
        yield f"{r.type} {r.name!r}: versioning.enabled is {r.get('versioning.enabled')!r}; must be true."
