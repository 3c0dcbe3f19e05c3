"""NET-1: standalone routes of sensitive workloads' route tables do not lead to the internet.

A stack policy: an ``aws:ec2/route:Route`` carries no tags; the classification and the ``egress=proxy``
tag live on its route table, found through the ``routeTableId`` property dependency (or id). A route
whose table is not part of the stack is held to the sensitive standard (unclassified).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.network import EGRESS_CONFIG, sensitivity
from aiwarden_policies.lib.relations import target
from aiwarden_policies.lib.routes import (
    NAT_GATEWAY,
    ROUTE_TABLE,
    internet_target,
    proxy_route_table,
    unapproved_destination,
)

ROUTE = "aws:ec2/route:Route"

SPEC = Spec(
    control="NET-1",
    name="net-1-route-no-internet-route",
    description=(
        "An `aws:ec2/route:Route` in the route table of a confidential, restricted or unclassified workload "
        "does not send 0.0.0.0/0, ::/0 or an unapproved prefix list to an internet gateway, egress-only "
        "internet gateway or NAT gateway. A NAT route is allowed when its route table is tagged "
        "`egress=proxy`. The route's classification is its route table's."
    ),
    remediation_steps=(
        "Delete the route and reach AWS services through VPC endpoints; send traffic that must leave the VPC "
        "through an egress proxy whose subnet's route table is tagged `egress=proxy`, or allowlist "
        "destinations in `approvedEgressCidrs` / `approvedEgressPrefixLists`. Classify a public subnet's "
        "route table (NAT gateway, load balancer) `internal` or `public`."
    ),
    resource_types=(ROUTE,),
    config=EGRESS_CONFIG,
)

_KEYS = ("destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId")


@stack_policy(SPEC)
def net_1_route_no_internet_route(s: Stack) -> Iterable[tuple[str, str | None]]:
    tables = s.of_type(ROUTE_TABLE)

    def decide(route: Any) -> Iterator[str]:
        destination = unapproved_destination(route.props, _KEYS, s.config)
        if destination is None:
            return
        gateway = internet_target(route.props, route.property_dependencies)
        if gateway is None:
            return
        found = target(route, "routeTableId", tables, ("id",), known_only=True)
        table = s.resource(found) if found is not None else None
        if table is not None and not table.sensitive:
            return
        gateway_type, described = gateway
        if gateway_type == NAT_GATEWAY and proxy_route_table(table):
            return
        key, value = destination
        where = (
            f"route table {table.name!r} ({sensitivity(table)})"
            if table
            else "a route table outside the stack"
        )
        yield (
            f"{ROUTE} {route.name!r} in {where} sends {key} {value} to {described}; subnets of sensitive "
            "workloads must not reach the internet directly (use VPC endpoints, an egress proxy route table "
            "tagged egress=proxy, or an approved destination)."
        )

    yield from s.each(s.of_type(ROUTE), decide)
