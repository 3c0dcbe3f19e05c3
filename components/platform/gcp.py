"""The GCP platform: every component's inputs planned from stack config, then registered.

Planning builds every ``*Args`` before anything registers (a refusal names the ``aiwarden:`` key).
Registration: a ``LockedBucket`` per dataset (``read`` grants get objectViewer, ``write`` grants
objectUser, on that bucket only), the ``VectorStore`` if configured (its ``read`` grants are the JWT
callers of its deployed index), a ``SecretWiring`` per provider secret (replicated in ``gcp:region`` under a created key,
secret id ``aiwarden-<project>-<stack>-<name>``: unique per stack), the ``AuditConfig`` (Data Access audit logs,
owned by one stack per project: ``audit.manageAuditConfig``; and a locked sink bucket) and the ``SpendGuard``.
Every component enables the APIs it uses (``enable_apis=True``; never disabled on destroy): the platform
program owns its project's prerequisites.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components._common import CreateKey, GcpNetwork
from components.gcp.audit_config import AuditConfig, AuditConfigArgs, AuditSink
from components.gcp.locked_bucket import LockedBucket, LockedBucketArgs, Retention
from components.gcp.secret_wiring import SecretGrant, SecretWiring, SecretWiringArgs, default_secret_id
from components.gcp.spend_guard import SpendGuard, SpendGuardArgs
from components.gcp.vector_store import Deployment, VectorStore, VectorStoreArgs
from components.platform.config import (
    GcpDatasetConfig,
    GcpPlatformConfig,
    GcpProviderSecretConfig,
    GcpVectorStoreConfig,
    component_args,
)

#: The platform program enables the APIs its components use (the components' own default is false).
ENABLE_APIS = True


def _dataset(cfg: GcpPlatformConfig, region: str, dataset: GcpDatasetConfig) -> LockedBucketArgs:
    # Grants are keyed `<role>-<name>`: the children stay `<dataset>-grant-read-<name>` / `-grant-write-<name>`.
    return LockedBucketArgs(
        ownership=cfg.ownership_model(dataset.classification),
        location=dataset.location or region,
        access={f"{g.role}-{name}": g for name, g in dataset.access.items()},
        enable_apis=ENABLE_APIS,
    )


def _vector_store(cfg: GcpPlatformConfig, region: str, store: GcpVectorStoreConfig) -> VectorStoreArgs:
    return VectorStoreArgs(
        ownership=cfg.ownership_model(),
        region=region,
        dimensions=store.dimensions,
        network=GcpNetwork(network=store.network.network) if store.network else None,
        access=store.access,
        deployment=Deployment(
            deployed_index_id="vector_store", audiences=(f"{cfg.ownership.purpose}-vector-store",)
        )
        if store.access
        else None,
        enable_apis=ENABLE_APIS,
    )


def _secret(
    cfg: GcpPlatformConfig, region: str, name: str, secret: GcpProviderSecretConfig
) -> SecretWiringArgs:
    return SecretWiringArgs(
        ownership=cfg.ownership_model(),
        secret_id=default_secret_id(name),
        replicas={region: CreateKey()},
        access={grant: SecretGrant(principal=g.principal, role=g.role) for grant, g in secret.access.items()},
        enable_apis=ENABLE_APIS,
    )


def _audit(cfg: GcpPlatformConfig, region: str) -> AuditConfigArgs:
    audit = cfg.audit
    return AuditConfigArgs(
        ownership=cfg.ownership_model(),
        all_services=audit.all_services,
        sink=AuditSink(location=region, retention=Retention(days=audit.retention_days))
        if audit.sink
        else None,
        manage_audit_config=audit.manage_audit_config,
        enable_apis=ENABLE_APIS,
    )


def _spend(cfg: GcpPlatformConfig) -> SpendGuardArgs:
    spend = cfg.spend
    return SpendGuardArgs(
        ownership=cfg.ownership_model(),
        billing_account=spend.billing_account,
        amount=spend.amount,
        currency=spend.currency,
        scope_label=spend.scope,
        notification_channels=tuple(spend.notification_channels),
        enable_apis=ENABLE_APIS,
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
    def plan(cls, cfg: GcpPlatformConfig) -> GcpPlatform:
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
