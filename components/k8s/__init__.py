"""Hardened Kubernetes components."""

from components.k8s.external_secret import ExternalSecret, ExternalSecretArgs, RemoteSecret, StoreRef

__all__ = ["ExternalSecret", "ExternalSecretArgs", "RemoteSecret", "StoreRef"]
