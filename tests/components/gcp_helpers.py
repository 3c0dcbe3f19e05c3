"""Helpers shared by the GCP and Kubernetes component tests: programs, child listings, engine shapes."""

from __future__ import annotations

import textwrap
from typing import Any

from aiwarden.capture.model import Capture
from tests.harness import capture

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
from datetime import UTC, datetime
from components._common import CreateKey, ExistingKey, Ownership, export_inventory
from components.gcp import *
from components.k8s import *
o = Ownership(owner="ml-platform", environment="production", data_classification="confidential", purpose="training")
"""


def run(body: str, preview_mode: bool = False) -> Capture:
    """Capture ``body`` (a program using ``o``, the production/confidential ownership) plus the inventory export."""
    c = capture(HEADER + textwrap.dedent(body) + "\nexport_inventory()\n", GCP_CONFIG, preview_mode)
    assert c.error is None, c.error
    return c


def children(c: Capture) -> list[tuple[str, str]]:
    """(type, name) of every registration except the stack and the default providers, in order."""
    return [
        (r.type, r.name)
        for r in c.resources
        if r.type != "pulumi:pulumi:Stack" and not r.type.startswith("pulumi:providers:")
    ]


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
