"""INV-2: the stack exports an inventory entry for each AI asset."""

from __future__ import annotations

from aiwarden.report.model import Report
from tests.harness import UNKNOWN, capture, exports, findings, gate, message, unknowns
from tests.policies.programs import AWS_STACK, GCP_STACK, entry

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
