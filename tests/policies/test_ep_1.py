"""EP-1: model endpoints are not reachable from the public internet."""

from __future__ import annotations

import json

import pytest

from aiwarden.apimodel import ApiModelError
from tests.harness import (
    DELETE,
    UNKNOWN,
    capture,
    findings,
    gate,
    message_list,
    set_input,
    unknowns,
)

MODEL = "ep-1-sagemaker-model-in-vpc"
REST = "ep-1-rest-api-private"
HTTP = "ep-1-http-api-not-public"
VERTEX = "ep-1-vertex-endpoint-private"
SERVICE = "ep-1-kubernetes-service-not-public"
INGRESS = "ep-1-kubernetes-ingress-internal"

BASELINE = """
import json
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
LABELS = {f"aiwarden.io/{k}": v for k, v in TAGS.items()}
subnet = aws.ec2.Subnet("subnet", vpc_id="vpc-0abc", cidr_block="10.0.1.0/24", tags=TAGS)
sg = aws.ec2.SecurityGroup("sg", vpc_id="vpc-0abc", tags=TAGS)
aws.sagemaker.Model("model", execution_role_arn="arn:aws:iam::123456789012:role/model",
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/m"),
    vpc_config=aws.sagemaker.ModelVpcConfigArgs(subnets=[subnet.id], security_group_ids=[sg.id]),
    enable_network_isolation=True, tags=TAGS)
aws.apigateway.RestApi("private-api", tags=TAGS,
    endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="PRIVATE",
                                                                          vpc_endpoint_ids=["vpce-0abc"]))
regional = aws.apigateway.RestApi("regional-api", tags=TAGS,
    endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="REGIONAL"))
aws.apigateway.RestApiPolicy("regional-api-policy", rest_api_id=regional.id,
    policy=regional.id.apply(lambda api_id: json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
         "Resource": f"arn:aws:execute-api:us-east-1:123456789012:{api_id}/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
         "Resource": f"arn:aws:execute-api:us-east-1:123456789012:{api_id}/*",
         "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-0abc"}}}]})))
aws.apigateway.RestApi("inline-policy-api", tags=TAGS, policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
     "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-0abc"}}}]}))
gcp.vertex.AiEndpoint("psc-endpoint", name="1001", display_name="psc", location="us-central1", labels=TAGS,
    private_service_connect_config=gcp.vertex.AiEndpointPrivateServiceConnectConfigArgs(
        enable_private_service_connect=True, project_allowlists=["aiwarden-offline"]))
gcp.vertex.AiEndpoint("peered-endpoint", name="1002", display_name="peered", location="us-central1", labels=TAGS,
    network="projects/123456789012/global/networks/platform")
k8s.core.v1.Service("cluster-ip", metadata={"labels": LABELS}, spec={"ports": [{"port": 8080}]})
k8s.core.v1.Service("internal-lb", spec={"type": "LoadBalancer", "ports": [{"port": 443}]}, metadata={
    "labels": LABELS, "annotations": {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"}})
k8s.networking.v1.Ingress("alb-ingress", metadata={"labels": LABELS,
    "annotations": {"alb.ingress.kubernetes.io/scheme": "internal"}},
    spec={"rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix",
        "backend": {"service": {"name": "cluster-ip", "port": {"number": 8080}}}}]}}]})
k8s.networking.v1.Ingress("gke-ingress", metadata={"labels": LABELS,
    "annotations": {"kubernetes.io/ingress.class": "gce-internal"}},
    spec={"defaultBackend": {"service": {"name": "cluster-ip", "port": {"number": 8080}}}})
"""

HTTP_API = """
import pulumi_aws as aws
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
aws.apigatewayv2.Api("http-api", protocol_type="HTTP", tags=TAGS)
aws.apigatewayv2.Api("hidden-api", protocol_type="HTTP", disable_execute_api_endpoint=True, tags=TAGS)
"""


def test_compliant_baseline_has_no_ep1_finding() -> None:
    assert findings(gate(capture(BASELINE)), "ep-1") == set()


def test_model_without_vpc_config_runs_outside_the_vpc() -> None:
    report = gate(set_input(capture(BASELINE), "model", "vpcConfig", DELETE))
    assert findings(report, "ep-1") == {(MODEL, "model")}
    [violation] = [v for v in report.violations if v.policy == MODEL]
    assert (
        "vpcConfig is not set (AWS default: containers run in a SageMaker-managed network"
        in violation.message
    )
    assert (violation.control, violation.severity, violation.enforcement_level) == (
        "EP-1",
        "critical",
        "mandatory",
    )
    empty = set_input(capture(BASELINE), "model", "vpcConfig.securityGroupIds", [])
    # `aiwarden check` refuses it before any policy runs (the SageMaker API takes 1 to 5 security groups)...
    with pytest.raises(ApiModelError, match=r"vpcConfig\.securityGroupIds = '0 items'"):
        gate(empty)
    # ...and the policy still says so where no API model runs first (`pulumi preview --policy-pack`).
    report = gate(empty, api_validation=False)
    assert message_list(report, MODEL) == [
        "SageMaker model 'model': vpcConfig.securityGroupIds is empty; it must list at least one."
    ]


