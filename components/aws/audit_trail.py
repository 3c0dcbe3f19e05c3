"""AuditTrail: the stack's CloudTrail trail, multi-region, validated, KMS-encrypted, into a locked log bucket.

Children (``<name>-<role>``): ``key`` (a ``Key``: CloudTrail may generate data keys, decrypt and
describe it for this trail only, CloudWatch Logs may use it for the trail's log group only, the
account's principals use it only through S3) unless an existing key is given; unless an existing
bucket is named, ``bucket`` (object lock with a default retention, SSE-KMS with an S3 Bucket Key),
its lock-down ``public-access-block``, ``encryption``, ``versioning``, ``ownership``, ``lifecycle``
(the same as ``LockedBucket``'s), ``object-lock`` and ``policy`` (TLS only; CloudTrail of this trail
may check the ACL and deliver; nobody else writes; nobody deletes or bypasses the retention), and
its server access logging (CIS AWS 3.6): ``logging`` into ``access-logs`` (an ``AccessLogBucket``:
SSE-S3, the only encryption S3 log delivery supports) with its own lock-down and ``access-logs-policy``;
``trail``; unless ``cloudwatch_logs`` opts out by name (CIS AWS 3.4): ``log-group`` (KMS, retention
>= 365 days, deletion protection), ``cloudwatch-role`` and ``cloudwatch-delivery``
(CreateLogStream/PutLogEvents on that group only).

Key policy with an S3 Bucket Key: S3 asks KMS for a bucket-level key whose encryption context is the
bucket ARN, not CloudTrail's ``aws:cloudtrail:arn``
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html), and CloudTrail needs
``kms:Decrypt`` to create or update a trail that delivers to a bucket with a Bucket Key
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
So CloudTrail's statements are limited by ``aws:SourceArn`` (this trail) instead of the CloudTrail
encryption context, and CloudTrail may decrypt; readers decrypt through S3 (the key's ``KeyUsage``).

Event selectors (advanced): every management event (read and write); S3 object data events (read
and write) for the named ``dataset_buckets``; S3 object reads of the trail's own log buckets (who
read the evidence; their writes are the trail's and S3's own deliveries, recording them would loop);
and the SageMaker / Bedrock data event types when asked for. An audit trail is evidence, not an AI
asset: it records no inventory entry.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, model_validator

from components._common import CreateKey, KeyChoice, Ownership
from components._common.json_document import Join, joined
from components._common.ownership import Slug
from components._common.protection import deletion_protected
from components.aws._account import current_account
from components.aws._documents import Statement, deny_insecure_transport, document, logs_may_use_key
from components.aws._identifiers import BucketName
from components.aws._key_choice import FIELD_DESCRIPTION, check_key_choice, resolve_key
from components.aws._tags import aws_tags
from components.aws._where import Where, where
from components.aws.bucket_hardening import (
    AccessLogBucket,
    BucketHardening,
    lifecycle_rules,
    lock_objects,
    log_access,
)
from components.aws.key import Key
from components.aws.locked_bucket import ObjectLock

TYPE = "aiwarden:aws:AuditTrail"
#: Evidence, not an AI asset: no inventory record.
KIND = None
CLOUDTRAIL = "cloudtrail.amazonaws.com"
S3_OBJECT = "AWS::S3::Object"
#: Data event resource types (advanced selectors only) per AI service.
SAGEMAKER_DATA_EVENTS = ("AWS::SageMaker::Endpoint", "AWS::SageMaker::FeatureStore")
BEDROCK_DATA_EVENTS = (
    "AWS::Bedrock::AgentAlias",
    "AWS::Bedrock::FlowAlias",
    "AWS::Bedrock::Guardrail",
    "AWS::Bedrock::KnowledgeBase",
)
#: CloudWatch Logs retention values of at least a year (LOG-2's evidence period).
LogRetention = Literal[365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
_TRAIL_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$"
_LOG_GROUP_NAME = r"^[A-Za-z0-9_./#-]{1,512}$"
#: Key prefix of the trail bucket's server access logs in its access-log bucket.
ACCESS_LOG_PREFIX = "s3-access/"


class CreateTrailBucket(BaseModel):
    """Create a dedicated log bucket: locked down like a ``LockedBucket``, with object lock retention."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["create"] = "create"
    bucket_name: BucketName | None = Field(
        default=None, description="Physical bucket name; default: Pulumi auto-naming from the resource name."
    )
    retention_days: int = Field(
        default=400,
        ge=365,
        le=3650,
        description="Log files expire after this many days (provider default: kept forever; at least a year).",
    )
    object_lock: ObjectLock = Field(
        default_factory=lambda: ObjectLock(mode="GOVERNANCE", days=365),
        description="Default retention of every log file (WORM); GOVERNANCE by default, and the bucket policy "
        "denies bypassing it to everyone (provider default: no object lock).",
    )


