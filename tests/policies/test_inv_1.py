"""INV-1: ownership metadata on AWS tags, GCP labels and Kubernetes labels."""

from __future__ import annotations

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, set_input, unknowns

POLICY = "inv-1-ownership-metadata"

BASELINE = """
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
tags = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}
aws.s3.Bucket("bucket", tags=tags)
gcp.storage.Bucket("gcs", location="US", labels=tags)
k8s.core.v1.Namespace("ns", metadata={"labels": {f"aiwarden.io/{k}": v for k, v in tags.items()}})
aws.s3.BucketPublicAccessBlock("pab", bucket="b")  # not taggable: out of scope
"""


def test_compliant_baseline_has_no_inv1_finding() -> None:
    assert findings(gate(capture(BASELINE)), "inv-1") == set()


def test_missing_owner_on_each_cloud() -> None:
    c = capture(BASELINE)
    set_input(c, "bucket", "tags.owner", DELETE)
    set_input(c, "gcs", "labels.owner", "")
    set_input(c, "ns", ["metadata", "labels", "aiwarden.io/owner"], DELETE)
    report = gate(c)
    assert findings(report, "inv-1") == {(POLICY, "bucket"), (POLICY, "gcs"), (POLICY, "ns")}
    messages = {v.resource_name: v.message for v in report.violations if v.policy == POLICY}
    assert messages["bucket"].endswith("missing owner in tags.")
    assert messages["gcs"].endswith("missing owner in labels.")
    assert messages["ns"].endswith("missing owner in metadata.labels (aiwarden.io/<key>).")


def test_invalid_classification_and_environment() -> None:
    c = set_input(capture(BASELINE), "bucket", "tags.data-classification", "secret")
    set_input(c, "gcs", "labels.environment", "qa")
    report = gate(c)
    assert findings(report, "inv-1") == {(POLICY, "bucket"), (POLICY, "gcs")}
    by_name = {v.resource_name: v for v in report.violations}
    assert "data-classification 'secret'" in by_name["bucket"].message
    assert by_name["bucket"].enforcement_level == "mandatory"
    assert by_name["bucket"].control == "INV-1"
    assert by_name["bucket"].urn == "urn:pulumi:test::test::aws:s3/bucket:Bucket::bucket"
    assert "environment 'qa'" in by_name["gcs"].message


def test_environment_alias_is_accepted() -> None:
    c = set_input(capture(BASELINE), "bucket", "tags.environment", "prod")
    assert findings(gate(c), "inv-1") == set()


def test_untagged_resource_is_mandatory_in_sandbox_too() -> None:
    c = set_input(capture(BASELINE), "bucket", "tags", DELETE)
    report = gate(c, environment="sandbox")
    assert findings(report, "inv-1", level="mandatory") == {(POLICY, "bucket")}


def test_exemption_needs_and_reports_justification() -> None:
    c = set_input(capture(BASELINE), "bucket", "tags", DELETE)
    reason = "Legacy bucket imported from the data lake; owner assigned in ticket SEC-123, expires 2027-01."
    report = gate(c, {POLICY: {"exemptions": [{"resource": "bucket", "justification": reason}]}})
    assert findings(report, "inv-1") == set()
    assert [(e.policy, e.resource_name, e.justification) for e in report.exemptions] == [
        (POLICY, "bucket", reason)
    ]


def test_remediation_fills_missing_keys_from_defaults() -> None:
    c = set_input(capture(BASELINE), "bucket", "tags", {"owner": "ml-platform"})
    defaults = {
        "owner": "x",
        "environment": "production",
        "data-classification": "internal",
        "purpose": "demo",
    }
    report = gate(c, {POLICY: {"enforcementLevel": "remediate", "defaults": defaults}})
    assert findings(report, "inv-1") == set()
    [rem] = [r for r in report.remediations if r.resource_name == "bucket"]
    assert rem.before == {"tags": {"owner": "ml-platform"}}
    assert rem.after == {
        "tags": {
            "owner": "ml-platform",
            "environment": "production",
            "data-classification": "internal",
            "purpose": "demo",
        }
    }


def test_unknown_tags_at_preview_are_reported_not_passed() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "bucket", "tags", UNKNOWN)
    assert unknowns(gate(c), POLICY) == {(POLICY, "bucket", "advisory")}


UNKNOWN_NEIGHBOUR = """
import pulumi_aws as aws
key = aws.kms.Key("key", enable_key_rotation=True, tags={"owner": "ml-platform", "environment": "production",
                  "data-classification": "confidential", "purpose": "training"})
aws.secretsmanager.Secret("secret", kms_key_id=key.arn, tags={"owner": "ml-platform"})
"""


def test_remediation_at_preview_does_not_read_unknown_neighbours() -> None:
    c = capture(UNKNOWN_NEIGHBOUR, preview_mode=True)
    defaults = {"environment": "production", "data-classification": "confidential", "purpose": "training"}
    report = gate(c, {POLICY: {"enforcementLevel": "remediate", "defaults": defaults}})
    [rem] = [r for r in report.remediations if r.resource_name == "secret"]
    assert rem.diagnostic == ""
    assert rem.after == {"tags": {"owner": "ml-platform", **defaults}}
    assert findings(report, "inv-1") == set()
