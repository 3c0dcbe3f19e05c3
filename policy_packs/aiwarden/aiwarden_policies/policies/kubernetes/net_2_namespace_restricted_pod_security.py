"""NET-2: AI namespaces enforce the restricted Pod Security Standard through their labels.

System namespaces (kube-system, kube-public, kube-node-lease) belong to the cluster and are skipped.
``default`` is held to the standard like any other namespace a program manages: AI workloads must
not run there.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.namespaces import NAMESPACE, SYSTEM_NAMESPACES

ENFORCE_LABEL = "pod-security.kubernetes.io/enforce"
RESTRICTED = "restricted"

SPEC = Spec(
    control="NET-2",
    name="net-2-namespace-restricted-pod-security",
    description=(
        "Every `kubernetes:core/v1:Namespace` except kube-system, kube-public and kube-node-lease carries the "
        "label `pod-security.kubernetes.io/enforce: restricted` (absent: the cluster default, usually "
        "privileged, applies)."
    ),
    remediation_steps=(
        "Add the labels `pod-security.kubernetes.io/enforce: restricted` (and `warn` / `audit: restricted`) "
        "to the namespace metadata, after making its pods comply (see K8S-1): admission rejects pods that "
        "violate the restricted profile."
    ),
    resource_types=(NAMESPACE,),
)


@resource_policy(SPEC)
def net_2_namespace_restricted_pod_security(r: Resource) -> Iterable[str]:
    if r.get("metadata.name") in SYSTEM_NAMESPACES:
        return
    labels = r.get("metadata.labels") or {}
    value = labels.get(ENFORCE_LABEL)
    if value != RESTRICTED:
        found = "is not set (cluster default: privileged)" if value is None else f"is {value!r}"
        yield f"{r.type} {r.name!r}: label {ENFORCE_LABEL} {found}; must be {RESTRICTED!r}."
