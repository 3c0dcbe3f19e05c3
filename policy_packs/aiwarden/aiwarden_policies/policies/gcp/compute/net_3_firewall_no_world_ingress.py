"""NET-3: no GCP firewall rule accepts ingress from 0.0.0.0/0 or ::/0."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.firewalls import FIREWALL, allowed, opens
from aiwarden_policies.lib.network import WORLD_V4, world_cidrs

SPEC = Spec(
    control="NET-3",
    name="net-3-firewall-no-world-ingress",
    description=(
        "An enabled INGRESS (absent `direction`) `gcp:compute/firewall:Firewall` allow rule does not accept "
        "traffic from 0.0.0.0/0 or ::/0 in `sourceRanges`; a rule without `sourceRanges`, `sourceTags` and "
        "`sourceServiceAccounts` applies to 0.0.0.0/0 (GCP default)."
    ),
    remediation_steps=(
        "Restrict `source_ranges` to known callers (load balancer / health-check ranges 35.191.0.0/16 and "
        "130.211.0.0/22, IAP TCP forwarding 35.235.240.0/20, private ranges) or use `source_tags` / "
        "`source_service_accounts`; expose models through an internal load balancer or Private Service Connect."
    ),
    resource_types=(FIREWALL,),
)


@resource_policy(SPEC)
def net_3_firewall_no_world_ingress(r: Resource) -> Iterable[str]:
    if not opens(r.props, "INGRESS"):
        return
    if r.has("sourceRanges"):
        found = world_cidrs(r.get("sourceRanges"))
        where = f"sourceRanges {', '.join(found)}"
    elif r.get("sourceTags") or r.get("sourceServiceAccounts"):
        return
    else:
        found = [WORLD_V4]
        where = f"sourceRanges, sourceTags and sourceServiceAccounts not set (GCP default: {WORLD_V4})"
    if found:
        yield (
            f"{r.type} {r.name!r} accepts ingress from anywhere ({where}) on {allowed(r.props)}; AI workloads "
            "must accept ingress only from known sources."
        )
