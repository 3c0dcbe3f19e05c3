"""NET-1 shared logic (no policy here): approved egress destinations, internet routes, related resources.

Used by the NET-1 route, route-table, security-group and firewall policies, so that every one of them
reads its ``approvedEgressCidrs`` / ``approvedEgressPrefixLists`` config and decides "internet egress"
the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy.proxy import UnknownValueError

from aiwarden_policies.framework import Resource
from aiwarden_policies.lib.network import world_cidrs

ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway"
EGRESS_ONLY_GATEWAY = "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway"
NAT_GATEWAY = "aws:ec2/natGateway:NatGateway"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"

#: Tag on a route table whose NAT route carries an approved egress proxy's traffic only.
PROXY_TAG = "egress"
PROXY_VALUE = "proxy"

CONFIG: dict[str, dict[str, Any]] = {
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

#: Where an AWS route keeps its target, and what that target is: (property, gateway type, wording).
_TARGETS: tuple[tuple[str, str, str], ...] = (
    ("gatewayId", INTERNET_GATEWAY, "internet gateway"),
    ("egressOnlyGatewayId", EGRESS_ONLY_GATEWAY, "egress-only internet gateway"),
    ("natGatewayId", NAT_GATEWAY, "NAT gateway"),
)


def unapproved_world(config: Mapping[str, Any], *values: Any) -> list[str]:
    """The internet-wide CIDRs among ``values`` that ``approvedEgressCidrs`` does not list."""
    approved = {str(c).strip() for c in config.get("approvedEgressCidrs") or []}
    return [c for c in world_cidrs(*values) if c not in approved]


def unapproved_destination(
    route: Mapping[str, Any], keys: tuple[str, str, str], config: Mapping[str, Any]
) -> tuple[str, str] | None:
    """(property, value) of a route destination that is the whole internet or an unapproved prefix list.

    ``keys`` names the IPv4 CIDR, IPv6 CIDR and prefix-list properties (they differ between inline
    ``routes`` and ``aws:ec2/route:Route``). A specific CIDR is an allowlist entry, not flagged.
    """
    cidr_key, ipv6_key, prefix_list_key = keys
    for key in (cidr_key, ipv6_key):
        value = route.get(key)
        if value and unapproved_world(config, value):
            return key, str(value)
    prefix_list = route.get(prefix_list_key)
    if prefix_list and str(prefix_list) not in set(config.get("approvedEgressPrefixLists") or []):
        return prefix_list_key, str(prefix_list)
    return None


def internet_target(
    route: Mapping[str, Any], dependencies: Mapping[str, Iterable[Any]] | None = None
) -> tuple[str, str] | None:
    """(gateway type, description) when a route leads to the internet, else None.

    A property dependency on a gateway resource decides without reading the (possibly unknown) id;
    otherwise the id decides: internet gateway ids start with ``igw-``, any egress-only or NAT
    gateway id counts (a private NAT gateway is still a path out of the subnet).
    """
    for key, gateway_type, wording in _TARGETS:
        deps = list((dependencies or {}).get(key) or [])
        if deps:
            for dep in deps:
                if dep.resource_type == gateway_type:
                    return gateway_type, f"{wording} {dep.name!r} ({key})"
            continue
        value = route.get(key)
        if not value:
            continue
        if gateway_type != INTERNET_GATEWAY or str(value).startswith("igw-"):
            return gateway_type, f"{wording} {value} ({key})"
    return None


def proxy_route_table(table: Resource | None) -> bool:
    return table is not None and str(table.labels().get(PROXY_TAG) or "").strip().lower() == PROXY_VALUE


def sensitivity(r: Resource) -> str:
    """How a resource's classification reads in a message."""
    return (
        f"data-classification {r.classification}" if r.classification else "no data-classification: sensitive"
    )


def referenced(resource: Any, prop: str, type_: str, candidates: Iterable[Any]) -> Any | None:
    """The ``type_`` resource that ``resource``'s ``prop`` points at (stack policies).

    A property dependency decides first; else the value is compared to each candidate's ``id``
    output. None when the target is not part of the stack.
    """
    for dep in resource.property_dependencies.get(prop) or []:
        if dep.resource_type == type_:
            return dep
    value = resource.props.get(prop)
    if not value:
        return None
    for candidate in candidates:
        if _known_id(candidate) == value:
            return candidate
    return None


def _known_id(candidate: Any) -> Any:
    # A resource created by this program has an unknown id at preview; a literal id read from
    # another resource can never equal it, so "not this one" is the right answer, not a preview stop.
    try:
        return candidate.props.get("id")
    except UnknownValueError:
        return None
