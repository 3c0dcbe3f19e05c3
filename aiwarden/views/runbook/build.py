"""The runbook of a stack: one ``AssetRunbook`` per recorded asset, from its ``inventory`` and
``incidentResponse`` entries and the stack's resources, plus the stack-wide evidence and spend signals.

An identifier no builder recognises (a sentence, a value redacted in the export) stays in the runbook as
recorded, with no command: the reader sees what the component said, never a guessed command.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from typing import Any

from aiwarden.errors import AiwardenError
from aiwarden.views import manifest
from aiwarden.views.inventory.unmanaged import unmanaged
from aiwarden.views.runbook import aws, evidence, gcp, k8s
from aiwarden.views.runbook.context import Context, context
from aiwarden.views.runbook.model import AssetRunbook, Evidence, Item, Runbook, Step
from aiwarden.views.runbook.spend import spend
from aiwarden.views.stack import StackView
from aiwarden.views.state_file import REDACTED
from aiwarden.views.text import LATER, strings
from aiwarden_policies.contract import vocabulary

#: AI asset kinds first (what a responder is called for), then what protects them (keys, secrets, networks).
SUPPORTING_KINDS = ("encryption-key", "network", "container-registry")
DATASET_BUCKET = "dataset-bucket"
PULUMI_NOTE = (
    "`pulumi up` re-applies the declared configuration and so undoes manual containment (throttles, disabled "
    "accounts, removed grants): do not run it until the incident is closed; `pulumi refresh --preview-only` "
    "shows what the incident (and the response) changed."
)

Builder = Callable[[str, Context], Item | None]


def _unusable(value: str) -> bool:
    return value in (REDACTED, LATER, "") or value.startswith("[secret")


def _first(value: str, ctx: Context, builders: tuple[Builder, ...], what: str) -> Item:
    if not _unusable(value):
        for builder in builders:
            found = builder(value, ctx)
            if found is not None:
                return found
    reason = (
        "the value is redacted in this export"
        if _unusable(value)
        else "no command is derived from this value"
    )
    return Item(value, what, [], f"{reason}: follow the containment note.")


def _order(ctx: Context) -> tuple[Builder, ...]:
    clouds: dict[str, tuple[Builder, ...]] = {
        "aws": (aws.revoke, gcp.revoke, k8s.revoke),
        "gcp": (gcp.revoke, k8s.revoke, aws.revoke),
        "kubernetes": (k8s.revoke, gcp.revoke, aws.revoke),
    }
    return clouds.get(ctx.cloud, (aws.revoke, gcp.revoke, k8s.revoke))


def _revoke(value: str, ctx: Context, stores: list[str]) -> Item:
    external = k8s.external_key(value, stores, ctx) if not _unusable(value) else None
    if external is not None and not value.startswith(("arn:", "projects/", "serviceAccount:")):
        return external
    return _first(value, ctx, _order(ctx), "recorded credential")


def _disable(value: str, ctx: Context) -> Item:
    return _first(value, ctx, (aws.disable, gcp.disable, k8s.disable), "recorded endpoint")


def _dedupe(items: list[Item]) -> list[Item]:
    seen: set[str] = set()
    kept = []
    for item in items:
        key = "\n".join(s.command for s in item.steps) or f"{item.what}:{item.subject}"
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _recorded_steps(entry: Mapping[str, Any], action: str) -> list[Item]:
    steps = [
        Step(str(s.get("command")), str(s.get("why") or ""))
        for s in entry.get("steps") or []
        if isinstance(s, Mapping) and s.get("action") == action and s.get("command")
    ]
    return [Item("recorded by the component", "component step", steps)] if steps else []


def _asset(
    stack: StackView, name: str, inv: Mapping[str, Any], ir: Mapping[str, Any], others: set[str]
) -> AssetRunbook:
    credentials = strings(ir.get("credentialsToRevoke"))
    endpoints = strings(ir.get("endpointsToDisable"))
    buckets = strings(ir.get("bucketsToInspect"))
    logs = strings(ir.get("logsToPreserve"))
    identities = strings(inv.get("identities"))
    kind = str(inv.get("kind") or "")
    ctx = context(
        stack, name, kind, [*credentials, *endpoints, *identities, *logs], others - {name}, identities
    )
    owner = str(inv.get("owner") or "")
    contact = str(ir.get("ownerContact") or "")
    contact_note = ""
    if not contact or contact == owner:
        contact = owner or "(none recorded)"
        contact_note = (
            "No responder contact is recorded: call the owner team; set `Ownership(contact=...)` or "
            "`AssetRecord(contact=...)` so the next responder has an address."
        )
    book = AssetRunbook(
        name=name,
        kind=kind,
        owner=owner,
        contact=contact,
        contact_note=contact_note,
        environment=str(inv.get("environment") or ""),
        classification=str(inv.get("dataClassification") or ""),
        exposure=str(inv.get("exposure") or ""),
        purpose=str(inv.get("purpose") or ""),
        identities=identities,
        containment=str(ir.get("containment") or ""),
    )
    stores = [i for i in identities if k8s.STORE.match(i)]
    revoke = [_revoke(v, ctx, stores) for v in credentials]
    revoke += aws.own_policies(ctx, set(credentials)) if ctx.cloud == "aws" else []
    book.revoke = _dedupe(revoke) + _recorded_steps(ir, "revoke")
    disable = [_disable(v, ctx) for v in endpoints]
    disable += aws.own_resources(ctx) if ctx.cloud == "aws" else gcp.own_resources(ctx)
    for b in buckets:
        pair = aws.bucket(b, ctx) or gcp.bucket(b, ctx)
        if pair is None:
            book.inspect.append(Item(b, "bucket", [], "no command is derived from this value"))
            continue
        inspect, public = pair
        book.inspect.append(inspect)
        if kind == DATASET_BUCKET or book.exposure == "public":  # a notebook's data buckets: inspect only
            disable.append(public)
    book.disable = _dedupe(disable) + _recorded_steps(ir, "disable")
    book.inspect += _recorded_steps(ir, "inspect")
    structured = [loc for loc in ir.get("logLocations") or [] if isinstance(loc, Mapping)]
    recorded_where = {str(loc.get("where")) for loc in structured}
    book.preserve = [evidence.structured(loc, ctx) for loc in structured]
    book.preserve += [evidence.evidence(v, ctx) for v in logs if v not in recorded_where]
    for item in _recorded_steps(ir, "preserve"):
        book.preserve.append(Evidence("recorded by the component", "component step", "", item.steps))
    revoked = set(credentials)
    book.access = [_revoke(i, ctx, stores) for i in identities if i not in revoked and not k8s.STORE.match(i)]
    book.request_ids = evidence.request_ids(ir, ctx)
    book.exception = _exception(ctx)
    rollback = [f"{i.what} {i.subject}: {i.rollback}" for i in (*book.revoke, *book.disable) if i.rollback]
    if ir.get("rollback"):
        rollback.insert(0, str(ir["rollback"]))
    book.rollback = rollback
    return book


def _exception(ctx: Context) -> str:
    """The justification an insecure choice left on the asset's main resource (tag or label)."""
    for r in ctx.own[:1]:
        for key in ("tags", "labels"):
            values = r.get(key)
            if isinstance(values, Mapping) and values.get(vocabulary.EXCEPTION):
                return str(values[vocabulary.EXCEPTION])
    return ""


