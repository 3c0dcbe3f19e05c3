"""The AI assets of a stack and the manifests (stack outputs) that must list them (INV-2, IR-1, COST, LOG-1).

AI assets are the resources ``assets.asset_kind`` names, except buckets that receive logs (their
evidence stores, see ``log_buckets``): a trail or access-log bucket is not a dataset.

Manifests are the stack outputs ``inventory`` (INV-2) and ``incidentResponse`` (IR-1): lists of
entries naming an asset by ``name`` (Pulumi resource name) or ``urn``. An entry naming a component
covers the AI assets inside it (nearest ancestor wins), so one record per component is enough.

Engine facts this relies on: in AnalyzeStack the ``pulumi:pulumi:Stack`` resource's props are the
stack exports and a custom resource's props are its outputs; nested values are SDK proxies (lists
are ``Sequence`` but not ``list``) that raise on a value unknown at preview when it is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyResource

from aiwarden_policies.assets import DATASET_BUCKET, asset_kind
from aiwarden_policies.framework import Stack
from aiwarden_policies.lib.log_buckets import log_buckets
from aiwarden_policies.lib.values import is_list

STACK_TYPE = "pulumi:pulumi:Stack"
_LISTED = 8


@dataclass(frozen=True)
class Asset:
    resource: PolicyResource
    kind: str

    @property
    def cloud(self) -> str:
        return self.resource.resource_type.split(":", 1)[0]

    def describe(self) -> str:
        return f"{self.resource.resource_type} {self.resource.name!r} ({self.kind})"


def ai_assets(stack: Stack) -> list[Asset]:
    """The AI assets of the stack, in registration order; log buckets excluded."""
    found = [
        Asset(r, kind) for r in stack.resources if (kind := asset_kind(r.resource_type, r.props)) is not None
    ]
    if any(a.kind == DATASET_BUCKET for a in found):
        evidence = log_buckets(stack)
        found = [a for a in found if a.resource.urn not in evidence]
    return found


def names(assets: Sequence[Asset]) -> str:
    """``'a' (kind), 'b' (kind)`` by name, at most a few, for stack-level messages."""
    ordered = sorted(assets, key=lambda a: a.resource.name)
    shown = ", ".join(f"{a.resource.name!r} ({a.kind})" for a in ordered[:_LISTED])
    return shown + (f" and {len(assets) - _LISTED} more" if len(assets) > _LISTED else "")


def stack_exports(stack: Stack) -> Mapping[str, Any]:
    for r in stack.resources:
        if r.resource_type == STACK_TYPE:
            return r.props
    return {}


EntryCheck = Callable[[Asset, Mapping[str, Any]], list[str]]


def _entry(r: PolicyResource, index: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any] | None:
    node: PolicyResource | None = r
    while node is not None and node.resource_type != STACK_TYPE:
        for ident in (node.urn, node.name):
            if ident in index:
                return index[ident]
        node = node.parent
    return None


def manifest_findings(
    stack: Stack, assets: Sequence[Asset], output: str, check: EntryCheck
) -> Iterator[tuple[str, str | None]]:
    """Violations of a manifest output: missing output (stack level), unlisted assets, bad entries."""
    value = stack_exports(stack).get(output)
    if value is None:
        yield (
            f"The stack exports no `{output}` output; it holds {len(assets)} AI asset(s) that each need an "
            f"entry: {names(assets)}.",
            None,
        )
        return
    if not is_list(value):
        shape = "an object" if isinstance(value, Mapping) else f"a {type(value).__name__}"
        yield f"The stack output `{output}` is {shape}, not a list of entries.", None
        return
    index: dict[str, Mapping[str, Any]] = {}
    for entry in value:
        if isinstance(entry, Mapping):
            for key in ("urn", "name"):
                ident = entry.get(key)
                if isinstance(ident, str) and ident.strip():
                    index.setdefault(ident, entry)
    for asset in assets:
        found = _entry(asset.resource, index)
        if found is None:
            yield (
                f"{asset.describe()} has no entry in the stack output `{output}` (an entry whose `name` or "
                "`urn` is the resource's or its component's).",
                asset.resource.urn,
            )
            continue
        problems = check(asset, found)
        if problems:
            yield f"{asset.describe()}: its `{output}` entry {'; '.join(problems)}.", asset.resource.urn
