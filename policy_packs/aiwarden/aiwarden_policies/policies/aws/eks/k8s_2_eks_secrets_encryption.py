"""K8S-2: an EKS cluster encrypts Kubernetes Secrets with a customer-managed KMS key.

Applied to every EKS cluster (see k8s-2-eks-private-endpoint for why). An absent ``encryptionConfig`` is
EKS's default: no envelope encryption of Secrets with a key the account controls. The check needs
``encryptionConfig.resources`` to contain "secrets" and ``encryptionConfig.provider.keyArn`` to be set (a
KMS key ARN is always a key the account manages; K8S-2 does not check the key itself, KMS policies do).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.contract.values import items
from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.eks import CLUSTER

SPEC = Spec(
    control="K8S-2",
    name="k8s-2-eks-secrets-encryption",
    description=(
        'EKS clusters set encryptionConfig with resources containing "secrets" and provider.keyArn naming a '
        "customer-managed KMS key, so Kubernetes Secrets are envelope-encrypted with a key the account controls."
    ),
    remediation_steps=(
        'Set `encryption_config=aws.eks.ClusterEncryptionConfigArgs(resources=["secrets"], '
        "provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=<KMS key ARN>))` with a symmetric key in "
        "the cluster's region and rotation enabled. Secrets encryption cannot be turned off once enabled."
    ),
    resource_types=(CLUSTER,),
    security_hub=("EKS.3",),
)


@resource_policy(SPEC)
def k8s_2_eks_secrets_encryption(r: Resource) -> Iterable[str]:
    if not r.get("encryptionConfig"):
        yield (
            f"EKS cluster {r.name!r}: encryptionConfig is not set (EKS default: Secrets are not encrypted with a "
            'customer-managed key); it must encrypt "secrets" with a KMS key (provider.keyArn).'
        )
        return
    resources = [str(x) for x in items(r.get("encryptionConfig.resources"))]
    if "secrets" not in resources:
        yield (
            f'EKS cluster {r.name!r}: encryptionConfig.resources is {resources!r}; it must contain "secrets".'
        )
    if not r.get("encryptionConfig.provider.keyArn"):
        yield f"EKS cluster {r.name!r}: encryptionConfig.provider.keyArn is not set; it must name a KMS key."
