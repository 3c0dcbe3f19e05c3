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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import PolicyResource

from aiwarden_policies.framework import Stack
from aiwarden_policies.lib.relations import target
from aiwarden_policies.lib.values import is_list, items

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


class Buckets:
    """The S3 buckets of a stack and, per bucket, its companions of the requested types."""

    def __init__(self, stack: Stack, *companion_types: str) -> None:
        self.buckets: list[PolicyResource] = stack.of_type(*BUCKETS)
        self._companions: dict[str, list[PolicyResource]] = {b.urn: [] for b in self.buckets}
        for companion in stack.of_type(*companion_types):
            # The name first: an id is often unknown until the bucket exists.
            bucket = target(companion, "bucket", self.buckets, ("bucket", "id"))
            if bucket is not None:
                self._companions[bucket.urn].append(companion)

    def companions(self, bucket: PolicyResource, *types: str) -> list[PolicyResource]:
        """The companions of ``bucket`` (optionally only of ``types``)."""
        found = self._companions.get(bucket.urn, [])
        return [c for c in found if not types or c.resource_type in types]

    def configurations(
        self, bucket: PolicyResource, types: tuple[str, ...], inline: str
    ) -> list[tuple[str, Any]]:
        """(label, configuration) pairs for one concern: the companions of ``types``, else the inline block(s)."""
        companions = self.companions(bucket, *types)
        if companions:
            return [(f"{c.resource_type.rsplit(':', 1)[1]} {c.name!r}", c.props) for c in companions]
        return [(f"inline {inline}", block) for block in blocks(bucket.props, inline)]

    def without(self, *types: str) -> Iterable[PolicyResource]:
        """Buckets with no companion of ``types``."""
        return (b for b in self.buckets if not self.companions(b, *types))


def kind(types: tuple[str, ...]) -> str:
    """The resource kind of a companion type tuple, for messages (``BucketVersioning``)."""
    return types[0].rsplit(":", 1)[1]
