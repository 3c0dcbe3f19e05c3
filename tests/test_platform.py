"""The root platform program and its reference stacks."""

from __future__ import annotations

import copy
import functools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pulumi
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


def _keys(cloud: str, *names: str) -> list[tuple[str, str]]:
    return [(f"aiwarden:{cloud}:Key", name) for name in names]


#: The components each reference stack registers (keys are the components' own children).
COMPONENTS: dict[str, list[tuple[str, str]]] = {
    "aws-production": sorted(
        [
            ("aiwarden:aws:AuditTrail", "audit"),
            ("aiwarden:aws:BedrockAccess", "bedrock"),
            ("aiwarden:aws:ContainerRegistry", "registry"),
            ("aiwarden:aws:GpuCluster", "gpu-cluster"),
            ("aiwarden:aws:GpuNodePool", "gpu-l40s"),
            ("aiwarden:aws:LockedBucket", "bedrock-logs"),
            ("aiwarden:aws:LockedBucket", "model-artifacts"),
            ("aiwarden:aws:LockedBucket", "model-endpoint-captures"),
            ("aiwarden:aws:LockedBucket", "transactions"),
            ("aiwarden:aws:ManagedNotebook", "notebook"),
            ("aiwarden:aws:ModelEndpoint", "model-endpoint"),
            ("aiwarden:aws:PrivateNetwork", "network"),
            ("aiwarden:aws:SecretWiring", "openai-api-key"),
            ("aiwarden:aws:SpendGuard", "spend"),
            ("aiwarden:aws:VectorStore", "vector-store"),
            *_keys(
                "aws",
                "audit-key",
                "bedrock-key",
                "gpu-cluster-key",
                "gpu-l40s-key",
                "model-artifacts-key",
                "model-endpoint-captures-key",
                "model-endpoint-key",
                "network-key",
                "notebook-key",
                "openai-api-key-key",
                "registry-key",
                "transactions-key",
                "vector-store-key",
            ),
        ]
    ),
    "aws-sandbox": sorted(
        [
            ("aiwarden:aws:AuditTrail", "audit"),
            ("aiwarden:aws:BedrockAccess", "bedrock"),
            ("aiwarden:aws:ContainerRegistry", "registry"),
            ("aiwarden:aws:GpuCluster", "gpu-cluster"),
            ("aiwarden:aws:GpuNodePool", "gpu-l4"),
            ("aiwarden:aws:LockedBucket", "model-endpoint-captures"),
            ("aiwarden:aws:LockedBucket", "synthetic-transactions"),
            ("aiwarden:aws:ManagedNotebook", "notebook"),
            ("aiwarden:aws:ModelEndpoint", "model-endpoint"),
            ("aiwarden:aws:PrivateNetwork", "network"),
            ("aiwarden:aws:SecretWiring", "openai-sandbox-key"),
            ("aiwarden:aws:SpendGuard", "spend"),
            *_keys(
                "aws",
                "audit-key",
                "bedrock-key",
                "gpu-cluster-key",
                "gpu-l4-key",
                "model-endpoint-captures-key",
                "model-endpoint-key",
                "network-key",
                "notebook-key",
                "openai-sandbox-key-key",
                "registry-key",
                "synthetic-transactions-key",
            ),
        ]
    ),
    "gcp-production": sorted(
        [
            ("aiwarden:gcp:AuditConfig", "audit"),
            ("aiwarden:gcp:ContainerRegistry", "registry"),
            ("aiwarden:gcp:GpuCluster", "gpu-cluster"),
            ("aiwarden:gcp:GpuNodePool", "gpu-l4"),
            ("aiwarden:gcp:LockedBucket", "knowledge-base"),
            ("aiwarden:gcp:LockedBucket", "model-artifacts"),
            ("aiwarden:gcp:ManagedNotebook", "notebook"),
            ("aiwarden:gcp:ModelEndpoint", "model-endpoint"),
            ("aiwarden:gcp:PrivateNetwork", "network"),
            ("aiwarden:gcp:SecretWiring", "anthropic-api-key"),
            ("aiwarden:gcp:SpendGuard", "spend"),
            ("aiwarden:gcp:VectorStore", "vector-store"),
            *_keys(
                "gcp",
                "anthropic-api-key-cmek-us-central1",
                "audit-cmek",
                "gpu-cluster-cmek",
                "gpu-l4-cmek",
                "knowledge-base-cmek",
                "model-artifacts-cmek",
                "model-endpoint-cmek",
                "notebook-cmek",
                "registry-cmek",
                "spend-cmek",
                "vector-store-cmek",
            ),
        ]
    ),
    "gcp-sandbox": sorted(
        [
            ("aiwarden:gcp:AuditConfig", "audit"),
            ("aiwarden:gcp:ContainerRegistry", "registry"),
            ("aiwarden:gcp:GpuCluster", "gpu-cluster"),
            ("aiwarden:gcp:GpuNodePool", "gpu-l4"),
            ("aiwarden:gcp:LockedBucket", "research-corpus"),
            ("aiwarden:gcp:ManagedNotebook", "notebook"),
            ("aiwarden:gcp:ModelEndpoint", "model-endpoint"),
            ("aiwarden:gcp:PrivateNetwork", "network"),
            ("aiwarden:gcp:SecretWiring", "anthropic-api-key"),
            ("aiwarden:gcp:SpendGuard", "spend"),
            ("aiwarden:gcp:VectorStore", "vector-store"),
            *_keys(
                "gcp",
                "anthropic-api-key-cmek-us-central1",
                "audit-cmek",
                "gpu-cluster-cmek",
                "gpu-l4-cmek",
                "model-endpoint-cmek",
                "notebook-cmek",
                "registry-cmek",
                "research-corpus-cmek",
                "spend-cmek",
                "vector-store-cmek",
            ),
        ]
    ),
    "k8s-inference": [
        ("aiwarden:k8s:ExternalSecret", "vllm-api-key"),
        ("aiwarden:k8s:GpuWorkloadNamespace", "rag-serving"),
        ("aiwarden:k8s:InferenceService", "vllm"),
    ],
}
#: Components nested in another component (not children of the stack).
NESTED = {"bedrock-logs"}


