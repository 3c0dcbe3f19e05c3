"""The AI assets of a stack and the manifests (stack outputs) that must list them (INV-2, IR-1, COST, LOG-1).

AI assets are the resources ``assets.asset_kind`` names, except buckets that receive logs (their
evidence stores, see ``log_buckets``): a trail or access-log bucket is not a dataset; then the
Bedrock-using identities and APIs (``lib.bedrock``), which only the stack view can tell.

Manifests are the stack outputs ``inventory`` (INV-2) and ``incidentResponse`` (IR-1): lists of
entries naming an asset by ``name`` (Pulumi resource name) or ``urn``. An entry naming a component
covers the AI assets inside it (nearest ancestor wins), so one record per component is enough.

Engine facts this relies on: in AnalyzeStack the ``pulumi:pulumi:Stack`` resource's props are the
stack exports and a custom resource's props are its outputs; nested values are SDK proxies (lists
are ``Sequence`` but not ``list``) that raise on a value unknown at preview when it is read.

At preview a resource may be an AI asset or not depending on an unknown value (a GPU candidate's
instance type, whether a bucket receives logs): it is listed with ``maybe`` saying why, and a finding
that holds only if it is an asset is undecided for it (``Asset.sure``, ``applies``). A manifest entry
that is unknown may be any asset's: an asset with no known entry is then undecided.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UnknownValueError

from aiwarden_policies.contract.assets import DATASET_BUCKET, GPU_COMPUTE, asset_kind
from aiwarden_policies.contract.values import is_list
from aiwarden_policies.framework import Stack, Unknown, reading
from aiwarden_policies.lib.bedrock import bedrock_assets
from aiwarden_policies.lib.log_buckets import log_buckets

STACK_TYPE = "pulumi:pulumi:Stack"
_LISTED = 8


@dataclass(frozen=True)
class Asset:
    resource: PolicyResource
    kind: str
    #: Why it may not be an AI asset after all (a value unknown at preview), or None: it is one.
    maybe: Unknown | None = None

    @property
    def cloud(self) -> str:
        return self.resource.resource_type.split(":", 1)[0]

    @property
    def urn(self) -> str:
        return str(self.resource.urn)

    def sure(self) -> None:
        """Raise ``Unknown`` when it may not be an AI asset: a finding that needs one is undecided."""
        if self.maybe is not None:
            raise self.maybe

    def describe(self) -> str:
        return f"{self.resource.resource_type} {self.resource.name!r} ({self.kind})"


def ai_assets(stack: Stack) -> list[Asset]:
    """The AI assets of the stack, in registration order (then the Bedrock users); log buckets excluded."""
    found: list[Asset] = []
    for r in stack.resources:
        try:
            kind = asset_kind(r.resource_type, r.props)
        except UnknownValueError as e:  # only GPU candidates read values: GPU compute, if it has GPUs
            found.append(Asset(r, GPU_COMPUTE, Unknown(e.message, e)))
            continue
        if kind is not None:
            found.append(Asset(r, kind))
    if any(a.kind == DATASET_BUCKET for a in found):
        evidence = log_buckets(stack)
        kept = []
        for a in found:
            try:
                if a.kind == DATASET_BUCKET and evidence.receives(a.resource):
                    continue
            except Unknown as e:
                a = replace(a, maybe=e)
            kept.append(a)
        found = kept
    return found + [Asset(r, kind) for r, kind in bedrock_assets(stack)]


def names(assets: Sequence[Asset]) -> str:
    """``'a' (kind), 'b' (kind)`` by name, at most a few, for stack-level messages."""
    ordered = sorted(assets, key=lambda a: a.resource.name)
    shown = ", ".join(f"{a.resource.name!r} ({a.kind})" for a in ordered[:_LISTED])
    return shown + (f" and {len(assets) - _LISTED} more" if len(assets) > _LISTED else "")


def applies(assets: Sequence[Asset]) -> bool:
    """Whether a check for stacks holding ``assets`` applies: True when one surely is an AI asset, ``Unknown``
    when all may not be (values unknown at preview), False without any."""
    if any(a.maybe is None for a in assets):
        return True
    if assets:
        assets[0].sure()
    return False


def _stack_resource(stack: Stack) -> PolicyResource | None:
    return next((r for r in stack.resources if r.resource_type == STACK_TYPE), None)


def stack_exports(stack: Stack) -> Mapping[str, Any]:
    found = _stack_resource(stack)
    return found.props if found is not None else {}


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
    exports = _stack_resource(stack)
    value = exports.props.get(output) if exports is not None else None  # unknown: the stack-level check waits
    if value is None or not is_list(value):

        def whole() -> Iterator[str]:
            applies(assets)
            if value is None:
                yield (
                    f"The stack exports no `{output}` output; it holds {len(assets)} AI asset(s) that each need an "
                    f"entry: {names(assets)}."
                )
            else:
                shape = "an object" if isinstance(value, Mapping) else f"a {type(value).__name__}"
                yield f"The stack output `{output}` is {shape}, not a list of entries."

        yield from stack.whole(whole)
        return
    index: dict[str, Mapping[str, Any]] = {}
    unreadable: list[Unknown] = []  # entries unknown at preview, which may be any asset's
    for i in range(len(value)):
        try:
            with reading(exports):
                entry = value[i]
                if isinstance(entry, Mapping):
                    for key in ("urn", "name"):
                        ident = entry.get(key)
                        if isinstance(ident, str) and ident.strip():
                            index.setdefault(ident, entry)
        except Unknown as e:
            unreadable.append(e)

    def decide(asset: Asset) -> Iterator[str]:
        found = _entry(asset.resource, index)
        if found is None:
            if unreadable:
                raise Unknown(", ".join(e.message for e in unreadable), unreadable[0])
            asset.sure()
            yield (
                f"{asset.describe()} has no entry in the stack output `{output}` (an entry whose `name` or "
                "`urn` is the resource's or its component's)."
            )
            return
        with reading(exports):
            problems = check(asset, found)
        if problems:
            asset.sure()
            yield f"{asset.describe()}: its `{output}` entry {'; '.join(problems)}."

    yield from stack.each(assets, decide)
