"""The root platform program and its reference stacks."""

from __future__ import annotations

import copy
import functools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiwarden.capture.model import Capture
from aiwarden.capture.preview import preview
from components.aws.audit_trail import CloudWatchDelivery, NoCloudWatchDelivery
from components.platform.aws import AwsPlatform
from components.platform.config import AwsPlatformConfig, StackConfigError, validate

ROOT = Path(__file__).resolve().parents[1]
STACKS = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aiwarden.cli", "check", str(ROOT), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("stack", STACKS)
def test_reference_stack_has_no_mandatory_and_no_undecided_finding(stack: str) -> None:
    proc = check("--stack", stack, "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = json.loads(proc.stdout)["summary"]
    assert (summary["mandatory"], summary["undecided"]) == (0, 0), proc.stdout


def test_stack_files_reference_the_generated_schema() -> None:
    for stack in STACKS:
        first = (ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../docs/schema/stack-config.schema.json"


def test_bad_stack_config_is_refused_naming_the_key() -> None:
    proc = check("--stack", STACKS[0], "--config", "aiwarden:environment=qa")
    assert proc.returncode == 2
    assert "aiwarden:environment is 'qa'; use one of production, staging, sandbox" in proc.stderr
    proc = check("--stack", STACKS[0], "--config", "aiwarden:cloud=azure")
    assert proc.returncode == 2 and "aiwarden:cloud" in proc.stderr


# ---------------------------------------------------------------- the platform each reference stack builds

AWS_COMPONENTS = [
    ("aiwarden:aws:AuditTrail", "audit"),
    ("aiwarden:aws:Key", "audit-key"),
    ("aiwarden:aws:Key", "model-artifacts-key"),
    ("aiwarden:aws:Key", "openai-api-key-key"),
    ("aiwarden:aws:Key", "transactions-key"),
    ("aiwarden:aws:Key", "vector-store-key"),
    ("aiwarden:aws:LockedBucket", "model-artifacts"),
    ("aiwarden:aws:LockedBucket", "transactions"),
    ("aiwarden:aws:SecretWiring", "openai-api-key"),
    ("aiwarden:aws:SpendGuard", "spend"),
    ("aiwarden:aws:VectorStore", "vector-store"),
]
GCP_COMPONENTS = [
    ("aiwarden:gcp:AuditConfig", "audit"),
    ("aiwarden:gcp:Key", "anthropic-api-key-cmek-us-central1"),
    ("aiwarden:gcp:Key", "audit-cmek"),
    ("aiwarden:gcp:Key", "research-corpus-cmek"),
    ("aiwarden:gcp:Key", "spend-cmek"),
    ("aiwarden:gcp:Key", "vector-store-cmek"),
    ("aiwarden:gcp:LockedBucket", "research-corpus"),
    ("aiwarden:gcp:SecretWiring", "anthropic-api-key"),
    ("aiwarden:gcp:SpendGuard", "spend"),
    ("aiwarden:gcp:VectorStore", "vector-store"),
]


@functools.cache
def _capture(stack: str) -> Capture:
    c = preview(ROOT, stack, [], False)
    assert c.error is None, c.error
    return c


def _inputs(c: Capture, name: str) -> dict[str, Any]:
    [found] = [r for r in c.resources if r.name == name]
    return found.inputs


@pytest.mark.parametrize(
    ("stack", "expected"), [("aws-production", AWS_COMPONENTS), ("gcp-sandbox", GCP_COMPONENTS)]
)
def test_reference_stack_registers_exactly_these_components(
    stack: str, expected: list[tuple[str, str]]
) -> None:
    c = _capture(stack)
    assert sorted((r.type, r.name) for r in c.resources if r.type.startswith("aiwarden:")) == expected
    top = {
        r.name
        for r in c.resources
        if r.type.startswith("aiwarden:") and "::pulumi:pulumi:Stack::" in r.parent
    }
    assert top == {name for kind, name in expected if not kind.endswith(":Key")}


@pytest.mark.parametrize("stack", STACKS)
def test_reference_stack_has_no_mandatory_violation_in_preview(stack: str) -> None:
    proc = check("--stack", stack, "--preview")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "(preview mode)" in proc.stdout and " 0 mandatory" in proc.stdout, proc.stdout


def test_aws_platform_wires_datasets_into_the_trail_and_readers_cannot_write() -> None:
    c = _capture("aws-production")
    buckets = {r.name: r.outputs["bucket"] for r in c.resources if r.type == "aws:s3/bucket:Bucket"}
    selectors = _inputs(c, "audit-trail")["advancedEventSelectors"]
    recorded = next(s for s in selectors if s["name"] == "S3 object data events of the datasets")
    assert recorded["fieldSelectors"][2]["startsWiths"] == [
        f"arn:aws:s3:::{buckets[name]}/"
        for name in (
            "transactions-bucket",
            "transactions-access-logs",
            "model-artifacts-bucket",
            "model-artifacts-access-logs",
        )
    ]
    policy = json.loads(_inputs(c, "transactions-policy")["policy"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["DenyOtherPrincipals"]["Condition"] == {
        "ArnNotLike": {
            "aws:PrincipalArn": [
                "arn:aws:iam::123456789012:role/fraud-training",
                "arn:aws:iam::123456789012:role/fraud-ingest",
            ]
        }
    }
    assert by_sid["DenyWritesByReaders"]["Condition"] == {
        "ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::123456789012:role/fraud-training"]}
    }
    # model-artifacts: fraud-training writes there, so only fraud-serving is read-only
    artifacts = {s["Sid"]: s for s in json.loads(_inputs(c, "model-artifacts-policy")["policy"])["Statement"]}
    assert artifacts["DenyWritesByReaders"]["Condition"]["ArnLike"]["aws:PrincipalArn"] == [
        "arn:aws:iam::123456789012:role/fraud-serving"
    ]
    assert _inputs(c, "model-artifacts-bucket")["tags"]["data-classification"] == "confidential"
    assert _inputs(c, "spend-budget")["costFilters"] == [
        {"name": "TagKeyValue", "values": ["user:purpose$fraud-scoring"]}
    ]
    assert "openai-api-key-version" not in {r.name for r in c.resources}  # the value is put out of band


def test_gcp_platform_grants_datasets_per_role_and_routes_the_budget() -> None:
    c = _capture("gcp-sandbox")
    assert _inputs(c, "research-corpus-grant-read-rag-api")["role"] == "roles/storage.objectViewer"
    assert _inputs(c, "research-corpus-grant-write-ingest")["role"] == "roles/storage.objectUser"
    assert _inputs(c, "spend-budget")["budgetFilter"]["labels"] == {"owner": "ml-research"}
    assert _inputs(c, "spend-budget")["allUpdatesRule"]["monitoringNotificationChannels"] == [
        "projects/aiwarden-sandbox/notificationChannels/4012345678901234567"
    ]
    assert _inputs(c, "vector-store-deployed")["deployedIndexAuthConfig"]["authProvider"][
        "allowedIssuers"
    ] == ["rag-api@aiwarden-sandbox.iam.gserviceaccount.com"]
    assert _inputs(c, "audit-bucket")["retentionPolicy"]["retentionPeriod"] == str(90 * 86400)
    assert "anthropic-api-key-version" not in {r.name for r in c.resources}


def test_gcp_platform_enables_its_apis_owns_the_audit_configs_and_names_secrets_per_stack() -> None:
    c = _capture("gcp-sandbox")
    # a bare secret id collides (409) with the same provider secret of a second stack in the project
    assert (
        _inputs(c, "anthropic-api-key-secret")["secretId"]
        == "aiwarden-aiwarden-gcp-sandbox-anthropic-api-key"
    )
    services = [r.inputs for r in c.resources if r.type == "gcp:projects/service:Service"]
    assert {s["service"] for s in services} == {
        "aiplatform.googleapis.com",
        "billingbudgets.googleapis.com",
        "cloudkms.googleapis.com",
        "cloudresourcemanager.googleapis.com",
        "logging.googleapis.com",
        "pubsub.googleapis.com",
        "secretmanager.googleapis.com",
        "storage.googleapis.com",
    }
    assert {s["disableOnDestroy"] for s in services} == {False}
    configs = [r for r in c.resources if r.type == "gcp:projects/iAMAuditConfig:IAMAuditConfig"]
    assert sorted(r.name for r in configs) == [
        "audit-audit-aiplatform",
        "audit-audit-secretmanager",
        "audit-audit-storage",
    ]
    assert all(r.options["retainOnDelete"] and r.options["protect"] for r in configs)


def test_gcp_platform_second_stack_leaves_the_audit_configs_to_their_owner() -> None:
    from components.platform.config import GcpPlatformConfig
    from components.platform.gcp import _audit

    cfg = validate(_changed("gcp-sandbox", "audit.manageAuditConfig", False))
    assert isinstance(cfg, GcpPlatformConfig)
    assert _audit(cfg, "us-central1").manage_audit_config is False
    assert _audit(validate(_stack_config("gcp-sandbox")), "us-central1").manage_audit_config is True  # type: ignore[arg-type]


# ---------------------------------------------------------------- bad configuration names the key


def _stack_config(stack: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8"))["config"]
    return {k.removeprefix("aiwarden:"): v for k, v in data.items() if k.startswith("aiwarden:")}


def _changed(stack: str, path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(_stack_config(stack))
    *parents, leaf = path.split(".")
    target = data
    for part in parents:
        target = target.setdefault(part, {})
    if value is DELETE:
        target.pop(leaf, None)
    else:
        target[leaf] = value
    return data


DELETE = object()
ROLE = "arn:aws:iam::123456789012:role/fraud-serving"
SECRET = {
    "access": {"admin": {"principal": ROLE, "role": "write"}},
    "rotationProcedure": "The on-call rotates the key every 90 days (runbook RB-17).",
}


@pytest.mark.parametrize("stack", STACKS)
def test_reference_stack_configs_validate(stack: str) -> None:
    cfg = validate(_stack_config(stack))
    assert cfg.cloud == stack.split("-")[0]


@pytest.mark.parametrize(
    ("stack", "path", "value", "message"),
    [
        (
            "aws-production",
            "datasets.transactions.access.training.principal",
            "arn:aws:iam::*:role/x",
            "aiwarden:datasets.transactions.access.training.principal: 'arn:aws:iam::*:role/x': wildcards are "
            "refused",
        ),
        (
            "aws-production",
            "datasets.transactions.access.training.role",
            "admin",
            "aiwarden:datasets.transactions.access.training.role: Input should be 'read' or 'write'",
        ),
        (
            "aws-production",
            "datasets.transactions.readers",
            {"training": ROLE},
            "aiwarden:datasets.transactions.readers: Extra inputs are not permitted",
        ),
        (
            "aws-production",
            "datasets.transactions.classification",
            "secret",
            "aiwarden:datasets.transactions.classification: 'secret' is not a data classification",
        ),
        ("aws-production", "datasets.Transactions", {}, "aiwarden:datasets.Transactions.[key]:"),
        (
            "aws-production",
            "datasets.transactions.location",
            "us",
            "aiwarden:datasets.transactions.location: GCP only",
        ),
        (
            "aws-production",
            "vectorStore.collectionName",
            DELETE,
            "aiwarden:vectorStore.collectionName: Field required",
        ),
        (
            "aws-production",
            "vectorStore.network.subnetIds",
            ["subnet-1"],
            "aiwarden:vectorStore.network.subnetIds.0: 'subnet-1' is not a subnet id",
        ),
        ("aws-production", "vectorStore.dimensions", 768, "aiwarden:vectorStore.dimensions: GCP only"),
        (
            "aws-production",
            "providerSecrets.openai-api-key.access.secrets-admin",
            DELETE,
            "aiwarden:providerSecrets.openai-api-key.access: grant `write` to the role that puts the value out "
            "of band",
        ),
        (
            "aws-production",
            "providerSecrets.openai-api-key.rotationProcedure",
            "quarterly",
            "aiwarden:providerSecrets.openai-api-key.rotationProcedure: String should have at least 20 characters",
        ),
        (
            "aws-production",
            "providerSecrets.openai-api-key.access",
            {},
            "aiwarden:providerSecrets.openai-api-key.access: Dictionary should have at least 1 item",
        ),
        (
            "aws-production",
            "providerSecrets.openai-api-key.access.serving.principal",
            "arn:aws:iam::123456789012:user/serving",
            "aiwarden:providerSecrets.openai-api-key.access.serving.principal: "
            "'arn:aws:iam::123456789012:user/serving' is not an IAM role ARN",
        ),
        (
            "aws-production",
            "providerSecrets.openai-api-key.value",
            "sk-live-123",
            "aiwarden:providerSecrets.openai-api-key.value: Extra inputs are not permitted",
        ),
        (
            "aws-production",
            "providerSecrets.audit",
            SECRET,
            "aiwarden:providerSecrets.audit: the platform uses this name itself",
        ),
        (
            "aws-production",
            "providerSecrets.transactions",
            SECRET,
            "aiwarden:providerSecrets.transactions: a dataset has the same name",
        ),
        (
            "aws-production",
            "audit.retentionDays",
            90,
            "aiwarden:audit.retentionDays: Input should be greater than or equal to 365",
        ),
        (
            "aws-production",
            "audit.trailName",
            "x",
            "aiwarden:audit.trailName: Extra inputs are not permitted",
        ),
        (
            "aws-production",
            "audit.allServices",
            True,
            "aiwarden:audit.allServices: GCP only (this stack's aiwarden:cloud is aws); remove it",
        ),
        (
            "aws-production",
            "audit.cloudwatchLogs",
            False,
            "aiwarden:audit.cloudwatchLogsOptOut: cloudwatchLogs false drops CIS AWS 3.4 delivery; say why",
        ),
        (
            "aws-production",
            "audit.cloudwatchLogsOptOut",
            "The organization trail delivers to the SIEM (SEC-77)",
            "aiwarden:audit.cloudwatchLogsOptOut: only with cloudwatchLogs false; remove it",
        ),
        ("aws-production", "spend", DELETE, "aiwarden:spend: Field required"),
        (
            "aws-production",
            "spend.amount",
            0,
            "aiwarden:spend.amount: Input should be greater than or equal to 1",
        ),
        ("aws-production", "spend.emails", [], "aiwarden:spend.emails: name at least one e-mail"),
        (
            "aws-production",
            "spend.billingAccount",
            "012345-6789AB-CDEF01",
            "aiwarden:spend.billingAccount: GCP only",
        ),
        ("aws-production", "cloud", "azure", "aiwarden:cloud: 'azure' is not a cloud; use one of aws, gcp"),
        ("aws-production", "cloud", DELETE, "aiwarden:cloud: Field required"),
        (
            "gcp-sandbox",
            "datasets.research-corpus.access.rag-api.principal",
            "allUsers",
            "aiwarden:datasets.research-corpus.access.rag-api.principal: 'allUsers' grants access to anyone",
        ),
        ("gcp-sandbox", "vectorStore.dimensions", DELETE, "aiwarden:vectorStore.dimensions: Field required"),
        ("gcp-sandbox", "vectorStore.network", "ml-sandbox", "aiwarden:vectorStore.network:"),
        ("gcp-sandbox", "vectorStore.network.network", "ml-sandbox", "aiwarden:vectorStore.network.network:"),
        (
            "gcp-sandbox",
            "vectorStore.access.rag-api.principal",
            "serviceAccount:123-compute@developer.gserviceaccount.com",
            "aiwarden:vectorStore.access.rag-api.principal: '123-compute@developer.gserviceaccount.com' is a "
            "project's default service account",
        ),
        (
            "gcp-sandbox",
            "providerSecrets.anthropic-api-key.access.rag-api.role",
            "write",
            "aiwarden:providerSecrets.anthropic-api-key.access.rag-api.role: Input should be 'read'",
        ),
        (
            "gcp-sandbox",
            "providerSecrets.anthropic-api-key.rotationProcedure",
            "The on-call rotates the key every 90 days (runbook RB-17).",
            "aiwarden:providerSecrets.anthropic-api-key.rotationProcedure: AWS only (this stack's aiwarden:cloud "
            "is gcp); remove it",
        ),
        ("gcp-sandbox", "audit.cloudwatchLogs", True, "aiwarden:audit.cloudwatchLogs: AWS only"),
        ("gcp-sandbox", "spend.billingAccount", DELETE, "aiwarden:spend.billingAccount: Field required"),
        ("gcp-sandbox", "spend.emails", ["a@example.com"], "aiwarden:spend.emails: AWS only"),
    ],
)
def test_bad_config_is_refused_naming_the_key(stack: str, path: str, value: Any, message: str) -> None:
    with pytest.raises(StackConfigError) as caught:
        validate(_changed(stack, path, value))
    assert message in str(caught.value), str(caught.value)


def test_a_component_refusal_names_the_section_key() -> None:
    cfg = validate(_changed("aws-production", "vectorStore.collectionName", "Fraud_Cases"))
    with pytest.raises(StackConfigError) as caught:
        AwsPlatform.plan(cfg)
    assert "aiwarden:vectorStore: collection_name: String should match pattern" in str(caught.value)


def test_bad_new_section_fails_the_check_naming_the_key() -> None:
    proc = check(
        "--stack", "aws-production", "--config", 'aiwarden:spend={"amount": 0, "emails": ["a@b.co"]}'
    )
    assert proc.returncode == 2
    assert "aiwarden:spend.amount: Input should be greater than or equal to 1" in proc.stderr


def test_stack_files_validate_against_the_generated_schema() -> None:
    import json

    import jsonschema
    import yaml

    schema = json.loads((ROOT / "docs" / "schema" / "stack-config.schema.json").read_text(encoding="utf-8"))
    for stack in STACKS:
        document = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8"))
        jsonschema.validate(document, schema)
    broken = {"config": {"aiwarden:environment": "production", "aiwarden:cloud": "azure"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_aws_cloudwatch_delivery_is_on_unless_opted_out_by_name() -> None:
    """CIS AWS 3.4: the trail delivers to CloudWatch Logs; `cloudwatchLogs: false` needs a reason, tagged on it."""
    reason = "The organization trail delivers to the SIEM (SEC-77)"
    data = _changed("aws-production", "audit.cloudwatchLogs", False)
    data["audit"]["cloudwatchLogsOptOut"] = reason
    config = validate(data)
    assert isinstance(config, AwsPlatformConfig)
    assert AwsPlatform.plan(config).audit.cloudwatch_logs == NoCloudWatchDelivery(justification=reason)
    default = validate(_changed("aws-production", "audit.cloudwatchLogs", DELETE))
    assert isinstance(default, AwsPlatformConfig)
    assert AwsPlatform.plan(default).audit.cloudwatch_logs == CloudWatchDelivery()
