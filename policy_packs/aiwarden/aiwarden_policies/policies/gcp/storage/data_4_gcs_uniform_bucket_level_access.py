"""DATA-4: GCS buckets use uniform bucket-level access (no object ACLs)."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

BUCKET = "gcp:storage/bucket:Bucket"

SPEC = Spec(
    control="DATA-4",
    name="data-4-gcs-uniform-bucket-level-access",
    description="A GCS bucket sets uniformBucketLevelAccess true (GCP default: false, fine-grained object ACLs).",
    remediation_steps=(
        "Set `uniform_bucket_level_access=True` on the `gcp.storage.Bucket` and grant access with bucket IAM to "
        "named principals (GCS always serves over TLS; uniform access removes the ACL path)."
    ),
    resource_types=(BUCKET,),
)


@resource_policy(SPEC)
def data_4_gcs_uniform_bucket_level_access(r: Resource) -> Iterable[str]:
    if not r.has("uniformBucketLevelAccess"):
        yield f"{r.type} {r.name!r}: uniformBucketLevelAccess is not set (GCP default: false); must be true."
    elif r.get("uniformBucketLevelAccess") is not True:
        yield f"{r.type} {r.name!r}: uniformBucketLevelAccess is {r.get('uniformBucketLevelAccess')!r}; must be true."
