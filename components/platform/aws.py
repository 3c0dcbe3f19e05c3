"""The AWS platform: every component's inputs planned from stack config, then registered.

Planning builds every ``*Args`` before anything registers, so that a refusal names the
``aiwarden:`` key and leaves no half-built stack. Registration: a ``LockedBucket`` per dataset (its
``access`` grants: ``read`` grants may not write or delete objects),
the ``VectorStore`` if configured, a ``SecretWiring`` per provider secret (keys created by each
component), then the ``AuditTrail`` (S3 data events for every dataset bucket and its access-log
bucket) and the ``SpendGuard``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from components._common import AwsNetwork
from components.aws.audit_trail import (
    AuditTrail,
    AuditTrailArgs,
    CloudWatchDelivery,
    CreateTrailBucket,
    NoCloudWatchDelivery,
)
from components.aws.locked_bucket import LockedBucket, LockedBucketArgs
from components.aws.secret_wiring import ManualRotation, SecretGrant, SecretWiring, SecretWiringArgs
from components.aws.spend_guard import SpendGuard, SpendGuardArgs
from components.aws.vector_store import VectorStore, VectorStoreArgs
from components.platform.config import (
    AwsDatasetConfig,
    AwsPlatformConfig,
    AwsProviderSecretConfig,
    AwsVectorStoreConfig,
    component_args,
)


def _dataset(cfg: AwsPlatformConfig, dataset: AwsDatasetConfig) -> LockedBucketArgs:
    return LockedBucketArgs(ownership=cfg.ownership_model(dataset.classification), access=dataset.access)


def _vector_store(cfg: AwsPlatformConfig, store: AwsVectorStoreConfig) -> VectorStoreArgs:
    network = store.network
    return VectorStoreArgs(
        ownership=cfg.ownership_model(),
        collection_name=store.collection_name,
        network=AwsNetwork(
            vpc_id=network.vpc_id,
            subnet_ids=tuple(network.subnet_ids),
            security_group_ids=tuple(network.security_group_ids),
        ),
        access=store.access,
    )


def _secret(cfg: AwsPlatformConfig, secret: AwsProviderSecretConfig) -> SecretWiringArgs:
    return SecretWiringArgs(
        ownership=cfg.ownership_model(),
        description=secret.description or "provider credential; the value is put out of band",
        access={name: SecretGrant(principal=g.principal, role=g.role) for name, g in secret.access.items()},
        rotation=ManualRotation(procedure=secret.rotation_procedure),
    )


def _audit(cfg: AwsPlatformConfig) -> AuditTrailArgs:
    audit = cfg.audit
    return AuditTrailArgs(
        ownership=cfg.ownership_model(),
        log_bucket=CreateTrailBucket(retention_days=audit.retention_days),
        sagemaker_data_events=audit.sagemaker_data_events,
        bedrock_data_events=audit.bedrock_data_events,
        cloudwatch_logs=CloudWatchDelivery()
        if audit.cloudwatch_logs or audit.cloudwatch_logs_opt_out is None
        else NoCloudWatchDelivery(justification=audit.cloudwatch_logs_opt_out),
    )


def _spend(cfg: AwsPlatformConfig) -> SpendGuardArgs:
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
    def plan(cls, cfg: AwsPlatformConfig) -> AwsPlatform:
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
