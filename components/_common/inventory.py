"""Inventory and incident-response records (controls INV-2 and IR-1).

Every component contributes one ``AssetRecord``; the program exports them all with
``export_inventory()``, as the stack outputs ``inventory`` and ``incidentResponse`` whose
shape the policies check (``aiwarden_policies.contract``).
"""

from __future__ import annotations

import threading
from typing import Any, Literal, get_args

import pulumi
from pydantic import BaseModel, ConfigDict, Field

from aiwarden_policies import contract
from aiwarden_policies.contract import assets
from components._common.ownership import Ownership

_LOCK = threading.Lock()
_RECORDS: list[AssetRecord] = []

#: The kinds of ``AssetRecord``: the pack's AI asset kinds (``aiwarden_policies.contract.assets``), then the
#: supporting kinds components also record (keys and secrets protect AI assets; responders revoke them).
AssetKind = Literal[
    "gpu-compute",
    "model-endpoint",
    "model",
    "notebook",
    "vector-store",
    "dataset-bucket",
    "agent",
    "knowledge-base",
    "ai-identity",
    "model-api",
    "encryption-key",
    "secret",
    "network",
    "container-registry",
]
#: Supporting kinds (not AI assets of the pack's): a customer-managed key, a secret, the private network AI
#: workloads run in, the registry their images come from.
ENCRYPTION_KEY = "encryption-key"
SECRET = "secret"
NETWORK = "network"
CONTAINER_REGISTRY = "container-registry"


def asset_kind(value: str) -> AssetKind:
    """``value`` (an ``assets.*`` constant, or a supporting kind) as an ``AssetKind``; a kind the pack renamed
    or dropped fails when the component module is imported, not when a record is made."""
    if value not in get_args(AssetKind):
        raise ValueError(f"{value!r} is not an asset kind; use one of {', '.join(get_args(AssetKind))}")
    kind: AssetKind = value  # type: ignore[assignment]  # checked above
    return kind


#: Every AI asset kind of the pack is a kind here (checked at import: the Literal is spelled out for types).
_PACK_KINDS = {
    assets.GPU_COMPUTE,
    assets.MODEL_ENDPOINT,
    assets.MODEL,
    assets.NOTEBOOK,
    assets.VECTOR_STORE,
    assets.DATASET_BUCKET,
    assets.AGENT,
    assets.KNOWLEDGE_BASE,
    assets.AI_IDENTITY,
    assets.MODEL_API,
}
if not set(get_args(AssetKind)) >= _PACK_KINDS:
    raise ImportError(f"AssetKind lacks the pack's kinds {sorted(_PACK_KINDS - set(get_args(AssetKind)))}")


class AssetRecord(BaseModel):
    """What a responder and an auditor need to know about one AI asset."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    name: str = Field(
        description="The Pulumi resource name of the asset's main resource, or of the component (covers its children)."
    )
    kind: AssetKind = Field(
        description=(
            "AI asset kinds (aiwarden_policies.contract.assets): gpu-compute, model-endpoint, model, notebook, "
            "vector-store, dataset-bucket, agent, knowledge-base, ai-identity (a role allowed to invoke Bedrock "
            "models), model-api (an API forwarding to a Bedrock runtime); supporting kinds: encryption-key, secret, "
            "network, container-registry."
        )
    )
    ownership: Ownership
    exposure: str = Field(default="private", description="private, internal or public.")
    identities: tuple[Any, ...] = Field(
        default=(), description="Roles / service accounts that can act on it."
    )
    credentials_to_revoke: tuple[Any, ...] = Field(default=(), description="Keys, secrets, roles to revoke.")
    buckets_to_inspect: tuple[Any, ...] = Field(default=())
    endpoints_to_disable: tuple[Any, ...] = Field(default=())
    logs_to_preserve: tuple[Any, ...] = Field(
        default=(), description="Log groups / buckets / sinks, and where."
    )
    request_identifiers: tuple[str, ...] = Field(default=(), description="Provider request ids that matter.")
    containment: str = Field(default="", description="How to contain it, in one sentence.")


def record_asset(record: AssetRecord) -> None:
    with _LOCK:
        _RECORDS.append(record)


def records() -> list[AssetRecord]:
    with _LOCK:
        return list(_RECORDS)


def inventory_entry(r: AssetRecord) -> dict[str, Any]:
    o = r.ownership
    return {
        "name": r.name,
        "kind": r.kind,
        "owner": o.owner,
        "environment": o.environment,
        "dataClassification": o.data_classification,
        "exposure": r.exposure,
        "identities": list(r.identities),
        "purpose": o.purpose,
        "costCenter": o.cost_center or "",
    }


def ir_entry(r: AssetRecord) -> dict[str, Any]:
    return {
        "name": r.name,
        "ownerContact": r.ownership.contact or r.ownership.owner,
        "credentialsToRevoke": list(r.credentials_to_revoke),
        "bucketsToInspect": list(r.buckets_to_inspect),
        "endpointsToDisable": list(r.endpoints_to_disable),
        "logsToPreserve": list(r.logs_to_preserve),
        "requestIdentifiers": list(r.request_identifiers),
        "containment": r.containment,
    }


def export_inventory() -> None:
    """Export ``inventory`` and ``incidentResponse`` stack outputs from every recorded asset."""
    current = records()
    pulumi.export(contract.INVENTORY_OUTPUT, [inventory_entry(r) for r in current])
    pulumi.export(contract.IR_OUTPUT, [ir_entry(r) for r in current])
