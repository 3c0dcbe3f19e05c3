"""Compose the platform from stack config: ownership on everything, the inventory exported."""

from __future__ import annotations

from components._common import export_inventory, stamp_ownership
from components.platform.config import PlatformConfig, load_config


def build(config: PlatformConfig | None = None) -> PlatformConfig:
    cfg = config or load_config()
    ownership = cfg.ownership_model()
    stamp_ownership(ownership)
    export_inventory()
    return cfg
