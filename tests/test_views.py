"""Inventory and incident-response views render what components record."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.harness import write_program

PROGRAM = """
import pulumi, pulumi_aws as aws
from components._common import AssetRecord, Ownership, export_inventory, record_asset
owner = Ownership(owner="ml-platform", environment="production", data_classification="restricted",
                  purpose="fraud-scoring", contact="oncall@example.com")
bucket = aws.s3.Bucket("training-data", tags=owner.aws_tags())
role = aws.iam.Role("trainer", assume_role_policy="{}", tags=owner.aws_tags())
record_asset(AssetRecord(name="training-data", kind="dataset-bucket", ownership=owner, identities=(role.arn,),
                         buckets_to_inspect=(bucket.bucket,), logs_to_preserve=("s3://logs/training-data/",),
                         credentials_to_revoke=(role.arn,), containment="Deny all in the bucket policy."))
export_inventory()
"""


def view(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aiwarden.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_inventory_json_lists_the_recorded_asset_with_known_identities() -> None:
    proc = view("inventory", str(write_program(PROGRAM)), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    [entry] = json.loads(proc.stdout)
    assert entry == {
        "name": "training-data",
        "kind": "dataset-bucket",
        "owner": "ml-platform",
        "environment": "production",
        "dataClassification": "restricted",
        "exposure": "private",
        "identities": ["arn:aws:iam::123456789012:role/trainer-06ea17a"],
        "purpose": "fraud-scoring",
        "costCenter": "",
    }


def test_incident_response_markdown_names_what_to_revoke_and_preserve() -> None:
    proc = view("incident-response", str(write_program(PROGRAM)), "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    assert (
        "| training-data | oncall@example.com | arn:aws:iam::123456789012:role/trainer-06ea17a |"
        in proc.stdout
    )
    assert "s3://logs/training-data/" in proc.stdout
