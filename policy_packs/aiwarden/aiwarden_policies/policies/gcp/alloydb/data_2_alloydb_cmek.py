"""DATA-2: sensitive AlloyDB clusters (pgvector stores) encrypt with a customer-managed key."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

CLUSTER = "gcp:alloydb/cluster:Cluster"

SPEC = Spec(
    control="DATA-2",
    name="data-2-alloydb-cmek",
    description=(
        "A confidential, restricted or unclassified AlloyDB cluster sets encryptionConfig.kmsKeyName (GCP "
        "default: Google-managed encryption keys)."
    ),
    remediation_steps=(
        "Set `encryption_config={'kms_key_name': crypto_key.id}` with a Cloud KMS key in the cluster's region "
        "that has a `rotation_period`, after granting the AlloyDB service agent "
        "roles/cloudkms.cryptoKeyEncrypterDecrypter on it."
    ),
    resource_types=(CLUSTER,),
)


@resource_policy(SPEC)
def data_2_alloydb_cmek(r: Resource) -> Iterable[str]:
    if r.sensitive and not r.get("encryptionConfig.kmsKeyName"):
        yield (
            f"{r.type} {r.name!r} ({r.classification or 'unclassified'}): encryptionConfig.kmsKeyName is not set "
            "(GCP default: Google-managed keys); must name a customer-managed Cloud KMS key."
        )
