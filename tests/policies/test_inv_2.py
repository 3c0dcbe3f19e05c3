"""INV-2: the stack exports an inventory entry for each AI asset.

Also home of the stack programs the stack-control tests share (INV-2, IR-1, COST-1, COST-2, LOG-1,
IR-2): a compliant AWS stack and a compliant GCP stack with every stack-level companion, and the
capture edits that stack policies need (AnalyzeStack reads outputs, which ``set_input`` leaves as
they were).
"""

from __future__ import annotations

import copy
from typing import Any

from aiwarden.capture.model import Capture
from aiwarden.capture.props import UNKNOWN
from tests.harness import DELETE, capture, findings, gate, resource

POLICY = "inv-2-inventory-output"
#: Every policy family of the stack controls: the compliant twins have no finding in any of them.
STACK_FAMILIES = ("inv-2", "ir-1", "cost-1", "cost-2", "log-1", "ir-2")

_MANIFEST = """
def manifest(assets, identities, contact):
    inventory, incident = [], []
    for name, kind in assets:
        data = kind == "dataset-bucket"
        inventory.append({"name": name, "kind": kind, "owner": "ml-platform", "environment": "production",
                          "dataClassification": "confidential", "exposure": "private",
                          "identities": [] if data else identities, "purpose": "fraud-scoring"})
        incident.append({"name": name, "ownerContact": contact, "credentialsToRevoke": identities,
                         "bucketsToInspect": [name] if data else [], "endpointsToDisable": [] if data else [name],
                         "logsToPreserve": ["audit trail", "access logs"], "requestIdentifiers": ["x-amzn-RequestId"]})
    pulumi.export("inventory", inventory)
    pulumi.export("incidentResponse", incident)
"""

