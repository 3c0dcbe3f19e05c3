"""NET-1: route tables of sensitive workloads have no inline route to the internet."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.network import EGRESS_CONFIG, sensitivity
from aiwarden_policies.lib.routes import (
    NAT_GATEWAY,
    ROUTE_TABLE,
    internet_target,
    proxy_route_table,
    unapproved_destination,
)

SPEC = Spec(
    control="NET-1",
    name="net-1-route-table-no-internet-route",
    description=(
        "Route tables of confidential, restricted or unclassified workloads have no inline `routes` entry "
        "sending 0.0.0.0/0, ::/0 or an unapproved prefix list to an internet gateway (igw-), egress-only "
        "internet gateway or NAT gateway. A NAT route is allowed on a route table tagged `egress=proxy` "
        "(the subnet of an approved egress proxy)."
    ),
    remediation_steps=(
        "Remove the internet route and reach AWS services through VPC endpoints (gateway endpoints for S3 "
        "and DynamoDB, interface endpoints for SageMaker, Bedrock, ECR, STS, Logs). Send the traffic that "
        "must leave the VPC through an egress proxy in its own subnet whose route table carries the tag "
        "`egress=proxy`, or allowlist destinations in the policy's `approvedEgressCidrs` / "
        "`approvedEgressPrefixLists` config. A route table that serves only a public subnet (NAT gateway, "
        "load balancer) holds no data: classify it `internal` or `public`."
    ),
    resource_types=(ROUTE_TABLE,),
    config=EGRESS_CONFIG,
)

_KEYS = ("cidrBlock", "ipv6CidrBlock", "destinationPrefixListId")


@resource_policy(SPEC)
def net_1_route_table_no_internet_route(r: Resource) -> Iterable[str]:
    for index, route in enumerate(r.get("routes") or []):
        destination = unapproved_destination(route, _KEYS, r.config)
        if destination is None:
            continue
        target = internet_target(route)
        if target is None or not r.sensitive:
            continue
        gateway_type, described = target
        if gateway_type == NAT_GATEWAY and proxy_route_table(r):
            continue
        key, value = destination
        yield (
            f"{r.type} {r.name!r} ({sensitivity(r)}): routes[{index}] sends {key} {value} to {described}; "
            "subnets of sensitive workloads must not reach the internet directly (use VPC endpoints, an "
            "egress proxy route table tagged egress=proxy, or an approved destination)."
        )
