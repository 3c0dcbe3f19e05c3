"""AWS routes as NET-1 reads them: which destinations are unapproved, which targets lead to the internet.

Shared by the inline route-table policy and the standalone route policy, so that both read
``approvedEgressCidrs`` / ``approvedEgressPrefixLists`` and decide "internet route" the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiwarden_policies.framework import Resource
from aiwarden_policies.lib.network import unapproved_world

ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway"
EGRESS_ONLY_GATEWAY = "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway"
NAT_GATEWAY = "aws:ec2/natGateway:NatGateway"

#: Tag on a route table whose NAT route carries an approved egress proxy's traffic only.
PROXY_TAG = "egress"
PROXY_VALUE = "proxy"

#: Where an AWS route keeps its target, and what that target is: (property, gateway type, wording).
_TARGETS: tuple[tuple[str, str, str], ...] = (
    ("gatewayId", INTERNET_GATEWAY, "internet gateway"),
    ("egressOnlyGatewayId", EGRESS_ONLY_GATEWAY, "egress-only internet gateway"),
    ("natGatewayId", NAT_GATEWAY, "NAT gateway"),
)


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
