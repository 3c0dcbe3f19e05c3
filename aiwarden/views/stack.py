"""The stack a view reads: its resources (outputs, as a deployed stack holds them) and its stack outputs.

Built from an offline preview (``from_capture``: ids and ARNs synthesized by the mocks) or from a
``pulumi stack export`` file (``state_file.load``: the deployed values). Views never look at anything else.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from aiwarden.capture.model import Capture
from aiwarden.capture.props import plain

STACK_TYPE = "pulumi:pulumi:Stack"
#: Properties whose value names a resource (what a record or a log location refers to it by).
_NAMING_PROPS = (
    "arn",
    "name",
    "bucket",
    "endpoint",
    "invokeUrl",
    "secretId",
    "connectionName",
    "selfLink",
    "clusterName",
    "nodeGroupName",
)


@dataclass(frozen=True)
class Resource:
    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    id: str
    #: Output properties (the deployed values), falling back to the inputs where a resource has no outputs.
    props: Mapping[str, Any]

    @property
    def cloud(self) -> str:
        """``aws``, ``gcp``, ``kubernetes``, ... (``aiwarden:aws:X`` components count as their cloud)."""
        head, _, rest = self.type.partition(":")
        if head == "aiwarden":
            sub = rest.partition(":")[0]
            return "kubernetes" if sub == "k8s" else sub
        return head

    def get(self, key: str) -> Any:
        return self.props.get(key)

    def str(self, key: str) -> str:
        value = self.props.get(key)
        return value if isinstance(value, str) else ""


@dataclass
class StackView:
    project: str
    stack: str
    #: Where the values come from, for the reader ("offline preview of examples/x", "state file s.json, ...").
    source: str
    #: True for an offline preview: ids, ARNs and names are the mocks', not a deployment's.
    synthetic: bool
    resources: list[Resource] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @cached_property
    def _by_urn(self) -> dict[str, Resource]:
        return {r.urn: r for r in self.resources}

    @cached_property
    def _by_value(self) -> dict[str, list[Resource]]:
        index: dict[str, list[Resource]] = {}
        for r in self.resources:
            for value in (r.id, *(r.props.get(p) for p in _NAMING_PROPS)):
                if isinstance(value, str) and value:
                    index.setdefault(value, []).append(r)
        return index

    def of_type(self, *types: str) -> list[Resource]:
        return [r for r in self.resources if r.type in types]

    def named(self, name: str) -> list[Resource]:
        """Resources with this Pulumi name, components first (a record names its component or main resource)."""
        found = [r for r in self.resources if r.name == name]
        return sorted(found, key=lambda r: r.custom)

    def find(self, value: str, *types: str) -> Resource | None:
        """The resource (of one of ``types``, if given) whose id, ARN, name, bucket... is ``value``."""
        for r in self._by_value.get(value, []):
            if not types or r.type in types:
                return r
        return None

    def parent_of(self, r: Resource) -> Resource | None:
        return self._by_urn.get(r.parent)

    def ancestors(self, r: Resource) -> Iterator[Resource]:
        """``r``, then its parents up to (not including) the stack."""
        node: Resource | None = r
        while node is not None and node.type != STACK_TYPE:
            yield node
            node = self.parent_of(node)

    def children(self, r: Resource) -> list[Resource]:
        """Every resource below ``r`` (components and their children)."""
        below = {r.urn}
        found = []
        for candidate in self.resources:  # registration order: a parent registers before its children
            if candidate.parent in below:
                below.add(candidate.urn)
                found.append(candidate)
        return found


def from_capture(capture: Capture, program_dir: str) -> StackView:
    resources = [
        Resource(
            urn=r.urn,
            type=r.type,
            name=r.name,
            custom=r.custom,
            parent=r.parent,
            id=r.id,
            props=plain(r.outputs or r.inputs),
        )
        for r in capture.resources
    ]
    return StackView(
        project=capture.project,
        stack=capture.stack,
        source=f"offline preview of {program_dir} (stack {capture.stack})",
        synthetic=True,
        resources=resources,
        outputs=plain(capture.outputs),
        notes=list(capture.notes),
    )
