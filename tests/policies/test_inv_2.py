"""INV-2: the stack exports an inventory entry for each AI asset."""

from __future__ import annotations

import json

import pytest

from aiwarden.findings import Report
from tests.harness import DELETE, UNKNOWN, capture, exports, findings, gate, message, set_input, unknowns
from tests.policies.programs import AWS_STACK, BEDROCK_STACK, GCP_STACK, entry

POLICY = "inv-2-inventory-output"
#: Every policy family of the stack controls: the compliant twins have no finding in any of them.
STACK_FAMILIES = ("inv-2", "ir-1", "cost-1", "cost-2", "log-1", "ir-2")


def stack_findings(report: Report) -> set[tuple[str, str]]:
    return {f for family in STACK_FAMILIES for f in findings(report, family)}


# -- INV-2 ---------------------------------------------------------------------------------------
def test_compliant_aws_stack_has_no_stack_control_finding() -> None:
    assert stack_findings(gate(capture(AWS_STACK))) == set()


def test_compliant_gcp_stack_has_no_stack_control_finding() -> None:
    assert stack_findings(gate(capture(GCP_STACK))) == set()


def test_compliant_bedrock_stack_has_no_stack_control_finding() -> None:
    assert stack_findings(gate(capture(BEDROCK_STACK))) == set()


# -- Bedrock usage makes AI assets -----------------------------------------------------------------
def without(output: str, name: str, code: str = BEDROCK_STACK, preview: bool = False):  # type: ignore[no-untyped-def]
    """The Bedrock stack without the ``output`` manifest entry naming ``name``."""
    c = capture(code, preview_mode=preview)
    exports(c)[output] = [e for e in exports(c)[output] if e["name"] != name]
    return c


def test_bedrock_users_are_the_assets_of_the_stack() -> None:
    c = capture(BEDROCK_STACK)
    del exports(c)["inventory"]
    report = gate(c)
    assert findings(report, "inv-2") == {(POLICY, "stack")}
    # Roles allowed bedrock:InvokeModel* (inline, RolePolicy, attached customer policy), a user policy of a user
    # outside the stack, the API forwarding to bedrock-runtime and the knowledge base; not the S3-only role, the
    # administrator role ("*" is not Bedrock usage), nor the grants that reach a listed role.
    assert message(report, POLICY) == (
        "The stack exports no `inventory` output; it holds 6 AI asset(s) that each need an entry: "
        "'analyst-invoke' (ai-identity), 'batch-role' (ai-identity), 'chat-api' (model-api), 'chat-role' "
        "(ai-identity), 'kb' (knowledge-base), 'rag-role' (ai-identity)."
    )


def _doc(*actions: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}],
        }
    )


@pytest.mark.parametrize(
    ("name", "path", "value"),
    [
        ("app-read", "policy", _doc("bedrock:InvokeModelWithResponseStream")),
        ("app-read", "policy", _doc("s3:GetObject", "bedrock:*")),
        ("app-read", "policy", _doc("Bedrock:invoke*")),
        ("app-role", "managedPolicyArns", ["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"]),
        ("app-role", "inlinePolicies", [{"name": "agents", "policy": _doc("bedrock:InvokeAgent")}]),
    ],
)
def test_a_role_allowed_to_invoke_models_is_an_ai_identity(name: str, path: str, value: object) -> None:
    report = gate(set_input(capture(BEDROCK_STACK), name, path, value))
    assert findings(report, "inv-2") == {(POLICY, "app-role")}
    assert message(report, POLICY, "app-role") == (
        "aws:iam/role:Role 'app-role' (ai-identity) has no entry in the stack output `inventory` (an entry whose "
        "`name` or `urn` is the resource's or its component's)."
    )


def test_grant_that_reaches_no_stack_role_stands_for_the_identity() -> None:
    # The RolePolicy of a role declared elsewhere: the grant itself is the asset.
    c = set_input(capture(BEDROCK_STACK), "app-read", "role", DELETE)
    set_input(c, "app-read", "role", "legacy-role")
    set_input(c, "app-read", "policy", _doc("bedrock:InvokeModel"))
    assert findings(gate(c), "inv-2") == {(POLICY, "app-read")}
    # Each grant of the listed 'batch-role' is covered by its entry; without the role, the policy stands for it.
    c = set_input(capture(BEDROCK_STACK), "batch-invoke", "role", DELETE)
    set_input(c, "batch-invoke", "role", "legacy-role")
    assert findings(gate(c), "inv-2") == {(POLICY, "invoke-policy")}


