"""LOG-2: endpoint access is logged (API Gateway access logs, data capture) and retained under a CMK."""

from __future__ import annotations

import json

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message_list, set_input, unknowns

REST = "log-2-rest-stage-access-logs"
HTTP = "log-2-http-stage-access-logs"
RETENTION = "log-2-log-group-retention"
CMK = "log-2-log-group-cmk"
CAPTURE = "log-2-sagemaker-data-capture-encrypted"

BASELINE = """
import json
import pulumi_aws as aws
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
FORMAT = json.dumps({"requestId": "$context.requestId", "ip": "$context.identity.sourceIp",
                     "caller": "$context.identity.caller", "status": "$context.status"})
key = aws.kms.Key("logs-key", enable_key_rotation=True, tags=TAGS)
logs = aws.cloudwatch.LogGroup("access-logs", retention_in_days=365, kms_key_id=key.arn, tags=TAGS)
aws.cloudwatch.LogGroup("forever-logs", kms_key_id=key.arn, tags=TAGS)  # no retention: never expire
api = aws.apigateway.RestApi("api", tags=TAGS,
    endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="PRIVATE"))
deployment = aws.apigateway.Deployment("deployment", rest_api=api.id)
aws.apigateway.Stage("rest-stage", rest_api=api.id, deployment=deployment.id, stage_name="prod", tags=TAGS,
    access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(destination_arn=logs.arn, format=FORMAT))
http = aws.apigatewayv2.Api("http", protocol_type="HTTP", tags=TAGS)
aws.apigatewayv2.Stage("http-stage", api_id=http.id, name="prod", tags=TAGS,
    access_log_settings=aws.apigatewayv2.StageAccessLogSettingsArgs(destination_arn=logs.arn, format=json.dumps(
        {"requestId": "$context.requestId", "principal": "$context.authorizer.principalId"})))
aws.sagemaker.EndpointConfiguration("endpoint-config", tags=TAGS,
    production_variants=[aws.sagemaker.EndpointConfigurationProductionVariantArgs(model_name="model",
        instance_type="ml.g5.xlarge", initial_instance_count=1)],
    data_capture_config=aws.sagemaker.EndpointConfigurationDataCaptureConfigArgs(
        destination_s3_uri="s3://evidence/capture", initial_sampling_percentage=100, kms_key_id=key.arn,
        capture_options=[aws.sagemaker.EndpointConfigurationDataCaptureConfigCaptureOptionArgs(capture_mode="Input")]))
"""


def test_compliant_baseline_has_no_log2_finding() -> None:
    assert findings(gate(capture(BASELINE)), "log-2") == set()


def test_stage_without_access_logs_is_aws_default() -> None:
    c = set_input(capture(BASELINE), "rest-stage", "accessLogSettings", DELETE)
    set_input(c, "http-stage", "accessLogSettings", DELETE)
    report = gate(c)
    assert findings(report, "log-2") == {(REST, "rest-stage"), (HTTP, "http-stage")}
    [violation] = [v for v in report.violations if v.policy == REST]
    assert "accessLogSettings is not set (AWS default: no access logs)" in violation.message
    assert (violation.control, violation.severity, violation.enforcement_level) == (
        "LOG-2",
        "high",
        "mandatory",
    )


def test_access_log_format_needs_request_id_and_identity() -> None:
    c = set_input(
        capture(BASELINE),
        "rest-stage",
        "accessLogSettings.format",
        json.dumps({"requestId": "$context.requestId", "status": "$context.status"}),
    )
    set_input(c, "http-stage", "accessLogSettings.format", json.dumps({"ip": "$context.identity.sourceIp"}))
    report = gate(c)
    assert findings(report, "log-2") == {(REST, "rest-stage"), (HTTP, "http-stage")}
    assert message_list(report, REST) == [
        "REST API stage 'rest-stage': accessLogSettings.format records no caller identity ($context.identity.sourceIp, "
        "$context.identity.caller or $context.authorizer.principalId)."
    ]
    assert message_list(report, HTTP) == [
        "API Gateway v2 stage 'http-stage': accessLogSettings.format does not record $context.requestId."
    ]


def test_log_group_retention_default_and_configured_minimum() -> None:
    report = gate(set_input(capture(BASELINE), "access-logs", "retentionInDays", 30.0))
    assert findings(report, "log-2") == {(RETENTION, "access-logs")}
    assert message_list(report, RETENTION) == [
        "CloudWatch log group 'access-logs': retentionInDays is 30; it must be at least 365 days (or 0 / unset: never "
        "expire)."
    ]
    assert (
        findings(gate(set_input(capture(BASELINE), "access-logs", "retentionInDays", 0.0)), "log-2") == set()
    )
    report = gate(capture(BASELINE), {RETENTION: {"minRetentionDays": 400}})
    assert findings(report, "log-2") == {(RETENTION, "access-logs")}


def test_log_group_retention_remediation_raises_to_an_accepted_value() -> None:
    c = set_input(capture(BASELINE), "access-logs", "retentionInDays", 30.0)
    report = gate(c, {RETENTION: {"enforcementLevel": "remediate", "minRetentionDays": 380}})
    assert findings(report, "log-2") == set()
    [rem] = [r for r in report.remediations if r.policy == RETENTION]
    assert (rem.resource_name, rem.before, rem.after) == (
        "access-logs",
        {"retentionInDays": 30.0},
        {"retentionInDays": 400.0},
    )


def test_log_group_without_cmk() -> None:
    report = gate(set_input(capture(BASELINE), "forever-logs", "kmsKeyId", DELETE))
    assert findings(report, "log-2") == {(CMK, "forever-logs")}
    assert "kmsKeyId is not set (AWS default: service-owned encryption)" in message_list(report, CMK)[0]


def test_data_capture_needs_a_cmk_when_present() -> None:
    report = gate(set_input(capture(BASELINE), "endpoint-config", "dataCaptureConfig.kmsKeyId", DELETE))
    assert findings(report, "log-2") == {(CAPTURE, "endpoint-config")}
    assert "dataCaptureConfig.kmsKeyId is not set (AWS default: SSE-S3)" in message_list(report, CAPTURE)[0]
    c = set_input(capture(BASELINE), "endpoint-config", "dataCaptureConfig", DELETE)
    assert findings(gate(c), "log-2") == set()


def test_sandbox_is_advisory() -> None:
    c = set_input(capture(BASELINE), "rest-stage", "accessLogSettings", DELETE)
    set_input(c, "access-logs", "retentionInDays", 7.0)
    report = gate(c, environment="sandbox")
    assert findings(report, "log-2", level="advisory") == {(REST, "rest-stage"), (RETENTION, "access-logs")}
    assert findings(report, "log-2", level="mandatory") == set()


def test_unknown_at_preview_is_advisory_not_a_pass() -> None:
    # At preview the log group and key ARNs are unknown: stages, log groups and data capture cannot be checked yet.
    report = gate(capture(BASELINE, preview_mode=True))
    assert unknowns(report, "log-2") == {
        (REST, "rest-stage", "advisory"),
        (HTTP, "http-stage", "advisory"),
        (CMK, "access-logs", "advisory"),
        (CMK, "forever-logs", "advisory"),
        (CAPTURE, "endpoint-config", "advisory"),
    }
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "access-logs", "retentionInDays", UNKNOWN)
    report = gate(c)
    assert (RETENTION, "access-logs", "advisory") in unknowns(report, RETENTION)
    assert findings(report, "log-2") == set()
