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

#: Keys of the ``aiwarden:`` stack-config namespace that the pack reads (``PULUMI_CONFIG``), with what they mean.
#: A program's project named ``aiwarden`` adds the keys its ``Pulumi.yaml`` declares.
STACK_CONFIG_NAMESPACE = "aiwarden"
STACK_CONFIG_KEYS: dict[str, str] = {
    "environment": "production, staging or sandbox (or an alias): selects the pack's enforcement column",
    "vocabulary": "the ownership tag/label keys and allowed values components stamp and policies read",
}
