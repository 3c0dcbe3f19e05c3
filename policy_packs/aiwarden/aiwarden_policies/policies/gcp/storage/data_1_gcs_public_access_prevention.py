"""DATA-1: GCS buckets enforce public access prevention."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiwarden_policies.framework import Resource, Spec, resource_policy

BUCKET = "gcp:storage/bucket:Bucket"
ENFORCED = "enforced"

SPEC = Spec(
    control="DATA-1",
    name="data-1-gcs-public-access-prevention",
    description=(
        "A GCS bucket sets publicAccessPrevention to `enforced` (when not set it is `inherited`: public access "
        "is possible unless an organization policy forbids it)."
    ),
    remediation_steps=(
        "Set `public_access_prevention='enforced'` on the `gcp.storage.Bucket` (or use the LockedBucket "
        "component). In REMEDIATE mode the pack sets it (an in-place update)."
    ),
    resource_types=(BUCKET,),
)


def remediate(r: Resource) -> dict[str, Any] | None:
    if r.get("publicAccessPrevention") == ENFORCED:
        return None
    return r.updated({"publicAccessPrevention": ENFORCED})


@resource_policy(SPEC, remediate=remediate)
def data_1_gcs_public_access_prevention(r: Resource) -> Iterable[str]:
    if not r.has("publicAccessPrevention"):
        yield f"{r.type} {r.name!r}: publicAccessPrevention is not set (GCP default: inherited); must be 'enforced'."
    elif r.get("publicAccessPrevention") != ENFORCED:
        yield f"{r.type} {r.name!r}: publicAccessPrevention is {r.get('publicAccessPrevention')!r}; must be 'enforced'."