AWS_STACK = (
    """
import json
import pulumi
import pulumi_aws as aws

TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "fraud-scoring", "cost-center": "cc-42"}
"""
    + _MANIFEST
    + """
role = aws.iam.Role("role", assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": []}), tags=TAGS)
key = aws.kms.Key("key", enable_key_rotation=True, tags=TAGS)
logs = aws.s3.Bucket("logs", object_lock_enabled=True, tags=TAGS)
aws.s3.BucketObjectLockConfiguration("logs-lock", bucket=logs.id, rule=aws.s3.BucketObjectLockConfigurationRuleArgs(
    default_retention=aws.s3.BucketObjectLockConfigurationRuleDefaultRetentionArgs(mode="GOVERNANCE", days=365)))
data = aws.s3.Bucket("data", tags=TAGS)
aws.s3.BucketLogging("data-logging", bucket=data.id, target_bucket=logs.id, target_prefix="data/")
model = aws.sagemaker.Model("model", execution_role_arn=role.arn, tags=TAGS,
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"))
config = aws.sagemaker.EndpointConfiguration("endpoint-config", tags=TAGS,
    production_variants=[aws.sagemaker.EndpointConfigurationProductionVariantArgs(
        model_name=model.name, instance_type="ml.g5.xlarge", initial_instance_count=1)],
    data_capture_config=aws.sagemaker.EndpointConfigurationDataCaptureConfigArgs(
        enable_capture=True, initial_sampling_percentage=100,
        destination_s3_uri=data.bucket.apply(lambda b: f"s3://{b}/capture"),
        capture_options=[aws.sagemaker.EndpointConfigurationDataCaptureConfigCaptureOptionArgs(
            capture_mode="InputAndOutput")]))
aws.sagemaker.Endpoint("endpoint", endpoint_config_name=config.name, tags=TAGS)
aws.eks.NodeGroup("gpu", cluster_name="ml", node_role_arn=role.arn, subnet_ids=["subnet-1"],
    ami_type="AL2023_x86_64_NVIDIA", instance_types=["g5.xlarge"], tags=TAGS,
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=1, max_size=2, min_size=0))
aws.bedrock.AgentAgent("agent", agent_name="fraud-agent", agent_resource_role_arn=role.arn,
    foundation_model="anthropic.claude-3-haiku-20240307-v1:0", tags=TAGS)
aws.bedrockmodel.InvocationLoggingConfiguration("bedrock-logging",
    logging_config=aws.bedrockmodel.InvocationLoggingConfigurationLoggingConfigArgs(
        text_data_delivery_enabled=True,
        s3_config=aws.bedrockmodel.InvocationLoggingConfigurationLoggingConfigS3ConfigArgs(bucket_name=logs.id)))
aws.rds.Instance("db", engine="postgres", instance_class="db.t4g.micro", allocated_storage=20, username="app",
    manage_master_user_password=True, storage_encrypted=True, deletion_protection=True, tags=TAGS)
aws.budgets.Budget("budget", budget_type="COST", limit_amount="1000", limit_unit="USD", time_unit="MONTHLY", tags=TAGS,
    cost_filters=[aws.budgets.BudgetCostFilterArgs(name="TagKeyValue", values=["user:owner$ml-platform"])],
    notifications=[aws.budgets.BudgetNotificationArgs(
        notification_type=kind, comparison_operator="GREATER_THAN", threshold=80, threshold_type="PERCENTAGE",
        subscriber_email_addresses=["ml-platform@example.com"]) for kind in ("ACTUAL", "FORECASTED")])
monitor = aws.costexplorer.AnomalyMonitor("monitor", monitor_type="DIMENSIONAL", monitor_dimension="SERVICE", tags=TAGS)
aws.costexplorer.AnomalySubscription("anomaly", frequency="DAILY", monitor_arn_lists=[monitor.arn], tags=TAGS,
    subscribers=[aws.costexplorer.AnomalySubscriptionSubscriberArgs(type="EMAIL", address="ml-platform@example.com")],
    threshold_expression=aws.costexplorer.AnomalySubscriptionThresholdExpressionArgs(
        dimension=aws.costexplorer.AnomalySubscriptionThresholdExpressionDimensionArgs(
            key="ANOMALY_TOTAL_IMPACT_ABSOLUTE", match_options=["GREATER_THAN_OR_EQUAL"], values=["100"])))
aws.cloudwatch.MetricAlarm("gpu-idle", comparison_operator="LessThanThreshold", evaluation_periods=3,
    metric_name="GPUUtilization", namespace="/aws/sagemaker/Endpoints", period=300, statistic="Average",
    threshold=10, tags=TAGS)
aws.cloudtrail.Trail("trail", s3_bucket_name=logs.id, is_multi_region_trail=True, enable_log_file_validation=True,
    kms_key_id=key.arn, tags=TAGS,
    event_selectors=[aws.cloudtrail.TrailEventSelectorArgs(
        read_write_type="All", include_management_events=True,
        data_resources=[aws.cloudtrail.TrailEventSelectorDataResourceArgs(
            type="AWS::S3::Object", values=[data.arn.apply(lambda a: f"{a}/")])])])
manifest([("data", "dataset-bucket"), ("model", "model"), ("endpoint", "model-endpoint"), ("gpu", "gpu-compute"),
          ("agent", "agent")], [role.arn], "ml-platform@example.com")
"""
)

