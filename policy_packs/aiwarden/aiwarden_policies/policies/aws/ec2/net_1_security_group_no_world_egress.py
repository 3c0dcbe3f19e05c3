"""NET-1: security groups of sensitive workloads allow no inline egress to the whole internet.

An ``aws:ec2/securityGroup:SecurityGroup`` created by Pulumi without ``egress`` has NO egress rule:
AWS adds an allow-all egress rule to every new VPC security group, and the provider (Terraform
semantics) revokes it at create. An absent ``egress`` is therefore compliant.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.network import EGRESS_CONFIG, sensitivity, unapproved_world
from aiwarden_policies.lib.security_groups import (
    SECURITY_GROUP,
    traffic,
    world_cidrs_of,
)

SPEC = Spec(
    control="NET-1",
    name="net-1-security-group-no-world-egress",
    description=(
        "Security groups of confidential, restricted or unclassified workloads have no inline `egress` "
        "rule to 0.0.0.0/0 or ::/0 (unless listed in `approvedEgressCidrs`). A security group without "
        "`egress` has no egress rule: the provider revokes the AWS default allow-all rule at create."
    ),
    remediation_steps=(
        "Replace the 0.0.0.0/0 / ::/0 egress rule with rules to the destinations the workload needs: VPC "
        "endpoint prefix lists (`prefix_list_ids`), the security group of the VPC interface endpoints or of "
        "the egress proxy (`security_groups`), or private CIDRs. An approved proxy or allowlist range goes "
        "in the policy's `approvedEgressCidrs` config."
    ),
    resource_types=(SECURITY_GROUP,),
    config=EGRESS_CONFIG,
)


@resource_policy(SPEC)
def net_1_security_group_no_world_egress(r: Resource) -> Iterable[str]:
    world = partial(unapproved_world, r.config)
    for index, rule in enumerate(r.get("egress") or []):
        found = world_cidrs_of(SECURITY_GROUP, rule, world)
        if found and r.sensitive:
            yield (
                f"{r.type} {r.name!r} ({sensitivity(r)}): egress[{index}] allows {traffic(SECURITY_GROUP, rule)} "
                f"to {', '.join(found)}; sensitive workloads may egress only to VPC endpoints, security groups, "
                "private ranges or approvedEgressCidrs."
            )
