"""The AWS platform: every component's inputs planned from stack config, then registered.

Planning builds every ``*Args`` before anything registers, so that a refusal names the
``aiwarden:`` key and leaves no half-built stack. Registration: a ``LockedBucket`` per dataset,
the ``VectorStore`` if configured, a ``SecretWiring`` per provider secret (keys created by each
component), then the ``AuditTrail`` (S3 data events for every dataset bucket and its access-log
bucket) and the ``SpendGuard``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from components.aws.audit_trail import AuditTrail, AuditTrailArgs, CloudWatchDelivery, CreateTrailBucket
from components.aws.locked_bucket import LockedBucket, LockedBucketArgs
from components.aws.secret_wiring import ManualRotation, Reader, SecretWiring, SecretWiringArgs
from components.aws.spend_guard import SpendGuard, SpendGuardArgs
from components.aws.vector_store import Network, VectorStore, VectorStoreArgs
from components.platform.config import (
    DatasetConfig,
    NetworkConfig,
    PlatformConfig,
    ProviderSecretConfig,
    VectorStoreConfig,
    component_args,
)

#: Object writes and deletes that a dataset's readers (who are not also writers) are denied.
WRITE_ACTIONS = ("s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject")


def dataset_statements(dataset: DatasetConfig) -> tuple[dict[str, Any], ...]:
    """Readers that are not writers may not write or delete objects (the bucket already denies everyone else)."""
    read_only = sorted(set(dataset.readers.values()) - set(dataset.writers.values()))
    if not read_only:
        return ()
    return (
        {
            "Sid": "DenyWritesByReaders",
            "Effect": "Deny",
            "Principal": "*",
            "Action": list(WRITE_ACTIONS),
            "Condition": {"ArnLike": {"aws:PrincipalArn": read_only}},
        },
    )


def _dataset(cfg: PlatformConfig, dataset: DatasetConfig) -> LockedBucketArgs:
    principals = {f"reader-{k}": arn for k, arn in dataset.readers.items()}
    principals |= {f"writer-{k}": arn for k, arn in dataset.writers.items()}
    return LockedBucketArgs(
        ownership=cfg.ownership_model(dataset.classification),
        allowed_principals=principals,
        policy_statements=dataset_statements(dataset),
    )


def _vector_store(cfg: PlatformConfig, store: VectorStoreConfig) -> VectorStoreArgs:
    network = store.network
    assert isinstance(network, NetworkConfig) and store.collection_name is not None  # PlatformConfig._aws
    return VectorStoreArgs(
        ownership=cfg.ownership_model(),
        collection_name=store.collection_name,
        network=Network(
            vpc_id=network.vpc_id,
            subnet_ids=tuple(network.subnet_ids),
            security_group_ids=tuple(network.security_group_ids),
        ),
        readers=store.readers,
        writers=store.writers,
    )


def _secret(cfg: PlatformConfig, secret: ProviderSecretConfig) -> SecretWiringArgs:
    return SecretWiringArgs(
        ownership=cfg.ownership_model(),
        description=secret.description or "provider credential; the value is put out of band",
        readers={reader: Reader(role_arn=arn) for reader, arn in secret.readers.items()},
        rotation=ManualRotation(procedure=secret.rotation_procedure or ""),
        writer_role_arn=secret.writer,
    )


def _audit(cfg: PlatformConfig) -> AuditTrailArgs:
    audit = cfg.audit
    return AuditTrailArgs(
        ownership=cfg.ownership_model(),
        log_bucket=CreateTrailBucket(retention_days=audit.retention_days),
        sagemaker_data_events=audit.sagemaker_data_events,
        bedrock_data_events=audit.bedrock_data_events,
        cloudwatch_logs=CloudWatchDelivery() if audit.cloudwatch_logs else None,
    )


def _spend(cfg: PlatformConfig) -> SpendGuardArgs:
    spend = cfg.spend
    return SpendGuardArgs(
        ownership=cfg.ownership_model(),
        amount=spend.amount,
        currency=spend.currency,
        scope_tag=spend.scope,
        emails=tuple(spend.emails),
        sns_topic_arn=spend.sns_topic_arn,
        anomaly_threshold=spend.anomaly_threshold,
    )


@dataclass(frozen=True)
class AwsPlatform:
    """The validated inputs of every AWS component of the stack."""

    datasets: dict[str, LockedBucketArgs]
    vector_store: VectorStoreArgs | None
    secrets: dict[str, SecretWiringArgs]
    audit: AuditTrailArgs
    spend: SpendGuardArgs

    @classmethod
    def plan(cls, cfg: PlatformConfig) -> AwsPlatform:
        store = cfg.vector_store
        return cls(
            datasets={
                name: component_args(f"datasets.{name}", _dataset, cfg, dataset)
                for name, dataset in cfg.datasets.items()
            },
            vector_store=None if store is None else component_args("vectorStore", _vector_store, cfg, store),
            secrets={
                name: component_args(f"providerSecrets.{name}", _secret, cfg, secret)
                for name, secret in cfg.provider_secrets.items()
            },
            audit=component_args("audit", _audit, cfg),
            spend=component_args("spend", _spend, cfg),
        )

    def deploy(self) -> None:
        buckets = {name: LockedBucket(name, args) for name, args in self.datasets.items()}
        if self.vector_store is not None:
            VectorStore("vector-store", self.vector_store)
        for name, args in self.secrets.items():
            SecretWiring(name, args)
        recorded: dict[str, Any] = {}
        for name, bucket in buckets.items():
            recorded[name] = bucket.bucket.bucket
            if bucket.log_bucket is not None:
                recorded[f"{name}-access-logs"] = bucket.log_bucket.bucket
        AuditTrail("audit", self.audit.model_copy(update={"dataset_buckets": recorded}))
        SpendGuard("spend", self.spend)