def test_api_forwarding_to_bedrock_is_a_model_api() -> None:
    report = gate(without("inventory", "chat-api"))
    assert findings(report, "inv-2") == {(POLICY, "chat-api")}
    assert message(report, POLICY, "chat-api").startswith(
        "aws:apigateway/restApi:RestApi 'chat-api' (model-api) has no entry"
    )
    c = set_input(
        without("inventory", "chat-api"),
        "invoke-bedrock",
        "uri",
        "arn:aws:apigateway:us-east-1:s3:path/support-faq/answers.json",
    )
    assert findings(gate(c), "inv-2") == set()
    # An API outside the stack: the integration itself is the asset.
    c = set_input(capture(BEDROCK_STACK), "invoke-bedrock", "restApi", DELETE)
    set_input(c, "invoke-bedrock", "restApi", "a1b2c3d4e5")
    assert findings(gate(c), "inv-2") == {(POLICY, "invoke-bedrock")}


def test_api_gateway_v2_http_integration_to_bedrock() -> None:
    code = (
        BEDROCK_STACK
        + """
http = aws.apigatewayv2.Api("http-api", protocol_type="HTTP", tags=TAGS)
aws.apigatewayv2.Integration("http-bedrock", api_id=http.id, integration_type="HTTP_PROXY",
    integration_method="POST", integration_uri="https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke")
"""
    )
    report = gate(capture(code))
    assert findings(report, "inv-2") == {(POLICY, "http-api")}
    assert "aws:apigatewayv2/api:Api 'http-api' (model-api)" in message(report, POLICY, "http-api")


def test_knowledge_base_is_an_asset() -> None:
    assert findings(gate(without("inventory", "kb")), "inv-2") == {(POLICY, "kb")}


def test_bedrock_grant_unknown_at_preview_is_decided_at_update() -> None:
    c = set_input(without("inventory", "rag-role", preview=True), "rag-invoke", "policy", UNKNOWN)
    report = gate(c)
    assert findings(report, "inv-2") == set()
    assert unknowns(report, POLICY) == set()
    assert findings(gate(without("inventory", "rag-role")), "inv-2") == {(POLICY, "rag-role")}


def test_missing_inventory_output_is_one_stack_level_violation() -> None:
    c = capture(AWS_STACK)
    del exports(c)["inventory"]
    report = gate(c)
    assert findings(report, "inv-2") == {(POLICY, "stack")}
    text = message(report, POLICY)
    assert "exports no `inventory` output" in text
    assert "'endpoint' (model-endpoint)" in text and "'gpu' (gpu-compute)" in text
    assert "'logs'" not in text  # the log bucket is evidence, not an AI asset


def test_unlisted_asset_is_reported_on_the_asset() -> None:
    c = capture(GCP_STACK)
    exports(c)["inventory"] = [e for e in exports(c)["inventory"] if e["name"] != "gpu-pool"]
    report = gate(c)
    assert findings(report, "inv-2") == {(POLICY, "gpu-pool")}
    assert "has no entry in the stack output `inventory`" in message(report, POLICY, "gpu-pool")


def test_entry_with_missing_and_invalid_fields() -> None:
    c = capture(AWS_STACK)
    del entry(c, "inventory", "endpoint")["owner"]
    entry(c, "inventory", "endpoint")["exposure"] = "open"
    entry(c, "inventory", "gpu")["dataClassification"] = "secret"
    report = gate(c)
    assert findings(report, "inv-2") == {(POLICY, "endpoint"), (POLICY, "gpu")}
    endpoint = message(report, POLICY, "endpoint")
    assert "lacks owner" in endpoint
    assert "exposure 'open' is not one of private, internal, public" in endpoint
    assert "dataClassification 'secret'" in message(report, POLICY, "gpu")


def test_identities_may_be_empty_only_for_data_stores() -> None:
    c = capture(AWS_STACK)
    entry(c, "inventory", "endpoint")["identities"] = []
    del entry(c, "inventory", "model")["identities"]
    report = gate(c)
    assert findings(report, "inv-2") == {(POLICY, "endpoint"), (POLICY, "model")}
    assert "identities is empty (a model-endpoint runs as" in message(report, POLICY, "endpoint")
    assert "lacks identities" in message(report, POLICY, "model")
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
    exports(c, inventory=UNKNOWN)
    report = gate(c)
    assert unknowns(report, POLICY) == {(POLICY, "stack", "advisory")}
    assert findings(report, "inv-2") == set()