GCP_STACK = (
    """
import pulumi
import pulumi_gcp as gcp

LABELS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
          "purpose": "fraud-scoring"}
"""
    + _MANIFEST
    + """
sa = gcp.serviceaccount.Account("sa", account_id="inference")
logs = gcp.storage.Bucket("gcs-logs", location="US", labels=LABELS,
    retention_policy=gcp.storage.BucketRetentionPolicyArgs(retention_period="31536000"))
gcp.storage.Bucket("gcs-data", location="US", labels=LABELS, logging=gcp.storage.BucketLoggingArgs(log_bucket=logs.name))
gcp.logging.ProjectSink("audit-sink", destination=logs.name.apply(lambda n: f"storage.googleapis.com/{n}"),
    filter="logName:cloudaudit.googleapis.com")
gcp.kms.CryptoKey("gcp-key", key_ring="projects/aiwarden-offline/locations/us/keyRings/ml", labels=LABELS,
    rotation_period="7776000s")
gcp.vertex.AiEndpoint("vertex", name="1234567890", location="us-central1", display_name="fraud", labels=LABELS,
    network="projects/123456789012/global/networks/ml")
gcp.container.NodePool("gpu-pool", cluster="ml", location="us-central1", node_count=1,
    node_config=gcp.container.NodePoolNodeConfigArgs(
        machine_type="g2-standard-8", resource_labels=LABELS, service_account=sa.email,
        guest_accelerators=[gcp.container.NodePoolNodeConfigGuestAcceleratorArgs(type="nvidia-l4", count=1)]))
gcp.sql.DatabaseInstance("sql", database_version="POSTGRES_16", region="us-central1",
    settings=gcp.sql.DatabaseInstanceSettingsArgs(tier="db-custom-1-3840", user_labels=LABELS))
topic = gcp.pubsub.Topic("budget-alerts", labels=LABELS)
gcp.billing.Budget("gcp-budget", billing_account="000000-000000-000000", display_name="fraud-scoring",
    amount=gcp.billing.BudgetAmountArgs(specified_amount=gcp.billing.BudgetAmountSpecifiedAmountArgs(
        currency_code="USD", units="1000")),
    budget_filter=gcp.billing.BudgetBudgetFilterArgs(labels={"owner": "ml-platform"}),
    threshold_rules=[gcp.billing.BudgetThresholdRuleArgs(threshold_percent=0.8),
                     gcp.billing.BudgetThresholdRuleArgs(threshold_percent=1.0, spend_basis="FORECASTED_SPEND")],
    all_updates_rule=gcp.billing.BudgetAllUpdatesRuleArgs(pubsub_topic=topic.id))
for service in ("storage", "aiplatform", "secretmanager"):
    gcp.projects.IAMAuditConfig(f"audit-{service}", project="aiwarden-offline", service=f"{service}.googleapis.com",
        audit_log_configs=[gcp.projects.IAMAuditConfigAuditLogConfigArgs(log_type=t) for t in ("DATA_READ", "DATA_WRITE")])
gcp.monitoring.AlertPolicy("gpu-idle", display_name="gpu idle", combiner="OR",
    conditions=[gcp.monitoring.AlertPolicyConditionArgs(display_name="duty cycle",
        condition_threshold=gcp.monitoring.AlertPolicyConditionConditionThresholdArgs(
            filter='metric.type="kubernetes.io/container/accelerator/duty_cycle"', comparison="COMPARISON_LT",
            duration="600s", threshold_value=10))])
manifest([("gcs-data", "dataset-bucket"), ("vertex", "model-endpoint"), ("gpu-pool", "gpu-compute")], [sa.email],
         "ml-platform@example.com")
"""
)


# -- capture edits shared by the stack-control tests -------------------------------------------
def exports(c: Capture) -> dict[str, Any]:
    """The stack outputs as AnalyzeStack sees them (the Stack resource's outputs), editable."""
    [stack] = [r for r in c.resources if r.type == "pulumi:pulumi:Stack"]
    return stack.outputs


def entry(c: Capture, output: str, name: str) -> dict[str, Any]:
    [found] = [e for e in exports(c)[output] if e["name"] == name]
    return found


def change(c: Capture, name: str, path: str, value: Any) -> Capture:
    """One change to a resource's inputs and outputs (stack policies read outputs); ``DELETE`` removes the
    key, and a removed top-level key loses its property dependencies too (as if never set)."""
    r = resource(c, name)
    parts = path.split(".")
    for props in (r.inputs, r.outputs):
        target: Any = props
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
        if value is DELETE:
            if isinstance(target, list):
                del target[int(parts[-1])]
            else:
                target.pop(parts[-1], None)
        elif isinstance(target, list):
            target[int(parts[-1])] = copy.deepcopy(value)
        else:
            target[parts[-1]] = copy.deepcopy(value)
    if value is DELETE and len(parts) == 1:
        r.property_dependencies.pop(parts[0], None)
    return c


def without(c: Capture, *names: str) -> Capture:
    """The capture without the named resources (as if the program never registered them)."""
    for name in names:
        resource(c, name)
    c.resources = [r for r in c.resources if r.name not in names]
    return c


def stack_findings(report: Any) -> set[tuple[str, str]]:
    return {f for family in STACK_FAMILIES for f in findings(report, family)}


def unknown_findings(report: Any, policy: str) -> list[tuple[str, str]]:
    return [
        (v.resource_name or "stack", v.enforcement_level)
        for v in report.violations
        if v.policy == policy and v.kind == "unknown-at-preview"
    ]


def messages(report: Any, policy: str) -> dict[str, str]:
    return {v.resource_name or "stack": v.message for v in report.violations if v.policy == policy}


# -- INV-2 ---------------------------------------------------------------------------------------
def test_compliant_aws_stack_has_no_stack_control_finding() -> None:
    assert stack_findings(gate(capture(AWS_STACK))) == set()


