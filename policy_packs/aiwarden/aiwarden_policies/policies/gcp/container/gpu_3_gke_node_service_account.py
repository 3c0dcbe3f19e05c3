"""GPU-3: GPU node pools run as a dedicated service account, not the default compute one.

Applies to GPU pools (``assets.is_gpu``: accelerators or an a2/a3/a4/g2/g4 machine type) of node pool
resources and clusters. An absent ``nodeConfig.serviceAccount`` is the project's default compute
service account (``<number>-compute@developer.gserviceaccount.com``, Editor on the project by default);
with it, the ``cloud-platform`` OAuth scope hands that Editor power to every pod that reaches the
metadata server.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gke import TYPES, pools

DEFAULT_COMPUTE_SA_SUFFIX = "-compute@developer.gserviceaccount.com"
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"

SPEC = Spec(
    control="GPU-3",
    name="gpu-3-gke-node-service-account",
    description=(
        "GPU node pools set nodeConfig.serviceAccount to a dedicated service account; an absent value or the "
        "default compute service account (*-compute@developer.gserviceaccount.com) is a violation, worse with "
        "the cloud-platform OAuth scope."
    ),
    remediation_steps=(
        "Create a node service account with only roles/container.defaultNodeServiceAccount (logging, monitoring, "
        "Artifact Registry read) and set `node_config.service_account=<its email>`; workloads get their own "
        "identities through Workload Identity."
    ),
    resource_types=TYPES,
)


@resource_policy(SPEC)
def gpu_3_gke_node_service_account(r: Resource) -> Iterable[str]:
    for pool in pools(r):
        if not pool.gpu:
            continue
        account = pool.get("nodeConfig.serviceAccount")
        if account and not str(account).endswith(DEFAULT_COMPUTE_SA_SUFFIX):
            continue
        where = pool.path("nodeConfig.serviceAccount")
        found = (
            f"is {account!r}"
            if account
            else "is not set (GKE default: the project's default compute account)"
        )
        scopes = [str(s) for s in pool.get("nodeConfig.oauthScopes") or []]
        broad = f", with the {CLOUD_PLATFORM_SCOPE} scope" if CLOUD_PLATFORM_SCOPE in scopes else ""
        yield (
            f"GKE GPU {pool.label}: {where} {found}{broad}; it must be a dedicated least-privilege service "
            "account, not the default compute service account."
        )
