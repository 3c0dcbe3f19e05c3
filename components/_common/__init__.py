"""Input shapes shared by every component (defined once, reused identically)."""

from components._common.access import ROLES, Grant, Role, ServiceAccountRef
from components._common.encryption import CreateKey, ExistingKey, KeyChoice
from components._common.exposure import PublicAccess
from components._common.inventory import AssetKind, AssetRecord, export_inventory, record_asset
from components._common.network import AwsNetwork, GcpNetwork, PscConsumer
from components._common.ownership import (
    Classification,
    Environment,
    Ownership,
    configured_vocabulary,
    stamp_ownership,
)

__all__ = [
    "ROLES",
    "AssetKind",
    "AssetRecord",
    "AwsNetwork",
    "Classification",
    "CreateKey",
    "Environment",
    "ExistingKey",
    "GcpNetwork",
    "Grant",
    "KeyChoice",
    "Ownership",
    "PscConsumer",
    "PublicAccess",
    "Role",
    "ServiceAccountRef",
    "configured_vocabulary",
    "export_inventory",
    "record_asset",
    "stamp_ownership",
]
