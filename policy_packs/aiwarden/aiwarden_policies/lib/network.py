"""Network exposure: CIDRs and ports open to the whole internet, approved egress, public subnets, internal
load balancers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pulumi_policy import PolicyResource

from aiwarden_policies.lib.relations import dependencies

if TYPE_CHECKING:
    from aiwarden_policies.framework import Resource

WORLD_V4 = "0.0.0.0/0"
WORLD_V6 = "::/0"
WORLD = frozenset({WORLD_V4, WORLD_V6})
SUBNET = "aws:ec2/subnet:Subnet"

#: The pack config of every NET-1 policy: what sensitive workloads may still reach.
EGRESS_CONFIG: dict[str, dict[str, Any]] = {
    "approvedEgressCidrs": {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": (
            "Destination CIDRs approved for egress of sensitive workloads. Only internet-wide "
            "destinations are ever flagged, so listing 0.0.0.0/0 or ::/0 here approves unrestricted "
            "egress for every resource this policy checks; prefer a per-resource exemption."
        ),
    },
    "approvedEgressPrefixLists": {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": (
            "Managed prefix list ids (pl-...) approved as route destinations through an internet or "
            "NAT gateway (e.g. an allowlist of model-provider endpoints)."
        ),
    },
}

#: Kubernetes Service annotations that make a cloud load balancer internal (annotation, value meaning
#: internal, lowercase).
INTERNAL_LB_ANNOTATIONS: tuple[tuple[str, str], ...] = (
    ("service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"),  # AWS Load Balancer Controller
    ("service.beta.kubernetes.io/aws-load-balancer-internal", "true"),  # in-tree AWS provider
    ("networking.gke.io/load-balancer-type", "internal"),  # GKE
    ("cloud.google.com/load-balancer-type", "internal"),  # GKE, legacy
    ("service.beta.kubernetes.io/azure-load-balancer-internal", "true"),  # AKS
)


def world_cidrs(*values: Any) -> list[str]:
    """The internet-wide CIDRs among ``values`` (strings or lists of strings)."""
    found: list[str] = []
    for value in values:
        items: Iterable[Any] = [value] if isinstance(value, str) else (value or [])
        found.extend(str(v) for v in items if str(v).strip() in WORLD)
    return found


def unapproved_world(config: Mapping[str, Any], *values: Any) -> list[str]:
    """The internet-wide CIDRs among ``values`` that ``approvedEgressCidrs`` does not list."""
    approved = {str(c).strip() for c in config.get("approvedEgressCidrs") or []}
    return [c for c in world_cidrs(*values) if c not in approved]


def port_range(from_port: Any, to_port: Any) -> str:
    try:
        low, high = int(float(from_port)), int(float(to_port))
    except (TypeError, ValueError):
        return "all ports"
    if low in (-1, 0) and high in (-1, 0, 65535):
        return "all ports"
    return str(low) if low == high else f"{low}-{high}"


def internal_load_balancer(annotations: Mapping[str, Any]) -> bool:
    """Whether a Kubernetes Service's annotations make its cloud load balancer internal."""
    return any(
        str(annotations.get(key) or "").strip().lower() == value for key, value in INTERNAL_LB_ANNOTATIONS
    )


def public_subnets(resource: PolicyResource, prop: str) -> list[PolicyResource]:
    """The stack's AWS subnets that ``resource``'s input ``prop`` depends on and that give every instance a
    public IP (``mapPublicIpOnLaunch`` true; absent: false for a non-default subnet). Subnets passed as
    literal ids live outside the stack and are not seen here."""
    return [s for s in dependencies(resource, prop, SUBNET) if s.props.get("mapPublicIpOnLaunch") is True]


def sensitivity(r: Resource) -> str:
    """How a resource's classification reads in an egress message."""
    return (
        f"data-classification {r.classification}" if r.classification else "no data-classification: sensitive"
    )
