"""K8S-2: a GKE cluster encrypts Kubernetes Secrets at the application layer with a Cloud KMS key.

Applied to every GKE cluster, Autopilot included (see k8s-2-gke-private-endpoint for why). An absent
``databaseEncryption`` is GKE's default, state DECRYPTED: Secrets are stored in etcd encrypted only with
Google-managed keys. The check needs ``databaseEncryption.state`` ENCRYPTED and a ``keyName`` (a Cloud KMS
key, hence customer-managed). GKE control-plane audit logs need no setting: Kubernetes audit logs go to
Cloud Audit Logs, so K8S-2 has no GKE audit log policy.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gke import CLUSTER

SPEC = Spec(
    control="K8S-2",
    name="k8s-2-gke-secrets-encryption",
    description=(
        "GKE clusters enable application-layer secrets encryption: databaseEncryption.state = ENCRYPTED with "
        "keyName naming a Cloud KMS key (GKE default: DECRYPTED, Google-managed keys only)."
    ),
    remediation_steps=(
        'Set `database_encryption=gcp.container.ClusterDatabaseEncryptionArgs(state="ENCRYPTED", '
        "key_name=<Cloud KMS crypto key id in the cluster's location>)` and grant the GKE service agent "
        "(service-<project number>@container-engine-robot.iam.gserviceaccount.com) "
        "roles/cloudkms.cryptoKeyEncrypterDecrypter on the key."
    ),
    resource_types=(CLUSTER,),
)


@resource_policy(SPEC)
def k8s_2_gke_secrets_encryption(r: Resource) -> Iterable[str]:
    state = r.get("databaseEncryption.state")
    if state is None:
        yield (
            f"GKE cluster {r.name!r}: databaseEncryption is not set (GKE default: DECRYPTED, Secrets encrypted "
            "with Google-managed keys only); it must be ENCRYPTED with a Cloud KMS key (keyName)."
        )
    elif str(state).upper() != "ENCRYPTED":
        yield (
            f"GKE cluster {r.name!r}: databaseEncryption.state is {state!r}; it must be ENCRYPTED with a Cloud KMS "
            "key (keyName)."
        )
    elif not r.get("databaseEncryption.keyName"):
        yield f"GKE cluster {r.name!r}: databaseEncryption.keyName is not set; it must name a Cloud KMS key."
