"""VEC-1: Vertex AI Vector Search indexes holding sensitive embeddings use a customer-managed key."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

INDEX = "gcp:vertex/aiIndex:AiIndex"

SPEC = Spec(
    control="VEC-1",
    name="vec-1-vertex-index-cmek",
    description=(
        "A confidential, restricted or unclassified Vertex AI Vector Search index sets "
        "encryptionSpec.kmsKeyName (GCP default: Google-managed encryption keys)."
    ),
    remediation_steps=(
        "Set `encryption_spec={'kms_key_name': crypto_key.id}` with a Cloud KMS key in the index's region that "
        "has a `rotation_period`, after granting the Vertex AI service agent "
        "roles/cloudkms.cryptoKeyEncrypterDecrypter. The key cannot be changed later: recreate the index."
    ),
    resource_types=(INDEX,),
)


@resource_policy(SPEC)
def vec_1_vertex_index_cmek(r: Resource) -> Iterable[str]:
    if r.sensitive and not r.get("encryptionSpec.kmsKeyName"):
        yield (
            f"{r.type} {r.name!r} ({r.classification or 'unclassified'}): encryptionSpec.kmsKeyName is not set "
            "(GCP default: Google-managed keys); must name a customer-managed Cloud KMS key."
        )
