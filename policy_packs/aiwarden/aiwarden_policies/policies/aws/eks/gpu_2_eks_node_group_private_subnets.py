"""GPU-2: EKS node groups run in subnets that do not hand out public IPs.

A stack policy: a node group's ``subnetIds`` depend on ``aws:ec2/subnet:Subnet`` resources of the
stack; a subnet with ``mapPublicIpOnLaunch`` true gives every node a public IP. Subnets passed as
literal ids live outside the stack and cannot be checked here (NET-1 covers routes of the network).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.eks import NODE_GROUP
from aiwarden_policies.lib.network import public_subnets

SPEC = Spec(
    control="GPU-2",
    name="gpu-2-eks-node-group-private-subnets",
    description=(
        "EKS node groups are placed in private subnets: no subnet in a node group's subnetIds sets "
        "mapPublicIpOnLaunch = true (which gives every node a public IP)."
    ),
    remediation_steps=(
        "Pass the node group the private subnets of the platform network (map_public_ip_on_launch unset or "
        "False); keep public subnets for load balancers and NAT gateways only."
    ),
)


@stack_policy(SPEC)
def gpu_2_eks_node_group_private_subnets(s: Stack) -> Iterable[tuple[str, str | None]]:
    def decide(node_group: Any) -> Iterator[str]:
        for subnet in public_subnets(node_group, "subnetIds"):
            yield (
                f"EKS node group {node_group.name!r}: subnet {subnet.name!r} in subnetIds sets "
                "mapPublicIpOnLaunch = true; node groups must run in private subnets."
            )

    yield from s.each(s.of_type(NODE_GROUP), decide)
