"""EP-2: every route to a model requires an authenticated, authorized caller."""

from __future__ import annotations

import json

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message_list, set_input, unknowns

METHOD = "ep-2-rest-method-authorization"
ROUTE = "ep-2-http-route-authorization"
GCP = "ep-2-gcp-no-anonymous-invoker"
INGRESS = "ep-2-ingress-requires-auth"

BASELINE = """
import json
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
LABELS = {f"aiwarden.io/{k}": v for k, v in TAGS.items()}
api = aws.apigateway.RestApi("api", tags=TAGS,
    endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="PRIVATE"))
predict = aws.apigateway.Resource("predict", rest_api=api.id, parent_id=api.root_resource_id, path_part="predict")
aws.apigateway.Method("predict-post", rest_api=api.id, resource_id=predict.id, http_method="POST",
    authorization="AWS_IAM")
aws.apigateway.Method("predict-options", rest_api=api.id, resource_id=predict.id, http_method="OPTIONS",
    authorization="NONE")
http = aws.apigatewayv2.Api("http", protocol_type="HTTP", tags=TAGS)
aws.apigatewayv2.Route("http-predict", api_id=http.id, route_key="POST /predict", authorization_type="JWT",
    authorizer_id="auth-1")
aws.apigatewayv2.Route("http-preflight", api_id=http.id, route_key="OPTIONS /predict")
ws = aws.apigatewayv2.Api("ws", protocol_type="WEBSOCKET", route_selection_expression="$request.body.action",
    tags=TAGS)
aws.apigatewayv2.Route("ws-connect", api_id=ws.id, route_key="$connect", authorization_type="AWS_IAM")
aws.apigatewayv2.Route("ws-generate", api_id=ws.id, route_key="generate")
endpoint = gcp.vertex.AiEndpoint("endpoint", name="1001", display_name="e", location="us-central1", labels=TAGS,
    network="projects/123456789012/global/networks/platform")
aws_sa = "serviceAccount:caller@aiwarden-offline.iam.gserviceaccount.com"
gcp.vertex.AiEndpointIamMember("endpoint-user", endpoint=endpoint.name, location="us-central1",
    role="roles/aiplatform.user", member=aws_sa)
gcp.vertex.AiEndpointIamBinding("endpoint-users", endpoint=endpoint.name, location="us-central1",
    role="roles/aiplatform.user", members=[aws_sa, "group:ml-callers@example.com"])
gcp.vertex.AiEndpointIamPolicy("endpoint-policy", endpoint=endpoint.name, location="us-central1",
    policy_data=json.dumps({"bindings": [{"role": "roles/aiplatform.user", "members": [aws_sa]}]}))
gcp.cloudrunv2.ServiceIamMember("run-invoker", name="model-server", location="us-central1",
    role="roles/run.invoker", member=aws_sa)
gcp.cloudrun.IamMember("run-v1-invoker", service="legacy-server", location="us-central1",
    role="roles/run.invoker", member=aws_sa)
k8s.networking.v1.Ingress("alb-ingress", metadata={"labels": LABELS, "annotations": {
    "alb.ingress.kubernetes.io/scheme": "internal", "alb.ingress.kubernetes.io/auth-type": "oidc"}},
    spec={"defaultBackend": {"service": {"name": "eks-model", "port": {"number": 8080}}}})
k8s.networking.v1.Ingress("nginx-ingress", metadata={"labels": LABELS, "annotations": {
    "nginx.ingress.kubernetes.io/auth-url": "https://oauth2-proxy.auth.svc/oauth2/auth"}},
    spec={"defaultBackend": {"service": {"name": "eks-model", "port": {"number": 8080}}}})
iap = k8s.apiextensions.CustomResource("iap-config", api_version="cloud.google.com/v1", kind="BackendConfig",
    metadata={"name": "iap-config", "labels": LABELS},
    spec={"iap": {"enabled": True, "oauthclientCredentials": {"secretName": "iap-oauth"}}})
k8s.core.v1.Service("model", metadata={"name": "model", "labels": LABELS,
    "annotations": {"cloud.google.com/backend-config": json.dumps({"default": "iap-config"})}},
    spec={"ports": [{"port": 8080}]})
k8s.networking.v1.Ingress("gke-ingress", metadata={"labels": LABELS,
    "annotations": {"kubernetes.io/ingress.class": "gce-internal"}},
    spec={"rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix",
        "backend": {"service": {"name": "model", "port": {"number": 8080}}}}]}}]})
"""


def test_compliant_baseline_has_no_ep2_finding() -> None:
    assert findings(gate(capture(BASELINE)), "ep-2") == set()


