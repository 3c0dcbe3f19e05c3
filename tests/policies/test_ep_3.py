"""EP-3: model APIs are rate limited within the configured ceiling."""

from __future__ import annotations

import json

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message_list, set_input, unknowns

THROTTLE = "ep-3-rest-throttle-within-ceiling"
LIMITED = "ep-3-rest-api-rate-limited"
HTTP = "ep-3-http-stage-throttled"
WAF = "ep-3-waf-rate-rule-within-ceiling"
ALL = (THROTTLE, LIMITED, HTTP, WAF)

BASELINE = """
import pulumi_aws as aws
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
PRIVATE = aws.apigateway.RestApiEndpointConfigurationArgs(types="PRIVATE")

def rate_rule(name, limit, action):
    return dict(name=name, priority=1, action=action,
        statement=aws.wafv2.WebAclRuleStatementArgs(rate_based_statement=(
            aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(limit=limit, aggregate_key_type="IP"))),
        visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(cloudwatch_metrics_enabled=True,
            metric_name=name, sampled_requests_enabled=True))

# API A: stage-wide method settings.
api_a = aws.apigateway.RestApi("api-a", endpoint_configuration=PRIVATE, tags=TAGS)
aws.apigateway.MethodSettings("settings-a", rest_api=api_a.id, stage_name="prod", method_path="*/*",
    settings=aws.apigateway.MethodSettingsSettingsArgs(throttling_rate_limit=50, throttling_burst_limit=100))
# API B: a usage plan.
api_b = aws.apigateway.RestApi("api-b", endpoint_configuration=PRIVATE, tags=TAGS)
aws.apigateway.UsagePlan("plan-b", tags=TAGS,
    api_stages=[aws.apigateway.UsagePlanApiStageArgs(api_id=api_b.id, stage="prod")],
    throttle_settings=aws.apigateway.UsagePlanThrottleSettingsArgs(rate_limit=20, burst_limit=40))
# API C: a WAF rate-based rule on its stage (3,000 per 5 minutes = 10 requests/s).
api_c = aws.apigateway.RestApi("api-c", endpoint_configuration=PRIVATE, tags=TAGS)
deployment_c = aws.apigateway.Deployment("deployment-c", rest_api=api_c.id)
stage_c = aws.apigateway.Stage("stage-c", rest_api=api_c.id, deployment=deployment_c.id, stage_name="prod", tags=TAGS)
acl = aws.wafv2.WebAcl("acl", scope="REGIONAL", tags=TAGS,
    default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
    visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(cloudwatch_metrics_enabled=True, metric_name="acl",
                                                           sampled_requests_enabled=True),
    rules=[aws.wafv2.WebAclRuleArgs(**rate_rule("per-ip", 3000,
        aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs())))])
aws.wafv2.WebAclAssociation("acl-c", resource_arn=stage_c.arn, web_acl_arn=acl.arn)
aws.wafv2.WebAclRule("acl-rule", web_acl_arn=acl.arn, **rate_rule("per-ip-burst", 6000,
    aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs())))
# HTTP API stage with default route throttling and one stricter route.
http = aws.apigatewayv2.Api("http", protocol_type="HTTP", tags=TAGS)
aws.apigatewayv2.Stage("http-stage", api_id=http.id, name="prod", tags=TAGS,
    default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(throttling_rate_limit=50,
                                                                          throttling_burst_limit=100),
    route_settings=[aws.apigatewayv2.StageRouteSettingArgs(route_key="POST /predict", throttling_rate_limit=20,
                                                           throttling_burst_limit=40)])
"""


def test_compliant_baseline_has_no_ep3_finding() -> None:
    assert findings(gate(capture(BASELINE)), "ep-3") == set()


def test_method_settings_above_the_ceiling() -> None:
    report = gate(set_input(capture(BASELINE), "settings-a", "settings.throttlingRateLimit", 500.0))
    assert findings(report, "ep-3") == {(THROTTLE, "settings-a"), (LIMITED, "api-a")}
    assert message_list(report, THROTTLE) == [
        "MethodSettings 'settings-a': settings.throttlingRateLimit is 500; it must be at most 100 requests/s."
    ]
    report = gate(set_input(capture(BASELINE), "settings-a", "settings.throttlingBurstLimit", -1.0))
    assert findings(report, "ep-3") == {(THROTTLE, "settings-a"), (LIMITED, "api-a")}
    assert "throttlingBurstLimit is -1 (throttling disabled)" in message_list(report, THROTTLE)[0]


def test_absent_burst_means_account_default() -> None:
    report = gate(set_input(capture(BASELINE), "settings-a", "settings.throttlingBurstLimit", DELETE))
    assert findings(report, "ep-3") == {(LIMITED, "api-a")}
    [message] = message_list(report, LIMITED)
    assert message.startswith("REST API 'api-a': no throttle within the ceiling (100 requests/s, burst 200)")
    assert "API Gateway default: account-level 10,000 requests/s" in message


def test_usage_plan_without_throttle_settings() -> None:
    report = gate(set_input(capture(BASELINE), "plan-b", "throttleSettings", DELETE))
    assert findings(report, "ep-3") == {(LIMITED, "api-b")}


def test_usage_plan_per_path_throttle_above_the_ceiling() -> None:
    throttles = [{"path": "/predict/POST", "rateLimit": 500.0, "burstLimit": 10.0}]
    report = gate(set_input(capture(BASELINE), "plan-b", ["apiStages", "0", "throttles"], throttles))
    assert findings(report, "ep-3") == {(THROTTLE, "plan-b")}
    assert message_list(report, THROTTLE) == [
        "UsagePlan 'plan-b': apiStages[0].throttles[0].rateLimit is 500; it must be at most 100 requests/s."
    ]


