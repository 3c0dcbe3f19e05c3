"""DATA-2: customer-managed KMS keys protecting sensitive data rotate their key material."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

KEY = "aws:kms/key:Key"

SPEC = Spec(
    control="DATA-2",
    name="data-2-kms-key-rotation",
    description=(
        "A customer-managed symmetric encryption KMS key (aws:kms/key:Key) that is confidential, restricted or "
        "unclassified sets enableKeyRotation true (AWS default: false, no rotation). Asymmetric, HMAC and "
        "custom-key-store keys are out of scope: AWS cannot rotate them automatically."
    ),
    remediation_steps=(
        "Set `enable_key_rotation=True` on the `aws.kms.Key` (optionally `rotation_period_in_days`, 90-2560, "
        "default 365), or let the LockedBucket component create the key."
    ),
    resource_types=(KEY,),
    security_hub=("KMS.4",),
)


def _rotatable(r: Resource) -> bool:
    # Automatic rotation exists only for symmetric encryption keys in the AWS KMS key store: asymmetric
    # (RSA_*, ECC_*, ML_DSA_*), HMAC (GENERATE_VERIFY_MAC) and key-agreement keys, and keys in a custom key
    # store (CloudHSM / external), cannot rotate, so the control is not applicable to them.
    spec = r.get("customerMasterKeySpec") or "SYMMETRIC_DEFAULT"  # absent: the AWS default
    usage = r.get("keyUsage") or "ENCRYPT_DECRYPT"  # absent: the AWS default
    return spec == "SYMMETRIC_DEFAULT" and usage == "ENCRYPT_DECRYPT" and not r.get("customKeyStoreId")


@resource_policy(SPEC)
def data_2_kms_key_rotation(r: Resource) -> Iterable[str]:
    if not r.sensitive or not _rotatable(r):
        return
    label = f"{r.type} {r.name!r} ({r.classification or 'unclassified'})"
    if not r.has("enableKeyRotation"):
        yield f"{label}: enableKeyRotation is not set (AWS default: false); must be true."
    elif r.get("enableKeyRotation") is not True:
        yield f"{label}: enableKeyRotation is {r.get('enableKeyRotation')!r}; must be true."
