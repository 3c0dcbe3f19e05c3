"""Hardened GCP components: keys, locked buckets, secret wiring, vector stores."""

from components.gcp.audit_config import AuditConfig, AuditConfigArgs, AuditSink
from components.gcp.key import Key, KeyArgs
from components.gcp.locked_bucket import (
    BucketGrant,
    CreateLogBucket,
    ExistingLogBucket,
    LockedBucket,
    LockedBucketArgs,
    Retention,
)
from components.gcp.pgvector_store import PgVectorStore, PgVectorStoreArgs
from components.gcp.secret_wiring import KubernetesBinding, Rotation, SecretWiring, SecretWiringArgs
from components.gcp.spend_guard import ExistingTopic, MetricAlert, SpendGuard, SpendGuardArgs
from components.gcp.vector_store import Deployment, PscConsumer, VectorStore, VectorStoreArgs

__all__ = [
    "AuditConfig",
    "AuditConfigArgs",
    "AuditSink",
    "BucketGrant",
    "CreateLogBucket",
    "Deployment",
    "ExistingLogBucket",
    "ExistingTopic",
    "Key",
    "KeyArgs",
    "KubernetesBinding",
    "LockedBucket",
    "LockedBucketArgs",
    "MetricAlert",
    "PgVectorStore",
    "PgVectorStoreArgs",
    "PscConsumer",
    "Retention",
    "Rotation",
    "SecretWiring",
    "SecretWiringArgs",
    "SpendGuard",
    "SpendGuardArgs",
    "VectorStore",
    "VectorStoreArgs",
]
