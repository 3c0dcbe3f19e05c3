"""LockedBucket: an S3 bucket for AI data that is private, encrypted, versioned and access-logged by default.

Children (``<name>-<role>``): ``bucket``, ``public-access-block`` (all four true), ``encryption``
(SSE-KMS with a bucket key, SSE-C blocked), ``versioning``, ``ownership`` (BucketOwnerEnforced),
``policy`` (TLS only, uploads only under the bucket's key, optionally only the principals of
``access`` (``read`` grants may not write) / named VPC endpoints, then the user's statements), ``logging``, ``lifecycle`` (noncurrent versions expire),
optional ``object-lock``; ``key`` (a ``Key``) unless an existing key is given; and, unless an
existing log bucket is named, an ``access-logs`` bucket (``bucket_hardening.AccessLogBucket``: SSE-S3, the only
default encryption S3 log delivery supports, with its own lock-down) that nobody can delete logs from.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aiwarden_policies.contract import assets
from components._common import AssetRecord, CreateKey, Grant, KeyChoice, Ownership, PublicAccess, record_asset
from components._common.access import only, principals
from components._common.inventory import asset_kind
from components._common.json_document import Join, joined
from components._common.ownership import Slug
from components._common.protection import deletion_protected
from components.aws._account import current_account
from components.aws._documents import (
    Statement,
    check_statements,
    deny_insecure_transport,
    document,
    wildcard_allows,
)
from components.aws._identifiers import BucketName, PrincipalArn, VpcEndpointId
from components.aws._key_choice import FIELD_DESCRIPTION, ResolvedKey, check_key_choice, resolve_key
from components.aws._tags import aws_tags
from components.aws.bucket_hardening import (
    AccessLogBucket,
    BucketHardening,
    lifecycle_rules,
    lock_objects,
    log_access,
)

TYPE = "aiwarden:aws:LockedBucket"
KIND = asset_kind(assets.DATASET_BUCKET)
#: Object actions the optional principal / VPC endpoint restrictions deny. Bucket-level actions stay with IAM:
#: the deployment itself needs them (the provider's HeadBucket is authorized as s3:ListBucket).
DATA_ACTIONS = ("s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject")
#: Object writes and deletes that ``read`` grants (principals without a ``write`` grant) are denied.
WRITE_ACTIONS = ("s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject")
#: The roles ``access`` accepts: ``read`` (object reads), ``write`` (object reads, writes and deletes).
BucketRole = Literal["read", "write"]
_PREFIX = r"^[A-Za-z0-9!_.*'()/-]{0,200}$"


class CreateLogBucket(BaseModel):
    """Create a dedicated access-log bucket ``<name>-access-logs`` (SSE-S3, no deletes, expiring logs)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["create"] = "create"
    prefix: str = Field(default="s3-access/", pattern=_PREFIX, description="Key prefix of the log objects.")
    retention_days: int = Field(
        default=400,
        ge=90,
        le=3650,
        description="Log objects expire after this many days (provider: kept forever).",
    )


class ExistingLogBucket(BaseModel):
    """Deliver access logs to an existing (central) log bucket that already allows S3 log delivery."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["existing"] = "existing"
    bucket: BucketName = Field(description="Name of the log bucket (a string or an Output, passed through).")
    prefix: str = Field(default="s3-access/", pattern=_PREFIX, description="Key prefix of the log objects.")


LogBucketChoice = Annotated[CreateLogBucket | ExistingLogBucket, Field(discriminator="kind")]


class ObjectLock(BaseModel):
    """Default object retention for evidence buckets (WORM). COMPLIANCE mode cannot be shortened or removed."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    mode: Literal["GOVERNANCE", "COMPLIANCE"] = Field(
        default="GOVERNANCE",
        description="GOVERNANCE (privileged users may bypass) or COMPLIANCE (nobody may).",
    )
    days: int = Field(ge=1, le=36500, description="Default retention of every new object version, in days.")
    confirm_irreversible: bool = Field(
        default=False,
        description="Must be true for COMPLIANCE: objects cannot be deleted before they expire.",
    )