def test_rest_method_without_authorization() -> None:
    c = set_input(capture(BASELINE), "predict-post", "authorization", "NONE")
    set_input(c, "predict-post", "apiKeyRequired", True)  # an API key is not authentication
    report = gate(c)
    assert findings(report, "ep-2") == {(METHOD, "predict-post")}
    [violation] = [v for v in report.violations if v.policy == METHOD]
    assert violation.message == (
        "REST API method 'predict-post' (POST): authorization is 'NONE'; it must be AWS_IAM, "
        "CUSTOM or COGNITO_USER_POOLS (API keys are not authentication)."
    )
    assert (violation.control, violation.severity) == ("EP-2", "critical")


def test_http_route_absent_authorization_is_none() -> None:
    c = set_input(capture(BASELINE), "http-predict", "authorizationType", DELETE)
    set_input(c, "ws-connect", "authorizationType", "NONE")
    report = gate(c)
    assert findings(report, "ep-2") == {(ROUTE, "http-predict"), (ROUTE, "ws-connect")}
    assert any("authorizationType is not set (AWS default: NONE)" in m for m in message_list(report, ROUTE))
    c = set_input(capture(BASELINE), "http-predict", "routeKey", "$default")
    set_input(c, "http-predict", "authorizationType", DELETE)
    assert findings(gate(c), "ep-2") == {(ROUTE, "http-predict")}


def test_anonymous_members_on_vertex_endpoints_and_cloud_run() -> None:
    c = set_input(capture(BASELINE), "endpoint-user", "member", "allUsers")
    set_input(c, "endpoint-users", "members", ["group:ml-callers@example.com", "allAuthenticatedUsers"])
    set_input(
        c,
        "endpoint-policy",
        "policyData",
        json.dumps({"bindings": [{"role": "roles/aiplatform.admin", "members": ["allUsers"]}]}),
    )
    set_input(c, "run-invoker", "member", "allUsers")
    set_input(c, "run-v1-invoker", "member", "allUsers")
    report = gate(c)
    assert findings(report, "ep-2") == {
        (GCP, "endpoint-user"),
        (GCP, "endpoint-users"),
        (GCP, "endpoint-policy"),
        (GCP, "run-invoker"),
        (GCP, "run-v1-invoker"),
    }
    assert (
        "ServiceIamMember 'run-invoker': grants roles/run.invoker to allUsers (anonymous access to a model "
        "endpoint); bind named service accounts or groups instead."
    ) in message_list(report, GCP)


def test_ingress_without_authentication() -> None:
    c = set_input(
        capture(BASELINE),
        "alb-ingress",
        ["metadata", "annotations", "alb.ingress.kubernetes.io/auth-type"],
        DELETE,
    )
    report = gate(c)
    assert findings(report, "ep-2") == {(INGRESS, "alb-ingress")}
    assert "no authentication in front of its backends" in message_list(report, INGRESS)[0]


def test_ingress_basic_auth_is_a_shared_static_credential() -> None:
    c = set_input(
        capture(BASELINE),
        "nginx-ingress",
        "metadata.annotations",
        {
            "nginx.ingress.kubernetes.io/auth-type": "basic",
            "nginx.ingress.kubernetes.io/auth-secret": "htpasswd",
        },
    )
    report = gate(c)
    assert findings(report, "ep-2") == {(INGRESS, "nginx-ingress")}
    assert "auth-type is 'basic' (a shared static credential)" in message_list(report, INGRESS)[0]


def test_gke_ingress_needs_iap_on_every_backend() -> None:
    c = set_input(capture(BASELINE), "iap-config", "spec.iap.enabled", False)
    assert findings(gate(c), "ep-2") == {(INGRESS, "gke-ingress")}
    c = set_input(capture(BASELINE), "model", "metadata.annotations", DELETE)
    assert findings(gate(c), "ep-2") == {(INGRESS, "gke-ingress")}


def test_sandbox_is_mandatory_too() -> None:
    c = set_input(capture(BASELINE), "predict-post", "authorization", "NONE")
    set_input(c, "run-invoker", "member", "allUsers")
    set_input(c, "iap-config", "spec.iap.enabled", False)
    report = gate(c, environment="sandbox")
    assert findings(report, "ep-2", level="mandatory") == {
        (METHOD, "predict-post"),
        (GCP, "run-invoker"),
        (INGRESS, "gke-ingress"),
    }


def test_unknown_at_preview_is_advisory_not_a_pass() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "predict-post", "authorization", UNKNOWN)
    set_input(c, "http-predict", "authorizationType", UNKNOWN)
    set_input(c, "run-invoker", "member", UNKNOWN)
    set_input(c, "alb-ingress", "metadata.annotations", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "ep-2") == {
        (METHOD, "predict-post", "advisory"),
        (ROUTE, "http-predict", "advisory"),
        (GCP, "run-invoker", "advisory"),
        (INGRESS, "alb-ingress", "advisory"),
    }
    assert findings(report, "ep-2") == set()
