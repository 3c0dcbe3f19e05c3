"""NET-2: every AI namespace has a NetworkPolicy that denies all ingress and egress by default.

A stack policy: a NetworkPolicy is in a namespace when its ``metadata`` depends on the Namespace
resource (``namespace=ns.metadata.name``) or its ``metadata.namespace`` equals the namespace's
``metadata.name`` output (absent ``metadata.namespace``: ``default``).

A direction (ingress, egress) is denied by default when a policy of the namespace selects every pod
(``podSelector: {}``), has the direction in its ``policyTypes`` and no rules for it: Kubernetes
isolates every pod for that direction and the policy allows nothing, so only the allow rules of further
policies let traffic through. The namespace needs both directions denied, by one policy
(``policyTypes: [Ingress, Egress]``, no rules) or by two (a deny-all-ingress and a deny-all-egress
policy). Absent ``policyTypes`` is the Kubernetes default: ``Ingress``, plus ``Egress`` when the
policy has ``egress`` rules. Network policies only work with an enforcing CNI (EKS VPC CNI network
policy agent, GKE Dataplane V2, Calico, Cilium).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, get, stack_policy
from aiwarden_policies.lib.namespaces import NAMESPACE, SYSTEM_NAMESPACES, namespace
from aiwarden_policies.lib.relations import referenced

NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"

SPEC = Spec(
    control="NET-2",
    name="net-2-namespace-default-deny",
    description=(
        "Every `kubernetes:core/v1:Namespace` (except kube-system, kube-public, kube-node-lease) denies all "
        "ingress and all egress by default: `kubernetes:networking.k8s.io/v1:NetworkPolicy` resources with "
        "`podSelector: {}` and no rules cover both `Ingress` and `Egress` in their `policyTypes` (one policy "
        "with both types, or a deny-all-ingress and a deny-all-egress policy). A missing direction is a violation."
    ),
    remediation_steps=(
        "Create `NetworkPolicy(metadata={namespace: ns.metadata.name}, spec={pod_selector: {}, "
        "policy_types: ['Ingress', 'Egress']})` in the namespace (or one policy per direction), then add narrow "
        "allow policies (DNS to kube-dns, the model's callers, VPC endpoints). Run a CNI that enforces network "
        "policies."
    ),
    resource_types=(NAMESPACE, NETWORK_POLICY),
)

DIRECTIONS = ("Ingress", "Egress")


def _in_namespace(policy: Any, ns: Any, name: Any) -> bool:
    return bool(referenced(policy, "metadata", [ns])) or namespace(policy.props) == name


def denied_by_default(policy: Any) -> set[str]:
    """The directions (``Ingress``, ``Egress``) a NetworkPolicy denies for every pod of its namespace."""
    spec = get(policy.props, "spec") or {}
    selector = spec.get("podSelector") or {}  # absent: the empty selector, every pod
    if selector.get("matchLabels") or selector.get("matchExpressions"):
        return set()
    types = spec.get("policyTypes")
    if types is None:  # Kubernetes default: Ingress, and Egress when there are egress rules
        types = ["Ingress", *(["Egress"] if spec.get("egress") else [])]
    rules = {"Ingress": spec.get("ingress"), "Egress": spec.get("egress")}
    return {str(t) for t in types if str(t) in rules and not rules[str(t)]}


@stack_policy(SPEC)
def net_2_namespace_default_deny(s: Stack) -> Iterable[tuple[str, str | None]]:
    policies = s.of_type(NETWORK_POLICY)

    def decide(ns: Any) -> Iterator[str]:
        name = get(ns.props, "metadata.name")
        if name in SYSTEM_NAMESPACES:
            return
        # The directions each policy of the namespace denies (None: a policy of another namespace).
        inside = Readings(policies, lambda p: denied_by_default(p) if _in_namespace(p, ns, name) else None)
        found = [(p, denied) for p, denied in inside.known if denied is not None]
        denied: set[str] = set().union(*(d for _, d in found))
        missing = [d for d in DIRECTIONS if d not in denied]
        if not missing:
            return
        inside.require()  # a policy unknown at preview may be in it and deny the rest
        what = " and ".join(missing)
        names = ", ".join(sorted(repr(p.name) for p, _ in found))
        others = f" (its policies {names} do not deny {what} to every pod)" if found else ""
        called = f" (metadata.name {name!r})" if name else ""
        rules = " or ".join(d.lower() for d in missing)
        yield (
            f"{NAMESPACE} {ns.name!r}{called} has no default deny of {what} (a NetworkPolicy with podSelector {{}}, "
            f"{what} in policyTypes and no {rules} rules){others}."
        )

    yield from s.each(s.of_type(NAMESPACE), decide)
