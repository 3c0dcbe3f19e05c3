"""NET-3: no security group rule accepts ingress from 0.0.0.0/0 or ::/0."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.security_groups import (
    INGRESS_RULE,
    SECURITY_GROUP,
    SECURITY_GROUP_RULE,
    direction,
    traffic,
    world_cidrs_of,
)

SPEC = Spec(
    control="NET-3",
    name="net-3-security-group-no-world-ingress",
    description=(
        "No inline `ingress` entry of an `aws:ec2/securityGroup:SecurityGroup`, no "
        "`aws:vpc/securityGroupIngressRule` and no `aws:ec2/securityGroupRule` of type ingress accepts "
        "traffic from 0.0.0.0/0 or ::/0 (`cidrBlocks` / `ipv6CidrBlocks` / `cidrIpv4` / `cidrIpv6`), on any port."
    ),
    remediation_steps=(
        "Allow ingress only from the callers that need it: the security group of the load balancer, API "
        "gateway VPC link or client workloads (`security_groups` / `referenced_security_group_id`), a VPC "
        "endpoint prefix list, or private CIDRs. Put a public entry point (ALB with WAF, API Gateway) in "
        "front of the workload instead of opening its own security group."
    ),
    resource_types=(SECURITY_GROUP, INGRESS_RULE, SECURITY_GROUP_RULE),
    security_hub=("EC2.18", "EC2.19"),
)


@resource_policy(SPEC)
def net_3_security_group_no_world_ingress(r: Resource) -> Iterable[str]:
    if r.type == SECURITY_GROUP:
        rules = [(f" ingress[{i}]", rule) for i, rule in enumerate(r.get("ingress") or [])]
    elif direction(r.type, r.props) == "ingress":
        rules = [("", r.props)]
    else:
        return
    for where, rule in rules:
        found = world_cidrs_of(r.type, rule)
        if found:
            yield (
                f"{r.type} {r.name!r}{where} accepts ingress from anywhere ({', '.join(found)}) on "
                f"{traffic(r.type, rule)}; AI workloads must accept ingress only from known sources."
            )
