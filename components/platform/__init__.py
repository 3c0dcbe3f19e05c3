"""The platform program that the root ``Pulumi.yaml`` runs, configured by ``stacks/Pulumi.<stack>.yaml``."""

from components.platform.config import (
    AwsPlatformConfig,
    GcpPlatformConfig,
    K8sPlatformConfig,
    PlatformConfig,
    StackConfigError,
    load_config,
)
from components.platform.program import build

__all__ = [
    "AwsPlatformConfig",
    "GcpPlatformConfig",
    "K8sPlatformConfig",
    "PlatformConfig",
    "StackConfigError",
    "build",
    "load_config",
]
