"""LockedBucket: a Cloud Storage bucket that is private, CMEK-encrypted, versioned and access-logged.

Encryption: the default key is the CMEK, and objects written with Google-managed (GMEK) or customer-supplied
(CSEK) encryption are refused (encryption enforcement configs), so nothing escapes the key.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import assets
from components._common import AssetRecord, CreateKey, Grant, KeyChoice, Ownership, record_asset
from components._common.access import principals
from components._common.inventory import asset_kind
from components._common.json_document import joined
from components._common.ownership import Slug
from components._common.protection import check_deletion_protection, deletion_protected
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import Member, ProjectId
from components.gcp._project import KMS_API, enable_apis, enable_apis_field

TYPE = "aiwarden:gcp:LockedBucket"
KIND = asset_kind(assets.DATASET_BUCKET)
_DAY = 86400
#: The roles ``access`` accepts, and the predefined role each grants on the bucket.
BucketRole = Literal["read", "write"]
BUCKET_ROLES: dict[str, str] = {"read": "roles/storage.objectViewer", "write": "roles/storage.objectUser"}
#: Cloud Storage writes usage logs as this group; it needs objectCreator on the log bucket.
USAGE_LOG_WRITER = "group:cloud-storage-analytics@google.com"
STORAGE_API = "storage.googleapis.com"
FULLY_RESTRICTED = "FullyRestricted"
#: Predefined dual-regions take a key in the multi-region that contains them.
_DUAL_REGION_KEY_LOCATION = {
    "nam4": "us",
    "eur4": "eu",
    "eur5": "eu",
    "eur7": "eu",
    "eur8": "eu",
    "asia1": "asia",
}


def _bucket_name(value: str) -> str:
    if value.startswith("goog") or "google" in value:
        raise ValueError(
            f"{value!r}: Cloud Storage refuses bucket names starting with `goog` or containing `google`"
        )
    return value


BucketName = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]$",
        description="3-63 lowercase letters, digits, `-`, `_`, `.`; not starting with `goog`, no `google`.",
    ),
    AfterValidator(_bucket_name),
]


def kms_location(bucket_location: str) -> str:
    """The KMS location a CMEK must be in to encrypt a bucket in ``bucket_location``."""
    lowered = bucket_location.lower()
    return _DUAL_REGION_KEY_LOCATION.get(lowered, lowered)


def cmek_only(key_id: pulumi.Input[str]) -> gcp.storage.BucketEncryptionArgs:
    """``key_id`` as the bucket's default key; new objects under Google-managed (GMEK) or customer-supplied (CSEK)
    encryption are refused, so every object is under the CMEK (provider default: both allowed)."""
    return gcp.storage.BucketEncryptionArgs(
        default_kms_key_name=key_id,
        google_managed_encryption_enforcement_config=(
            gcp.storage.BucketEncryptionGoogleManagedEncryptionEnforcementConfigArgs(
                restriction_mode=FULLY_RESTRICTED
            )
        ),
        customer_supplied_encryption_enforcement_config=(
            gcp.storage.BucketEncryptionCustomerSuppliedEncryptionEnforcementConfigArgs(
                restriction_mode=FULLY_RESTRICTED
            )
        ),
    )


class Retention(BaseModel):
    """A bucket retention policy: objects cannot be deleted or replaced before ``days``.

    Cloud Storage does not allow Object Versioning together with a retention policy: a bucket with
    retention is not versioned (retention already prevents overwrite and deletion).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    days: int = Field(
        ge=1, le=36500, description="Retention period in days (no provider default: no retention)."
    )
    lock: bool = Field(
        default=False,
        description="Lock the policy (Bucket Lock). IRREVERSIBLE: it can never be removed or shortened, and the "
        "bucket cannot be deleted until every object has aged out. Needs `confirm_irreversible_lock`.",
    )
    confirm_irreversible_lock: bool = Field(
        default=False,
        description="Must be true when `lock` is true: the explicit confirmation that locking is permanent.",
    )

    @model_validator(mode="after")
    def _lock_is_confirmed(self) -> Retention:
        if self.lock and not self.confirm_irreversible_lock:
            raise ValueError(
                "retention.lock=True locks the retention policy forever (it can never be removed or shortened); "
                "set retention.confirm_irreversible_lock=True to confirm, or leave lock=False"
            )
        return self


