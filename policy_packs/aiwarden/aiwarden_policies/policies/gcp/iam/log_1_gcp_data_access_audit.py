"""LOG-1 (GCP): a stack with GCP AI assets turns on Data Access audit logs for the AI services.

Decisions:
- Applies when the stack has GCP AI assets.
- IAM audit configs of the project, folder or organization
  (``gcp:projects/iAMAuditConfig:IAMAuditConfig``, ``gcp:folder/iamAuditConfig:IamAuditConfig``,
  ``gcp:organizations/iamAuditConfig:IamAuditConfig``) together must enable ``auditLogConfigs``
  ``logType`` DATA_READ and DATA_WRITE for ``storage.googleapis.com``, ``aiplatform.googleapis.com``
  and ``secretmanager.googleapis.com`` (``service: allServices`` covers all three). Data Access
  logs are off by default (BigQuery aside); Admin Activity logs are always on.
- ``exemptedMembers`` are not interpreted. Gaps: one stack-level violation listing them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from aiwarden_policies.contract.values import items
from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.stack_assets import ai_assets, applies, names

AUDIT_CONFIGS = (
    "gcp:projects/iAMAuditConfig:IAMAuditConfig",
    "gcp:folder/iamAuditConfig:IamAuditConfig",
    "gcp:organizations/iamAuditConfig:IamAuditConfig",
)
SERVICES = ("storage.googleapis.com", "aiplatform.googleapis.com", "secretmanager.googleapis.com")
ALL_SERVICES = "allServices"
LOG_TYPES = ("DATA_READ", "DATA_WRITE")

SPEC = Spec(
    control="LOG-1",
    name="log-1-gcp-data-access-audit",
    description=(
        "A stack with GCP AI assets enables DATA_READ and DATA_WRITE audit logs (IAM audit config) for "
        "storage.googleapis.com, aiplatform.googleapis.com and secretmanager.googleapis.com (or allServices)."
    ),
    remediation_steps=(
        "For each service: `gcp.projects.IAMAuditConfig(..., project=<project>, service='aiplatform.googleapis.com', "
        "audit_log_configs=[IAMAuditConfigAuditLogConfigArgs(log_type='DATA_READ'), "
        "IAMAuditConfigAuditLogConfigArgs(log_type='DATA_WRITE')])`, or one config with `service='allServices'`."
    ),
    resource_types=AUDIT_CONFIGS,
)


@stack_policy(SPEC)
def log_1_gcp_data_access_audit(stack: Stack) -> Iterable[tuple[str, str | None]]:
    assets = [a for a in ai_assets(stack) if a.cloud == "gcp"]
    if not assets:
        return

    def audited() -> Iterator[str]:
        configs = Readings(
            stack.of_type(*AUDIT_CONFIGS),
            lambda c: (
                str(c.props.get("service")),
                {str(x.get("logType")) for x in items(c.props.get("auditLogConfigs"))},
            ),
        )
        enabled: dict[str, set[str]] = {}
        for service, types in configs.values():
            enabled.setdefault(service, set()).update(types)
        everywhere = enabled.get(ALL_SERVICES, set())
        gaps = []
        for service in SERVICES:
            missing = [t for t in LOG_TYPES if t not in enabled.get(service, set()) | everywhere]
            if missing:
                gaps.append(f"{service} ({', '.join(missing)})")
        if not gaps:
            return
        configs.require()  # a config unknown at preview may enable the rest
        applies(assets)
        yield (
            f"The stack holds GCP AI assets {names(assets)} but Data Access audit logs are off (GCP default) for: "
            f"{'; '.join(gaps)}. Add IAM audit configs with those log types."
        )

    yield from stack.whole(audited)
