"""DATA-2: sensitive Cloud SQL instances (pgvector stores) encrypt with a customer-managed key."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"

SPEC = Spec(
    control="DATA-2",
    name="data-2-cloudsql-cmek",
    description=(
        "A confidential, restricted or unclassified Cloud SQL instance sets encryptionKeyName (GCP default: "
        "Google-managed encryption keys)."
    ),
    remediation_steps=(
        "Set `encryption_key_name` to a Cloud KMS CryptoKey in the instance's region with a `rotation_period`, "
        "after granting the Cloud SQL service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it. The key "
        "cannot be added to an existing instance: create a new instance and migrate."
    ),
    resource_types=(INSTANCE,),
)


@resource_policy(SPEC)
def data_2_cloudsql_cmek(r: Resource) -> Iterable[str]:
    if r.sensitive and not r.get("encryptionKeyName"):
        yield (
            f"{r.type} {r.name!r} ({r.classification or 'unclassified'}): encryptionKeyName is not set "
            "(GCP default: Google-managed keys); must name a customer-managed Cloud KMS key."
        )
