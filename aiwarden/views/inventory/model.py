"""The inventory of one stack: the recorded entries (as exported), whom to call, and the unmanaged AI assets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiwarden.views import manifest
from aiwarden.views.inventory.unmanaged import Unmanaged, unmanaged
from aiwarden.views.stack import StackView

#: Columns of every tabular format, in order (the contract's fields, then the extras components export).
COLUMNS: tuple[str, ...] = (
    "name",
    "kind",
    "owner",
    "environment",
    "dataClassification",
    "exposure",
    "identities",
    "purpose",
    "costCenter",
    "ownerContact",
)


@dataclass
class Inventory:
    project: str
    stack: str
    source: str
    synthetic: bool
    #: Whether the stack exports an ``inventory`` output at all.
    exported: bool
    #: The ``inventory`` entries as the stack exports them.
    assets: list[dict[str, Any]]
    #: ``ownerContact`` of each asset's ``incidentResponse`` entry, by name.
    contacts: dict[str, str]
    unmanaged: list[Unmanaged]
    notes: list[str] = field(default_factory=list)

    def row(self, entry: dict[str, Any]) -> dict[str, Any]:
        """An entry with every column (``ownerContact`` from the incident-response entry)."""
        merged = {c: entry.get(c) for c in COLUMNS}
        merged["ownerContact"] = self.contacts.get(str(entry.get("name")), "")
        return merged


def build(stack: StackView) -> Inventory:
    entries = manifest.entries(stack, manifest.INVENTORY)
    responses = manifest.entries(stack, manifest.INCIDENT_RESPONSE)
    recorded = {str(e.get(k)) for e in (*entries, *responses) for k in ("name", "urn") if e.get(k)}
    notes = list(stack.notes)
    exported = manifest.exported(stack, manifest.INVENTORY)
    if not exported:
        notes.append(manifest.missing_note(manifest.INVENTORY))
    if stack.synthetic:
        notes.append("ids and ARNs come from an offline preview (mocked); `--state` reads a deployed stack's")
    return Inventory(
        project=stack.project,
        stack=stack.stack,
        source=stack.source,
        synthetic=stack.synthetic,
        exported=exported,
        assets=entries,
        contacts={str(e.get("name")): str(e.get("ownerContact") or "") for e in responses if e.get("name")},
        unmanaged=unmanaged(stack, recorded),
        notes=notes,
    )