class LockedBucketArgs(BaseModel):
    """Inputs of ``LockedBucket``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child.")
    bucket_name: BucketName | None = Field(
        default=None, description="Physical bucket name; default: Pulumi auto-naming from the resource name."
    )
    kms_key: KeyChoice | None = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}; None: SSE-S3, refused for confidential/restricted data "
        "(provider default: SSE-S3).",
    )
    access_logs: LogBucketChoice = Field(
        default_factory=CreateLogBucket,
        description="Server access logging: a dedicated log bucket (default) or an existing one "
        "(provider default: no access logging).",
    )
    noncurrent_version_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="Noncurrent versions expire after this many days (provider default: kept forever).",
    )
    abort_incomplete_upload_days: int = Field(
        default=7, ge=1, le=365, description="Incomplete multipart uploads are aborted after this many days."
    )
    access: dict[Slug, Grant[PrincipalArn, BucketRole]] = Field(
        default_factory=dict,
        description="Who may use the objects, by name: `read` = object reads (writes and deletes denied), `write` "
        "= object reads, writes and deletes. If set, object reads/writes by any other principal are denied, and "
        "only these principals may use the created key (ARNs or Outputs, passed through). IAM policies of the "
        "principals must still allow the actions. Provider default: no restriction.",
    )
    allowed_vpc_endpoints: dict[Slug, VpcEndpointId] = Field(
        default_factory=dict,
        description="If set, object reads/writes not coming through these VPC endpoints are denied "
        "(AWS services acting for a principal excepted). Provider default: no restriction.",
    )
    object_lock: ObjectLock | None = Field(
        default=None, description="Default object retention for evidence buckets (provider default: none)."
    )
    public_access: PublicAccess | None = Field(
        default=None,
        description="Explicit opt-in, with justification, for policy statements that make the bucket public; "
        "refused for restricted data in production. Default: public access is blocked (all four settings).",
    )
    policy_statements: tuple[dict[str, Any], ...] = Field(
        default=(),
        description="Extra bucket policy statements (IAM JSON), appended after the mandatory ones; a statement "
        "without Resource applies to the bucket and its objects.",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="Pulumi `protect` on the buckets (a destroy fails until it is lifted); None: on for restricted "
        "data in production (IR-2), else off (Pulumi default: off).",
    )

    @field_validator("policy_statements")
    @classmethod
    def _statements(cls, value: tuple[Any, ...]) -> tuple[Statement, ...]:
        return check_statements("policy_statements", value)

    @model_validator(mode="after")
    def _safe(self) -> LockedBucketArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        lock = self.object_lock
        if lock is not None and lock.mode == "COMPLIANCE" and not lock.confirm_irreversible:
            raise ValueError(
                "object_lock.confirm_irreversible: COMPLIANCE retention cannot be shortened or removed by anyone "
                "(the bucket cannot be deleted until every object expires); set it to true, or use GOVERNANCE"
            )
        public = wildcard_allows(self.policy_statements)
        if public and self.public_access is None:
            raise ValueError(
                f"policy_statements[{public[0]}]: a wildcard principal without a narrowing condition makes the "
                "bucket public; name the principals, add a condition (aws:SourceVpce, aws:PrincipalOrgID), or opt "
                "in with public_access=PublicAccess(justification=...)"
            )
        if self.public_access is not None:
            o = self.ownership
            if o.environment == "production" and o.data_classification == "restricted":
                raise ValueError(
                    "public_access: restricted data in production is never public; remove public_access"
                )
            if not public:
                raise ValueError(
                    "public_access: no policy statement grants public access, so the opt-in would only weaken the "
                    "public access block; remove public_access"
                )
        return self

    def protected(self) -> bool:
        """Whether the buckets carry Pulumi ``protect``."""
        o = self.ownership
        return deletion_protected(
            self.deletion_protection, o.environment == "production" and o.data_classification == "restricted"
        )


def _bucket_resources(arn: pulumi.Output[str]) -> list[Any]:
    return [arn, Join(arn, "/*")]


def bucket_policy(
    args: LockedBucketArgs, arn: pulumi.Output[str], key_arn: pulumi.Output[str] | None
) -> pulumi.Output[str]:
    """Mandatory statements (TLS, encryption, restrictions, read-only grants), then the user's (default Resource:
    this bucket)."""
    resources = _bucket_resources(arn)
    objects = Join(arn, "/*")
    statements: list[Statement] = [
        deny_insecure_transport(resources, "s3"),
        {
            "Sid": "DenyOutdatedTls",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": resources,
            "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}},
        },
    ]
    if key_arn is not None:
        statements += [
            {
                "Sid": "DenyOtherEncryption",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": objects,
                "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}},
            },
            {
                "Sid": "DenyOtherKeys",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": objects,
                "Condition": {
                    "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn}
                },
            },
        ]
    if args.access:
        statements.append(
            {
                "Sid": "DenyOtherPrincipals",
                "Effect": "Deny",
                "Principal": "*",
                "Action": list(DATA_ACTIONS),
                "Resource": resources,
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": principals(args.access)}},
            }
        )
    if args.allowed_vpc_endpoints:
        statements.append(
            {
                "Sid": "DenyOtherNetworkPaths",
                "Effect": "Deny",
                "Principal": "*",
                "Action": list(DATA_ACTIONS),
                "Resource": resources,
                "Condition": {
                    "StringNotEquals": {"aws:SourceVpce": list(args.allowed_vpc_endpoints.values())},
                    "BoolIfExists": {"aws:ViaAWSService": "false"},
                },
            }
        )
    read_only = only(args.access, "read", unless=("write",))
    if read_only:
        statements.append(
            {
                "Sid": "DenyWritesByReaders",
                "Effect": "Deny",
                "Principal": "*",
                "Action": list(WRITE_ACTIONS),
                "Resource": resources,
                "Condition": {"ArnLike": {"aws:PrincipalArn": read_only}},
            }
        )
    extra = [
        s if "Resource" in s or "NotResource" in s else {**s, "Resource": resources}
        for s in args.policy_statements
    ]
    return document([*statements, *extra])


class LockedBucket(pulumi.ComponentResource):
    """A private, KMS-encrypted, versioned, access-logged S3 bucket (see the module docstring for children).

    Outputs: ``bucketName``, ``bucketArn``, ``kmsKeyArn`` (None with SSE-S3), ``accessLogBucket``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("DATA-1", "DATA-2", "DATA-3", "DATA-4", "INV-1", "IR-2")

    bucket: aws.s3.Bucket
    hardening: BucketHardening
    policy: aws.s3.BucketPolicy
    logging: aws.s3.BucketLogging
    object_lock: aws.s3.BucketObjectLockConfiguration | None
    key: ResolvedKey | None
    log_bucket: aws.s3.Bucket | None
    log_hardening: BucketHardening | None
    log_policy: aws.s3.BucketPolicy | None

    def __init__(self, name: str, args: LockedBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        keep = pulumi.ResourceOptions(parent=self, protect=args.protected())
        public = args.public_access is not None
        logs = args.access_logs
        self.key = None
        if args.kms_key is not None:
            self.key = resolve_key(
                name,
                args.kms_key,
                args.ownership,
                self,
                services=("s3",),
                users={name: grant.principal for name, grant in args.access.items()},
            )
        key_arn = self.key.arn if self.key else None

        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=args.bucket_name,
            force_destroy=False,
            object_lock_enabled=args.object_lock is not None,
            tags=aws_tags(args.ownership, args.public_access.justification if args.public_access else None),
            opts=keep,
        )
        lifecycle = lifecycle_rules(args.noncurrent_version_days, args.abort_incomplete_upload_days)
        self.hardening = BucketHardening(name, self.bucket, key_arn, public, lifecycle, child)
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=self.bucket.bucket,
            policy=bucket_policy(args, self.bucket.arn, key_arn),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.hardening.public_access_block]),
        )
        self.object_lock = None
        if args.object_lock is not None:
            self.object_lock = lock_objects(
                name, self.bucket, args.object_lock.mode, args.object_lock.days, self.hardening, self
            )

        self.log_bucket, self.log_hardening, self.log_policy = None, None, None
        target: Any = (
            logs.bucket if isinstance(logs, ExistingLogBucket) else self._create_log_bucket(name, args, logs)
        )
        self.logging = log_access(
            name, self.bucket, target, logs.prefix, self, [self.log_policy] if self.log_policy else []
        )
        record_asset(
            AssetRecord(
                name=f"{name}-bucket",
                kind=KIND,
                ownership=args.ownership,
                exposure="public" if public else "private",
                identities=tuple(principals(args.access)),
                buckets_to_inspect=(self.bucket.bucket,),
                logs_to_preserve=(joined("s3://", target, "/", logs.prefix),),
                containment=f"Attach a deny-all statement to the {name} bucket policy (keep the access logs), "
                "then disable its KMS key if data must become unreadable.",
            )
        )
        self.register_outputs(
            {
                "bucketName": self.bucket.bucket,
                "bucketArn": self.bucket.arn,
                "kmsKeyArn": key_arn,
                "accessLogBucket": target,
            }
        )

    def _create_log_bucket(
        self, name: str, args: LockedBucketArgs, logs: CreateLogBucket
    ) -> pulumi.Output[str]:
        """The dedicated access-log bucket (SSE-S3: S3 log delivery supports no SSE-KMS destination); returns its
        name."""
        created = AccessLogBucket(
            name,
            self.bucket.arn,
            logs.prefix,
            logs.retention_days,
            args.abort_incomplete_upload_days,
            aws_tags(args.ownership),
            current_account(self),
            self,
            args.protected(),
        )
        self.log_bucket, self.log_hardening, self.log_policy = (
            created.bucket,
            created.hardening,
            created.policy,
        )
        return created.bucket.bucket
