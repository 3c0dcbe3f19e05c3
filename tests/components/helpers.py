"""Helpers shared by every component test: listings and engine shapes of a capture, example programs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from aiwarden.capture.model import Capture
from aiwarden.capture.preview import preview

ROOT = Path(__file__).resolve().parents[2]
OWNERSHIP = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}
SECRET_SIG = "4dabf18193072939515e22adb298388d"


def children(c: Capture) -> list[tuple[str, str]]:
    """(type, name) of every registration except the stack, default providers and the stack's audit resource
    (``audit``), sorted (siblings waiting on the same output register in any order)."""
    return sorted(
        (r.type, r.name)
        for r in c.resources
        if r.type != "pulumi:pulumi:Stack"
        and not r.type.startswith("pulumi:providers:")
        and r.name != "audit"
    )


def inputs(c: Capture, name: str) -> dict[str, Any]:
    [found] = [r for r in c.resources if r.name == name]
    return found.inputs


def parent_name(c: Capture, name: str) -> str:
    [found] = [r for r in c.resources if r.name == name]
    return found.parent.rsplit("::", 1)[-1]


def depends_on(c: Capture, name: str) -> set[str]:
    [found] = [r for r in c.resources if r.name == name]
    return {urn.rsplit("::", 1)[-1] for urn in found.dependencies}


def inventory(c: Capture) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in c.outputs["inventory"]}


def incident_response(c: Capture) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in c.outputs["incidentResponse"]}


def example(directory: str) -> tuple[Capture, str]:
    """Capture the example program ``examples/<directory>`` (update mode), and its code."""
    path = ROOT / "examples" / directory
    return preview(path, None, [], False), (path / "__main__.py").read_text(encoding="utf-8")


def readme_example(readme: str) -> str:
    """The first ```python block of a component README (path under ``components/``)."""
    text = (ROOT / "components" / readme).read_text(encoding="utf-8")
    match = re.search(r"```python\n(.*?)```", text, re.S)
    assert match is not None, f"{readme} has no python example"
    return match.group(1)
