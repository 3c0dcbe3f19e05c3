"""AWS data-plane components: keys, locked buckets, secret wiring, vector stores (OpenSearch, pgvector)."""

from components.aws.audit_trail import (
    AuditTrail,
    AuditTrailArgs,
    CloudWatchDelivery,
    CreateTrailBucket,
    ExistingTrailBucket,
)
from components.aws.key import Key, KeyArgs
from components.aws.locked_bucket import (
    CreateLogBucket,
    ExistingLogBucket,
    LockedBucket,
    LockedBucketArgs,
    ObjectLock,
)
from components.aws.secret_wiring import (
    FunctionRotation,
    ManualRotation,
    PodIdentity,
    Reader,
    SecretWiring,
    SecretWiringArgs,
)
from components.aws.spend_guard import MetricAlarm, SpendGuard, SpendGuardArgs
from components.aws.vector_database import DatabaseNetwork, VectorDatabase, VectorDatabaseArgs
from components.aws.vector_store import Network, VectorStore, VectorStoreArgs

__all__ = [
    "AuditTrail",
    "AuditTrailArgs",
    "CloudWatchDelivery",
    "CreateLogBucket",
    "CreateTrailBucket",
    "DatabaseNetwork",
    "ExistingLogBucket",
    "ExistingTrailBucket",
    "FunctionRotation",
    "Key",
    "KeyArgs",
    "LockedBucket",
    "LockedBucketArgs",
    "ManualRotation",
    "MetricAlarm",
    "Network",
    "ObjectLock",
    "PodIdentity",
    "Reader",
    "SecretWiring",
    "SecretWiringArgs",
    "SpendGuard",
    "SpendGuardArgs",
    "VectorDatabase",
    "VectorDatabaseArgs",
    "VectorStore",
    "VectorStoreArgs",
]
