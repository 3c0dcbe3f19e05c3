"""Helpers shared by the GCP and Kubernetes component tests: programs, child listings, engine shapes."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

from aiwarden.capture.model import Capture
from aiwarden.capture.preview import preview
from tests.harness import capture

ROOT = Path(__file__).resolve().parents[2]

GCP_CONFIG = {"gcp:region": "us-central1"}
OWNERSHIP = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}
K8S_LABELS = {f"aiwarden.io/{key}": value for key, value in OWNERSHIP.items()}
PROJECT_NUMBER = "123456789012"
SECRET_SIG = "4dabf18193072939515e22adb298388d"

HEADER = """
import pulumi
import pulumi_gcp as gcp
from datetime import UTC, datetime
from components._common import CreateKey, ExistingKey, Ownership, export_inventory
from components.gcp import *
from components.k8s import *
o = Ownership(owner="ml-platform", environment="production", data_classification="confidential", purpose="training")
sandbox = Ownership(owner="ml-platform", environment="sandbox", data_classification="confidential", purpose="training")
"""


#: The stack-level Data Access audit logs every GCP stack with AI assets needs (LOG-1), which no data component
#: creates (one per project and service): the platform program's. They also record access to the components'
#: access-log buckets (DATA-3), which cannot usefully log to themselves.
AUDIT = """
gcp.projects.IAMAuditConfig("audit", project="aiwarden-offline", service="allServices", audit_log_configs=[
    gcp.projects.IAMAuditConfigAuditLogConfigArgs(log_type=t) for t in ("ADMIN_READ", "DATA_READ", "DATA_WRITE")])
"""


def run(body: str, preview_mode: bool = False, audit: bool = False) -> Capture:
    """Capture ``body`` (a program using ``o``, the production/confidential ownership) plus the inventory export;
    ``audit`` adds the stack's Data Access audit config (resource ``audit``)."""
    code = HEADER + textwrap.dedent(body) + (AUDIT if audit else "") + "\nexport_inventory()\n"
    c = capture(code, GCP_CONFIG, preview_mode)
    assert c.error is None, c.error
    return c


def children(c: Capture) -> list[tuple[str, str]]:
    """(type, name) of every registration except the stack, default providers and the audit config, sorted
    (siblings waiting on the same output register in any order)."""
    return sorted(
        (r.type, r.name)
        for r in c.resources
        if r.type != "pulumi:pulumi:Stack"
        and not r.type.startswith("pulumi:providers:")
        and r.name != "audit"
    )


def protected(c: Capture, name: str) -> bool:
    """Whether ``name`` was registered with the Pulumi ``protect`` option."""
    [found] = [r for r in c.resources if r.name == name]
    return bool(found.options.get("protect"))


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