def test_rest_api_absent_endpoint_type_is_edge() -> None:
    report = gate(set_input(capture(BASELINE), "private-api", "endpointConfiguration", DELETE))
    assert findings(report, "ep-1") == {(REST, "private-api")}
    assert message_list(report, REST) == [
        "REST API 'private-api': endpointConfiguration.types is not set (AWS default: EDGE, public) and it has no "
        "resource policy (aws:SourceVpce / aws:SourceVpc); it must be PRIVATE or admit only VPC endpoints."
    ]


def test_regional_api_needs_a_vpc_limited_resource_policy() -> None:
    open_policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "execute-api:Invoke",
                    "Resource": "execute-api:/*",
                }
            ],
        }
    )
    report = gate(set_input(capture(BASELINE), "regional-api-policy", "policy", open_policy))
    assert findings(report, "ep-1") == {(REST, "regional-api")}
    assert (
        "is 'REGIONAL' (public) and its resource policy does not limit callers"
        in message_list(report, REST)[0]
    )
    c = set_input(capture(BASELINE), "inline-policy-api", "policy", open_policy)
    assert findings(gate(c), "ep-1") == {(REST, "inline-policy-api")}


def test_vertex_endpoint_public_when_neither_network_nor_psc() -> None:
    report = gate(set_input(capture(BASELINE), "psc-endpoint", "privateServiceConnectConfig", DELETE))
    assert findings(report, "ep-1") == {(VERTEX, "psc-endpoint")}
    assert (
        "privateServiceConnectConfig is not set (Google default: public endpoint)"
        in message_list(report, VERTEX)[0]
    )
    c = set_input(
        capture(BASELINE), "psc-endpoint", "privateServiceConnectConfig.enablePrivateServiceConnect", False
    )
    assert findings(gate(c), "ep-1") == {(VERTEX, "psc-endpoint")}
    assert findings(gate(set_input(capture(BASELINE), "peered-endpoint", "network", DELETE)), "ep-1") == {
        (VERTEX, "peered-endpoint")
    }


def test_kubernetes_public_load_balancer_and_node_port() -> None:
    c = set_input(capture(BASELINE), "internal-lb", "metadata.annotations", DELETE)
    set_input(c, "cluster-ip", "spec.type", "NodePort")
    report = gate(c)
    assert findings(report, "ep-1") == {(SERVICE, "internal-lb"), (SERVICE, "cluster-ip")}
    assert (
        "LoadBalancer without an internal load-balancer annotation (cloud default: internet-facing)"
        in "".join(message_list(report, SERVICE))
    )


def test_kubernetes_ingress_without_internal_scheme() -> None:
    c = set_input(
        capture(BASELINE),
        "alb-ingress",
        ["metadata", "annotations", "alb.ingress.kubernetes.io/scheme"],
        "internet-facing",
    )
    set_input(c, "gke-ingress", "metadata.annotations", DELETE)
    report = gate(c)
    assert findings(report, "ep-1") == {(INGRESS, "alb-ingress"), (INGRESS, "gke-ingress")}
    assert any(
        "alb.ingress.kubernetes.io/scheme is 'internet-facing'" in m for m in message_list(report, INGRESS)
    )


def test_http_apis_are_always_public_unless_exempted() -> None:
    report = gate(capture(HTTP_API))
    assert findings(report, "ep-1") == {(HTTP, "http-api"), (HTTP, "hidden-api")}
    hidden = next(m for m in message_list(report, HTTP) if "'hidden-api'" in m)
    assert "only through its custom domain names (disableExecuteApiEndpoint is true)" in hidden
    reason = "Public demo API for the model catalogue, approved in SEC-42 until 2026-12-31."
    report = gate(
        capture(HTTP_API), {HTTP: {"exemptions": [{"resource": "http-api", "justification": reason}]}}
    )
    assert findings(report, "ep-1") == {(HTTP, "hidden-api")}
    assert [(e.policy, e.resource_name) for e in report.exemptions] == [(HTTP, "http-api")]


def test_sandbox_is_mandatory_too() -> None:
    c = set_input(capture(BASELINE), "model", "vpcConfig", DELETE)
    set_input(c, "private-api", "endpointConfiguration", DELETE)
    report = gate(c, environment="sandbox")
    assert findings(report, "ep-1", level="mandatory") == {(MODEL, "model"), (REST, "private-api")}


def test_unknown_at_preview_is_advisory_not_a_pass() -> None:
    # At preview the RestApiPolicy document (built from the API id) is unknown: the check of that API says so.
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "regional-api", "endpointConfiguration", DELETE)  # so the policy document must be read
    set_input(c, "psc-endpoint", "privateServiceConnectConfig", UNKNOWN)
    set_input(c, "internal-lb", "metadata.annotations", UNKNOWN)
    set_input(c, "gke-ingress", "metadata.annotations", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "ep-1") == {
        (REST, "regional-api", "advisory"),
        (VERTEX, "psc-endpoint", "advisory"),
        (SERVICE, "internal-lb", "advisory"),
        (INGRESS, "gke-ingress", "advisory"),
    }
    assert findings(report, "ep-1") == set()
