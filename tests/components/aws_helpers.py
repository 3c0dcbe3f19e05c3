"""Helpers shared by the AWS component tests: programs, child listings, engine shapes, example programs."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

from aiwarden.capture.model import Capture
from aiwarden.capture.preview import preview
from tests.harness import capture

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"
ROOT_ARN = f"arn:aws:iam::{ACCOUNT}:root"
OWNERSHIP = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}
SECRET_SIG = "4dabf18193072939515e22adb298388d"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CONFIG = {"test:openai-key": {"secure": "AAABAKf0ZmZsaW5lLW9ubHk="}}

HEADER = """
import pulumi
import pulumi_aws as aws
from components._common import CreateKey, ExistingKey, Ownership, PublicAccess, export_inventory
from components.aws import *
o = Ownership(owner="ml-platform", environment="production", data_classification="confidential", purpose="training")
"""

#: The stack-level audit trail every AWS stack with AI assets needs (LOG-1), which no data component creates:
#: the platform's trail, writing to the organization's log archive. Its S3 data events on every bucket also
#: record access to the components' access-log buckets (DATA-3).
AUDIT_TRAIL = f"""
aws.cloudtrail.Trail("audit", s3_bucket_name="org-log-archive", is_multi_region_trail=True,
    enable_log_file_validation=True, kms_key_id="{KEY_ARN}", tags=o.aws_tags(),
    event_selectors=[aws.cloudtrail.TrailEventSelectorArgs(read_write_type="All", include_management_events=True,
        data_resources=[aws.cloudtrail.TrailEventSelectorDataResourceArgs(type="AWS::S3::Object",
                                                                          values=["arn:aws:s3"])])])
"""


def run(body: str, preview_mode: bool = False, trail: bool = False) -> Capture:
    """Capture ``body`` (a program using ``o``, production/confidential ownership) plus the inventory export."""
    code = HEADER + textwrap.dedent(body) + (AUDIT_TRAIL if trail else "") + "\nexport_inventory()\n"
    c = capture(code, CONFIG, preview_mode)
    assert c.error is None, c.error
    return c


def children(c: Capture) -> list[tuple[str, str]]:
    """(type, name) of every registration except the stack, default providers and the audit trail, sorted."""
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


def policy(c: Capture, name: str, key: str = "policy") -> Any:
    """A JSON policy input of ``name``, parsed."""
    return json.loads(inputs(c, name)[key])


def statements(c: Capture, name: str) -> dict[str, dict[str, Any]]:
    """The statements of an IAM-style policy input, by Sid (user statements without Sid by index)."""
    doc = policy(c, name)
    return {s.get("Sid") or str(i): s for i, s in enumerate(doc["Statement"])}


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
    """Capture the example program ``examples/<directory>`` (update mode), and the README's example code."""
    path = ROOT / "examples" / directory
    c = preview(path, None, [], False)
    return c, (path / "__main__.py").read_text(encoding="utf-8")


def readme_example(readme: str) -> str:
    """The first ```python block of a component README."""
    text = (ROOT / "components" / "aws" / readme).read_text(encoding="utf-8")
    match = re.search(r"```python\n(.*?)```", text, re.S)
    assert match is not None, f"{readme} has no python example"
    return match.group(1)
