"""IR-2: a production Cloud KMS key keeps its versions DESTROY_SCHEDULED long enough to be restored.

Decisions: production keys only (own ``environment`` label, else the stack's);
``destroyScheduledDuration`` (a duration string such as ``2592000s``) absent means the GCP default,
30 days; the minimum is the policy config ``minimumDays`` (default 30, as for AWS keys). An
unparsable duration is a violation. ``deletionPolicy`` (Pulumi-side PREVENT) is not required: the
scheduled-destruction window is what protects the key material on every surface.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.durations import DAY, seconds

CRYPTO_KEY = "gcp:kms/cryptoKey:CryptoKey"
GCP_DEFAULT_DAYS = 30

SPEC = Spec(
    control="IR-2",
    name="ir-2-gcp-crypto-key-destroy-window",
    description=(
        "A production Cloud KMS crypto key (gcp:kms/cryptoKey:CryptoKey) keeps destroyScheduledDuration at or above "
        "the configured minimum (default 30 days; GCP default when absent: 30 days)."
    ),
    remediation_steps=(
        "Remove `destroy_scheduled_duration` from the production `gcp.kms.CryptoKey` (GCP default 30 days) or set "
        "it to at least '2592000s'; with the components, keep `deletion_window_days=30` (the default)."
    ),
    resource_types=(CRYPTO_KEY,),
    config={
        "minimumDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": 120,
            "default": GCP_DEFAULT_DAYS,
            "description": "Shortest DESTROY_SCHEDULED duration accepted for production keys, in days.",
        }
    },
)


@resource_policy(SPEC)
def ir_2_gcp_crypto_key_destroy_window(r: Resource) -> Iterable[str]:
    if r.environment != "production" or not r.has("destroyScheduledDuration"):
        return  # absent: the GCP default, 30 days
    minimum = int(r.config.get("minimumDays") or GCP_DEFAULT_DAYS)
    value = r.get("destroyScheduledDuration")
    duration = seconds(value)
    if duration is None:
        yield f"{r.type} {r.name!r} (production): destroyScheduledDuration {value!r} is not a duration like '2592000s'."
    elif duration < minimum * DAY:
        yield (
            f"{r.type} {r.name!r} (production): destroyScheduledDuration is {value} "
            f"({duration / DAY:g} days); must be at least {minimum} days ('{minimum * DAY}s')."
        )
