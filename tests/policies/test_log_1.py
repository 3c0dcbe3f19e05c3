"""LOG-1: audit trails for AI assets (CloudTrail, SageMaker invocation evidence, Bedrock, GCP audit configs)."""

from __future__ import annotations

from tests.harness import DELETE, capture, drop, findings, gate, message, set_input, unknowns
from tests.policies.programs import AWS_STACK, BEDROCK_STACK, GCP_STACK

TRAIL = "log-1-cloudtrail-audit-trail"
EVIDENCE = "log-1-sagemaker-endpoint-invocation-evidence"
BEDROCK = "log-1-bedrock-invocation-logging"
GCP_AUDIT = "log-1-gcp-data-access-audit"

S3_DATA = {
    "name": "s3",
    "fieldSelectors": [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
    ],
}
MANAGEMENT = {"name": "mgmt", "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}


def test_compliant_stacks_have_no_log1_finding() -> None:
    assert findings(gate(capture(AWS_STACK)), "log-1") == set()
    assert findings(gate(capture(GCP_STACK)), "log-1") == set()


def test_no_trail_is_a_stack_level_violation_with_the_invoke_endpoint_caveat() -> None:
    report = gate(drop(capture(AWS_STACK), "trail"))
    assert findings(report, "log-1") == {(TRAIL, "stack")}
    text = message(report, TRAIL)
    assert text.startswith("No aws:cloudtrail/trail:Trail in the stack")
    assert "'data' (dataset-bucket)" in text and "'logs'" not in text
    assert (
        "not InvokeEndpoint: invocation evidence comes from API Gateway access logs, WAF logs or data capture"
        in text
    )


def test_trail_settings_absent_mean_cloudtrail_defaults() -> None:
    c = set_input(capture(AWS_STACK), "trail", "isMultiRegionTrail", DELETE)
    set_input(c, "trail", "enableLogFileValidation", DELETE)
    set_input(c, "trail", "kmsKeyId", DELETE)
    report = gate(c)
    assert findings(report, "log-1") == {(TRAIL, "trail")}
    text = message(report, TRAIL, "trail")
    assert "isMultiRegionTrail is not true (default: false" in text
    assert "enableLogFileValidation is not true (default: false" in text
    assert "kmsKeyId is not set (default: SSE-S3 only" in text


def test_dataset_bucket_without_data_events_is_reported_on_the_bucket() -> None:
    c = set_input(
        capture(AWS_STACK), "trail", "eventSelectors.0.dataResources.0.values", ["arn:aws:s3:::other-bucket/"]
    )
    report = gate(c)
    assert findings(report, "log-1") == {(TRAIL, "data")}
    assert "no trail records its S3 object read and write data events" in message(report, TRAIL, "data")


def test_write_only_selector_misses_reads_of_data_and_management() -> None:
    c = set_input(capture(AWS_STACK), "trail", "eventSelectors.0.readWriteType", "WriteOnly")
    report = gate(c)
    assert findings(report, "log-1") == {(TRAIL, "data"), (TRAIL, "stack")}
    assert "object read data events" in message(report, TRAIL, "data")
    assert "records read management events" in message(report, TRAIL)


def test_advanced_event_selectors_cover_data_and_management() -> None:
    c = set_input(capture(AWS_STACK), "trail", "eventSelectors", DELETE)
    set_input(c, "trail", "advancedEventSelectors", [S3_DATA, MANAGEMENT])
    assert findings(gate(c), "log-1") == set()
    excluded = {
        **S3_DATA,
        "fieldSelectors": [
            *S3_DATA["fieldSelectors"],
            {"field": "resources.ARN", "notStartsWiths": ["arn:aws:s3:::data"]},
        ],
    }
    set_input(c, "trail", "advancedEventSelectors", [excluded, MANAGEMENT])
    assert findings(gate(c), "log-1") == {(TRAIL, "data")}


def test_endpoint_without_data_capture_has_no_invocation_evidence() -> None:
    c = set_input(capture(AWS_STACK), "endpoint-config", "dataCaptureConfig.enableCapture", DELETE)
    report = gate(c)
    assert findings(report, "log-1") == {(EVIDENCE, "endpoint")}
    text = message(report, EVIDENCE, "endpoint")
    assert "CloudTrail does not record InvokeEndpoint" in text
    assert "'endpoint-config' does not enable dataCaptureConfig.enableCapture (default: false)" in text


def test_api_gateway_access_logs_are_invocation_evidence() -> None:
    program = """
import pulumi_aws as aws
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "internal", "purpose": "demo"}
aws.sagemaker.Endpoint("endpoint", endpoint_config_name="existing-config", tags=TAGS)
logs = aws.cloudwatch.LogGroup("access", retention_in_days=365, tags=TAGS)
aws.apigateway.Stage("prod", rest_api="abc123", deployment="dep1", stage_name="prod", tags=TAGS,
    access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(destination_arn=logs.arn, format="$context.requestId"))
"""
    c = capture(program)
    assert findings(gate(c), EVIDENCE) == set()
    report = gate(drop(c, "prod"))
    assert findings(report, EVIDENCE) == {(EVIDENCE, "endpoint")}
    assert "endpoint configuration is not in this stack" in message(report, EVIDENCE, "endpoint")


def test_bedrock_agent_needs_invocation_logging() -> None:
    report = gate(drop(capture(AWS_STACK), "bedrock-logging"))
    assert findings(report, "log-1") == {(BEDROCK, "stack")}
    assert "'agent' (agent)" in message(report, BEDROCK)
    c = set_input(capture(AWS_STACK), "bedrock-logging", "loggingConfig.textDataDeliveryEnabled", False)
    report = gate(c)
    assert findings(report, "log-1") == {(BEDROCK, "bedrock-logging")}
    assert "textDataDeliveryEnabled is false" in message(report, BEDROCK, "bedrock-logging")


def test_bedrock_usage_needs_invocation_logging_and_a_trail() -> None:
    assert findings(gate(capture(BEDROCK_STACK)), "log-1") == set()
    report = gate(drop(capture(BEDROCK_STACK), "bedrock-logging"))
    assert findings(report, "log-1") == {(BEDROCK, "stack")}
    assert message(report, BEDROCK) == (
        "No aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration in the stack, which uses "
        "Bedrock through 'analyst-invoke' (ai-identity), 'batch-role' (ai-identity), 'chat-api' (model-api), "
        "'chat-role' (ai-identity), 'kb' (knowledge-base), 'rag-role' (ai-identity): model invocation logging is "
        "off by default."
    )
    report = gate(drop(capture(BEDROCK_STACK), "trail"))
    assert findings(report, "log-1") == {(TRAIL, "stack")}
    assert "'chat-role' (ai-identity)" in message(report, TRAIL)


def test_one_bedrock_identity_is_enough_for_invocation_logging() -> None:
    code = """
import json
import pulumi_aws as aws
aws.iam.Role("invoker", assume_role_policy="{}", tags={"owner": "ml-platform"}, managed_policy_arns=[
    "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess"])
"""
    report = gate(capture(code))
    assert findings(report, "log-1") == {(BEDROCK, "stack"), (TRAIL, "stack")}
    assert "uses Bedrock through 'invoker' (ai-identity)" in message(report, BEDROCK)


def test_gcp_data_access_audit_gaps_are_listed() -> None:
    c = drop(capture(GCP_STACK), "audit-aiplatform")
    set_input(c, "audit-storage", "auditLogConfigs", [{"logType": "DATA_WRITE"}])
    report = gate(c)
    assert findings(report, "log-1") == {(GCP_AUDIT, "stack")}
    text = message(report, GCP_AUDIT)
    assert "storage.googleapis.com (DATA_READ); aiplatform.googleapis.com (DATA_READ, DATA_WRITE)" in text
    assert "secretmanager" not in text


def test_gcp_all_services_audit_config_covers_every_service() -> None:
    c = drop(capture(GCP_STACK), "audit-aiplatform", "audit-secretmanager")
    set_input(c, "audit-storage", "service", "allServices")
    assert findings(gate(c), "log-1") == set()


def test_advisory_in_sandbox() -> None:
    c = drop(capture(GCP_STACK), "audit-aiplatform")
    assert findings(gate(c), "log-1", level="mandatory") == {(GCP_AUDIT, "stack")}
    assert findings(gate(c, environment="sandbox"), "log-1", level="advisory") == {(GCP_AUDIT, "stack")}


def test_unknown_selector_values_at_preview_are_reported_not_passed() -> None:
    report = gate(capture(AWS_STACK, preview_mode=True))  # the data event ARN is computed: unknown at preview
    assert unknowns(report, TRAIL) == {(TRAIL, "data", "advisory")}
    assert findings(report, "log-1") == set()