class ExistingTrailBucket(BaseModel):
    """Deliver to an existing (central, locked) log bucket whose policy already allows this trail."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["existing"] = "existing"
    bucket: BucketName = Field(description="Name of the log bucket (a string or an Output, passed through).")


TrailBucketChoice = Annotated[CreateTrailBucket | ExistingTrailBucket, Field(discriminator="kind")]


class CloudWatchDelivery(BaseModel):
    """Also deliver events to a CloudWatch Logs group (CIS AWS 3.4: metric filters and alarms on them)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["deliver"] = "deliver"
    log_group_name: str | None = Field(
        default=None,
        pattern=_LOG_GROUP_NAME,
        description="Log group name; default `/aiwarden/cloudtrail/<trail name>`.",
    )
    retention_days: LogRetention = Field(
        default=400, description="Retention of the log group, at least 365 days (provider default: forever)."
    )


class NoCloudWatchDelivery(BaseModel):
    """Opt out of CloudWatch Logs delivery (CIS AWS 3.4), by name and with a reason: it lands in the trail's
    ``aiwarden-exception`` tag (e.g. the organization trail already delivers to a central log group)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["none"] = "none"
    justification: str = Field(
        min_length=20,
        description="Why this trail needs no CloudWatch Logs delivery, who approved it, until when.",
    )


CloudWatchChoice = Annotated[CloudWatchDelivery | NoCloudWatchDelivery, Field(discriminator="kind")]


class AuditTrailArgs(BaseModel):
    """Inputs of ``AuditTrail``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child.")
    trail_name: str | None = Field(
        default=None,
        pattern=_TRAIL_NAME,
        description="Trail name (the key and bucket policies name this trail's ARN); default "
        "`aiwarden-<project>-<stack>-<name>`.",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}. An existing key must already let CloudTrail encrypt for this trail. "
        "Provider default: SSE-S3 only.",
    )
    log_bucket: TrailBucketChoice = Field(
        default_factory=CreateTrailBucket,
        description="Where log files go: a dedicated locked bucket (default) or an existing one.",
    )
    dataset_buckets: dict[Slug, BucketName] = Field(
        default_factory=dict,
        description="Buckets whose S3 object reads and writes are recorded as data events, by name (bucket "
        "names or Outputs): the datasets, and their access-log buckets (provider default: no data events).",
    )
    sagemaker_data_events: bool = Field(
        default=False,
        description=f"Record SageMaker data events ({', '.join(SAGEMAKER_DATA_EVENTS)}); CloudTrail does not "
        "record InvokeEndpoint (use data capture or API Gateway access logs).",
    )
    bedrock_data_events: bool = Field(
        default=False, description=f"Record Bedrock data events ({', '.join(BEDROCK_DATA_EVENTS)})."
    )
    cloudwatch_logs: CloudWatchChoice = Field(
        default_factory=CloudWatchDelivery,
        description="Delivery to a KMS-encrypted CloudWatch Logs group (CIS AWS 3.4): `CloudWatchDelivery()` "
        "(default) or `NoCloudWatchDelivery(justification=...)` (provider default: no delivery).",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="Pulumi `protect` on the log bucket; None: on in production (evidence, IR-2), else off "
        "(Pulumi default: off).",
    )

    @model_validator(mode="after")
    def _safe(self) -> AuditTrailArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        bucket = self.log_bucket
        if isinstance(bucket, CreateTrailBucket):
            lock = bucket.object_lock
            if lock.mode == "COMPLIANCE" and not lock.confirm_irreversible:
                raise ValueError(
                    "log_bucket.object_lock.confirm_irreversible: COMPLIANCE retention cannot be shortened or "
                    "removed by anyone; set it to true, or use GOVERNANCE"
                )
            if lock.days > bucket.retention_days:
                raise ValueError(
                    f"log_bucket.retention_days={bucket.retention_days} is shorter than the object lock "
                    f"({lock.days} days): log files could never expire on time; raise retention_days"
                )
        return self

    def protected(self) -> bool:
        """Whether the log bucket carries Pulumi ``protect``."""
        return deletion_protected(self.deletion_protection, self.ownership.environment == "production")


