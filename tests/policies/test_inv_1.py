"""INV-1: ownership metadata on AWS tags, GCP labels and Kubernetes labels."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.harness import (
    DELETE,
    UNKNOWN,
    capture,
    findings,
    gate,
    messages,
    set_input,
    unknowns,
    write_program,
)

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


# ------------------------------------------------------------------ the ownership vocabulary users already have

#: An organization's own vocabulary: other keys, fewer values, its own words folded onto the catalog's.
VOCABULARY: dict[str, Any] = {
    "keys": {"owner": "team", "environment": "env", "dataClassification": "data-class", "purpose": "app"},
    "environments": ["production", "sandbox"],
    "environmentAliases": {"live": "production", "lab": "sandbox"},
    "classifications": ["internal", "confidential", "restricted"],
    "classificationAliases": {"secret": "restricted"},
    "kubernetesLabelPrefix": "example.com/",
}
CUSTOM = """
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
tags = {"team": "ml-platform", "env": "live", "data-class": "secret", "app": "training"}
aws.s3.Bucket("bucket", tags=tags)
gcp.storage.Bucket("gcs", location="US", labels=tags)
k8s.core.v1.Namespace("ns", metadata={"labels": {f"example.com/{k}": v for k, v in tags.items()}})
aws.s3.BucketPublicAccessBlock("pab", bucket="b")  # not taggable: out of scope
"""
IN_PACK_CONFIG = {POLICY: {"vocabulary": VOCABULARY}}
IN_STACK_CONFIG = {"aiwarden:vocabulary": json.dumps(VOCABULARY)}
EVERYWHERE = {(POLICY, "bucket"), (POLICY, "gcs"), (POLICY, "ns")}


def test_custom_vocabulary_in_pack_config_accepts_its_keys_and_words() -> None:
    assert findings(gate(capture(CUSTOM), IN_PACK_CONFIG), "inv-1") == set()


def test_default_keys_are_missing_under_a_custom_vocabulary() -> None:
    report = gate(capture(BASELINE), IN_PACK_CONFIG)
    assert findings(report, "inv-1") == EVERYWHERE
    assert messages(report, POLICY) == {
        "bucket": ["aws:s3/bucket:Bucket 'bucket': missing team, env, data-class, app in tags."],
        "gcs": ["gcp:storage/bucket:Bucket 'gcs': missing team, env, data-class, app in labels."],
        "ns": [
            "kubernetes:core/v1:Namespace 'ns': missing team, env, data-class, app in metadata.labels (example.com/<key>)."
        ],
    }


def test_custom_allowed_values_replace_the_defaults() -> None:
    c = set_input(
        capture(CUSTOM), "bucket", "tags.env", "staging"
    )  # a catalog value the vocabulary leaves out
    set_input(c, "gcs", "labels.data-class", "public")  # same for classifications
    set_input(c, "ns", ["metadata", "labels", "example.com/env"], "prod")  # a default alias the map replaced
    report = gate(c, IN_PACK_CONFIG)
    assert findings(report, "inv-1") == EVERYWHERE
    assert messages(report, POLICY) == {
        "bucket": [
            "aws:s3/bucket:Bucket 'bucket': env 'staging' is not one of production, sandbox (or an alias: lab, live) "
            "in tags."
        ],
        "gcs": [
            "gcp:storage/bucket:Bucket 'gcs': data-class 'public' is not one of internal, confidential, restricted "
            "(or an alias: secret) in labels."
        ],
        "ns": [
            "kubernetes:core/v1:Namespace 'ns': env 'prod' is not one of production, sandbox (or an alias: lab, live) "
            "in metadata.labels (example.com/<key>)."
        ],
    }


def test_kubernetes_labels_count_without_the_prefix() -> None:
    plain = {
        "owner": "ml-platform",
        "environment": "production",
        "data-classification": "internal",
        "purpose": "x",
    }
    c = set_input(capture(BASELINE), "ns", "metadata.labels", plain)
    assert findings(gate(c), "inv-1") == set()
    # both forms set: the prefixed one wins
    c = set_input(capture(BASELINE), "ns", "metadata.labels", {**plain, "aiwarden.io/environment": "qa"})
    report = gate(c)
    assert findings(report, "inv-1") == {(POLICY, "ns")}
    assert "environment 'qa' is not one of" in messages(report, POLICY)["ns"][0]


def test_stack_vocabulary_applies_when_the_pack_config_sets_none() -> None:
    assert findings(gate(capture(CUSTOM), stack_config=IN_STACK_CONFIG), "inv-1") == set()
    assert findings(gate(capture(BASELINE), stack_config=IN_STACK_CONFIG), "inv-1") == EVERYWHERE


def test_pack_config_vocabulary_wins_over_the_stack_vocabulary() -> None:
    # the security team requires the defaults ({}: every field default) while the program stamps its own keys
    report = gate(capture(CUSTOM), {POLICY: {"vocabulary": {}}}, stack_config=IN_STACK_CONFIG)
    assert findings(report, "inv-1") == EVERYWHERE
    assert messages(report, POLICY)["bucket"] == [
        "aws:s3/bucket:Bucket 'bucket': missing owner, environment, data-classification, purpose in tags."
    ]


UNENCRYPTED_GCS = """
import pulumi_gcp as gcp
gcp.storage.Bucket("gcs", location="US", labels={"team": "ml-platform", "env": "live", "data-class": "internal",
                                                  "app": "training"})
"""


def test_other_policies_read_classification_with_the_stack_vocabulary() -> None:
    c = capture(UNENCRYPTED_GCS)
    # default vocabulary: no data-classification label, so unclassified, so sensitive: CMEK required
    assert findings(gate(c), "data-2-gcs") == {("data-2-gcs-bucket-cmek", "gcs")}
    # the stack's vocabulary: data-class=internal, not sensitive
    assert findings(gate(c, stack_config=IN_STACK_CONFIG), "data-2-gcs") == set()


def _check(program: Path, pack_config: dict[str, Any], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "pack.json"
    config.write_text(json.dumps(pack_config), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "aiwarden.cli", "check", str(program), "--policy-pack-config", str(config)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    ("vocabulary", "fragment"),
    [
        (
            {**VOCABULARY, "owners": "team"},
            "policy config for 'inv-1-ownership-metadata' is invalid at vocabulary: Additional properties are not "
            "allowed ('owners' was unexpected)",
        ),
        (
            {"keys": {"owner": ""}},
            "policy config for 'inv-1-ownership-metadata' is invalid at vocabulary.keys.owner: '' should be non-empty",
        ),
        (  # beyond what a JSON schema can say: refused when the policy first reads it
            {"keys": {"owner": "team", "purpose": "team"}},
            "policy config inv-1-ownership-metadata.vocabulary.keys.purpose: 'team' is also the key of owner; "
            "each field needs its own key",
        ),
    ],
    ids=["unknown-field", "empty-key", "duplicate-keys"],
)
def test_malformed_vocabulary_in_pack_config_exits_2_naming_the_field(
    vocabulary: dict[str, Any], fragment: str, tmp_path: Path
) -> None:
    proc = _check(write_program(CUSTOM), {POLICY: {"vocabulary": vocabulary}}, tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert fragment in proc.stderr
