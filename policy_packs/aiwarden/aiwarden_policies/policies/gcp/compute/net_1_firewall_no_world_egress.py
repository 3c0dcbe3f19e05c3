"""NET-1: GCP firewall rules allow no egress to the whole internet.

Firewall rules carry no labels, so every rule is held to the sensitive standard; a network that
serves only public workloads exempts its rules by name in the pack config.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.firewalls import FIREWALL, allowed, opens
from aiwarden_policies.lib.network import EGRESS_CONFIG, WORLD_V4, unapproved_world

SPEC = Spec(
    control="NET-1",
    name="net-1-firewall-no-world-egress",
    description=(
        "An enabled EGRESS `gcp:compute/firewall:Firewall` allow rule does not target 0.0.0.0/0 or ::/0 "
        "(an absent `destinationRanges` is 0.0.0.0/0), unless the range is listed in `approvedEgressCidrs`. "
        "Firewall rules carry no labels: every rule is held to the sensitive standard."
    ),
    remediation_steps=(
        "Restrict `destination_ranges` to what the workload needs (Private Google Access ranges "
        "199.36.153.8/30 / 199.36.153.4/30, private ranges, the egress proxy) and add a lowest-priority "
        "EGRESS deny rule for 0.0.0.0/0 (GCP's implied egress rule allows everything). An approved proxy or "
        "allowlist range goes in the policy's `approvedEgressCidrs` config."
    ),
    resource_types=(FIREWALL,),
    config=EGRESS_CONFIG,
)


@resource_policy(SPEC)
def net_1_firewall_no_world_egress(r: Resource) -> Iterable[str]:
    if not opens(r.props, "EGRESS"):
        return
    if r.has("destinationRanges"):
        found = unapproved_world(r.config, r.get("destinationRanges"))
        where = f"destinationRanges {', '.join(found)}"
    else:
        found = unapproved_world(r.config, WORLD_V4)  # GCP default for EGRESS: 0.0.0.0/0
        where = f"destinationRanges not set (GCP default: {WORLD_V4})"
    if found and r.sensitive:
        yield (
            f"{r.type} {r.name!r}: EGRESS allows {allowed(r.props)} to {where}; egress of sensitive workloads "
            "must go to Private Google Access, private ranges or approvedEgressCidrs."
        )
