"""The buckets of a stack that receive logs: evidence stores (IR-2), not AI assets (INV-2, LOG-1).

A bucket receives logs when it is the target of S3 server access logging
(``aws:s3/bucketLogging:BucketLogging.targetBucket``, deprecated V2 too), of a CloudTrail trail
(``aws:cloudtrail/trail:Trail.s3BucketName``), of a GCS bucket's access/storage logs
(``gcp:storage/bucket:Bucket.logging.logBucket``) or of a Cloud Logging sink
(``gcp:logging/projectSink:ProjectSink.destination`` = ``storage.googleapis.com/<bucket>``) or of
Bedrock model invocation logging (``loggingConfig.s3Config.bucketName``).

The target is found by property dependency first (known at preview), directly or one hop through a
resource that depends on the bucket by its ``bucket`` property (``s3_bucket_name=bucket_policy.bucket``);
else by value, the bucket's name (``bucket`` output on AWS, ``name`` on GCS). A source whose target
is unknown at preview (its value, or the name of every bucket it could match) is ``unresolved``: it
may send logs to any bucket not known to receive them (``LogBuckets.receives``). Targets that are not
resources of the stack cannot be checked here and are ignored.

An S3 server access log destination (``access_log_destination``) is a bucket whose only log sources
are ``BucketLogging`` resources of other buckets. S3 delivers access logs only to destinations with
SSE-S3 default encryption and without Object Lock
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html,
https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html): DATA-2 and IR-2 take
that into account for these buckets, and only for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyResource

from aiwarden_policies.framework import Readings, Stack, Unknown, get, reading
from aiwarden_policies.lib.relations import dependencies
from aiwarden_policies.lib.s3 import BUCKETS as AWS_BUCKETS, LOGGING, Buckets

GCS_BUCKET = "gcp:storage/bucket:Bucket"
BUCKET_TYPES = frozenset({*AWS_BUCKETS, GCS_BUCKET})
GCS_SINK_PREFIX = "storage.googleapis.com/"

#: Resource type -> (top-level property, dotted path inside it or "") that names the bucket its logs land in.
LOG_SOURCES: dict[str, tuple[str, str]] = {
    "aws:s3/bucketLogging:BucketLogging": ("targetBucket", ""),
    "aws:s3/bucketLoggingV2:BucketLoggingV2": ("targetBucket", ""),
    "aws:cloudtrail/trail:Trail": ("s3BucketName", ""),
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration": (
        "loggingConfig",
        "s3Config.bucketName",
    ),
    "gcp:logging/projectSink:ProjectSink": ("destination", ""),
    GCS_BUCKET: ("logging", "logBucket"),
}


@dataclass(frozen=True)
class LogBucket:
    bucket: PolicyResource
    sources: tuple[PolicyResource, ...]


def _bucket_name(source: PolicyResource) -> str | None:
    """The bucket name a source's property names, or None (absent, or another kind of destination)."""
    prop, path = LOG_SOURCES[source.resource_type]
    value: Any = source.props.get(prop)
    if path:
        value = get(value, path)
    if source.resource_type == "gcp:logging/projectSink:ProjectSink":
        if not (isinstance(value, str) and value.startswith(GCS_SINK_PREFIX)):
            return None
        value = value[len(GCS_SINK_PREFIX) :]
    return value if isinstance(value, str) and value else None


def _dependencies(source: PolicyResource, prop: str) -> list[PolicyResource]:
    found: list[PolicyResource] = []
    for dep in dependencies(source, prop):
        found += [dep] if dep.resource_type in BUCKET_TYPES else dependencies(dep, "bucket", *BUCKET_TYPES)
    return found


def _targets(source: PolicyResource, buckets: list[PolicyResource]) -> list[PolicyResource]:
    prop = LOG_SOURCES[source.resource_type][0]
    if prop not in set(source.props):
        return []  # e.g. a GCS bucket without a logging block (checked without reading any value)
    found = _dependencies(source, prop)
    if found:
        return found
    with reading(source):
        name = _bucket_name(source)
    if name is None:
        return []
    name_key = {GCS_BUCKET: "name"}
    names = Readings(buckets, lambda b: b.props.get(name_key.get(b.resource_type, "bucket")))
    matches = [b for b, found_name in names.known if found_name == name]
    if not matches:
        names.require()  # a bucket whose name is unknown may be the one
    return matches


@dataclass(frozen=True)
class LogBuckets:
    """The stack's buckets that receive logs (``targets``, by URN) and the log sources whose target bucket is
    unknown at preview (``unresolved``)."""

    targets: dict[str, LogBucket]
    unresolved: tuple[tuple[PolicyResource, Unknown], ...] = ()

    def receives(self, bucket: PolicyResource) -> bool:
        """Whether ``bucket`` receives logs; ``Unknown`` when it is not known to and an unresolved source may
        send it some."""
        if bucket.urn in self.targets:
            return True
        if self.unresolved:
            raise Unknown(", ".join(e.message for _, e in self.unresolved), self.unresolved[0][1])
        return False


def log_buckets(stack: Stack) -> LogBuckets:
    """The stack's buckets that receive logs, with the resources that send them logs."""
    buckets = stack.of_type(*BUCKET_TYPES)
    if not buckets:
        return LogBuckets({})
    sources: dict[str, list[PolicyResource]] = {}
    unresolved: list[tuple[PolicyResource, Unknown]] = []
    by_urn = {b.urn: b for b in buckets}
    for source in stack.of_type(*LOG_SOURCES):
        try:
            targets = _targets(source, buckets)
        except Unknown as e:
            unresolved.append((source, e))
            continue
        for target in targets:
            if target.urn != source.urn:
                sources.setdefault(target.urn, []).append(source)
    return LogBuckets(
        {urn: LogBucket(by_urn[urn], tuple(found)) for urn, found in sources.items() if urn in by_urn},
        tuple(unresolved),
    )


def access_log_destination(bucket: PolicyResource, logs: LogBuckets, buckets: Buckets) -> bool:
    """Whether ``bucket`` receives only S3 server access logs, of other buckets of the stack (``buckets`` must
    hold the ``LOGGING`` companions); ``Unknown`` at preview when it is not known to receive logs and a log
    source whose target is unknown may send it some."""
    target = logs.targets.get(bucket.urn)
    if target is None:
        logs.receives(bucket)  # Unknown when an unresolved source may log to it
        return False
    own = {c.urn for c in buckets.companions(bucket, *LOGGING)}  # a bucket logging into itself is not one
    return all(s.resource_type in LOGGING and s.urn not in own for s in target.sources)
