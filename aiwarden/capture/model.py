"""What one offline preview captured: resources as the engine sees them, stack outputs, logs."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Registration:
    """One RegisterResource call, in the engine's shape (names camelCase, numbers floats)."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    provider: str
    id: str
    inputs: dict[str, Any]
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    #: Output properties (engine-shaped; unknowns in preview). AnalyzeStack sees outputs, Analyze sees inputs.
    outputs: dict[str, Any] = field(default_factory=dict)
    #: Where the program's own files declared it, innermost first: ``[{"file": abs path, "line": n}, ...]``.
    #: The first is the line that called the constructor; the next ones led there (e.g. the component).
    frames: list[dict[str, Any]] = field(default_factory=list)

    @property
    def location(self) -> dict[str, Any] | None:
        return self.frames[0] if self.frames else None


@dataclass
class Capture:
    project: str
    stack: str
    organization: str
    preview: bool
    config: dict[str, str]
    secret_keys: list[str]
    resources: list[Registration] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    logs: list[dict[str, str]] = field(default_factory=list)
    error: dict[str, Any] | None = None
    #: Which program ran (absolute folder and main file), for locations relative to a source root.
    program_dir: str = ""
    main: str = ""
    #: Said to the user with the report (e.g. which stack was chosen and why).
    notes: list[str] = field(default_factory=list)

    def by_urn(self) -> dict[str, Registration]:
        return {r.urn: r for r in self.resources}

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Capture:
        resources = [Registration(**r) for r in data.pop("resources", [])]
        return cls(resources=resources, **data)

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Capture:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
