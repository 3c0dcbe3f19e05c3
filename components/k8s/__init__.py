"""Hardened Kubernetes components.

Exports are imported on first use (``components._lazy``).
"""

from typing import TYPE_CHECKING

from components._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__)

if TYPE_CHECKING:
    from components.k8s.external_secret import (
        ExternalSecret as ExternalSecret,
        ExternalSecretArgs as ExternalSecretArgs,
        RemoteSecret as RemoteSecret,
        StoreRef as StoreRef,
    )
