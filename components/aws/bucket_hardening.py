"""The lock-down of every S3 bucket the components create (``LockedBucket``, ``AuditTrail``'s log bucket)."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws


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
