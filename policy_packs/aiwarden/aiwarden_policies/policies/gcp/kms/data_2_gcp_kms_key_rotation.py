"""DATA-2: Cloud KMS encryption keys protecting sensitive data rotate at least yearly."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.durations import DAY, seconds

CRYPTO_KEY = "gcp:kms/cryptoKey:CryptoKey"
MAX_DAYS = 365

SPEC = Spec(
    control="DATA-2",
    name="data-2-gcp-kms-key-rotation",
    description=(
        f"A confidential, restricted or unclassified Cloud KMS CryptoKey with purpose ENCRYPT_DECRYPT sets a "
        f"rotationPeriod of at most {MAX_DAYS} days (GCP default: no automatic rotation). Asymmetric, MAC and "
        "raw-encryption keys and import-only keys are out of scope: Cloud KMS cannot rotate them automatically."
    ),
    remediation_steps=(
        "Set `rotation_period='7776000s'` (90 days) or any value up to 31536000s (365 days) on the "
        "`gcp.kms.CryptoKey`."
    ),
    resource_types=(CRYPTO_KEY,),
)


@resource_policy(SPEC)
def data_2_gcp_kms_key_rotation(r: Resource) -> Iterable[str]:
    # Automatic rotation applies to symmetric ENCRYPT_DECRYPT keys only (absent purpose = ENCRYPT_DECRYPT);
    # keys whose versions are imported (importOnly) get new material only by import: not applicable.
    if not r.sensitive or (r.get("purpose") or "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT" or r.get("importOnly"):
        return
    label = f"{r.type} {r.name!r} ({r.classification or 'unclassified'})"
    period = r.get("rotationPeriod")
    if not period:
        yield f"{label}: rotationPeriod is not set (GCP default: no rotation); must be at most {MAX_DAYS * DAY}s."
        return
    period_seconds = seconds(period)
    if period_seconds is None or period_seconds > MAX_DAYS * DAY:
        yield f"{label}: rotationPeriod is {period!r}; must be at most {MAX_DAYS * DAY}s ({MAX_DAYS} days)."
