"""Inventory and incident-response views render what components record, from a preview or a state export."""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from aiwarden.capture.preview import preview
from aiwarden.views.inventory import model, render
from aiwarden.views.stack import StackView, from_capture
from aiwarden.views.state_file import load
from tests.harness import capture, write_program
from tests.state_export import write_export

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = """
import json
import pulumi, pulumi_aws as aws
from components._common import AssetRecord, Ownership, export_inventory, record_asset
owner = Ownership(owner="ml-platform", environment="production", data_classification="restricted",
                  purpose="fraud-scoring", contact="oncall@example.com")
bucket = aws.s3.Bucket("training-data", tags=owner.aws_tags())
role = aws.iam.Role("trainer", assume_role_policy="{}", tags=owner.aws_tags())
record_asset(AssetRecord(name="training-data", kind="dataset-bucket", ownership=owner, identities=(role.arn,),
                         buckets_to_inspect=(bucket.bucket,), logs_to_preserve=("s3://logs/training-data/",),
                         credentials_to_revoke=(role.arn,), containment="Deny all in the bucket policy."))
# Nobody recorded these: the inventory lists them as unmanaged AI assets, saying why.
logs = aws.s3.Bucket("training-data-logs", tags=owner.aws_tags())
aws.s3.BucketLogging("training-data-logging", bucket=bucket.bucket, target_bucket=logs.bucket, target_prefix="s3/")
aws.sagemaker.NotebookInstance("rogue-notebook", instance_type="ml.t3.medium", role_arn=role.arn)
aws.eks.NodeGroup("gpu-nodes", cluster_name="ml", node_role_arn=role.arn, subnet_ids=["subnet-1"],
                  instance_types=["g5.xlarge"],
                  scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=1, max_size=2, min_size=0))
aws.iam.Role("chat-caller", assume_role_policy="{}", inline_policies=[aws.iam.RoleInlinePolicyArgs(
    name="bedrock", policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*"}]}))])
export_inventory()
"""
ENTRY = {
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
UNMANAGED = [
    (
        "gpu-nodes",
        "aws:eks/nodeGroup:NodeGroup",
        "gpu-compute",
        "GPU compute (g5.xlarge); no inventory record names it or a component above it",
    ),
    (
        "chat-caller",
        "aws:iam/role:Role",
        "ai-identity",
        "allows bedrock:InvokeModel through an inline policy; no inventory record names it or a component above it",
    ),
    (
        "rogue-notebook",
        "aws:sagemaker/notebookInstance:NotebookInstance",
        "notebook",
        "an interactive notebook with data access; no inventory record names it or a component above it",
    ),
]
HOSTILE = """
import pulumi_aws as aws
from components._common import AssetRecord, Ownership, export_inventory, record_asset
owner = Ownership(owner="ml-platform", environment="production", data_classification="internal", purpose="demo")
record_asset(AssetRecord(name='<script>alert("x")</script>', kind="model-endpoint", ownership=owner,
                         exposure="public", identities=("=HYPERLINK(1)", "<img src=x onerror=alert(1)>")))
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


@pytest.fixture(scope="module")
def stack() -> StackView:
    return from_capture(capture(PROGRAM), "program")


def test_inventory_json_lists_the_recorded_asset_and_the_unmanaged_ones() -> None:
    proc = view("inventory", str(write_program(PROGRAM)), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["assets"] == [ENTRY]
    assert [(u["name"], u["type"], u["kind"], u["why"]) for u in data["unmanaged"]] == UNMANAGED
    # the access-log bucket receives logs: evidence, not an AI asset
    assert "training-data-logs" not in proc.stdout


def test_incident_response_markdown_names_what_to_revoke_and_preserve() -> None:
    proc = view("incident-response", str(write_program(PROGRAM)), "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    assert (
        "| training-data | oncall@example.com | arn:aws:iam::123456789012:role/trainer-06ea17a |"
        in proc.stdout
    )
    assert "s3://logs/training-data/" in proc.stdout


def test_csv_has_one_row_per_asset_with_its_status(stack: StackView) -> None:
    rows = list(csv.DictReader(io.StringIO(render.render_csv(model.build(stack)))))
    assert [(r["status"], r["name"], r["kind"]) for r in rows] == [
        ("recorded", "training-data", "dataset-bucket"),
        ("unmanaged", "gpu-nodes", "gpu-compute"),
        ("unmanaged", "chat-caller", "ai-identity"),
        ("unmanaged", "rogue-notebook", "notebook"),
    ]
    assert rows[0]["identities"] == "arn:aws:iam::123456789012:role/trainer-06ea17a"
    assert rows[0]["ownerContact"] == "oncall@example.com"
    assert rows[3]["type"] == "aws:sagemaker/notebookInstance:NotebookInstance"


def test_markdown_lists_assets_and_unmanaged_assets(stack: StackView) -> None:
    text = render.render_markdown(model.build(stack))
    assert (
        "| training-data | dataset-bucket | ml-platform | production | restricted | private | "
        "arn:aws:iam::123456789012:role/trainer-06ea17a | fraud-scoring | oncall@example.com |" in text
    )
    assert "### Unmanaged AI assets (3)" in text
    assert "| gpu-nodes | `aws:eks/nodeGroup:NodeGroup` | gpu-compute | GPU compute (g5.xlarge);" in text


@pytest.mark.parametrize("example", ["aws-model-endpoint", "gcp-managed-notebook", "k8s-inference-service"])
def test_the_terminal_table_stays_within_80_columns_and_keeps_every_name_whole(example: str) -> None:
    inv = model.build(from_capture(preview(ROOT / "examples" / example, None, [], False), example))
    out = io.StringIO()
    render.render_table(inv, Console(file=out, width=80, emoji=False, color_system=None))
    lines = out.getvalue().splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    for entry in inv.assets:
        assert any(re.search(rf"\b{re.escape(entry['name'])}\b", line) for line in lines), entry["name"]
        assert any(entry["exposure"] in line for line in lines)


def test_html_is_self_contained_sortable_and_escapes_every_value() -> None:
    page = render.render_html(model.build(from_capture(capture(HOSTILE), "hostile")))
    assert page.startswith("<!DOCTYPE html>")
    # no external asset, no network: nothing is loaded from anywhere, and the CSP forbids it
    assert not re.search(r"\b(src|href)=\"(?!#)", page)
    assert "http://" not in page and "https://" not in page
    assert "default-src 'none'" in html.unescape(page) and "script-src 'sha256-" in html.unescape(page)
    assert "<table data-sortable" in page and 'id="filter"' in page
    # the inline style and script are the ones the policy allows (a wrong hash would block them)
    policy = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', page)[1])  # type: ignore[index]
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        inline = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)[1]  # type: ignore[index]
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in policy
    # values arrive escaped, never as markup
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert '<span class="badge exposure-public">public</span>' in page
    assert '<tr data-filter class="public">' in page


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted() -> None:
    rows = list(
        csv.DictReader(io.StringIO(render.render_csv(model.build(from_capture(capture(HOSTILE), "h")))))
    )
    assert rows[0]["identities"] == "'=HYPERLINK(1); <img src=x onerror=alert(1)>"
    assert rows[0]["name"] == '<script>alert("x")</script>'


def test_inventory_from_a_state_export_matches_the_preview(stack: StackView, tmp_path: Path) -> None:
    path = write_export(capture(PROGRAM), tmp_path / "state.json")
    exported = load(path)
    assert (exported.project, exported.stack, exported.synthetic) == ("test", "test", False)
    inv = model.build(exported)
    assert inv.assets == [ENTRY]
    assert [(u.resource.name, u.resource.type, u.kind, u.why) for u in inv.unmanaged] == UNMANAGED
    proc = view("inventory", "--state", str(path), "--format", "html", "-o", str(tmp_path / "inventory.html"))
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "inventory.html").read_text(encoding="utf-8")
    assert "state file" in page and "rogue-notebook" in page


def test_a_secret_in_an_export_without_show_secrets_reads_as_redacted(tmp_path: Path) -> None:
    code = PROGRAM.replace("identities=(role.arn,)", "identities=(pulumi.Output.secret(role.arn),)")
    stack = load(write_export(capture(code), tmp_path / "state.json"))
    [entry] = model.build(stack).assets
    assert entry["identities"] == ["[secret]"]
    shown = load(write_export(capture(code), tmp_path / "shown.json", show_secrets=True))
    assert model.build(shown).assets[0]["identities"] == ["arn:aws:iam::123456789012:role/trainer-06ea17a"]


def test_a_stack_without_the_inventory_output_says_so_and_lists_its_ai_assets_as_unmanaged() -> None:
    code = PROGRAM.replace("export_inventory()", "")
    inv = model.build(from_capture(capture(code), "program"))
    assert inv.assets == [] and not inv.exported
    assert (
        "the stack exports no `inventory` output (the program does not call export_inventory())" in inv.notes
    )
    assert [u.resource.name for u in inv.unmanaged] == [
        "gpu-nodes",
        "chat-caller",
        "training-data",
        "rogue-notebook",
    ]
