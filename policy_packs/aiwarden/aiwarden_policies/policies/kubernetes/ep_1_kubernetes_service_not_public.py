"""EP-1: Kubernetes Services are ClusterIP or an internal load balancer.

Scope: every Service of the stack (the platform runs AI workloads; a Service of another workload in
the same stack gets the same rule). Which CIDRs may reach a load balancer is NET-3's
(``net-3-service-no-world-ingress``); this policy decides public versus internal.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.network import internal_load_balancer

SERVICE = "kubernetes:core/v1:Service"

SPEC = Spec(
    control="EP-1",
    name="ep-1-kubernetes-service-not-public",
    description=(
        "Kubernetes Services are ClusterIP (the default), ExternalName or a LoadBalancer with an internal "
        "load-balancer annotation (`service.beta.kubernetes.io/aws-load-balancer-scheme: internal`, "
        "`networking.gke.io/load-balancer-type: Internal`, ...); an un-annotated LoadBalancer (cloud default: "
        "internet-facing) or a NodePort (a port on every node) is a violation."
    ),
    remediation_steps=(
        "Keep inference Services ClusterIP behind an authenticated internal ingress/gateway, or annotate the "
        "LoadBalancer internal (`service.beta.kubernetes.io/aws-load-balancer-scheme: internal` on EKS, "
        "`networking.gke.io/load-balancer-type: Internal` on GKE)."
    ),
    resource_types=(SERVICE,),
)


@resource_policy(SPEC)
def ep_1_kubernetes_service_not_public(r: Resource) -> Iterable[str]:
    kind = r.get("spec.type")
    if kind == "NodePort":
        yield (
            f"Kubernetes Service {r.name!r}: spec.type is NodePort (a port on every node); it must be ClusterIP or "
            "an internal LoadBalancer."
        )
    elif kind == "LoadBalancer" and not internal_load_balancer(r.get("metadata.annotations") or {}):
        yield (
            f"Kubernetes Service {r.name!r}: spec.type is LoadBalancer without an internal load-balancer annotation "
            "(cloud default: internet-facing); annotate it internal or make it ClusterIP."
        )
