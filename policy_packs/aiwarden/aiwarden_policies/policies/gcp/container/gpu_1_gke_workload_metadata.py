"""GPU-1: GKE node pools use Workload Identity metadata and keep legacy metadata endpoints off.

Applied to every node pool (GPU or not) of node pool resources and clusters (inline and default
pools). An absent ``workloadMetadataConfig.mode`` is a violation: the pool then inherits GCE_METADATA
unless the cluster enables Workload Identity, which a resource check cannot see. An absent
``disable-legacy-endpoints`` key passes: GKE disables the legacy endpoints by default since 1.12;
only an explicit "false" is flagged.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gke import TYPES, pools

SPEC = Spec(
    control="GPU-1",
    name="gpu-1-gke-workload-metadata",
    description=(
        "GKE node pools set nodeConfig.workloadMetadataConfig.mode = GKE_METADATA (Workload Identity metadata "
        "server, node credentials hidden from pods) and do not re-enable the legacy metadata endpoints "
        '(nodeConfig.metadata["disable-legacy-endpoints"] must not be "false").'
    ),
    remediation_steps=(
        "Set `node_config.workload_metadata_config=gcp.container.NodePoolNodeConfigWorkloadMetadataConfigArgs("
        'mode="GKE_METADATA")` on every node pool, enable `workload_identity_config` on the cluster, and leave '
        '`metadata["disable-legacy-endpoints"]` unset or "true".'
    ),
    resource_types=TYPES,
)


@resource_policy(SPEC)
def gpu_1_gke_workload_metadata(r: Resource) -> Iterable[str]:
    for pool in pools(r):
        mode = pool.get("nodeConfig.workloadMetadataConfig.mode")
        where = pool.path("nodeConfig.workloadMetadataConfig.mode")
        if mode is None:
            yield (
                f"GKE {pool.label}: {where} is not set (inherits GCE_METADATA unless the cluster enables "
                "Workload Identity); it must be GKE_METADATA."
            )
        elif str(mode) != "GKE_METADATA":
            yield f"GKE {pool.label}: {where} is {mode!r}; it must be GKE_METADATA."
        legacy = pool.get("nodeConfig.metadata.disable-legacy-endpoints")
        if legacy is not None and str(legacy).lower() != "true":
            yield (
                f'GKE {pool.label}: {pool.path("nodeConfig.metadata")}["disable-legacy-endpoints"] is '
                f'{legacy!r}; it must be "true" (GKE default) so the v1beta1 metadata endpoints stay off.'
            )