def test_every_reference_stack_is_listed() -> None:
    assert sorted(COMPONENTS) == STACKS


@functools.cache
def _capture(stack: str) -> Capture:
    c = preview(ROOT, stack, [], False)
    assert c.error is None, c.error
    return c


def _inputs(c: Capture, name: str) -> dict[str, Any]:
    [found] = [r for r in c.resources if r.name == name]
    return found.inputs


def _outputs(c: Capture, name: str) -> dict[str, Any]:
    [found] = [r for r in c.resources if r.name == name]
    return found.outputs


def _id(c: Capture, name: str) -> str:
    [found] = [r for r in c.resources if r.name == name]
    return str(found.id)


def _of_type(c: Capture, type_: str) -> list[str]:
    return sorted(r.name for r in c.resources if r.type == type_)


@pytest.mark.parametrize("stack", sorted(COMPONENTS))
def test_reference_stack_registers_exactly_these_components(stack: str) -> None:
    expected = COMPONENTS[stack]
    c = _capture(stack)
    assert sorted((r.type, r.name) for r in c.resources if r.type.startswith("aiwarden:")) == expected
    top = {
        r.name
        for r in c.resources
        if r.type.startswith("aiwarden:") and "::pulumi:pulumi:Stack::" in r.parent
    }
    assert top == {name for kind, name in expected if not kind.endswith(":Key") and name not in NESTED}


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
            "model-endpoint-captures-bucket",
            "model-endpoint-captures-access-logs",
            "bedrock-logs-bucket",
            "bedrock-logs-access-logs",
        )
    ]
    notebook_role = _outputs(c, "notebook-role")["arn"]
    policy = json.loads(_inputs(c, "transactions-policy")["policy"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["DenyOtherPrincipals"]["Condition"] == {
        "ArnNotLike": {
            "aws:PrincipalArn": [
                "arn:aws:iam::123456789012:role/fraud-training",
                "arn:aws:iam::123456789012:role/fraud-ingest",
                notebook_role,  # notebook.datasets: {transactions: read}
            ]
        }
    }
    assert by_sid["DenyWritesByReaders"]["Condition"] == {
        "ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::123456789012:role/fraud-training", notebook_role]}
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
        "artifactregistry.googleapis.com",
        "bigquery.googleapis.com",
        "billingbudgets.googleapis.com",
        "binaryauthorization.googleapis.com",
        "cloudkms.googleapis.com",
        "cloudresourcemanager.googleapis.com",
        "compute.googleapis.com",
        "container.googleapis.com",
        "containerscanning.googleapis.com",
        "dns.googleapis.com",
        "iam.googleapis.com",
        "logging.googleapis.com",
        "monitoring.googleapis.com",
        "notebooks.googleapis.com",
        "pubsub.googleapis.com",
        "secretmanager.googleapis.com",
        "storage.googleapis.com",
    }
    assert {s["project"] for s in services} == {"aiwarden-sandbox"}  # gcp:project, named explicitly
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
    from components.platform.gcp import Where, _audit

    where = Where(project="aiwarden-sandbox", region="us-central1")
    cfg = validate(_changed("gcp-sandbox", "audit.manageAuditConfig", False))
    assert isinstance(cfg, GcpPlatformConfig)
    assert _audit(cfg, where).manage_audit_config is False
    assert _audit(validate(_stack_config("gcp-sandbox")), where).manage_audit_config is True  # type: ignore[arg-type]


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
            "aiwarden:datasets.transactions.readers: unknown key; remove it (valid keys here: access, classification)",
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
            "aiwarden:providerSecrets.openai-api-key.value: unknown key; remove it (valid keys here: access, "
            "rotationProcedure, description)",
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
            "aiwarden:audit.trailName: unknown key; remove it",
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
        (
            "aws-production",
            "spend",
            {"amount": 1, "emails": []},
            "aiwarden:spend.emails: name at least one e-mail",
        ),
        (
            "aws-production",
            "spend.billingAccount",
            "012345-6789AB-CDEF01",
            "aiwarden:spend.billingAccount: GCP only",
        ),
        (
            "aws-production",
            "cloud",
            "azure",
            "aiwarden:cloud: 'azure' is not a cloud; use one of aws, gcp, k8s",
        ),
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
        (
            "gcp-sandbox",
            "notebook.datasets",
            {"transactions": "read"},
            "aiwarden:notebook.datasets: 'transactions' is not in aiwarden:datasets",
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
    assert isinstance(cfg, AwsPlatformConfig)
    with pytest.raises(StackConfigError) as caught:
        AwsPlatform.plan(cfg)
    assert "aiwarden:vectorStore: collectionName: String should match pattern" in str(caught.value)


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


# ---------------------------------------------------------------- the security-relevant wiring, per stack


def _statements(c: Capture, name: str, key: str = "policy") -> dict[str, Any]:
    return {s["Sid"]: s for s in json.loads(_inputs(c, name)[key])["Statement"]}


def test_aws_production_compute_runs_in_the_private_network_behind_the_private_api() -> None:
    c = _capture("aws-production")
    subnets = [_id(c, "network-a"), _id(c, "network-b")]
    workloads = _id(c, "network-workloads")
    cluster = _inputs(c, "gpu-cluster-cluster")["vpcConfig"]
    assert (cluster["endpointPublicAccess"], cluster["endpointPrivateAccess"]) == (False, True)
    assert cluster["subnetIds"] == subnets
    pool = _inputs(c, "gpu-l40s-node-group")
    assert (pool["subnetIds"], pool["scalingConfig"]["maxSize"]) == (subnets, 4)
    assert pool["clusterName"] == "aiwarden-aws-production-gpu-cluster"
    # the endpoint: containers in the private subnets, isolated; the API PRIVATE, through the network's endpoint
    model = _inputs(c, "model-endpoint-model")
    assert model["vpcConfig"] == {"subnets": subnets, "securityGroupIds": [workloads]}
    assert model["enableNetworkIsolation"] is True
    api = _inputs(c, "model-endpoint-api")["endpointConfiguration"]
    assert (api["types"], api["vpcEndpointIds"]) == ("PRIVATE", [_id(c, "network-endpoint-execute-api")])
    # throttled by the stage and the usage plan (EP-3); no WAF: behind a VPC endpoint its per-IP rule would see the
    # endpoint's addresses and limit every caller together, like the stage throttle already does
    assert _inputs(c, "model-endpoint-method-settings")["settings"]["throttlingRateLimit"] == 50
    assert _of_type(c, "aws:wafv2/webAcl:WebAcl") == []
    notebook = _inputs(c, "notebook-notebook")
    assert (notebook["directInternetAccess"], notebook["rootAccess"]) == ("Disabled", "Disabled")
    assert (notebook["subnetId"], notebook["securityGroups"]) == (subnets[0], [workloads])
    assert _inputs(c, "vector-store-vpc-endpoint")["subnetIds"] == subnets
    # with a GPU cluster, nodes reach EC2, EKS and EKS Auth through endpoints too (no route out)
    endpoints = {
        name.removeprefix("network-endpoint-") for name in _of_type(c, "aws:ec2/vpcEndpoint:VpcEndpoint")
    }
    assert {"ec2", "eks", "eks-auth", "execute-api", "bedrock-runtime", "s3"} <= endpoints
    assert _of_type(c, "aws:ec2/internetGateway:InternetGateway") == []
    assert _of_type(c, "aws:ec2/natGateway:NatGateway") == []


def test_aws_production_registry_readers_are_exactly_the_nodes_the_endpoint_and_ci() -> None:
    c = _capture("aws-production")
    nodes = _outputs(c, "gpu-l40s-node-role")["arn"]
    endpoint = _outputs(c, "model-endpoint-execution-role")["arn"]
    ci = "arn:aws:iam::123456789012:role/fraud-ci"
    policy = _statements(c, "registry-policy")
    assert policy["NamedPullers"]["Principal"]["AWS"] == [ci, nodes, endpoint]
    assert policy["NamedPushers"]["Principal"]["AWS"] == [ci]
    assert policy["DenyOtherPrincipals"]["Condition"]["ArnNotLike"]["aws:PrincipalArn"][:3] == [
        ci,
        nodes,
        endpoint,
    ]
    assert _inputs(c, "registry-repository")["imageTagMutability"] == "IMMUTABLE"
    assert _inputs(c, "model-endpoint-model")["primaryContainer"]["image"].startswith(
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud/scorer:7.2@sha256:"
    )


def test_aws_production_notebook_reads_its_dataset_and_secret_and_nothing_else() -> None:
    c = _capture("aws-production")
    role = _outputs(c, "notebook-role")["arn"]
    buckets = {r.name: r.outputs["bucket"] for r in c.resources if r.type == "aws:s3/bucket:Bucket"}
    access = _statements(c, "notebook-role-access")
    assert list(access) == [
        "NotebookLogs",
        "ListTransactions",
        "ObjectsTransactions",
        "KeyTransactions",
        "SecretOpenaiApiKey",
        "SecretKeyOpenaiApiKey",
    ]
    assert access["KeyTransactions"]["Resource"] == _outputs(c, "transactions-key-cmk")["arn"]
    assert access["SecretOpenaiApiKey"]["Resource"] == _outputs(c, "openai-api-key-secret")["arn"]
    assert access["ObjectsTransactions"]["Resource"] == f"arn:aws:s3:::{buckets['transactions-bucket']}/*"
    assert access["ObjectsTransactions"]["Action"] == ["s3:GetObject", "s3:GetObjectVersion"]  # read only
    secret = _statements(c, "openai-api-key-policy")
    assert role in secret["AllowNamedReaders"]["Principal"]["AWS"]
    # the model-artifacts bucket does not name the notebook
    artifacts = _statements(c, "model-artifacts-policy")
    assert role not in artifacts["DenyOtherPrincipals"]["Condition"]["ArnNotLike"]["aws:PrincipalArn"]


def test_gcp_production_notebook_reads_its_dataset_and_secret_and_nothing_else() -> None:
    """The notebook's own service account is granted on the datasets and secrets it names, and only there; each
    grant waits for the account (IAM refuses a member that does not exist yet)."""
    c = _capture("gcp-production")
    member = "serviceAccount:notebook-nb@aiwarden-production.iam.gserviceaccount.com"
    account = next(r for r in c.resources if r.name == "notebook-sa")
    assert account.inputs["accountId"] == "notebook-nb"
    grants = {
        r.name: r
        for r in c.resources
        if r.type
        in (
            "gcp:storage/bucketIAMMember:BucketIAMMember",
            "gcp:secretmanager/secretIamMember:SecretIamMember",
        )
        and r.inputs.get("member") == member
    }
    assert sorted(grants) == ["anthropic-api-key-accessor-notebook", "knowledge-base-grant-read-notebook"]
    assert grants["knowledge-base-grant-read-notebook"].inputs["role"] == "roles/storage.objectViewer"
    assert (
        grants["anthropic-api-key-accessor-notebook"].inputs["role"] == "roles/secretmanager.secretAccessor"
    )
    for grant in grants.values():
        assert account.urn in grant.dependencies
    # the notebook's section names them; nothing else grants the account
    assert not [
        r.name
        for r in c.resources
        if "IAM" in r.type.split(":")[-1].upper()
        and member in json.dumps(r.inputs)
        and r.name not in grants
        and not r.name.startswith("notebook")
    ]


def test_aws_platform_adds_a_usage_alarm_per_metered_asset_routed_to_the_cost_topic() -> None:
    c = _capture("aws-production")
    alarms = {name: _inputs(c, name) for name in _of_type(c, "aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert sorted(alarms) == [
        "spend-alarm-bedrock-claude-tokens",
        "spend-alarm-endpoint-gpu",
        "spend-alarm-gpu-idle",
    ]
    assert {a["alarmActions"][0] for a in alarms.values()} == {
        "arn:aws:sns:us-east-1:123456789012:ml-platform-cost"
    }
    assert alarms["spend-alarm-gpu-idle"]["dimensions"] == {
        "ClusterName": "aiwarden-aws-production-gpu-cluster"
    }
    assert alarms["spend-alarm-endpoint-gpu"]["dimensions"] == {
        "EndpointName": "aiwarden-aws-production-model-endpoint",
        "VariantName": "primary",
    }
    assert alarms["spend-alarm-bedrock-claude-tokens"]["dimensions"] == {
        "ModelId": "us.anthropic.claude-3-5-sonnet-20240620-v1:0"
    }


#: Account- and region-wide settings: one stack of the account owns each (docs/deploy-review.md).
ACCOUNT_SINGLETONS = (
    "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration",
    "aws:apigateway/account:Account",
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration",
    "aws:iam/serviceLinkedRole:ServiceLinkedRole",
)


def test_aws_production_owns_the_account_settings_and_the_sandbox_leaves_them() -> None:
    production, sandbox = _capture("aws-production"), _capture("aws-sandbox")
    assert [_of_type(production, t) for t in ACCOUNT_SINGLETONS] == [
        ["registry-scanning"],
        ["model-endpoint-api-account"],
        ["bedrock-logging"],
        [],  # the account already has AWSServiceRoleForAutoScaling (gpu.cluster.createAutoscalingServiceRole)
    ]
    assert [_of_type(sandbox, t) for t in ACCOUNT_SINGLETONS] == [[], [], [], []]


_AUTO_NAMED = re.compile(r"[0-9a-f]{7}(?![0-9a-z])")  # Pulumi's auto-naming suffix: unique per stack anyway


def _physical_names(c: Capture) -> set[tuple[str, str]]:
    """Names the stack gives its resources itself (not auto-named): they must be unique per account and region."""
    found = set()
    for r in c.resources:
        value = r.inputs.get("bucket" if r.type == "aws:s3/bucket:Bucket" else "name")
        if r.custom and isinstance(value, str) and not _AUTO_NAMED.search(value):
            found.add((r.type, value))
    return found


def test_aws_stacks_in_one_account_give_no_resource_the_same_name() -> None:
    production, sandbox = (
        _physical_names(_capture("aws-production")),
        _physical_names(_capture("aws-sandbox")),
    )
    assert ("aws:eks/cluster:Cluster", "aiwarden-aws-sandbox-gpu-cluster") in sandbox
    assert ("aws:ecr/repository:Repository", "fraud-sandbox/scorer") in sandbox
    assert production & sandbox == set()


def _principals(stack: str) -> set[str]:
    return set(re.findall(r"arn:aws:iam::\d{12}:role/[\w+=,.@/-]+", json.dumps(_stack_config(stack))))


def test_the_sandbox_holds_no_production_credentials_and_is_never_public() -> None:
    sandbox, production = _stack_config("aws-sandbox"), _stack_config("aws-production")
    assert set(sandbox["providerSecrets"]).isdisjoint(production["providerSecrets"])
    # sandbox workloads act as sandbox roles; only the platform's shared admin roles and people appear in both
    assert _principals("aws-sandbox") & _principals("aws-production") == {
        "arn:aws:iam::123456789012:role/ml-platform-admin",
        "arn:aws:iam::123456789012:role/ml-platform-secrets-admin",
        "arn:aws:iam::123456789012:role/fraud-data-scientists",
    }
    c = _capture("aws-sandbox")
    assert _inputs(c, "gpu-cluster-cluster")["vpcConfig"]["endpointPublicAccess"] is False
    assert _inputs(c, "model-endpoint-api")["endpointConfiguration"]["types"] == "PRIVATE"
    assert _inputs(c, "notebook-notebook")["directInternetAccess"] == "Disabled"
    assert _of_type(c, "aws:ec2/internetGateway:InternetGateway") == []


def test_gcp_production_compute_runs_in_the_private_network() -> None:
    c = _capture("gcp-production")
    network = "projects/aiwarden-production/global/networks/ml-production"
    subnet = "projects/aiwarden-production/regions/us-central1/subnetworks/ml-production-{}"
    cluster = _inputs(c, "gpu-cluster-cluster")
    assert (cluster["network"], cluster["subnetwork"]) == (network, subnet.format("gke"))
    assert cluster["privateClusterConfig"] == {"enablePrivateNodes": True, "enablePrivateEndpoint": True}
    assert cluster["masterAuthorizedNetworksConfig"]["cidrBlocks"] == [
        {"displayName": "ci", "cidrBlock": "10.31.0.0/24"}
    ]
    assert _inputs(c, "gpu-l4-nodes-pull-stack") == {
        "repository": "inference",
        "member": "serviceAccount:gpu-l4-nodes@aiwarden-production.iam.gserviceaccount.com",
        "location": "us-central1",
        "project": "aiwarden-production",
        "role": "roles/artifactregistry.reader",
    }
    psc = {"projectId": "aiwarden-production", "network": network}
    assert _inputs(c, "model-endpoint-endpoint")["privateServiceConnectConfig"]["pscAutomationConfigs"] == [
        psc
    ]
    assert _inputs(c, "vector-store-endpoint")["privateServiceConnectConfig"]["pscAutomationConfigs"] == [psc]
    notebook = _inputs(c, "notebook-instance")["gceSetup"]
    assert notebook["disablePublicIp"] is True
    assert notebook["networkInterfaces"] == [{"network": network, "subnet": subnet.format("notebooks")}]
    assert _inputs(c, "registry-repository")["dockerConfig"] == {"immutableTags": True}
    assert _of_type(c, "gcp:monitoring/alertPolicy:AlertPolicy") == [
        "spend-alert-gpu-idle",
        "spend-alert-predictions",
    ]
    assert _of_type(c, "gcp:compute/routerNat:RouterNat") == []


def test_k8s_stack_is_a_capped_default_deny_namespace_with_a_synced_secret_and_a_guarded_server() -> None:
    c = _capture("k8s-inference")
    assert _inputs(c, "rag-serving-namespace")["metadata"]["labels"][
        "pod-security.kubernetes.io/enforce"
    ] == ("restricted")
    assert _inputs(c, "rag-serving-default-deny")["spec"] == {
        "policyTypes": ["Ingress", "Egress"],
        "podSelector": {},
    }
    assert _inputs(c, "rag-serving-quota")["spec"]["hard"]["requests.nvidia.com/gpu"] == "4"
    assert _inputs(c, "vllm-api-key-external-secret")["spec"]["data"] == [
        {"secretKey": "VLLM_API_KEY", "remoteRef": {"key": "rag-vllm-api-key"}}
    ]
    deployment = _inputs(c, "vllm-deployment")
    assert deployment["metadata"]["namespace"] == "rag-serving"
    assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == "vllm"
    assert _inputs(c, "vllm-ingress")["spec"]["ingress"][0]["from"] == [
        {
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "rag-api"}},
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "rag-api"}},
        }
    ]
    assert (
        _of_type(c, "kubernetes:core/v1:Secret") == []
    )  # values are synced by the operator, never in the stack


