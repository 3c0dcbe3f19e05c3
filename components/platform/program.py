"""Compose the platform from stack config: plan every component (validated), stamp ownership, register, export.

Per ``aiwarden:cloud``: keys (created by each component), a locked bucket per dataset, the vector
store if configured, a secret per provider credential, the audit trail / audit config and the
spend guard, always; then the ``inventory`` and ``incidentResponse`` outputs.
"""

from __future__ import annotations

from components._common import export_inventory, stamp_ownership
from components.platform.aws import AwsPlatform
from components.platform.config import AwsPlatformConfig, GcpPlatformConfig, load_config
from components.platform.gcp import GcpPlatform


def build(
    config: AwsPlatformConfig | GcpPlatformConfig | None = None,
) -> AwsPlatformConfig | GcpPlatformConfig:
    cfg = config or load_config()
    platform = AwsPlatform.plan(cfg) if isinstance(cfg, AwsPlatformConfig) else GcpPlatform.plan(cfg)
    stamp_ownership(cfg.ownership_model())
    platform.deploy()
    export_inventory()
    return cfg
