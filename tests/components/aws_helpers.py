"""Helpers of the AWS component tests: programs with the stack's audit trail, IAM policy documents."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from aiwarden.capture.model import Capture
from tests.components.helpers import inputs
from tests.harness import capture

ACCOUNT = "123456789012"
ROOT_ARN = f"arn:aws:iam::{ACCOUNT}:root"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CONFIG = {"test:openai-key": {"secure": "AAABAKf0ZmZsaW5lLW9ubHk="}}

HEADER = """
import pulumi
import pulumi_aws as aws
from components._common import (
    AwsNetwork, CreateKey, ExistingKey, Grant, Ownership, PublicAccess, ServiceAccountRef, export_inventory,
)
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


def policy(c: Capture, name: str, key: str = "policy") -> Any:
    """A JSON policy input of ``name``, parsed."""
    return json.loads(inputs(c, name)[key])


def statements(c: Capture, name: str) -> dict[str, dict[str, Any]]:
    """The statements of an IAM-style policy input, by Sid (user statements without Sid by index)."""
    doc = policy(c, name)
    return {s.get("Sid") or str(i): s for i, s in enumerate(doc["Statement"])}
