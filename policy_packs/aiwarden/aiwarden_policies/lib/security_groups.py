"""AWS security group rules as NET-1 (egress) and NET-3 (ingress) read them.

Three shapes carry a rule: a security group's inline ``ingress`` / ``egress`` entries
(``protocol``, ``fromPort``, ``toPort``, ``cidrBlocks``, ``ipv6CidrBlocks``), an
``aws:ec2/securityGroupRule:SecurityGroupRule`` (the same keys plus ``type``) and the
``aws:vpc/securityGroup{Ingress,Egress}Rule`` resources (``ipProtocol``, ``cidrIpv4``, ``cidrIpv6``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aiwarden_policies.lib.network import port_range, world_cidrs

SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
_VPC_RULES = frozenset({INGRESS_RULE, EGRESS_RULE})


def direction(type_: str, props: Mapping[str, Any]) -> str | None:
    """``ingress`` or ``egress`` for a standalone rule resource, None for other types."""
    if type_ == INGRESS_RULE:
        return "ingress"
    if type_ == EGRESS_RULE:
        return "egress"
    if type_ == SECURITY_GROUP_RULE:
        return str(props.get("type") or "")
    return None


def world_cidrs_of(
    type_: str, rule: Mapping[str, Any], world: Callable[..., list[str]] = world_cidrs
) -> list[str]:
    """``"<property> <cidr>"`` for each internet-wide CIDR of a rule (``world`` may drop approved ones)."""
    keys = ("cidrIpv4", "cidrIpv6") if type_ in _VPC_RULES else ("cidrBlocks", "ipv6CidrBlocks")
    return [f"{key} {cidr}" for key in keys for cidr in world(rule.get(key))]


def traffic(type_: str, rule: Mapping[str, Any]) -> str:
    """The protocol and port range a rule opens, e.g. ``tcp 443``, ``tcp 0-1024``, ``all traffic``."""
    protocol = str(rule.get("ipProtocol" if type_ in _VPC_RULES else "protocol") or "").lower()
    if protocol in ("-1", "all"):
        return "all traffic (protocol -1)"
    return f"{protocol} {port_range(rule.get('fromPort'), rule.get('toPort'))}"
