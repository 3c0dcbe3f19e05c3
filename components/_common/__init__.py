"""Input shapes shared by every component (defined once, reused identically)."""

from components._common.encryption import CreateKey, ExistingKey, KeyChoice
from components._common.exposure import PublicAccess
from components._common.inventory import AssetRecord, export_inventory, record_asset
from components._common.ownership import Ownership, configured_vocabulary, stamp_ownership

__all__ = [
    "AssetRecord",
    "CreateKey",
    "ExistingKey",
    "KeyChoice",
    "Ownership",
    "PublicAccess",
    "configured_vocabulary",
    "export_inventory",
    "record_asset",
    "stamp_ownership",
]
