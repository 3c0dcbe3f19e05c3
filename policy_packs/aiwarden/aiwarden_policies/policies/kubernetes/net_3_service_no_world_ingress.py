"""NET-3: no Kubernetes LoadBalancer Service accepts traffic from the whole internet."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.network import WORLD_V4, internal_load_balancer, world_cidrs

SERVICE = "kubernetes:core/v1:Service"
#: The annotation form of ``spec.loadBalancerSourceRanges`` (comma-separated), read when the field is absent.
SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"

SPEC = Spec(
    control="NET-3",
    name="net-3-service-no-world-ingress",
    description=(
        "A `kubernetes:core/v1:Service` of type LoadBalancer is internal (cloud internal-LB annotation) or "
        "restricts `spec.loadBalancerSourceRanges` to known CIDRs: neither 0.0.0.0/0 / ::/0 nor absent "
        "(absent ranges: the cloud load balancer accepts traffic from anywhere)."
    ),
    remediation_steps=(
        "Make the Service ClusterIP behind an authenticated ingress/gateway, or keep the LoadBalancer internal "
        "(`service.beta.kubernetes.io/aws-load-balancer-scheme: internal`, `networking.gke.io/load-balancer-type: "
        "Internal`), or set `load_balancer_source_ranges` to the callers' CIDRs."
    ),
    resource_types=(SERVICE,),
)


def _ports(r: Resource) -> str:
    ports = [
        f"{int(float(p.get('port')))}/{p.get('protocol') or 'TCP'}"
        for p in r.get("spec.ports") or []
        if p.get("port") is not None
    ]
    return ", ".join(ports) or "its ports"


@resource_policy(SPEC)
def net_3_service_no_world_ingress(r: Resource) -> Iterable[str]:
    if r.get("spec.type") != "LoadBalancer":
        return
    annotations = r.get("metadata.annotations") or {}
    if internal_load_balancer(annotations):
        return
    ranges = r.get("spec.loadBalancerSourceRanges")
    if ranges:
        found = world_cidrs(ranges)
        where = f"spec.loadBalancerSourceRanges {', '.join(found)}"
    elif annotations.get(SOURCE_RANGES_ANNOTATION):
        found = world_cidrs([c.strip() for c in str(annotations[SOURCE_RANGES_ANNOTATION]).split(",")])
        where = f"{SOURCE_RANGES_ANNOTATION} {', '.join(found)}"
    else:  # absent or empty: the cloud load balancer accepts every source
        found = [WORLD_V4]
        where = "spec.loadBalancerSourceRanges not set and no internal load balancer annotation: open to 0.0.0.0/0"
    if found:
        yield (
            f"{r.type} {r.name!r} (LoadBalancer, {_ports(r)}) accepts ingress from anywhere ({where}); AI "
            "workloads must accept ingress only from known sources."
        )
