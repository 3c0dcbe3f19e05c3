"""Inventory and incident-response records (controls INV-2 and IR-1).

Every component contributes one ``AssetRecord``; the program exports them all with
``export_inventory()``, as the stack outputs ``inventory`` and ``incidentResponse`` whose
shape the policies check (``aiwarden_policies.contract``).

The runbook (``aiwarden runbook``, docs/inventory-and-runbook.md) builds exact AWS CLI / gcloud / kubectl
commands from what a record names: ARNs, ``serviceAccount:``/``user:`` members, ``projects/...`` resource
ids, CloudWatch log group names, ``s3://``/``gs://`` locations. The optional fields after ``containment``
(``contact``, ``log_locations``, ``request_id_fields``, ``steps``, ``rollback``) say what it cannot infer;
they land in ``incidentResponse`` only when set, so records that leave them out export what they always did.
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


#: Where evidence lands (``LogLocation.service``); the runbook says where to look and how to copy it out.
LogService = Literal[
    "cloudwatch-logs",
    "cloudtrail",
    "s3",
    "cloud-audit-logs",
    "cloud-logging",
    "gcs",
    "bigquery",
    "kubernetes-audit",
    "container-logs",
    "disk",
    "other",
]
#: What a ``ResponseStep`` does, which is the runbook section it appears in.
StepAction = Literal["revoke", "disable", "inspect", "preserve"]


class LogLocation(BaseModel):
    """Where an asset's evidence is, and how long the provider keeps it (the runbook's "logs to preserve")."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, arbitrary_types_allowed=True)
    where: Any = Field(
        description="The exact location: a CloudWatch log group name, `s3://bucket/prefix`, `gs://bucket/prefix`, "
        "a Cloud Logging bucket `projects/<p>/locations/<l>/buckets/<b>`, `bq://project.dataset.table`. "
        "`pulumi.Input` values pass through unvalidated."
    )
    service: LogService = Field(description="The service that holds it (selects the runbook's copy command).")
    retention_days: Any = Field(
        default=None,
        description="Days the provider keeps it: a number, 0 for never expires, None when the component does not "
        "set it (the runbook then reads the stack, or says it is unknown). `pulumi.Input` values pass through.",
    )
    contents: str = Field(
        default="", description="What it holds, e.g. `API access logs: caller, source IP, status`."
    )


class RequestIdField(BaseModel):
    """A provider request identifier a responder correlates on (CloudTrail ``requestID``, ``$context.requestId``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, arbitrary_types_allowed=True)
    name: str = Field(
        description="The field, as it appears in the logs, e.g. `$context.requestId`, `operation.id`."
    )
    where: Any = Field(
        default="",
        description="Where it is recorded, e.g. the access log group and JSON key. `pulumi.Input` values pass through.",
    )
    meaning: str = Field(
        default="", description="What it identifies and what to do with it, in one sentence."
    )


class ResponseStep(BaseModel):
    """One exact command a responder runs, contributed by the component that knows it best."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, arbitrary_types_allowed=True)
    action: StepAction = Field(
        description="revoke, disable, inspect or preserve: the runbook section it belongs to."
    )
    command: Any = Field(
        description="The command, ready to paste (placeholders for incident-specific values in `<ANGLE_BRACKETS>`). "
        "`pulumi.Input` values pass through unvalidated."
    )
    why: str = Field(description="What it does and what it costs, in one sentence.")


class AssetRecord(BaseModel):
    """What a responder and an auditor need to know about one AI asset."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, arbitrary_types_allowed=True)
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
    contact: str | None = Field(
        default=None,
        description="Who answers for this asset during an incident (e-mail, on-call rotation or pager URL); "
        "default: `ownership.contact`, then the owner team.",
    )
    log_locations: tuple[LogLocation, ...] = Field(
        default=(),
        description="Structured `logs_to_preserve`: where each log is and how long it is kept.",
    )
    request_id_fields: tuple[RequestIdField, ...] = Field(
        default=(),
        description="Structured `request_identifiers`: the field, where it is, what it identifies.",
    )
    steps: tuple[ResponseStep, ...] = Field(
        default=(),
        description="Exact commands the runbook cannot derive from the identifiers (e.g. stop a notebook).",
    )
    rollback: str = Field(
        default="",
        description="How to undo the containment once the incident is closed, in one or two sentences.",
    )


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
    entry = {
        "name": r.name,
        "ownerContact": r.contact or r.ownership.contact or r.ownership.owner,
        "credentialsToRevoke": list(r.credentials_to_revoke),
        "bucketsToInspect": list(r.buckets_to_inspect),
        "endpointsToDisable": list(r.endpoints_to_disable),
        "logsToPreserve": list(r.logs_to_preserve),
        "requestIdentifiers": list(r.request_identifiers),
        "containment": r.containment,
    }
    entry.update(_runbook_fields(r))
    return entry


def _runbook_fields(r: AssetRecord) -> dict[str, Any]:
    """The optional runbook fields, only those a record sets (records without them export what they did)."""
    extra: dict[str, Any] = {}
    if r.log_locations:
        extra["logLocations"] = [
            {
                "where": x.where,
                "service": x.service,
                "retentionDays": x.retention_days,
                "contents": x.contents,
            }
            for x in r.log_locations
        ]
    if r.request_id_fields:
        extra["requestIdFields"] = [
            {"name": x.name, "where": x.where, "meaning": x.meaning} for x in r.request_id_fields
        ]
    if r.steps:
        extra["steps"] = [{"action": x.action, "command": x.command, "why": x.why} for x in r.steps]
    if r.rollback:
        extra["rollback"] = r.rollback
    return extra


def export_inventory() -> None:
    """Export ``inventory`` and ``incidentResponse`` stack outputs from every recorded asset."""
    current = records()
    pulumi.export(contract.INVENTORY_OUTPUT, [inventory_entry(r) for r in current])
    pulumi.export(contract.IR_OUTPUT, [ir_entry(r) for r in current])
