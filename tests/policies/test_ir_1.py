"""IR-1: the stack exports an incident-response entry for each AI asset."""

from __future__ import annotations

from tests.harness import UNKNOWN, capture, exports, findings, gate, message, unknowns
from tests.policies.programs import AWS_STACK, BEDROCK_STACK, GCP_STACK, entry

POLICY = "ir-1-incident-response-output"


def test_compliant_stacks_have_no_ir1_finding() -> None:
    assert findings(gate(capture(AWS_STACK)), "ir-1") == set()
    assert findings(gate(capture(GCP_STACK)), "ir-1") == set()


def test_missing_output_is_one_stack_level_violation() -> None:
    c = capture(GCP_STACK)
    del exports(c)["incidentResponse"]
    report = gate(c)
    assert findings(report, "ir-1") == {(POLICY, "stack")}
    text = message(report, POLICY)
    assert "exports no `incidentResponse` output" in text
    assert "'vertex' (model-endpoint)" in text and "'gcs-logs'" not in text


def test_unlisted_asset_is_reported_on_the_asset() -> None:
    c = capture(AWS_STACK)
    exports(c)["incidentResponse"] = [e for e in exports(c)["incidentResponse"] if e["name"] != "agent"]
    assert findings(gate(c), "ir-1") == {(POLICY, "agent")}


def test_bedrock_users_need_incident_response_entries() -> None:
    assert findings(gate(capture(BEDROCK_STACK)), "ir-1") == set()
    c = capture(BEDROCK_STACK)
    exports(c)["incidentResponse"] = [
        e for e in exports(c)["incidentResponse"] if e["name"] not in ("chat-role", "chat-api", "kb")
    ]
    report = gate(c)
    assert findings(report, "ir-1") == {(POLICY, "chat-role"), (POLICY, "chat-api"), (POLICY, "kb")}
    assert message(report, POLICY, "chat-role").startswith(
        "aws:iam/role:Role 'chat-role' (ai-identity) has no entry in the stack output `incidentResponse`"
    )


def test_entry_fields_owner_contact_lists_and_logs_to_preserve() -> None:
    c = capture(AWS_STACK)
    entry(c, "incidentResponse", "endpoint")["ownerContact"] = ""
    del entry(c, "incidentResponse", "endpoint")["requestIdentifiers"]
    entry(c, "incidentResponse", "gpu")["logsToPreserve"] = []
    entry(c, "incidentResponse", "model")["credentialsToRevoke"] = "the role"
    entry(c, "incidentResponse", "data")["endpointsToDisable"] = []  # empty where not applicable: fine
    report = gate(c)
    assert findings(report, "ir-1") == {(POLICY, "endpoint"), (POLICY, "gpu"), (POLICY, "model")}
    assert "lacks ownerContact, requestIdentifiers" in message(report, POLICY, "endpoint")
    assert "logsToPreserve is empty" in message(report, POLICY, "gpu")
    assert "credentialsToRevoke must be lists" in message(report, POLICY, "model")


def test_advisory_in_sandbox() -> None:
    c = capture(AWS_STACK)
    entry(c, "incidentResponse", "gpu")["logsToPreserve"] = []
    assert findings(gate(c), "ir-1", level="mandatory") == {(POLICY, "gpu")}
    assert findings(gate(c, environment="sandbox"), "ir-1", level="advisory") == {(POLICY, "gpu")}


def test_unknown_output_at_preview_is_reported_not_passed() -> None:
    c = capture(GCP_STACK, preview_mode=True)
    exports(c, incidentResponse=UNKNOWN)
    report = gate(c)
    assert unknowns(report, POLICY) == {(POLICY, "stack", "advisory")}
    assert findings(report, "ir-1") == set()