def default_trail_name(name: str) -> str:
    raw = f"aiwarden-{pulumi.get_project()}-{pulumi.get_stack()}-{name}"
    return re.sub(r"[^A-Za-z0-9._-]", "-", raw)[:128]


def key_statements(place: Where, trail_arn: str, log_group: str | None) -> tuple[Statement, ...]:
    """What CloudTrail (and CloudWatch Logs) need on the trail's key, beyond the Key component's own.

    The trail bucket uses an S3 Bucket Key: KMS sees the bucket ARN as encryption context, never CloudTrail's
    ``aws:cloudtrail:arn``, so CloudTrail's statements are limited to this trail by ``aws:SourceArn``, and
    CloudTrail may decrypt (required to create or update a trail that delivers to a Bucket-Key bucket). The
    account's principals read log files through S3 (``KeyUsage``: ``kms:ViaService`` S3, ``kms:CallerAccount``).
    """
    this_trail = {"StringEquals": {"aws:SourceArn": trail_arn}}
    statements: list[Statement] = [
        {
            "Sid": "CloudTrailEncryptsThisTrail",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": this_trail,
        },
        {
            "Sid": "CloudTrailDecryptsForTheBucketKey",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL},
            "Action": "kms:Decrypt",
            "Resource": "*",
            "Condition": this_trail,
        },
        {
            "Sid": "CloudTrailDescribesKey",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL},
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": this_trail,
        },
    ]
    if log_group is not None:
        statements.append(
            logs_may_use_key("CloudWatchLogsEncryptsTheTrailGroup", place, place.log_group_arn(log_group))
        )
    return tuple(statements)


def bucket_policy(bucket_arn: pulumi.Output[str], place: Where, trail_arn: str) -> pulumi.Output[str]:
    """TLS only; this trail checks the ACL and delivers; nobody else writes; nobody deletes or bypasses the lock."""
    objects = Join(bucket_arn, "/*")
    return document(
        [
            deny_insecure_transport([bucket_arn, objects], "s3"),
            {
                "Sid": "CloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "s3:GetBucketAcl",
                "Resource": bucket_arn,
                "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
            },
            {
                "Sid": "CloudTrailDelivery",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "s3:PutObject",
                "Resource": Join(bucket_arn, f"/AWSLogs/{place.account}/*"),
                "Condition": {
                    "StringEquals": {"aws:SourceArn": trail_arn, "s3:x-amz-acl": "bucket-owner-full-control"}
                },
            },
            {
                "Sid": "DenyOtherWriters",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": objects,
                "Condition": {"StringNotEquals": {"aws:PrincipalServiceName": CLOUDTRAIL}},
            },
            {
                "Sid": "DenyLogDeletion",
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"],
                "Resource": objects,
            },
        ]
    )


_FieldSelector = aws.cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs


def _equals(name: str, value: str) -> _FieldSelector:
    return _FieldSelector(field=name, equals=[value])


def event_selectors(
    args: AuditTrailArgs, partition: str, own_buckets: list[pulumi.Output[str]]
) -> list[aws.cloudtrail.TrailAdvancedEventSelectorArgs]:
    """Management events; S3 data events of the datasets; reads of the trail's own buckets (log files, access
    logs); AI data events."""
    selector = aws.cloudtrail.TrailAdvancedEventSelectorArgs

    def objects(bucket: Any) -> pulumi.Output[str]:
        return joined(f"arn:{partition}:s3:::", bucket, "/")

    selectors = [selector(name="Management events", field_selectors=[_equals("eventCategory", "Management")])]
    if args.dataset_buckets:
        selectors.append(
            selector(
                name="S3 object data events of the datasets",
                field_selectors=[
                    _equals("eventCategory", "Data"),
                    _equals("resources.type", S3_OBJECT),
                    _FieldSelector(
                        field="resources.ARN",
                        starts_withs=[objects(b) for b in args.dataset_buckets.values()],
                    ),
                ],
            )
        )
    if own_buckets:
        selectors.append(
            selector(
                name="S3 object reads of the trail's log buckets",
                field_selectors=[
                    _equals("eventCategory", "Data"),
                    _equals("resources.type", S3_OBJECT),
                    _equals("readOnly", "true"),
                    _FieldSelector(field="resources.ARN", starts_withs=[objects(b) for b in own_buckets]),
                ],
            )
        )
    types = (SAGEMAKER_DATA_EVENTS if args.sagemaker_data_events else ()) + (
        BEDROCK_DATA_EVENTS if args.bedrock_data_events else ()
    )
    selectors += [
        selector(
            name=f"{kind} data events",
            field_selectors=[_equals("eventCategory", "Data"), _equals("resources.type", kind)],
        )
        for kind in types
    ]
    return selectors


