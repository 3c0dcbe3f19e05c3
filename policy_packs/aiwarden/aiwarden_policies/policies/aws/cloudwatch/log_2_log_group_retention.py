"""LOG-2: CloudWatch log groups keep events at least the configured number of days.

Every log group of the stack is in scope (the stack is an AI workload: its log groups hold endpoint
access logs, model and notebook logs). ``retentionInDays`` absent or 0 means never expire, which
meets "at least".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiwarden_policies.contract.logs import RETENTION_DAYS
from aiwarden_policies.framework import Resource, Spec, resource_policy

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
DEFAULT_MIN_DAYS = 365
#: The retention values CloudWatch Logs accepts (0: never expire).
ALLOWED_DAYS = RETENTION_DAYS

SPEC = Spec(
    control="LOG-2",
    name="log-2-log-group-retention",
    description=(
        "CloudWatch log groups keep events at least `minRetentionDays` days: `retentionInDays` absent or 0 (the "
        "AWS default, never expire) or ≥ minRetentionDays."
    ),
    remediation_steps=(
        "Set `retention_in_days` to at least the required days (CloudWatch accepts 1, 3, 5, 7, 14, 30, 60, 90, 120, "
        "150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653). In REMEDIATE mode the pack "
        "raises it to the smallest accepted value ≥ minRetentionDays (an in-place update that keeps more)."
    ),
    resource_types=(LOG_GROUP,),
    security_hub=("CloudWatch.16",),
    config={
        "minRetentionDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": ALLOWED_DAYS[-1],
            "default": DEFAULT_MIN_DAYS,
            "description": "Fewest days a log group may keep events (0 / absent retention = never expire passes).",
        }
    },
)


def _min_days(r: Resource) -> int:
    return int(r.config.get("minRetentionDays", DEFAULT_MIN_DAYS))


def _too_short(r: Resource) -> float | None:
    days = r.get("retentionInDays")
    return float(days) if days is not None and 0 < float(days) < _min_days(r) else None


def remediate(r: Resource) -> dict[str, Any] | None:
    if _too_short(r) is None:
        return None
    days = next(d for d in ALLOWED_DAYS if d >= _min_days(r))
    return r.updated({"retentionInDays": days})


@resource_policy(SPEC, remediate=remediate)
def log_2_log_group_retention(r: Resource) -> Iterable[str]:
    days = _too_short(r)
    if days is not None:
        yield (
            f"CloudWatch log group {r.name!r}: retentionInDays is {days:g}; it must be at least {_min_days(r)} days "
            "(or 0 / unset: never expire)."
        )