def _check_asset(asset: str, names: list[str], stack: StackView) -> None:
    if asset in names:
        return
    close = difflib.get_close_matches(asset, names, n=3)
    hint = (
        f"did you mean {', '.join(close)}?" if close else f"the recorded assets: {', '.join(names) or 'none'}"
    )
    raise AiwardenError(
        f"--asset {asset}: no asset of that name is recorded in {stack.project}/{stack.stack}; {hint}"
    )


def build(stack: StackView, asset: str | None = None) -> Runbook:
    inventory = manifest.by_name(stack, manifest.INVENTORY)
    responses = manifest.by_name(stack, manifest.INCIDENT_RESPONSE)
    names = list(dict.fromkeys([*responses, *inventory]))
    if asset is not None:
        _check_asset(asset, names, stack)
        names = [asset]
    names.sort(key=lambda n: str(inventory.get(n, {}).get("kind")) in SUPPORTING_KINDS)
    notes = list(stack.notes)
    for key in (manifest.INVENTORY, manifest.INCIDENT_RESPONSE):
        if not manifest.exported(stack, key):
            notes.append(manifest.missing_note(key))
    if stack.synthetic:
        notes.append(
            "Values come from an offline preview: ids, ARNs and generated names are the mocks' (account "
            "123456789012), not a deployment's. For the real ones: `pulumi stack export --file state.json`, "
            "then `aiwarden runbook --state state.json`."
        )
    notes.append(PULUMI_NOTE)
    every = {*inventory, *responses}
    assets = [_asset(stack, n, inventory.get(n, {}), responses.get(n, {}), every) for n in names]
    recorded = {
        str(e.get(k)) for e in (*inventory.values(), *responses.values()) for k in ("name", "urn") if e.get(k)
    }
    stack_ctx = context(stack, "", "", [])
    return Runbook(
        project=stack.project,
        stack=stack.stack,
        source=stack.source,
        synthetic=stack.synthetic,
        assets=assets,
        stack_evidence=evidence.stack_evidence(stack, stack_ctx) if asset is None else [],
        spend=spend(stack),
        unmanaged=[(u.resource.name, u.resource.type, u.why) for u in unmanaged(stack, recorded)]
        if asset is None
        else [],
        notes=notes,
    )