class AuditTrail(pulumi.ComponentResource):
    """A multi-region, validated, KMS-encrypted CloudTrail trail into a locked bucket (see the module docstring).

    Outputs: ``trailArn``, ``logBucket``, ``kmsKeyArn``, ``logGroupName`` (None without CloudWatch),
    ``accessLogBucket`` (None with an existing log bucket).
    """

    CONTROLS: ClassVar[tuple[str, ...]] = (
        "LOG-1",
        "LOG-2",
        "IR-2",
        "DATA-1",
        "DATA-2",
        "DATA-3",
        "DATA-4",
        "INV-1",
    )

    key: Key | None
    bucket: aws.s3.Bucket | None
    hardening: BucketHardening | None
    object_lock: aws.s3.BucketObjectLockConfiguration | None
    policy: aws.s3.BucketPolicy | None
    access_logs: AccessLogBucket | None
    logging: aws.s3.BucketLogging | None
    log_group: aws.cloudwatch.LogGroup | None
    cloudwatch_role: aws.iam.Role | None
    cloudwatch_delivery: aws.iam.RolePolicy | None
    trail: aws.cloudtrail.Trail

    def __init__(self, name: str, args: AuditTrailArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        tags = aws_tags(args.ownership)
        place = where(self)
        trail_name = args.trail_name or default_trail_name(name)
        trail_arn = place.arn("cloudtrail", f"trail/{trail_name}")
        cloudwatch = args.cloudwatch_logs
        log_group_name = None
        if isinstance(cloudwatch, CloudWatchDelivery):
            log_group_name = cloudwatch.log_group_name or f"/aiwarden/cloudtrail/{trail_name}"

        resolved = resolve_key(
            name,
            args.kms_key,
            args.ownership,
            self,
            services=("s3",),
            description=f"aiwarden {name}: CloudTrail trail {trail_name}",
            policy_statements=key_statements(place, trail_arn, log_group_name),
        )
        self.key, key_arn = resolved.created, resolved.arn

        self.bucket, self.hardening, self.object_lock, self.policy = None, None, None, None
        self.access_logs, self.logging = None, None
        depends: list[pulumi.Resource] = [self.key] if self.key else []
        target: Any
        if isinstance(args.log_bucket, CreateTrailBucket):
            target, created = self._create_bucket(name, args, args.log_bucket, key_arn, place, trail_arn)
            depends += created
        else:
            target = args.log_bucket.bucket

        self.log_group, self.cloudwatch_role, self.cloudwatch_delivery = None, None, None
        cloudwatch_inputs: dict[str, Any] = {}
        if isinstance(cloudwatch, CloudWatchDelivery) and log_group_name is not None:
            cloudwatch_inputs, created = self._cloudwatch(
                name, cloudwatch, log_group_name, key_arn, place, trail_arn, tags
            )
            depends += created

        own_buckets: list[pulumi.Output[str]] = []
        if self.bucket is not None and self.access_logs is not None:
            own_buckets = [self.bucket.bucket, self.access_logs.bucket.bucket]
        exception = cloudwatch.justification if isinstance(cloudwatch, NoCloudWatchDelivery) else None
        self.trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=trail_name,
            s3_bucket_name=target,
            is_multi_region_trail=True,
            include_global_service_events=True,
            is_organization_trail=False,
            enable_log_file_validation=True,
            enable_logging=True,
            kms_key_id=key_arn,
            advanced_event_selectors=event_selectors(args, place.partition, own_buckets),
            tags=aws_tags(args.ownership, exception),
            opts=pulumi.ResourceOptions(parent=self, depends_on=depends),
            **cloudwatch_inputs,
        )
        self.register_outputs(
            {
                "trailArn": self.trail.arn,
                "logBucket": target,
                "kmsKeyArn": key_arn,
                "logGroupName": log_group_name,
                "accessLogBucket": self.access_logs.bucket.bucket if self.access_logs else None,
            }
        )

    def _create_bucket(
        self,
        name: str,
        args: AuditTrailArgs,
        spec: CreateTrailBucket,
        key_arn: pulumi.Output[str],
        place: Where,
        trail_arn: str,
    ) -> tuple[pulumi.Output[str], list[pulumi.Resource]]:
        """The locked log bucket, its lock-down, default retention and policy; returns its name and what the
        trail waits for."""
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=spec.bucket_name,
            force_destroy=False,
            object_lock_enabled=True,
            tags=aws_tags(args.ownership),
            opts=pulumi.ResourceOptions(parent=self, protect=args.protected()),
        )
        lifecycle = lifecycle_rules(30, 7, spec.retention_days)
        child = pulumi.ResourceOptions(parent=self)
        self.hardening = BucketHardening(name, self.bucket, key_arn, False, lifecycle, child)
        self.object_lock = lock_objects(
            name, self.bucket, spec.object_lock.mode, spec.object_lock.days, self.hardening, self
        )
        arn = joined(f"arn:{place.partition}:s3:::", self.bucket.bucket)
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=self.bucket.bucket,
            policy=bucket_policy(arn, place, trail_arn),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.hardening.public_access_block]),
        )
        # CIS AWS 3.6: server access logging of the trail bucket, into an SSE-S3 bucket (S3 log delivery supports
        # no SSE-KMS destination).
        self.access_logs = AccessLogBucket(
            name,
            arn,
            ACCESS_LOG_PREFIX,
            spec.retention_days,
            7,
            aws_tags(args.ownership),
            current_account(self),
            self,
            args.protected(),
        )
        self.logging = log_access(
            name,
            self.bucket,
            self.access_logs.bucket.bucket,
            ACCESS_LOG_PREFIX,
            self,
            [self.access_logs.policy],
        )
        return self.bucket.bucket, [self.object_lock, self.policy]

    def _cloudwatch(
        self,
        name: str,
        spec: CloudWatchDelivery,
        log_group_name: str,
        key_arn: pulumi.Output[str],
        place: Where,
        trail_arn: str,
        tags: dict[str, str],
    ) -> tuple[dict[str, Any], list[pulumi.Resource]]:
        """The log group, the role CloudTrail delivers with, its policy; returns the trail's CloudWatch inputs and
        what the trail waits for."""
        child = pulumi.ResourceOptions(parent=self)
        group_arn = place.log_group_arn(log_group_name)
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-log-group",
            name=log_group_name,
            kms_key_id=key_arn,
            retention_in_days=spec.retention_days,
            deletion_protection_enabled=True,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.key] if self.key else []),
        )
        self.cloudwatch_role = aws.iam.Role(
            f"{name}-cloudwatch-role",
            description=f"CloudTrail {trail_arn} delivers to {log_group_name}",
            # No aws:SourceArn / aws:SourceAccount: CloudTrail documents that confused deputy conditions do not apply
            # to the CloudWatch Logs role (cloudtrail-required-policy-for-cloudwatch-logs.html).
            assume_role_policy=document(
                [{"Effect": "Allow", "Principal": {"Service": CLOUDTRAIL}, "Action": "sts:AssumeRole"}]
            ),
            tags=tags,
            opts=child,
        )
        self.cloudwatch_delivery = aws.iam.RolePolicy(
            f"{name}-cloudwatch-delivery",
            role=self.cloudwatch_role.id,
            policy=document(
                [
                    {
                        "Sid": "DeliverToTheTrailGroup",
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": f"{group_arn}:log-stream:*",
                    }
                ]
            ),
            opts=child,
        )
        inputs = {
            "cloud_watch_logs_group_arn": f"{group_arn}:*",
            "cloud_watch_logs_role_arn": self.cloudwatch_role.arn,
        }
        return inputs, [self.log_group, self.cloudwatch_delivery]
