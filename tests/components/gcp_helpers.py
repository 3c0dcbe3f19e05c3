"""Helpers of the GCP and Kubernetes component tests: programs with the stack's audit config, protection."""

from __future__ import annotations

import textwrap

from aiwarden.capture.model import Capture
from tests.components.helpers import OWNERSHIP
from tests.harness import capture

GCP_CONFIG = {"gcp:region": "us-central1"}
K8S_LABELS = {f"aiwarden.io/{key}": value for key, value in OWNERSHIP.items()}
PROJECT_NUMBER = "123456789012"

HEADER = """
import pulumi
import pulumi_gcp as gcp
from datetime import UTC, datetime
from components._common import (
    CreateKey, ExistingKey, GcpNetwork, Grant, Ownership, PscConsumer, ServiceAccountRef, export_inventory,
)
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


def protected(c: Capture, name: str) -> bool:
    """Whether ``name`` was registered with the Pulumi ``protect`` option."""
    [found] = [r for r in c.resources if r.name == name]
    return bool(found.options.get("protect"))
