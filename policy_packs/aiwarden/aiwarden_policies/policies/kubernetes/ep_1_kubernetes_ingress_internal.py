"""EP-1: Kubernetes Ingresses provision internal load balancers only.

Scope: every Ingress of the stack. Internal means an explicit internal annotation or class: the AWS
Load Balancer Controller's ``alb.ingress.kubernetes.io/scheme: internal`` (its default is internal,
but IngressClassParams can override it out of sight, so it must be explicit) or GKE's
``gce-internal`` class. Ingresses served by an in-cluster controller (nginx, ...) are as exposed as
that controller's Service, which ``ep-1-kubernetes-service-not-public`` checks when the stack
declares it; such an Ingress needs an exemption naming that controller.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
ALB_SCHEME = "alb.ingress.kubernetes.io/scheme"
INGRESS_CLASS = "kubernetes.io/ingress.class"
GCE_INTERNAL = "gce-internal"

SPEC = Spec(
    control="EP-1",
    name="ep-1-kubernetes-ingress-internal",
    description=(
        f"Kubernetes Ingresses are internal: annotation `{ALB_SCHEME}: internal` (AWS Load Balancer Controller) or "
        f"class `{GCE_INTERNAL}` (`{INGRESS_CLASS}` annotation or `spec.ingressClassName`, GKE internal "
        "Application Load Balancer); anything else may be internet-facing."
    ),
    remediation_steps=(
        f"Annotate the Ingress `{ALB_SCHEME}: internal` on EKS or `{INGRESS_CLASS}: {GCE_INTERNAL}` on GKE; for an "
        "in-cluster ingress controller keep its Service internal and exempt the Ingress with that justification."
    ),
    resource_types=(INGRESS,),
)


@resource_policy(SPEC)
def ep_1_kubernetes_ingress_internal(r: Resource) -> Iterable[str]:
    annotations = r.get("metadata.annotations") or {}
    if str(annotations.get(ALB_SCHEME) or "").lower() == "internal":
        return
    if GCE_INTERNAL in (annotations.get(INGRESS_CLASS), r.get("spec.ingressClassName")):
        return
    scheme = annotations.get(ALB_SCHEME)
    found = (
        f"{ALB_SCHEME} is {scheme!r}"
        if scheme
        else f"no {ALB_SCHEME}: internal annotation or {GCE_INTERNAL} class"
    )
    yield (
        f"Kubernetes Ingress {r.name!r}: {found} (may be internet-facing); model ingresses must be internal."
    )
