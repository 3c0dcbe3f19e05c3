"""Findings: what a check reports (policies, violations, remediations, exemptions), rendered by every format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

_CONTROL = re.compile(r"^([a-z][a-z0-9]*?)-(\d+)-")


def control_of(policy_name: str, reference: str = "") -> str:
    """The catalog control id a policy names: framework reference, else its ``<id>-`` name prefix."""
    if reference:
        return reference
    match = _CONTROL.match(policy_name)
    return f"{match.group(1).upper()}-{match.group(2)}" if match else ""


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _camel_json(self: Any) -> dict[str, Any]:
    """A finding as the JSON report spells it: the dataclass fields, camelCase, in declaration order."""
    return {_camel(f.name): getattr(self, f.name) for f in fields(self)}


@dataclass
class PolicyMeta:
    pack: str
    pack_version: str
    name: str
    description: str
    control: str
    severity: str
    enforcement_level: str
    policy_type: str
    tags: list[str] = field(default_factory=list)
    remediation_steps: str = ""
    url: str = ""
    framework: dict[str, str] = field(default_factory=dict)
    #: The policy's ``configSchema`` properties (JSON Schema), as the analyzer declares them.
    config_schema: dict[str, Any] = field(default_factory=dict)


@dataclass
class Violation:
    policy_pack: str
    policy: str
    control: str
    severity: str
    enforcement_level: str
    urn: str
    resource_type: str
    resource_name: str
    message: str
    description: str = ""
    kind: str = "violation"  # or "unknown-at-preview"
    #: Where the program declared the resource: a path relative to the report's source root (absolute when
    #: outside it), the line, and the outer frames of the program's own files that led there.
    file: str = ""
    line: int = 0
    related: list[dict[str, Any]] = field(default_factory=list)

    to_json = _camel_json

    @property
    def where(self) -> str:
        """``file:line`` (or the file alone, or empty) for people."""
        return f"{self.file}:{self.line}" if self.file and self.line else self.file


@dataclass
class Remediation:
    policy_pack: str
    policy: str
    control: str
    urn: str
    resource_type: str
    resource_name: str
    description: str
    before: dict[str, Any]
    after: dict[str, Any]
    diagnostic: str = ""

    to_json = _camel_json


@dataclass
class Exemption:
    """A policy that did not apply to a resource because pack config exempts it, with the written reason."""

    policy_pack: str
    policy: str
    control: str
    urn: str
    resource_type: str
    resource_name: str
    justification: str

    to_json = _camel_json


@dataclass
class ResourceRef:
    urn: str
    type: str
    name: str
    parent: str


@dataclass
class Report:
    tool_version: str
    project: str
    stack: str
    preview: bool
    #: Absolute folder that finding paths are relative to (the repository root, or ``--source-root``).
    source_root: str = ""
    #: The program's ``Pulumi.yaml``, relative to the source root: where stack-level findings point.
    project_file: str = ""
    notes: list[str] = field(default_factory=list)
    resources: list[ResourceRef] = field(default_factory=list)
    policies: list[PolicyMeta] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    remediations: list[Remediation] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)
    packs: list[dict[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def mode(self) -> str:
        """``update``: every value known, as ``pulumi up`` sees them; ``preview``: as ``pulumi preview``."""
        return "preview" if self.preview else "update"

    @property
    def undecided(self) -> list[Violation]:
        return [v for v in self.violations if v.kind == "unknown-at-preview"]

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement_level == "mandatory"]

    @property
    def advisory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement_level != "mandatory"]

    def policy(self, pack: str, name: str) -> PolicyMeta | None:
        for p in self.policies:
            if p.pack == pack and p.name == name:
                return p
        return None

    def sort(self) -> None:
        order = {"mandatory": 0, "advisory": 1}
        self.violations.sort(key=lambda v: (order.get(v.enforcement_level, 2), v.control, v.policy, v.urn))
        self.remediations.sort(key=lambda r: (r.policy, r.urn))
        self.exemptions.sort(key=lambda e: (e.policy, e.urn))
