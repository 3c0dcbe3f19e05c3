"""AuditConfig: Data Access audit logs for the AI services of a project, optionally kept in a locked bucket.

Children (``<name>-<role>``): ``audit-<service>`` (``gcp.projects.IAMAuditConfig`` with ADMIN_READ,
DATA_READ and DATA_WRITE; one ``audit-all-services`` for ``allServices``), only in the stack that owns
the project's audit configs (``manage_audit_config``, default true): an IAM audit config is authoritative
for its service, so two stacks writing it overwrite each other. They are registered with
``retain_on_delete`` (destroying the stack, or dropping a service, never turns Data Access logs off) and
Pulumi ``protect``. Every other stack of the project sets ``manage_audit_config=False``: it registers
no audit config and refuses to deploy unless the project's IAM policy already turns the log types on
(``gcp.projects.get_iam_policy``). With ``sink``:
``cmek`` (a ``Key`` usable by Cloud Storage) unless an existing key is given, ``bucket`` (retention
policy, CMEK, public access prevention, uniform access, deletion protected), ``sink`` (a project
sink of every Cloud Audit Logs entry, with its own writer identity) and ``sink-writer``
(``roles/storage.objectCreator`` on that bucket only). Admin Activity audit logs are always on in
GCP; Data Access logs are off by default. Audit configuration is evidence, not an AI asset: it
records no inventory entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, ClassVar

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from components._common import CreateKey, KeyChoice, Ownership
from components._common.protection import check_deletion_protection, deletion_protected
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import ProjectId
from components.gcp._project import KMS_API, enable_apis, enable_apis_field, lookup
from components.gcp.key import Key
from components.gcp.locked_bucket import STORAGE_API, BucketName, Retention, cmek_only, kms_location

TYPE = "aiwarden:gcp:AuditConfig"
#: Evidence, not an AI asset: no inventory record.
KIND = None
ALL_SERVICES = "allServices"
#: The services whose data access LOG-1 requires to be audited.
REQUIRED_SERVICES = ("storage.googleapis.com", "aiplatform.googleapis.com", "secretmanager.googleapis.com")
LOG_TYPES = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")
#: Every Cloud Audit Logs entry: Admin Activity, Data Access, System Event, Policy Denied.
AUDIT_LOG_FILTER = 'logName:"cloudaudit.googleapis.com"'
_DAY = 86400
_SERVICE = r"^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.googleapis\.com$"
#: IAM audit configs are part of the project's IAM policy (Cloud Resource Manager); the sink needs Cloud Logging.
RESOURCE_MANAGER_API = "cloudresourcemanager.googleapis.com"
LOGGING_API = "logging.googleapis.com"


class AuditSink(BaseModel):
    """Copy every audit log entry into a dedicated Cloud Storage bucket with a retention policy (IR-2)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    location: str = Field(
        pattern=r"^[A-Za-z]+[A-Za-z0-9-]*[0-9A-Za-z]$",
        description="Bucket location: a region (`us-central1`), multi-region (`US`) or dual-region (`NAM4`).",
    )
    bucket_name: BucketName | None = Field(
        default=None, description="Globally unique bucket name; default: Pulumi auto-naming."
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description="CMEK of the bucket: create a key (default) or an existing key in the bucket's location "
        "(provider default: Google-managed encryption).",
    )
    retention: Retention = Field(
        default_factory=lambda: Retention(days=400),
        description="Retention policy: entries cannot be deleted or replaced for this long (default 400 days, "
        "unlocked; provider default: none). Locking is opt-in and irreversible.",
    )
    expire_after_retention: bool = Field(
        default=True,
        description="Delete entries once the retention has passed (provider default: kept forever).",
    )


