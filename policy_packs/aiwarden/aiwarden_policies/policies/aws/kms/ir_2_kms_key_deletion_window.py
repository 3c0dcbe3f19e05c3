"""IR-2: a production KMS key keeps a long pending-deletion window (the only undo of ScheduleKeyDeletion).

Decisions: production keys only (own ``environment`` tag, else the stack's); ``deletionWindowInDays``
absent means the AWS default, 30 days; the minimum is the policy config ``minimumDays`` (default 30,
the longest AWS allows: a responder gets the most time to notice and cancel a scheduled deletion
of the key that decrypts the evidence and the datasets).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

KEY = "aws:kms/key:Key"
AWS_DEFAULT_DAYS = 30

SPEC = Spec(
    control="IR-2",
    name="ir-2-kms-key-deletion-window",
    description=(
        "A production KMS key (aws:kms/key:Key) keeps deletionWindowInDays at or above the configured minimum "
        "(default 30; AWS default when absent: 30)."
    ),
    remediation_steps=(
        "Remove `deletion_window_in_days` from the production `aws.kms.Key` (AWS default 30) or set it to 30; with "
        "the components, `CreateKey(deletion_window_days=30)` (the default)."
    ),
    resource_types=(KEY,),
    config={
        "minimumDays": {
            "type": "integer",
            "minimum": 7,
            "maximum": 30,
            "default": AWS_DEFAULT_DAYS,
            "description": "Shortest pending-deletion window accepted for production keys (AWS allows 7-30).",
        }
    },
)


@resource_policy(SPEC)
def ir_2_kms_key_deletion_window(r: Resource) -> Iterable[str]:
    if r.environment != "production" or not r.has("deletionWindowInDays"):
        return  # absent: the AWS default, 30 days
    minimum = int(r.config.get("minimumDays") or AWS_DEFAULT_DAYS)
    days = float(r.get("deletionWindowInDays"))
    if days < minimum:
        yield (
            f"{r.type} {r.name!r} (production): deletionWindowInDays is {days:g}; must be at least {minimum} "
            "so a scheduled deletion can be noticed and cancelled."
        )
