"""Kubernetes namespaces: the one an object lives in, and the ones that belong to the cluster."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiwarden_policies.framework import get

NAMESPACE = "kubernetes:core/v1:Namespace"
#: Where an object without ``metadata.namespace`` lands.
DEFAULT = "default"
#: Namespaces of the cluster itself, not of workloads.
SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease"})


def namespace(props: Mapping[str, Any]) -> str:
    """The namespace of a namespaced object (absent ``metadata.namespace``: ``default``)."""
    return str(get(props, "metadata.namespace") or DEFAULT)
