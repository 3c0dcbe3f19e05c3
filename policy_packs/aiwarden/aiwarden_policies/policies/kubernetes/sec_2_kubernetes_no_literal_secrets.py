"""SEC-2: Kubernetes workloads get secrets from the cloud secret manager, not literal Secret manifests.

A ``Secret`` (or ``SecretPatch``) declared in the program with ``data`` or ``stringData`` puts the
secret into the program, its state and the cluster's etcd from a literal; workloads must receive
secrets through External Secrets (an ``ExternalSecret`` that materialises the Secret) or the Secrets
Store CSI driver. Service-account token Secrets (``type: kubernetes.io/service-account-token``) are
filled by the cluster and are not literals. Only key names are read (never values; pulumi-kubernetes
marks ``data`` / ``stringData`` as Pulumi secrets, which the policy SDK unwraps).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from aiwarden_policies.framework import Resource, Spec, resource_policy

SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"

SPEC = Spec(
    control="SEC-2",
    name="sec-2-kubernetes-no-literal-secrets",
    description=(
        "Kubernetes Secrets are not declared with literal data/stringData: workloads receive secrets from the "
        "cloud secret manager through External Secrets or the Secrets Store CSI driver."
    ),
    remediation_steps=(
        "Store the value in AWS Secrets Manager / GCP Secret Manager and declare an `ExternalSecret` (External "
        "Secrets Operator, authenticated with the workload's IRSA / Pod Identity / Workload Identity) or a "
        "`SecretProviderClass` (Secrets Store CSI driver) instead of `k8s.core.v1.Secret(data=...)`; then rotate "
        "the value that was in the program."
    ),
    resource_types=("kubernetes:core/v1:Secret", "kubernetes:core/v1:SecretPatch"),
)


@resource_policy(SPEC)
def sec_2_kubernetes_no_literal_secrets(r: Resource) -> Iterable[str]:
    kind = r.get("type") or "Opaque"  # Kubernetes default type
    if kind == SERVICE_ACCOUNT_TOKEN:
        return
    for field in ("data", "stringData"):
        value = r.get(field)
        if isinstance(value, Mapping) and len(value):
            keys = ", ".join(sorted(str(k) for k in value))
            yield (
                f"{r.type} {r.name!r} (type {kind}): {field} holds literal values (keys: {keys}); deliver the secret "
                "from the cloud secret manager (External Secrets or the Secrets Store CSI driver)."
            )
