"""DATA-3: every GCS bucket records access (usage logs or Cloud Storage data-access audit logs)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy

BUCKET = "gcp:storage/bucket:Bucket"
AUDIT_CONFIG = "gcp:projects/iAMAuditConfig:IAMAuditConfig"
#: Audit config services that include Cloud Storage.
STORAGE_SERVICES = frozenset({"storage.googleapis.com", "allServices"})

SPEC = Spec(
    control="DATA-3",
    name="data-3-gcs-access-logging",
    description=(
        "Every GCS bucket records access: logging.logBucket is set (usage logs), or the stack has a project "
        "IAMAuditConfig for storage.googleapis.com or allServices with a DATA_READ audit log config. GCP "
        "default: data-access audit logs off, no usage logs."
    ),
    remediation_steps=(
        "Set `logging={'log_bucket': log_bucket.name}` on the bucket, or enable data-access audit logs for Cloud "
        "Storage: `gcp.projects.IAMAuditConfig(project=..., service='storage.googleapis.com', audit_log_configs="
        "[{'log_type': 'DATA_READ'}, {'log_type': 'DATA_WRITE'}])`."
    ),
    resource_types=(BUCKET, AUDIT_CONFIG),
)


def _audits_storage_reads(config: Any) -> bool:
    # The stack's audit configs are taken to target the stack's project (one project per stack).
    return config.props.get("service") in STORAGE_SERVICES and any(
        c.get("logType") == "DATA_READ" for c in config.props.get("auditLogConfigs") or []
    )


@stack_policy(SPEC)
def data_3_gcs_access_logging(stack: Stack) -> Iterable[tuple[str, str | None]]:
    buckets = stack.of_type(BUCKET)
    if not buckets:
        return
    audited = Readings(stack.of_type(AUDIT_CONFIG), _audits_storage_reads)
    if any(audited.values()):
        return

    def decide(bucket: Any) -> Iterator[str]:
        if bucket.props.get("logging", {}).get("logBucket"):
            return
        audited.require()  # an audit config unknown at preview may enable DATA_READ for storage
        yield (
            f"{bucket.resource_type} {bucket.name!r}: logging.logBucket is not set and no IAMAuditConfig of the stack "
            "enables DATA_READ audit logs for storage.googleapis.com (GCP default: no access record); add one."
        )

    yield from stack.each(buckets, decide)
