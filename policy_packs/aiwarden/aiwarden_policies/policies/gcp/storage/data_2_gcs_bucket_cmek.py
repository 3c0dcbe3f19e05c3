"""DATA-2: sensitive GCS buckets encrypt by default with a customer-managed Cloud KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

BUCKET = "gcp:storage/bucket:Bucket"

SPEC = Spec(
    control="DATA-2",
    name="data-2-gcs-bucket-cmek",
    description=(
        "A confidential, restricted or unclassified GCS bucket sets encryption.defaultKmsKeyName (GCP default: "
        "Google-managed encryption keys)."
    ),
    remediation_steps=(
        "Set `encryption={'default_kms_key_name': crypto_key.id}` with a `gcp.kms.CryptoKey` that has a "
        "`rotation_period`, and grant the Cloud Storage service agent roles/cloudkms.cryptoKeyEncrypterDecrypter "
        "on it (or use the LockedBucket component)."
    ),
    resource_types=(BUCKET,),
)


@resource_policy(SPEC)
def data_2_gcs_bucket_cmek(r: Resource) -> Iterable[str]:
    if r.sensitive and not r.get("encryption.defaultKmsKeyName"):
        yield (
            f"{r.type} {r.name!r} ({r.classification or 'unclassified'}): encryption.defaultKmsKeyName is not set "
            "(GCP default: Google-managed keys); must name a customer-managed Cloud KMS key."
        )