def test_waf_rules_given_as_rule_json() -> None:
    rules = [
        {
            "Name": "json-rate",
            "Priority": 1,
            "Action": {"Block": {}},
            "Statement": {
                "RateBasedStatement": {"Limit": 3000, "AggregateKeyType": "IP", "EvaluationWindowSec": 60}
            },
            "VisibilityConfig": {
                "SampledRequestsEnabled": True,
                "CloudWatchMetricsEnabled": True,
                "MetricName": "json-rate",
            },
        }
    ]
    c = set_input(capture(BASELINE), "acl", "rules", DELETE)
    set_input(c, "acl", "ruleJson", json.dumps(rules))
    set_input(c, "acl-rule", "action", {"count": {}})
    report = gate(c)  # 3,000 per 60 s = 50 requests/s: within the ceiling, and it limits API C
    assert findings(report, "ep-3") == set()
    rules[0]["Statement"]["RateBasedStatement"]["Limit"] = 30000  # 500 requests/s
    report = gate(set_input(c, "acl", "ruleJson", json.dumps(rules)))
    assert findings(report, "ep-3") == {(WAF, "acl"), (LIMITED, "api-c")}
    assert (
        "rate-based rule 'json-rate' limit is 30000 per 60 s (500 requests/s)" in message_list(report, WAF)[0]
    )


def test_waf_rate_rule_counting_or_too_high() -> None:
    # Rules that only count limit nothing: with both rules of the web ACL counting, API C is unlimited.
    c = set_input(capture(BASELINE), "acl", ["rules", "0", "action"], {"count": {}})
    assert findings(gate(c), "ep-3") == set()  # the separate WebAclRule still blocks
    set_input(c, "acl-rule", "action", {"count": {}})
    assert findings(gate(c), "ep-3") == {(LIMITED, "api-c")}
    # A limit above the ceiling is reported on the web ACL; API C stays limited by the other rule.
    report = gate(
        set_input(
            capture(BASELINE), "acl", ["rules", "0", "statement", "rateBasedStatement", "limit"], 300000.0
        )
    )
    assert findings(report, "ep-3") == {(WAF, "acl")}
    assert message_list(report, WAF) == [
        "WAF WebAcl 'acl': rate-based rule 'per-ip' limit is 300000 per 300 s (1000 requests/s); it must be at most "
        "30000 per 300 s (maxRateLimit 100 requests/s)."
    ]


def test_http_stage_absent_throttling_is_account_default() -> None:
    report = gate(set_input(capture(BASELINE), "http-stage", "defaultRouteSettings", DELETE))
    assert findings(report, "ep-3") == {(HTTP, "http-stage")}
    assert message_list(report, HTTP) == [
        "API Gateway v2 stage 'http-stage': defaultRouteSettings.throttlingBurstLimit is not set (API Gateway "
        "default: 5,000 requests); it must be at most 200 requests.",
        "API Gateway v2 stage 'http-stage': defaultRouteSettings.throttlingRateLimit is not set (API Gateway default: "
        "10,000 requests/s); it must be at most 100 requests/s.",
    ]
    c = set_input(capture(BASELINE), "http-stage", ["routeSettings", "0", "throttlingRateLimit"], 1000.0)
    assert findings(gate(c), "ep-3") == {(HTTP, "http-stage")}


def test_ceiling_from_pack_config() -> None:
    config = {policy: {"maxRateLimit": 10, "maxBurstLimit": 50} for policy in ALL}
    report = gate(capture(BASELINE), config)
    assert findings(report, "ep-3") == {
        (THROTTLE, "settings-a"),
        (LIMITED, "api-a"),
        (THROTTLE, "plan-b"),
        (LIMITED, "api-b"),
        (WAF, "acl-rule"),
        (HTTP, "http-stage"),
    }
    # A higher ceiling admits what the default one rejects.
    c = set_input(capture(BASELINE), "settings-a", "settings.throttlingRateLimit", 500.0)
    config = {policy: {"maxRateLimit": 1000} for policy in ALL}
    assert findings(gate(c, config), "ep-3") == set()


def test_sandbox_is_advisory() -> None:
    c = set_input(capture(BASELINE), "settings-a", "settings.throttlingRateLimit", 500.0)
    set_input(c, "http-stage", "defaultRouteSettings", DELETE)
    report = gate(c, environment="sandbox")
    expected = {(THROTTLE, "settings-a"), (LIMITED, "api-a"), (HTTP, "http-stage")}
    assert findings(report, "ep-3", level="advisory") == expected
    assert findings(report, "ep-3", level="mandatory") == set()


def test_unknown_at_preview_is_advisory_not_a_pass() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "settings-a", "settings", UNKNOWN)
    set_input(c, "http-stage", "defaultRouteSettings", UNKNOWN)
    set_input(c, "acl", ["rules", "0", "statement"], UNKNOWN)
    report = gate(c)
    assert unknowns(report, "ep-3") == {
        (THROTTLE, "settings-a", "advisory"),
        (LIMITED, "api-a", "advisory"),
        (LIMITED, "api-c", "advisory"),
        (HTTP, "http-stage", "advisory"),
        (WAF, "acl", "advisory"),
    }
    assert findings(report, "ep-3") == set()
