"""The GCP platform: every component's inputs planned from stack config, then registered.

Planning builds every ``*Args`` before anything registers (a refusal names the ``aiwarden:`` key).
Registration: a ``LockedBucket`` per dataset (readers get objectViewer, writers objectUser, on
that bucket only), the ``VectorStore`` if configured (readers are the JWT callers of its deployed
index), a ``SecretWiring`` per provider secret (replicated in ``gcp:region`` under a created key),
the ``AuditConfig`` (Data Access audit logs, and a locked sink bucket) and the ``SpendGuard``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components._common import CreateKey
from components.gcp.audit_config import AuditConfig, AuditConfigArgs, AuditSink
from components.gcp.locked_bucket import BucketGrant, LockedBucket, LockedBucketArgs, Retention
from components.gcp.secret_wiring import SecretWiring, SecretWiringArgs
from components.gcp.spend_guard import SpendGuard, SpendGuardArgs
from components.gcp.vector_store import Deployment, PscConsumer, VectorStore, VectorStoreArgs
from components.platform.config import (
    DatasetConfig,
    PlatformConfig,
    ProviderSecretConfig,
    VectorStoreConfig,
    component_args,
)

READER_ROLE = "roles/storage.objectViewer"
WRITER_ROLE = "roles/storage.objectUser"


def _dataset(cfg: PlatformConfig, region: str, dataset: DatasetConfig) -> LockedBucketArgs:
    grants = {f"read-{k}": BucketGrant(member=m, role=READER_ROLE) for k, m in dataset.readers.items()}
    grants |= {f"write-{k}": BucketGrant(member=m, role=WRITER_ROLE) for k, m in dataset.writers.items()}
    return LockedBucketArgs(
        ownership=cfg.ownership_model(dataset.classification),
        location=dataset.location or region,
        grants=grants,
    )


def _vector_store(cfg: PlatformConfig, region: str, store: VectorStoreConfig) -> VectorStoreArgs:
    assert store.dimensions is not None  # PlatformConfig._gcp
    network = store.network if isinstance(store.network, str) else None
    return VectorStoreArgs(
        ownership=cfg.ownership_model(),
        region=region,
        dimensions=store.dimensions,
        psc_consumers={"workloads": PscConsumer(network=network, project=network.split("/")[1])}
        if network
        else {},
        deployment=Deployment(
            deployed_index_id="vector_store",
            callers=store.readers,
            audiences=(f"{cfg.ownership.purpose}-vector-store",),
        )
        if store.readers
        else None,
    )


def _secret(cfg: PlatformConfig, region: str, name: str, secret: ProviderSecretConfig) -> SecretWiringArgs:
    return SecretWiringArgs(
        ownership=cfg.ownership_model(),
        secret_id=name,
        replicas={region: CreateKey()},
        accessors=secret.readers,
    )


def _audit(cfg: PlatformConfig, region: str) -> AuditConfigArgs:
    audit = cfg.audit
    return AuditConfigArgs(
        ownership=cfg.ownership_model(),
        all_services=audit.all_services,
        sink=AuditSink(location=region, retention=Retention(days=audit.retention_days))
        if audit.sink
        else None,
    )


def _spend(cfg: PlatformConfig) -> SpendGuardArgs:
    spend = cfg.spend
    return SpendGuardArgs(
        ownership=cfg.ownership_model(),
        billing_account=spend.billing_account or "",
        amount=spend.amount,
        currency=spend.currency,
        scope_label=spend.scope,
        notification_channels=tuple(spend.notification_channels),
    )


@dataclass(frozen=True)
class GcpPlatform:
    """The validated inputs of every GCP component of the stack."""

    datasets: dict[str, LockedBucketArgs]
    vector_store: VectorStoreArgs | None
    secrets: dict[str, SecretWiringArgs]
    audit: AuditConfigArgs
    spend: SpendGuardArgs

    @classmethod
    def plan(cls, cfg: PlatformConfig) -> GcpPlatform:
        region = pulumi.Config("gcp").require("region")
        store = cfg.vector_store
        return cls(
            datasets={
                name: component_args(f"datasets.{name}", _dataset, cfg, region, dataset)
                for name, dataset in cfg.datasets.items()
            },
            vector_store=None
            if store is None
            else component_args("vectorStore", _vector_store, cfg, region, store),
            secrets={
                name: component_args(f"providerSecrets.{name}", _secret, cfg, region, name, secret)
                for name, secret in cfg.provider_secrets.items()
            },
            audit=component_args("audit", _audit, cfg, region),
            spend=component_args("spend", _spend, cfg),
        )

    def deploy(self) -> None:
        for name, args in self.datasets.items():
            LockedBucket(name, args)
        if self.vector_store is not None:
            VectorStore("vector-store", self.vector_store)
        for name, secret in self.secrets.items():
            SecretWiring(name, secret)
        AuditConfig("audit", self.audit)
        SpendGuard("spend", self.spend)
