"""The control catalog (a copy of ``shared/controls.yaml``, checked against it in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOG_PATH = Path(__file__).parents[1] / "data" / "controls.yaml"


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    checklist: str
    requirement: str
    scope: tuple[str, ...]
    severity: str
    production: str
    sandbox: str
    csf: tuple[str, ...]

    def level(self, environment: str) -> str:
        return self.sandbox if environment == "sandbox" else self.production


@cache
def controls() -> dict[str, Control]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(CATALOG_PATH.read_text(encoding="utf-8"), Loader=loader)
    out: dict[str, Control] = {}
    for c in data["controls"]:
        out[c["id"]] = Control(
            id=c["id"],
            title=c["title"],
            checklist=c["checklist"],
            requirement=" ".join(c["requirement"].split()),
            scope=tuple(c["scope"]),
            severity=c["severity"],
            production=c["production"],
            sandbox=c["sandbox"],
            csf=tuple(c["csf"]),
        )
    return out
