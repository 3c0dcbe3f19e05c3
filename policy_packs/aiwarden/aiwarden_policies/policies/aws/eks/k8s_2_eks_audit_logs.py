"""K8S-2: an EKS cluster sends its Kubernetes API audit log to CloudWatch Logs.

Applied to every EKS cluster (see k8s-2-eks-private-endpoint for why). An absent
``enabledClusterLogTypes`` is EKS's default: no control-plane log at all. The catalog requires the
``audit`` type; api and authenticator are recommended, not checked. Retention and encryption of the
``/aws/eks/<cluster>/cluster`` log group are LOG-2's (CloudWatch log group policies).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.contract.values import items
from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.eks import CLUSTER

SPEC = Spec(
    control="K8S-2",
    name="k8s-2-eks-audit-logs",
    description=(
        'EKS clusters list "audit" in enabledClusterLogTypes, so every Kubernetes API request is recorded in '
        "CloudWatch Logs; EKS enables no control-plane log type by default."
    ),
    remediation_steps=(
        'Set `enabled_cluster_log_types=["api", "audit", "authenticator"]` on the cluster, and create the '
        "`/aws/eks/<cluster name>/cluster` log group first with a retention period and a KMS key (EKS otherwise "
        "creates it without expiry or CMK)."
    ),
    resource_types=(CLUSTER,),
    security_hub=("EKS.8",),
)


@resource_policy(SPEC)
def k8s_2_eks_audit_logs(r: Resource) -> Iterable[str]:
    types = [str(t) for t in items(r.get("enabledClusterLogTypes"))]
    if "audit" in types:
        return
    found = f"is {types!r}" if types else "is not set (EKS default: no control-plane logs)"
    yield f'EKS cluster {r.name!r}: enabledClusterLogTypes {found}; it must contain "audit".'
