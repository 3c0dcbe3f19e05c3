"""AuditConfig: Data Access audit logs for the AI services of a project, optionally kept in a locked bucket.

Children (``<name>-<role>``): ``audit-<service>`` (``gcp.projects.IAMAuditConfig`` with ADMIN_READ,
DATA_READ and DATA_WRITE; one ``audit-all-services`` for ``allServices``); with ``sink``:
``cmek`` (a ``Key`` usable by Cloud Storage) unless an existing key is given, ``bucket`` (retention
policy, CMEK, public access prevention, uniform access, deletion protected), ``sink`` (a project
sink of every Cloud Audit Logs entry, with its own writer identity) and ``sink-writer``
(``roles/storage.objectCreator`` on that bucket only). Admin Activity audit logs are always on in
GCP; Data Access logs are off by default. Audit configuration is evidence, not an AI asset: it
records no inventory entry.
"""

from __future__ import annotations

import re
from typing import ClassVar

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from components._common import CreateKey, KeyChoice, Ownership
from components._common.protection import check_deletion_protection, deletion_protected
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import ProjectId
from components.gcp._project import lookup
from components.gcp.key import Key
from components.gcp.locked_bucket import BucketName, Retention, kms_location

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


class AuditSink(BaseModel):
    """Copy every audit log entry into a dedicated Cloud Storage bucket with a retention policy (IR-2)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
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

    model_config = ConfigDict(extra="forbid", frozen=True)

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
    deletion_protection: bool | None = Field(
        default=None,
        description="Pulumi `protect` and `deletion_policy=PREVENT` on the sink's bucket; None: on (provider "
        "default: DELETE); cannot be turned off in production.",
    )

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


def _slug(service: str) -> str:
    return (
        "all-services"
        if service == ALL_SERVICES
        else service.removesuffix(".googleapis.com").replace(".", "-")
    )


class AuditConfig(pulumi.ComponentResource):
    """Data Access audit logs for the AI services, and an optional locked audit log bucket.

    Children: ``configs`` (`<name>-audit-<service>`), ``key`` (`<name>-cmek`), ``bucket`` (`<name>-bucket`),
    ``sink`` (`<name>-sink`), ``sink_writer`` (`<name>-sink-writer`). Outputs: ``services``, ``bucketName``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("LOG-1", "IR-2", "DATA-1", "DATA-2", "DATA-3", "DATA-4", "INV-1")

    def __init__(self, name: str, args: AuditConfigArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        project = lookup(args.project)
        self.configs = {
            service: gcp.projects.IAMAuditConfig(
                f"{name}-audit-{_slug(service)}",
                project=project.id,
                service=service,
                audit_log_configs=[
                    gcp.projects.IAMAuditConfigAuditLogConfigArgs(log_type=log_type) for log_type in LOG_TYPES
                ],
                opts=child,
            )
            for service in args.audited()
        }
        self.key: Key | None = None
        self.bucket: gcp.storage.Bucket | None = None
        self.sink: gcp.logging.ProjectSink | None = None
        self.sink_writer: gcp.storage.BucketIAMMember | None = None
        if args.sink is not None:
            self._sink(name, args, args.sink, project.id)
        self.register_outputs(
            {"services": list(args.audited()), "bucketName": self.bucket.name if self.bucket else None}
        )

    def _sink(self, name: str, args: AuditConfigArgs, spec: AuditSink, project_id: str) -> None:
        resolved = resolve_key(
            f"{name}-cmek",
            spec.kms_key,
            ownership=args.ownership,
            location=kms_location(spec.location),
            project=args.project,
            agent="storage",
            parent=self,
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
            encryption=gcp.storage.BucketEncryptionArgs(
                default_kms_key_name=resolved.id,
                google_managed_encryption_enforcement_config=(
                    gcp.storage.BucketEncryptionGoogleManagedEncryptionEnforcementConfigArgs(
                        restriction_mode="FullyRestricted"
                    )
                ),
            ),
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
            opts=pulumi.ResourceOptions(parent=self, depends_on=resolved.depends_on, protect=protected),
        )
        self.sink = gcp.logging.ProjectSink(
            f"{name}-sink",
            project=project_id,
            description=f"aiwarden {name}: every Cloud Audit Logs entry into a locked bucket",
            destination=self.bucket.name.apply(lambda bucket: f"storage.googleapis.com/{bucket}"),
            filter=AUDIT_LOG_FILTER,
            unique_writer_identity=True,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.sink_writer = gcp.storage.BucketIAMMember(
            f"{name}-sink-writer",
            bucket=self.bucket.name,
            role="roles/storage.objectCreator",
            member=self.sink.writer_identity,
            opts=pulumi.ResourceOptions(parent=self),
        )
