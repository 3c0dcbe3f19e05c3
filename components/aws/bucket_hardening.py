"""The lock-down of every S3 bucket the components create (``LockedBucket``, ``AuditTrail``'s log bucket), and
the server access logging of those buckets into a dedicated access-log bucket (``AccessLogBucket``).

An access-log bucket is SSE-S3 (AES256), never SSE-KMS, and has no Object Lock: S3 server access logging
delivers only to destination buckets whose default encryption is SSE-S3, and to none with Object Lock; the
logs are otherwise silently not delivered
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html,
https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html). What replaces the lock:
versioning, and a bucket policy that denies deleting objects and versions to everyone (lifecycle expiration
still applies). It holds no object data, only request records; the policy pack's DATA-2 and IR-2 S3 checks
recognise it as the ``targetBucket`` of a ``BucketLogging`` of the stack.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from components._common.json_document import Join
from components.aws._account import Account
from components.aws._documents import deny_insecure_transport, document

#: The service principal of S3 server access log delivery.
LOG_DELIVERY = "logging.s3.amazonaws.com"


class BucketHardening:
    """The lock-down every aiwarden bucket gets: PAB, encryption, versioning, ownership, lifecycle."""

    def __init__(
        self,
        name: str,
        bucket: aws.s3.Bucket,
        key_arn: pulumi.Output[str] | None,
        public: bool,
        lifecycle: list[aws.s3.BucketLifecycleConfigurationRuleArgs],
        opts: pulumi.ResourceOptions,
    ) -> None:
        target = bucket.bucket
        self.public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=target,
            block_public_acls=True,
            ignore_public_acls=True,
            block_public_policy=not public,
            restrict_public_buckets=not public,
            opts=opts,
        )
        default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs
        by_default = (
            default(sse_algorithm="AES256")
            if key_arn is None
            else default(sse_algorithm="aws:kms", kms_master_key_id=key_arn)
        )
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=target,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=by_default,
                    bucket_key_enabled=key_arn is not None,
                    blocked_encryption_types=["SSE-C"],
                )
            ],
            opts=opts,
        )
        self.versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=target,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=opts,
        )
        self.ownership_controls = aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=target,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=opts,
        )
        self.lifecycle = aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=target,
            rules=lifecycle,
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[self.versioning])),
        )


def lifecycle_rules(
    noncurrent_days: int, abort_days: int, expire_days: int | None = None
) -> list[aws.s3.BucketLifecycleConfigurationRuleArgs]:
    """Noncurrent versions expire, incomplete uploads are aborted, current objects optionally expire."""
    return [
        aws.s3.BucketLifecycleConfigurationRuleArgs(
            id="expire-old-versions",
            status="Enabled",
            filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
            noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                noncurrent_days=noncurrent_days
            ),
            abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                days_after_initiation=abort_days
            ),
            expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=expire_days)
            if expire_days
            else None,
        )
    ]


def lock_objects(
    name: str,
    bucket: aws.s3.Bucket,
    mode: str,
    days: int,
    hardening: BucketHardening,
    parent: pulumi.Resource,
) -> aws.s3.BucketObjectLockConfiguration:
    """``<name>-object-lock``: the default retention of every object, once versioning is on."""
    return aws.s3.BucketObjectLockConfiguration(
        f"{name}-object-lock",
        bucket=bucket.bucket,
        object_lock_enabled="Enabled",
        rule=aws.s3.BucketObjectLockConfigurationRuleArgs(
            default_retention=aws.s3.BucketObjectLockConfigurationRuleDefaultRetentionArgs(
                mode=mode, days=days
            )
        ),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[hardening.versioning]),
    )


def _bucket_resources(arn: Any) -> list[Any]:
    return [arn, Join(arn, "/*")]


def log_bucket_policy(log_arn: Any, prefix: str, source_arn: Any, account: Account) -> pulumi.Output[str]:
    """TLS only; S3 log delivery for the source bucket only (``aws:SourceArn``, ``aws:SourceAccount``); nobody
    deletes logs (the lifecycle expires them)."""
    return document(
        [
            deny_insecure_transport(_bucket_resources(log_arn), "s3"),
            {
                "Sid": "AllowServerAccessLogDelivery",
                "Effect": "Allow",
                "Principal": {"Service": LOG_DELIVERY},
                "Action": "s3:PutObject",
                "Resource": Join(log_arn, "/", prefix, "*"),
                "Condition": {
                    "ArnLike": {"aws:SourceArn": source_arn},
                    "StringEquals": {"aws:SourceAccount": account.id},
                },
            },
            {
                "Sid": "DenyLogDeletion",
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"],
                "Resource": Join(log_arn, "/*"),
            },
        ]
    )


class AccessLogBucket:
    """``<name>-access-logs``: where the S3 server access logs of one source bucket land.

    SSE-S3 (the only default encryption log delivery supports), public access blocked, versioning,
    ``BucketOwnerEnforced``, logs expire after ``retention_days``; no Object Lock (S3 does not deliver access
    logs to a bucket with it): the policy denies deleting log objects and versions to everyone instead (IR-2);
    TLS only; only ``logging.s3.amazonaws.com`` for the source bucket writes.
    """

    def __init__(
        self,
        name: str,
        source_arn: pulumi.Input[str],
        prefix: str,
        retention_days: int,
        abort_days: int,
        tags: dict[str, str],
        account: Account,
        parent: pulumi.Resource,
        protect: bool,
    ) -> None:
        self.bucket = aws.s3.Bucket(
            f"{name}-access-logs",
            force_destroy=False,
            object_lock_enabled=False,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=parent, protect=protect),
        )
        child = pulumi.ResourceOptions(parent=parent)
        lifecycle = lifecycle_rules(30, abort_days, retention_days)
        self.hardening = BucketHardening(f"{name}-access-logs", self.bucket, None, False, lifecycle, child)
        self.policy = aws.s3.BucketPolicy(
            f"{name}-access-logs-policy",
            bucket=self.bucket.bucket,
            policy=log_bucket_policy(self.bucket.arn, prefix, source_arn, account),
            opts=pulumi.ResourceOptions(parent=parent, depends_on=[self.hardening.public_access_block]),
        )


def log_access(
    name: str,
    source: aws.s3.Bucket,
    target: pulumi.Input[str],
    prefix: str,
    parent: pulumi.Resource,
    after: list[pulumi.Resource],
) -> aws.s3.BucketLogging:
    """``<name>-logging``: server access logging of ``source`` into ``target`` under ``prefix``, partitioned by
    event time, once ``after`` (the target's bucket policy) exists."""
    return aws.s3.BucketLogging(
        f"{name}-logging",
        bucket=source.bucket,
        target_bucket=target,
        target_prefix=prefix,
        target_object_key_format=aws.s3.BucketLoggingTargetObjectKeyFormatArgs(
            partitioned_prefix=aws.s3.BucketLoggingTargetObjectKeyFormatPartitionedPrefixArgs(
                partition_date_source="EventTime"
            )
        ),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=after),
    )
