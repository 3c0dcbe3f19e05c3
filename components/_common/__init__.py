"""Input shapes shared by every component (defined once, reused identically).

Exports are imported on first use (``components._lazy``): a Kubernetes program does not load the AWS and GCP
network shapes.
"""

from typing import TYPE_CHECKING

from components._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__)

if TYPE_CHECKING:
    from components._common.access import (
        ROLES as ROLES,
        Grant as Grant,
        Role as Role,
        ServiceAccountRef as ServiceAccountRef,
    )
    from components._common.encryption import (
        CreateKey as CreateKey,
        ExistingKey as ExistingKey,
        KeyChoice as KeyChoice,
    )
    from components._common.exposure import PublicAccess as PublicAccess
    from components._common.inventory import (
        AssetKind as AssetKind,
        AssetRecord as AssetRecord,
        export_inventory as export_inventory,
        record_asset as record_asset,
    )
    from components._common.network import (
        AwsNetwork as AwsNetwork,
        GcpNetwork as GcpNetwork,
        PscConsumer as PscConsumer,
    )
    from components._common.ownership import (
        Classification as Classification,
        Environment as Environment,
        Ownership as Ownership,
        configured_vocabulary as configured_vocabulary,
        stamp_ownership as stamp_ownership,
    )
