"""The stack outputs components write and stack policies read (INV-2, IR-1).

``inventory``: a list of entries, one per AI asset, each with the keys of ``INVENTORY_FIELDS``;
``incidentResponse``: a list of entries, one per AI asset, with ``IR_FIELDS``. An entry names
its asset by ``urn`` or ``name`` (the Pulumi resource name). Exported by the platform program
with ``pulumi.export(INVENTORY_OUTPUT, ...)`` from the components' records.
"""

from __future__ import annotations

INVENTORY_OUTPUT = "inventory"
IR_OUTPUT = "incidentResponse"

INVENTORY_FIELDS: tuple[str, ...] = (
    "name",
    "kind",
    "owner",
    "environment",
    "dataClassification",
    "exposure",
    "identities",
    "purpose",
)
IR_FIELDS: tuple[str, ...] = (
    "name",
    "ownerContact",
    "credentialsToRevoke",
    "bucketsToInspect",
    "endpointsToDisable",
    "logsToPreserve",
    "requestIdentifiers",
)
EXPOSURES: tuple[str, ...] = ("private", "internal", "public")

#: Keys of the ``aiwarden:`` stack-config namespace that the pack (``PULUMI_CONFIG``) or the components read, with
#: what they mean. A program's project named ``aiwarden`` adds the keys its ``Pulumi.yaml`` declares.
STACK_CONFIG_NAMESPACE = "aiwarden"
STACK_CONFIG_KEYS: dict[str, str] = {
    "environment": "production, staging or sandbox (or an alias): selects the pack's enforcement column",
    "vocabulary": "the ownership tag/label keys and allowed values components stamp and policies read",
    "approvedRegistries": "registries the components' ImageRef accepts images from (JSON list of host or "
    "host/path globs; default: private ECR, Artifact Registry, gcr.io); the pack's SUP-2 policies read their "
    "own pack config approvedRegistries",
    "maxGpuNodesPerPool": "the GPU node ceiling the GPU pool components refuse to exceed (an integer; default 8); "
    "the pack's GPU-5 policies read their own pack config maxGpuNodesPerPool",
    "maxGpusPerNamespace": "the GPUs one Kubernetes namespace may request, which GpuWorkloadNamespace quotas and "
    "InferenceService replicas x GPUs refuse to exceed (an integer; default 16); the pack's GPU-5 quota policy "
    "reads its own pack config maxGpusPerNamespace",
}