class CreateLogBucket(BaseModel):
    """Create a dedicated access-log bucket next to the data bucket (same key, locked down the same way).

    The retention policy keeps every log object (Cloud Storage allows no Object Versioning with it); a lifecycle
    rule deletes log objects once the retention has passed, so usage logs are not kept forever.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["create"] = "create"
    retention: Retention = Field(
        default_factory=lambda: Retention(days=365),
        description="Retention of the access logs (default 365 days, unlocked) so that evidence survives (IR-2).",
    )
    expire_after_retention: bool = Field(
        default=True,
        description="Delete log objects once the retention has passed (lifecycle `age` = retention days; provider "
        "default: kept forever).",
    )


class ExistingLogBucket(BaseModel):
    """Send access logs to an existing bucket (it must grant objectCreator to the usage-log writer group)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["existing"] = "existing"
    name: BucketName = Field(description="Name of the existing log bucket.")


LogBucketChoice = Annotated[CreateLogBucket | ExistingLogBucket, Field(discriminator="kind")]


class LockedBucketArgs(BaseModel):
    """Inputs of ``LockedBucket``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, stamped as labels on every bucket.")
    location: str = Field(
        pattern=r"^[A-Za-z]+[A-Za-z0-9-]*[0-9A-Za-z]$",
        description="Bucket location: a region (`us-central1`), multi-region (`US`) or dual-region (`NAM4`).",
    )
    project: ProjectId | None = Field(
        default=None, description="Project of the buckets; default: the provider's."
    )
    bucket_name: BucketName | None = Field(
        default=None,
        description="Globally unique bucket name; default: Pulumi auto-naming from the resource name.",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description="CMEK: create a key (default; rotation on) or an existing key in the bucket's location. "
        "Provider default: Google-managed encryption.",
    )
    noncurrent_version_days: int = Field(
        default=90, ge=1, le=3650, description="Noncurrent object versions are deleted after this many days."
    )
    soft_delete_days: int = Field(
        default=30,
        ge=7,
        le=90,
        description="Soft-deleted objects stay restorable this long (provider default: 7).",
    )
    retention: Retention | None = Field(
        default=None,
        description="Optional retention policy (default none; versioning then stays on). Locking is opt-in only.",
    )
    access_logs: LogBucketChoice = Field(
        default_factory=CreateLogBucket,
        description="Where usage logs go: a dedicated log bucket (default) or an existing one. Provider default: none.",
    )
    access: dict[Slug, Grant[Member, BucketRole]] = Field(
        default_factory=dict,
        description="Who may use the objects, by name: `read` = `roles/storage.objectViewer`, `write` = "
        "`roles/storage.objectUser`, on this bucket only. IAM members naming one principal; allUsers, "
        "allAuthenticatedUsers, domains, wildcards and default service accounts are refused.",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="Pulumi `protect` and `deletion_policy=PREVENT` on the buckets; None: on (provider default: "
        "DELETE, unprotected); cannot be turned off in production.",
    )
    enable_apis: bool = enable_apis_field(STORAGE_API, KMS_API)

    @model_validator(mode="after")
    def _key_in_bucket_location(self) -> LockedBucketArgs:
        check_key_choice(self.kms_key, kms_location(self.location), self.ownership, "kms_key")
        check_deletion_protection(self.deletion_protection, self.ownership)
        return self

    def protected(self) -> bool:
        """Whether the buckets carry Pulumi ``protect`` and ``deletion_policy=PREVENT``."""
        return deletion_protected(self.deletion_protection, True)


class LockedBucket(pulumi.ComponentResource):
    """A private, CMEK-encrypted, versioned, access-logged Cloud Storage bucket.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``key`` (`<name>-cmek`, a ``Key`` when
    ``CreateKey``), ``log_bucket`` (`<name>-logs`)
    and ``log_writer`` (`<name>-logs-writer`) when ``CreateLogBucket``, ``bucket`` (`<name>-bucket`),
    ``grants`` (`<name>-grant-<grant>`, one per ``access`` grant). Outputs: ``bucketName``, ``bucketUrl``,
    ``logBucketName``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("DATA-1", "DATA-2", "DATA-3", "DATA-4", "INV-1", "IR-2")

    def __init__(self, name: str, args: LockedBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        apis = [STORAGE_API, *([KMS_API] if isinstance(args.kms_key, CreateKey) else [])]
        self.apis = enable_apis(name, apis, args.project, self) if args.enable_apis else []
        resolved = resolve_key(
            f"{name}-cmek",
            args.kms_key,
            ownership=args.ownership,
            location=kms_location(args.location),
            project=args.project,
            agents=("storage",),
            parent=self,
            after=self.apis,
        )
        self.key = resolved.key
        after_key = pulumi.ResourceOptions(
            parent=self, depends_on=[*self.apis, *resolved.depends_on], protect=args.protected()
        )
        self.log_bucket: gcp.storage.Bucket | None = None
        self.log_writer: gcp.storage.BucketIAMMember | None = None
        log_bucket_name: pulumi.Input[str]
        if isinstance(args.access_logs, CreateLogBucket):
            logs = args.access_logs
            self.log_bucket = self._bucket(
                f"{name}-logs",
                args,
                None,
                logs.retention,
                None,
                resolved.id,
                after_key,
                expire_days=logs.retention.days if logs.expire_after_retention else None,
            )
            self.log_writer = gcp.storage.BucketIAMMember(
                f"{name}-logs-writer",
                bucket=self.log_bucket.name,
                role="roles/storage.objectCreator",
                member=USAGE_LOG_WRITER,
                opts=pulumi.ResourceOptions(parent=self),
            )
            log_bucket_name = self.log_bucket.name
        else:
            log_bucket_name = args.access_logs.name
        logging = gcp.storage.BucketLoggingArgs(log_bucket=log_bucket_name, log_object_prefix=name)
        self.bucket = self._bucket(
            f"{name}-bucket", args, args.bucket_name, args.retention, logging, resolved.id, after_key
        )
        self.grants = {
            grant: gcp.storage.BucketIAMMember(
                f"{name}-grant-{grant}",
                bucket=self.bucket.name,
                role=BUCKET_ROLES[g.role],
                member=g.principal,
                opts=pulumi.ResourceOptions(parent=self),
            )
            for grant, g in args.access.items()
        }
        self._record(name, args, log_bucket_name)
        self.register_outputs(
            {"bucketName": self.bucket.name, "bucketUrl": self.bucket.url, "logBucketName": log_bucket_name}
        )

    def _bucket(
        self,
        resource_name: str,
        args: LockedBucketArgs,
        bucket_name: str | None,
        retention: Retention | None,
        logging: gcp.storage.BucketLoggingArgs | None,
        key_id: pulumi.Input[str],
        opts: pulumi.ResourceOptions,
        expire_days: int | None = None,
    ) -> gcp.storage.Bucket:
        """One hardened bucket; ``retention`` replaces versioning (Cloud Storage allows only one of them);
        ``expire_days``: objects are deleted at that age (log buckets)."""
        rules = [
            gcp.storage.BucketLifecycleRuleArgs(
                action=gcp.storage.BucketLifecycleRuleActionArgs(type="Delete"),
                condition=gcp.storage.BucketLifecycleRuleConditionArgs(
                    days_since_noncurrent_time=args.noncurrent_version_days
                ),
            )
        ]
        if expire_days is not None:
            rules.append(
                gcp.storage.BucketLifecycleRuleArgs(
                    action=gcp.storage.BucketLifecycleRuleActionArgs(type="Delete"),
                    condition=gcp.storage.BucketLifecycleRuleConditionArgs(age=expire_days),
                )
            )
        return gcp.storage.Bucket(
            resource_name,
            name=bucket_name,
            location=args.location,
            project=args.project,
            public_access_prevention="enforced",
            uniform_bucket_level_access=True,
            encryption=cmek_only(key_id),
            versioning=gcp.storage.BucketVersioningArgs(enabled=retention is None),
            retention_policy=None
            if retention is None
            else gcp.storage.BucketRetentionPolicyArgs(
                retention_period=str(retention.days * _DAY), is_locked=retention.lock
            ),
            soft_delete_policy=gcp.storage.BucketSoftDeletePolicyArgs(
                retention_duration_seconds=args.soft_delete_days * _DAY
            ),
            lifecycle_rules=rules,
            logging=logging,
            force_destroy=False,
            requester_pays=False,
            deletion_policy="PREVENT" if args.protected() else "DELETE",
            labels=args.ownership.gcp_labels(),
            opts=opts,
        )

    def _record(self, name: str, args: LockedBucketArgs, log_bucket_name: pulumi.Input[str]) -> None:
        identities = tuple(principals(args.access))
        logs = (
            joined("gs://", log_bucket_name, f"/{name}"),
            "Cloud Audit Logs data access (storage.googleapis.com) of the bucket's project",
        )
        record_asset(
            AssetRecord(
                name=f"{name}-bucket",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=identities,
                credentials_to_revoke=identities,
                buckets_to_inspect=(self.bucket.name,),
                logs_to_preserve=logs,
                containment="Remove the bucket's IAM grants; disable the CMEK key version to make every object "
                "unreadable at once.",
            )
        )
