"""Compose the platform from stack config: plan every component (validated), register, export.

Per ``aiwarden:cloud``: on AWS and GCP the network, keys (created by each component), a locked bucket per dataset,
the vector store, a secret per provider credential, the registry, the GPU cluster and pools, the model endpoint,
the notebook (AWS also Bedrock) as configured, and the audit trail / audit config and the spend guard, always; on
Kubernetes the namespace, its external secrets and the inference service. Then the ``inventory`` and
``incidentResponse`` outputs. A refusal names the stack file, the ``aiwarden:`` key and the fix, before any
resource registers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from components._common import export_inventory
from components.platform.config import (
    AwsPlatformConfig,
    GcpPlatformConfig,
    K8sPlatformConfig,
    StackConfigError,
    load_config,
    stack_file,
)

if TYPE_CHECKING:
    from components.platform.aws import AwsPlatform
    from components.platform.gcp import GcpPlatform
    from components.platform.k8s import K8sPlatform


def plan(
    cfg: AwsPlatformConfig | GcpPlatformConfig | K8sPlatformConfig,
) -> AwsPlatform | GcpPlatform | K8sPlatform:
    """Every component's validated inputs; nothing registers. Only the stack's target is imported (a provider
    SDK's modules take most of a check's time)."""
    if isinstance(cfg, AwsPlatformConfig):
        from components.platform.aws import AwsPlatform

        return AwsPlatform.plan(cfg)
    if isinstance(cfg, GcpPlatformConfig):
        from components.platform.gcp import GcpPlatform

        return GcpPlatform.plan(cfg)
    from components.platform.k8s import K8sPlatform

    return K8sPlatform.plan(cfg)


def build(
    config: AwsPlatformConfig | GcpPlatformConfig | K8sPlatformConfig | None = None,
) -> AwsPlatformConfig | GcpPlatformConfig | K8sPlatformConfig:
    try:
        cfg = config or load_config()
        platform = plan(cfg)
    except StackConfigError as exc:
        raise StackConfigError(f"{stack_file()}: {exc}") from None
    # No stack transform: every component stamps cfg.ownership_model() on each child itself, and a transform
    # would make each registration a callback round trip to the program (docs/performance.md).
    platform.deploy()
    export_inventory()
    return cfg
