"""NET-2: every AI namespace has a NetworkPolicy that denies all ingress and egress by default.

A stack policy: a NetworkPolicy is in a namespace when its ``metadata`` depends on the Namespace
resource (``namespace=ns.metadata.name``) or its ``metadata.namespace`` equals the namespace's
``metadata.name`` output (absent ``metadata.namespace``: ``default``). A default deny selects every
pod (``podSelector: {}``), lists both ``Ingress`` and ``Egress`` in ``policyTypes`` and has no
``ingress`` / ``egress`` rules; allow rules go in further policies. Network policies only work with an
enforcing CNI (EKS VPC CNI network policy agent, GKE Dataplane V2, Calico, Cilium).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiwarden_policies.framework import Spec, Stack, get, stack_policy
from aiwarden_policies.lib.namespaces import NAMESPACE, SYSTEM_NAMESPACES, namespace
from aiwarden_policies.lib.relations import referenced

NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"

SPEC = Spec(
    control="NET-2",
    name="net-2-namespace-default-deny",
    description=(
        "Every `kubernetes:core/v1:Namespace` (except kube-system, kube-public, kube-node-lease) has a "
        "`kubernetes:networking.k8s.io/v1:NetworkPolicy` with `podSelector: {}`, `policyTypes: [Ingress, Egress]` "
        "and no ingress/egress rules: a default deny of all traffic. A missing policy is a violation."
    ),
    remediation_steps=(
        "Create `NetworkPolicy(metadata={namespace: ns.metadata.name}, spec={pod_selector: {}, "
        "policy_types: ['Ingress', 'Egress']})` in the namespace, then add narrow allow policies (DNS to "
        "kube-dns, the model's callers, VPC endpoints). Run a CNI that enforces network policies."
    ),
    resource_types=(NAMESPACE, NETWORK_POLICY),
)


def _in_namespace(policy: Any, ns: Any, name: Any) -> bool:
    return bool(referenced(policy, "metadata", [ns])) or namespace(policy.props) == name


def _default_deny(policy: Any) -> bool:
    spec = get(policy.props, "spec") or {}
    selector = spec.get("podSelector") or {}  # absent: the empty selector, every pod
    types = set(spec.get("policyTypes") or [])
    return (
        not selector.get("matchLabels")
        and not selector.get("matchExpressions")
        and {"Ingress", "Egress"} <= types
        and not spec.get("ingress")
        and not spec.get("egress")
    )


@stack_policy(SPEC)
def net_2_namespace_default_deny(s: Stack) -> Iterable[tuple[str, str | None]]:
    policies = s.of_type(NETWORK_POLICY)
    for ns in s.of_type(NAMESPACE):
        name = get(ns.props, "metadata.name")
        if name in SYSTEM_NAMESPACES:
            continue
        inside = [p for p in policies if _in_namespace(p, ns, name)]
        if any(_default_deny(p) for p in inside):
            continue
        names = ", ".join(sorted(repr(p.name) for p in inside))
        others = f" (its policies {names} are not a default deny)" if inside else ""
        called = f" (metadata.name {name!r})" if name else ""
        yield (
            f"{NAMESPACE} {ns.name!r}{called} has no default-deny NetworkPolicy "
            f"(podSelector {{}}, policyTypes [Ingress, Egress], no rules){others}.",
            ns.urn,
        )