# ---------------------------------------------------------------- promotion: aws-sandbox -> aws-production

PROMOTION_DOC = ROOT / "docs" / "promotion.md"


def _promotion_table() -> list[tuple[str, str]]:
    """The (policy, resource) rows of the table between the markers of docs/promotion.md."""
    text = PROMOTION_DOC.read_text(encoding="utf-8")
    table = text.split("<!-- promotion-findings:start -->")[1].split("<!-- promotion-findings:end -->")[0]
    rows = [line.split("|")[1:-1] for line in table.strip().splitlines()[2:]]
    return sorted((cells[0].strip(" `"), cells[1].strip(" `")) for cells in rows)


def test_sandbox_config_checked_as_production_lists_exactly_what_must_change() -> None:
    proc = check("--stack", "aws-sandbox", "--config", "aiwarden:environment=production", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    found = sorted(
        (v["policy"], v["resourceName"] or "(stack)")
        for v in data["violations"]
        if v["enforcementLevel"] == "mandatory"
    )
    assert found == [
        ("ep-3-rest-api-rate-limited", "model-endpoint-api"),
        ("ep-3-rest-throttle-within-ceiling", "model-endpoint-method-settings"),
        ("ep-3-rest-throttle-within-ceiling", "model-endpoint-method-settings"),
        ("ep-3-rest-throttle-within-ceiling", "model-endpoint-usage-plan"),
        ("ep-3-rest-throttle-within-ceiling", "model-endpoint-usage-plan"),
        ("log-1-bedrock-invocation-logging", "(stack)"),
        ("sup-1-ecr-repository-settings", "registry-repository"),
    ]
    assert (data["summary"]["undecided"], data["summary"]["advisory"]) == (0, 0)
    assert _promotion_table() == sorted(set(found))  # docs/promotion.md lists each, with the change


# ---------------------------------------------------------------- bad stack files, through the real CLI


@pytest.fixture(scope="module")
def platform_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The platform program with stack files of our own (the components come from the installed package)."""
    root = tmp_path_factory.mktemp("platform")
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(ROOT / name, root / name)
    (root / "stacks").mkdir()
    return root


def _write_stack(root: Path, name: str, base: str, path: str, value: Any) -> Path:
    raw = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{base}.yaml").read_text(encoding="utf-8"))["config"]
    providers = {k: v for k, v in raw.items() if not k.startswith("aiwarden:")}
    config = {**providers, **{f"aiwarden:{k}": v for k, v in _changed(base, path, value).items()}}
    file = root / "stacks" / f"Pulumi.{name}.yaml"
    header = "# yaml-language-server: $schema=../docs/schema/stack-config.schema.json\n"
    file.write_text(header + yaml.safe_dump({"config": config}, sort_keys=False), encoding="utf-8")
    return file


BAD_STACKS = [
    (
        "unknown-key",
        "aws-production",
        "gpu.pools.l40s.maxNode",
        6,
        "aiwarden:gpu.pools.l40s.maxNode: unknown key; did you mean 'maxNodes'?",
    ),
    (
        "unknown-section",
        "aws-production",
        "gpus",
        {},
        "unknown config key 'aiwarden:gpus'; did you mean aiwarden:gpu?",
    ),
    (
        "wrong-type",
        "aws-production",
        "modelEndpoint.instanceCount",
        "two",
        "aiwarden:modelEndpoint.instanceCount: Input should be a valid integer, unable to parse string as an "
        "integer (got 'two')",
    ),
    (
        "missing-owner",
        "gcp-production",
        "ownership.owner",
        DELETE,
        "aiwarden:ownership.owner: Field required; add it: Owning team slug, e.g. ml-platform.",
    ),
    (
        "gpu-ceiling",
        "gcp-production",
        "gpu.pools.l4.maxNodes",
        12,
        "aiwarden:gpu.pools.l4.maxNodes: 12 is above the stack's GPU ceiling of 8 nodes per pool (control GPU-5; "
        "stack config aiwarden:maxGpuNodesPerPool); lower it to at most 8",
    ),
    (
        "public-without-justification",
        "aws-production",
        "gpu.cluster.publicAccess",
        {"cidrs": ["203.0.113.0/24"]},
        "aiwarden:gpu.cluster.publicAccess.justification: Field required; add it: Why this must be public, who "
        "approved it, until when.",
    ),
    (
        "mutable-without-justification",
        "aws-sandbox",
        "registry.mutableTags",
        {"justification": "retag"},
        "aiwarden:registry.mutableTags.justification: String should have at least 20 characters",
    ),
    (
        "namespace-over-quota",
        "k8s-inference",
        "inferenceService.replicas",
        5,
        "aiwarden:inferenceService.replicas: 5 pods of 1 GPUs need 5, above namespace.quota.gpus (4); lower "
        "replicas or gpus, or raise the quota",
    ),
]


@pytest.mark.parametrize(
    ("name", "base", "path", "value", "message"), BAD_STACKS, ids=[b[0] for b in BAD_STACKS]
)
def test_a_bad_stack_file_exits_2_naming_the_file_the_key_and_the_fix(
    platform_copy: Path, name: str, base: str, path: str, value: Any, message: str
) -> None:
    _write_stack(platform_copy, f"bad-{name}", base, path, value)
    proc = subprocess.run(
        [sys.executable, "-m", "aiwarden.cli", "check", str(platform_copy), "--stack", f"bad-{name}"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"stacks/Pulumi.bad-{name}.yaml" in lines[0] and message in lines[0], lines[0]


def test_a_bad_stack_file_stops_the_program_before_any_resource_registers(platform_copy: Path) -> None:
    from aiwarden.capture.preview import PreviewRun
    from aiwarden.errors import AiwardenError

    _write_stack(platform_copy, "bad-late-section", "aws-production", "bedrock.access", {})
    registered: list[str] = []
    run = PreviewRun(
        platform_copy,
        "bad-late-section",
        preview_mode=False,
        on_registration=lambda r: registered.append(r.type),
    )
    with pytest.raises(AiwardenError) as caught:
        run.wait()
    assert (
        "stacks/Pulumi.bad-late-section.yaml: invalid stack config: aiwarden:bedrock.access: Dictionary should have at least 1 item"
        in str(caught.value)
    )
    assert set(registered) <= {"pulumi:pulumi:Stack"}, registered


def test_a_key_the_components_refuse_names_the_section_and_stops_before_registering() -> None:
    """Values the components check (here an instance type) are refused when the platform plans, naming the key."""
    cfg = validate(_changed("aws-production", "gpu.pools.l40s.instanceTypes", ["m6i.large"]))
    assert isinstance(cfg, AwsPlatformConfig)
    with pytest.raises(StackConfigError) as caught:
        AwsPlatform.plan(cfg)
    assert "aiwarden:gpu.pools.l40s: instanceTypes: Value error, " not in str(caught.value)
    assert "aiwarden:gpu.pools.l40s: instanceTypes: instance_types[0]: 'm6i.large'" in str(caught.value)


def test_gcp_components_placed_by_id_wait_for_what_they_name() -> None:
    """A GCP input names the network (or the registry) by an id string, which carries no dependency: ``after``
    makes the component and every child wait for it."""
    from components.platform.gcp import after

    network = object.__new__(pulumi.ComponentResource)  # stands for the PrivateNetwork (never registered)
    opts = after(network)
    assert opts.depends_on == [network]
    [transform] = opts.transforms or []
    child = pulumi.ResourceTransformArgs(
        custom=True,
        type_="gcp:container/cluster:Cluster",
        name="gpu-cluster-cluster",
        props={},
        opts=pulumi.ResourceOptions(),
    )
    result = transform(child)
    assert isinstance(result, pulumi.ResourceTransformResult) and result.opts is not None
    assert result.opts.depends_on == [network]
