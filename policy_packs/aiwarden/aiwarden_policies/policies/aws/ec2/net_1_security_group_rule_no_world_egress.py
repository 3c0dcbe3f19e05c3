"""NET-1: standalone egress rules of sensitive workloads' security groups do not reach the whole internet.

A stack policy: the classification that matters is the security group's, found through the rule's
``securityGroupId`` property dependency (or id). A rule whose group is not part of the stack is held
to its own tags (``aws:vpc/securityGroupEgressRule``) or, untaggable, to the sensitive standard.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.network import EGRESS_CONFIG, sensitivity, unapproved_world
from aiwarden_policies.lib.relations import target
from aiwarden_policies.lib.security_groups import (
    EGRESS_RULE,
    SECURITY_GROUP,
    SECURITY_GROUP_RULE,
    direction,
    traffic,
    world_cidrs_of,
)

SPEC = Spec(
    control="NET-1",
    name="net-1-security-group-rule-no-world-egress",
    description=(
        "`aws:vpc/securityGroupEgressRule` and `aws:ec2/securityGroupRule` (type egress) resources of a "
        "confidential, restricted or unclassified workload's security group allow no egress to 0.0.0.0/0 or "
        "::/0 (unless listed in `approvedEgressCidrs`). The classification is the security group's."
    ),
    remediation_steps=(
        "Point the egress rule at what the workload needs: a VPC endpoint prefix list (`prefix_list_id`), "
        "the security group of the interface endpoints or egress proxy (`referenced_security_group_id` / "
        "`source_security_group_id`), or a private CIDR. An approved proxy or allowlist range goes in the "
        "policy's `approvedEgressCidrs` config."
    ),
    resource_types=(EGRESS_RULE, SECURITY_GROUP_RULE),
    config=EGRESS_CONFIG,
)


@stack_policy(SPEC)
def net_1_security_group_rule_no_world_egress(s: Stack) -> Iterable[tuple[str, str | None]]:
    world = partial(unapproved_world, s.config)
    groups = s.of_type(SECURITY_GROUP)

    def decide(rule: Any) -> Iterator[str]:
        if direction(rule.resource_type, rule.props) != "egress":
            return
        found = world_cidrs_of(rule.resource_type, rule.props, world)
        if not found:
            return
        group = target(rule, "securityGroupId", groups, ("id",), known_only=True)
        held = s.resource(group if group is not None else rule)
        if not held.sensitive:
            return
        where = (
            f"security group {group.name!r}" if group is not None else "a security group outside the stack"
        )
        yield (
            f"{rule.resource_type} {rule.name!r} ({where}, {sensitivity(held)}) allows "
            f"{traffic(rule.resource_type, rule.props)} egress to {', '.join(found)}; sensitive workloads may "
            "egress only to VPC endpoints, security groups, private ranges or approvedEgressCidrs."
        )

    yield from s.each(s.of_type(EGRESS_RULE, SECURITY_GROUP_RULE), decide)
