"""S3 buckets and the split resources that configure them (DATA-1 … DATA-4 stack policies).

pulumi-aws 7 configures a bucket through companion resources (``BucketPublicAccessBlock``,
``BucketVersioning``, ...) whose ``bucket`` input names the bucket. A companion belongs to a
bucket when its ``bucket`` property depends on that bucket resource (known even at preview),
else when its ``bucket`` value equals the bucket's ``bucket`` (name) or ``id`` output. The
deprecated ``*V2`` tokens are the same resources.

The deprecated inline blocks of a bucket (``versioning``, ``logging``, ...) are singular on
``Bucket`` and plural lists on ``BucketV2``; ``blocks`` reads both. They count only when the bucket
has no companion for the concern: a stack policy sees the bucket's outputs, which the provider
fills with the state read at creation (before any companion applied), so they lag behind.

At preview a companion's bucket may be unknown (no property dependency on a bucket of the stack,
and a value or a bucket output unknown): it may configure any bucket, so a bucket's companions are
then unknown (``Unknown``) unless the question is only whether it has one and a known one says yes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from pulumi_policy import PolicyResource

from aiwarden_policies.contract.values import is_list, items
from aiwarden_policies.framework import Stack, Unknown, reading
from aiwarden_policies.lib.relations import target

BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
PUBLIC_ACCESS_BLOCK = ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",)
ACL = ("aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2")
POLICY = ("aws:s3/bucketPolicy:BucketPolicy",)
OWNERSHIP = ("aws:s3/bucketOwnershipControls:BucketOwnershipControls",)
ENCRYPTION = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
VERSIONING = ("aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2")
LOGGING = ("aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2")
LIFECYCLE = (
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
)
OBJECT_LOCK = (
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
)
#: Default encryption with KMS keys (SSE-KMS, DSSE-KMS).
KMS_ALGORITHMS = frozenset({"aws:kms", "aws:kms:dsse"})


def blocks(value: Mapping[str, Any] | None, key: str) -> list[Any]:
    """The ``key`` block(s) of ``value`` as a list: ``key`` (one object or a list) or its plural ``key + "s"``."""
    if not value:
        return []
    found = value.get(key)
    if found is None:
        found = value.get(key + "s")
    if found is None:
        return []
    return items(found) if is_list(found) else [found]


class Configuration(NamedTuple):
    """One configuration of a bucket for one concern: a companion's properties or an inline block."""

    label: str  # ``BucketVersioning 'data-versioning'`` / ``inline versioning``
    props: Any
    source: PolicyResource  # the companion, or the bucket for an inline block (``reading(source)``)


class Buckets:
    """The S3 buckets of a stack and, per bucket, its companions of the requested types."""

    def __init__(self, stack: Stack, *companion_types: str) -> None:
        self.buckets: list[PolicyResource] = stack.of_type(*BUCKETS)
        self._companions: dict[str, list[PolicyResource]] = {b.urn: [] for b in self.buckets}
        self._unresolved: list[tuple[PolicyResource, Unknown]] = []
        for companion in stack.of_type(*companion_types):
            try:
                with reading(companion):
                    # The name first: an id is often unknown until the bucket exists.
                    bucket = target(companion, "bucket", self.buckets, ("bucket", "id"))
            except Unknown as e:
                self._unresolved.append((companion, e))
                continue
            if bucket is not None:
                self._companions[bucket.urn].append(companion)

    def _unresolved_of(self, types: tuple[str, ...]) -> None:
        found = [e for c, e in self._unresolved if not types or c.resource_type in types]
        if found:
            raise Unknown(", ".join(e.message for e in found), found[0])

    def companions(self, bucket: PolicyResource, *types: str) -> list[PolicyResource]:
        """The companions of ``bucket`` (optionally only of ``types``); ``Unknown`` when a companion whose bucket
        is unknown at preview may be one of them."""
        self._unresolved_of(types)
        found = self._companions.get(bucket.urn, [])
        return [c for c in found if not types or c.resource_type in types]

    def has_companion(self, bucket: PolicyResource, *types: str) -> bool:
        """Whether ``bucket`` has a companion (of ``types``): a known one decides even at preview."""
        if any(not types or c.resource_type in types for c in self._companions.get(bucket.urn, [])):
            return True
        self._unresolved_of(types)
        return False

    def configurations(
        self, bucket: PolicyResource, types: tuple[str, ...], inline: str
    ) -> list[Configuration]:
        """The configurations of ``bucket`` for one concern: its companions of ``types``, else the inline block(s)."""
        companions = self.companions(bucket, *types)
        if companions:
            return [
                Configuration(f"{c.resource_type.rsplit(':', 1)[1]} {c.name!r}", c.props, c)
                for c in companions
            ]
        return [Configuration(f"inline {inline}", block, bucket) for block in blocks(bucket.props, inline)]


def kind(types: tuple[str, ...]) -> str:
    """The resource kind of a companion type tuple, for messages (``BucketVersioning``)."""
    return types[0].rsplit(":", 1)[1]


def encryption_defaults(config: Mapping[str, Any] | None) -> list[Any]:
    """The applyServerSideEncryptionByDefault blocks of an encryption configuration (split or inline)."""
    return [d for rule in blocks(config, "rule") for d in blocks(rule, "applyServerSideEncryptionByDefault")]


def object_locked(bucket: PolicyResource, buckets: Buckets) -> bool:
    """Whether Object Lock is on: ``objectLockEnabled`` true (absent: false), the deprecated inline
    ``objectLockConfiguration.objectLockEnabled`` Enabled, or a BucketObjectLockConfiguration companion
    (``buckets`` must hold the ``OBJECT_LOCK`` companions)."""
    if bucket.props.get("objectLockEnabled") is True:
        return True
    if any(
        block.get("objectLockEnabled") == "Enabled"
        for block in blocks(bucket.props, "objectLockConfiguration")
    ):
        return True
    return buckets.has_companion(bucket, *OBJECT_LOCK)