def test_compliant_gcp_stack_has_no_stack_control_finding() -> None:
    assert stack_findings(gate(capture(GCP_STACK))) == set()


def test_missing_inventory_output_is_one_stack_level_violation() -> None:
    c = capture(AWS_STACK)
    del exports(c)["inventory"]
    report = gate(c)
    assert findings(report, "inv-2") == {(POLICY, "stack")}
    message = messages(report, POLICY)["stack"]
    assert "exports no `inventory` output" in message
    assert "'endpoint' (model-endpoint)" in message and "'gpu' (gpu-compute)" in message
    assert "'logs'" not in message  # the log bucket is evidence, not an AI asset


def test_unlisted_asset_is_reported_on_the_asset() -> None:
    c = capture(GCP_STACK)
    exports(c)["inventory"] = [e for e in exports(c)["inventory"] if e["name"] != "gpu-pool"]
    report = gate(c)
    assert findings(report, "inv-2") == {(POLICY, "gpu-pool")}
    assert "has no entry in the stack output `inventory`" in messages(report, POLICY)["gpu-pool"]


def test_entry_with_missing_and_invalid_fields() -> None:
    c = capture(AWS_STACK)
    del entry(c, "inventory", "endpoint")["owner"]
    entry(c, "inventory", "endpoint")["exposure"] = "open"
    entry(c, "inventory", "gpu")["dataClassification"] = "secret"
    report = gate(c)
    assert findings(report, "inv-2") == {(POLICY, "endpoint"), (POLICY, "gpu")}
    by_name = messages(report, POLICY)
    assert "lacks owner" in by_name["endpoint"]
    assert "exposure 'open' is not one of private, internal, public" in by_name["endpoint"]
    assert "dataClassification 'secret'" in by_name["gpu"]


def test_identities_may_be_empty_only_for_data_stores() -> None:
    c = capture(AWS_STACK)
    entry(c, "inventory", "endpoint")["identities"] = []
    del entry(c, "inventory", "model")["identities"]
    report = gate(c)
    assert findings(report, "inv-2") == {(POLICY, "endpoint"), (POLICY, "model")}
    assert "identities is empty (a model-endpoint runs as" in messages(report, POLICY)["endpoint"]
    assert "lacks identities" in messages(report, POLICY)["model"]
    assert entry(c, "inventory", "data")["identities"] == []  # the dataset bucket's empty list passed


def test_entry_by_component_or_urn_covers_the_asset() -> None:
    program = """
import pulumi, pulumi_aws as aws
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "internal", "purpose": "demo"}
class Lake(pulumi.ComponentResource):
    def __init__(self, name):
        super().__init__("aiwarden:test:Lake", name)
        aws.s3.Bucket(f"{name}-raw", tags=TAGS, opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})
Lake("lake")
other = aws.s3.Bucket("curated", tags=TAGS)
entry = {"kind": "dataset-bucket", "owner": "ml-platform", "environment": "prod", "dataClassification": "internal",
         "exposure": "internal", "identities": [], "purpose": "demo"}
pulumi.export("inventory", [{**entry, "name": "lake"},
                            {**entry, "urn": "urn:pulumi:test::test::aws:s3/bucket:Bucket::curated"}])
"""
    assert findings(gate(capture(program)), "inv-2") == set()


def test_advisory_in_sandbox_mandatory_in_production() -> None:
    c = capture(AWS_STACK)
    del exports(c)["inventory"]
    assert findings(gate(c), "inv-2", level="mandatory") == {(POLICY, "stack")}
    assert findings(gate(c, environment="sandbox"), "inv-2", level="advisory") == {(POLICY, "stack")}


def test_exempt_asset_is_not_reported() -> None:
    c = capture(GCP_STACK)
    exports(c)["inventory"] = [e for e in exports(c)["inventory"] if e["name"] != "gpu-pool"]
    reason = "Shared GPU pool inventoried by the platform team's stack, ticket INV-77."
    report = gate(c, {POLICY: {"exemptions": [{"resource": "gpu-pool", "justification": reason}]}})
    assert findings(report, "inv-2") == set()


def test_unknown_inventory_at_preview_is_reported_not_passed() -> None:
    c = capture(AWS_STACK, preview_mode=True)
    exports(c)["inventory"] = UNKNOWN
    report = gate(c)
    assert unknown_findings(report, POLICY) == [("stack", "advisory")]
    assert findings(report, "inv-2") == set()
