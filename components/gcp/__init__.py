"""Hardened GCP components: keys, locked buckets, secret wiring, vector stores."""

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
from components.gcp.vector_store import Deployment, PscConsumer, VectorStore, VectorStoreArgs

__all__ = [
    "BucketGrant",
    "CreateLogBucket",
    "Deployment",
    "ExistingLogBucket",
    "Key",
    "KeyArgs",
    "KubernetesBinding",
    "LockedBucket",
    "LockedBucketArgs",
    "PgVectorStore",
    "PgVectorStoreArgs",
    "PscConsumer",
    "Retention",
    "Rotation",
    "SecretWiring",
    "SecretWiringArgs",
    "VectorStore",
    "VectorStoreArgs",
]
