"""DATA-3: GCS buckets have a lifecycle rule for noncurrent object versions."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

BUCKET = "gcp:storage/bucket:Bucket"
#: Lifecycle conditions that select noncurrent versions.
NONCURRENT_CONDITIONS = ("numNewerVersions", "daysSinceNoncurrentTime", "noncurrentTimeBefore")

SPEC = Spec(
    control="DATA-3",
    name="data-3-gcs-noncurrent-lifecycle",
    description=(
        "A GCS bucket has a lifecycle rule whose condition selects noncurrent versions (numNewerVersions, "
        "daysSinceNoncurrentTime, noncurrentTimeBefore, or withState ARCHIVED). GCP default: no lifecycle, "
        "noncurrent versions are kept forever."
    ),
    remediation_steps=(
        "Add `lifecycle_rules=[{'action': {'type': 'Delete'}, 'condition': {'days_since_noncurrent_time': 90, "
        "'with_state': 'ARCHIVED'}}]` with the retention the evidence period requires."
    ),
    resource_types=(BUCKET,),
)


@resource_policy(SPEC)
def data_3_gcs_noncurrent_lifecycle(r: Resource) -> Iterable[str]:
    for rule in r.get("lifecycleRules") or []:
        condition = rule.get("condition") or {}
        if any(key in condition for key in NONCURRENT_CONDITIONS) or condition.get("withState") == "ARCHIVED":
            return
    yield (
        f"{r.type} {r.name!r}: no lifecycleRules condition selects noncurrent versions (numNewerVersions, "
        "daysSinceNoncurrentTime, noncurrentTimeBefore or withState ARCHIVED; GCP default: no lifecycle); add one."
    )