class AuditConfigArgs(BaseModel):
    """Inputs of ``AuditConfig``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(
        description="Owner and classification, labelled on the sink's bucket and key."
    )
    project: ProjectId | None = Field(default=None, description="Project to audit; default: the provider's.")
    services: tuple[str, ...] = Field(
        default=REQUIRED_SERVICES,
        description="Services whose ADMIN_READ, DATA_READ and DATA_WRITE logs are turned on; must include "
        "storage, aiplatform and secretmanager (LOG-1). Provider default: Data Access logs off.",
    )
    all_services: bool = Field(
        default=False,
        description="Turn the three log types on for every service (`allServices`) instead of `services`.",
    )
    sink: AuditSink | None = Field(
        default=None,
        description="Optional copy of every audit log entry into a locked bucket (default: Cloud Logging's own "
        "retention only).",
    )
    manage_audit_config: bool = Field(
        default=True,
        description="This stack owns the project's IAM audit configs of `services` (exactly one stack per project "
        "may: a config is authoritative per service, so two stacks overwrite each other). False: register none and "
        "refuse to deploy unless the project's IAM policy already enables ADMIN_READ, DATA_READ and DATA_WRITE for "
        "them (read with `gcp.projects.get_iam_policy`); the stack's LOG-1 evidence is then the owning stack's.",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="Pulumi `protect` on the audit configs and the sink's bucket, and `deletion_policy=PREVENT` on "
        "the bucket; None: on (provider default: DELETE); cannot be turned off in production. The audit configs "
        "are also `retain_on_delete`: a destroy never turns Data Access logs off.",
    )
    enable_apis: bool = enable_apis_field(RESOURCE_MANAGER_API, LOGGING_API, STORAGE_API, KMS_API)

    @field_validator("services")
    @classmethod
    def _services(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for service in value:
            if not re.fullmatch(_SERVICE, service):
                raise ValueError(f"{service!r} is not a service name like `aiplatform.googleapis.com`")
        if len(set(value)) != len(value):
            raise ValueError("a service is listed twice")
        missing = [s for s in REQUIRED_SERVICES if s not in value]
        if missing:
            raise ValueError(
                f"data access of {', '.join(missing)} must be audited (LOG-1); add them, or set all_services=True"
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> AuditConfigArgs:
        check_deletion_protection(self.deletion_protection, self.ownership)
        if self.sink is not None:
            check_key_choice(
                self.sink.kms_key, kms_location(self.sink.location), self.ownership, "sink.kms_key"
            )
        return self

    def audited(self) -> tuple[str, ...]:
        return (ALL_SERVICES,) if self.all_services else self.services


def missing_audit_logs(policy_data: str, services: Iterable[str]) -> list[str]:
    """``<service> (<log types>)`` for each of ``services`` whose ADMIN_READ, DATA_READ or DATA_WRITE an IAM
    policy (``policyData`` JSON: ``auditConfigs[].service`` / ``auditLogConfigs[].logType``) leaves off;
    ``allServices`` covers every service."""
    policy: dict[str, Any] = json.loads(policy_data or "{}")
    enabled: dict[str, set[str]] = {}
    for config in policy.get("auditConfigs") or []:
        types = {str(c.get("logType")) for c in config.get("auditLogConfigs") or []}
        enabled.setdefault(str(config.get("service")), set()).update(types)
    everywhere = enabled.get(ALL_SERVICES, set())
    gaps = []
    for service in services:
        missing = [t for t in LOG_TYPES if t not in enabled.get(service, set()) | everywhere]
        if missing:
            gaps.append(f"{service} ({', '.join(missing)})")
    return gaps


def _slug(service: str) -> str:
    return (
        "all-services"
        if service == ALL_SERVICES
        else service.removesuffix(".googleapis.com").replace(".", "-")
    )


class AuditConfig(pulumi.ComponentResource):
    """Data Access audit logs for the AI services, and an optional locked audit log bucket.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``configs`` (`<name>-audit-<service>`,
    with ``manage_audit_config``), ``key`` (`<name>-cmek`), ``bucket`` (`<name>-bucket`), ``sink``
    (`<name>-sink`), ``sink_writer`` (`<name>-sink-writer`). Outputs: ``services``, ``bucketName``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("LOG-1", "IR-2", "DATA-1", "DATA-2", "DATA-3", "DATA-4", "INV-1")

    def __init__(self, name: str, args: AuditConfigArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        project = lookup(args.project)
        apis = [RESOURCE_MANAGER_API]
        if args.sink is not None:
            apis += [
                LOGGING_API,
                STORAGE_API,
                *([KMS_API] if isinstance(args.sink.kms_key, CreateKey) else []),
            ]
        self.apis = enable_apis(name, apis, args.project, self) if args.enable_apis else []
        self.configs: dict[str, gcp.projects.IAMAuditConfig] = {}
        if args.manage_audit_config:
            owned = pulumi.ResourceOptions(
                parent=self,
                depends_on=self.apis,
                protect=deletion_protected(args.deletion_protection, True),
                retain_on_delete=True,
            )
            self.configs = {
                service: gcp.projects.IAMAuditConfig(
                    f"{name}-audit-{_slug(service)}",
                    project=project.id,
                    service=service,
                    audit_log_configs=[
                        gcp.projects.IAMAuditConfigAuditLogConfigArgs(log_type=log_type)
                        for log_type in LOG_TYPES
                    ],
                    opts=owned,
                )
                for service in args.audited()
            }
        else:
            self._check_owned(name, args, project.id)
        self.key: Key | None = None
        self.bucket: gcp.storage.Bucket | None = None
        self.sink: gcp.logging.ProjectSink | None = None
        self.sink_writer: gcp.storage.BucketIAMMember | None = None
        if args.sink is not None:
            self._sink(name, args, args.sink, project.id)
        self.register_outputs(
            {"services": list(args.audited()), "bucketName": self.bucket.name if self.bucket else None}
        )

    def _check_owned(self, name: str, args: AuditConfigArgs, project_id: str) -> None:
        """Another stack owns the audit configs: refuse to deploy if they do not cover ``args.audited()``."""
        policy = gcp.projects.get_iam_policy(project=project_id, opts=pulumi.InvokeOptions(parent=self))
        gaps = missing_audit_logs(policy.policy_data, args.audited())
        if gaps:
            raise ValueError(
                f"AuditConfig {name!r}: manage_audit_config=False, but the IAM policy of project {project_id!r} "
                f"leaves Data Access audit logs off for {'; '.join(gaps)} (control LOG-1). Deploy the stack that owns "
                "the project's audit configs (manage_audit_config=True, exactly one per project) first."
            )

    def _sink(self, name: str, args: AuditConfigArgs, spec: AuditSink, project_id: str) -> None:
        resolved = resolve_key(
            f"{name}-cmek",
            spec.kms_key,
            ownership=args.ownership,
            location=kms_location(spec.location),
            project=args.project,
            agents=("storage",),
            parent=self,
            after=self.apis,
        )
        self.key = resolved.key
        protected = deletion_protected(args.deletion_protection, True)
        retention = spec.retention
        # No versions exist (retention replaces versioning); the rule keeps it so if versioning is ever turned on.
        rules = [
            gcp.storage.BucketLifecycleRuleArgs(
                action=gcp.storage.BucketLifecycleRuleActionArgs(type="Delete"),
                condition=gcp.storage.BucketLifecycleRuleConditionArgs(days_since_noncurrent_time=1),
            )
        ]
        if spec.expire_after_retention:
            rules.append(
                gcp.storage.BucketLifecycleRuleArgs(
                    action=gcp.storage.BucketLifecycleRuleActionArgs(type="Delete"),
                    condition=gcp.storage.BucketLifecycleRuleConditionArgs(age=retention.days),
                )
            )
        self.bucket = gcp.storage.Bucket(
            f"{name}-bucket",
            name=spec.bucket_name,
            location=spec.location,
            project=args.project,
            public_access_prevention="enforced",
            uniform_bucket_level_access=True,
            encryption=cmek_only(resolved.id),
            # Cloud Storage refuses versioning together with a retention policy; retention keeps every entry.
            versioning=gcp.storage.BucketVersioningArgs(enabled=False),
            retention_policy=gcp.storage.BucketRetentionPolicyArgs(
                retention_period=str(retention.days * _DAY), is_locked=retention.lock
            ),
            lifecycle_rules=rules,
            force_destroy=False,
            requester_pays=False,
            deletion_policy="PREVENT" if protected else "DELETE",
            labels=args.ownership.gcp_labels(),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[*self.apis, *resolved.depends_on], protect=protected
            ),
        )
        self.sink = gcp.logging.ProjectSink(
            f"{name}-sink",
            project=project_id,
            description=f"aiwarden {name}: every Cloud Audit Logs entry into a locked bucket",
            destination=self.bucket.name.apply(lambda bucket: f"storage.googleapis.com/{bucket}"),
            filter=AUDIT_LOG_FILTER,
            unique_writer_identity=True,
            opts=pulumi.ResourceOptions(parent=self, depends_on=self.apis),
        )
        self.sink_writer = gcp.storage.BucketIAMMember(
            f"{name}-sink-writer",
            bucket=self.bucket.name,
            role="roles/storage.objectCreator",
            member=self.sink.writer_identity,
            opts=pulumi.ResourceOptions(parent=self),
        )
