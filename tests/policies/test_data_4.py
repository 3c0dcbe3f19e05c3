"""DATA-4: bucket access is TLS-only and ACL-free (S3 ownership controls and TLS deny, GCS uniform access)."""

from __future__ import annotations

import json

from tests.harness import (
    DELETE,
    UNKNOWN,
    cannot_run,
    capture,
    drop,
    findings,
    gate,
    messages,
    resource,
    set_input,
    undecided,
    unknowns,
)

OWNER = "data-4-s3-bucket-owner-enforced"
TLS = "data-4-s3-bucket-tls-only"
UNIFORM = "data-4-gcs-uniform-bucket-level-access"

BASELINE = """
import json
import pulumi_aws as aws, pulumi_gcp as gcp
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}
bucket = aws.s3.Bucket("data", tags=TAGS)
aws.s3.BucketOwnershipControls("data-ownership", bucket=bucket.id,
                               rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"))
aws.s3.BucketPolicy("data-policy", bucket=bucket.id, policy=bucket.arn.apply(lambda arn: json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                   "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})))
gcp.storage.Bucket("gcs", location="US", labels=TAGS, uniform_bucket_level_access=True)
"""

READ_ONLY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:role/trainer"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::data/*",
            }
        ],
    }
)
TLS_DENY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "arn:aws:s3:::data/*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
)


def test_compliant_baseline_has_no_data4_finding() -> None:
    assert findings(gate(capture(BASELINE)), "data-4") == set()


def test_object_ownership_not_enforced_or_missing() -> None:
    c = set_input(capture(BASELINE), "data-ownership", "rule.objectOwnership", "ObjectWriter")
    report = gate(c)
    assert findings(report, "data-4") == {(OWNER, "data")}
    assert messages(report, OWNER)["data"] == [
        "aws:s3/bucket:Bucket 'data': BucketOwnershipControls 'data-ownership' sets rule.objectOwnership "
        "'ObjectWriter'; must be 'BucketOwnerEnforced'."
    ]
    report = gate(drop(capture(BASELINE), "data-ownership"))
    assert messages(report, OWNER)["data"] == [
        "aws:s3/bucket:Bucket 'data' has no BucketOwnershipControls; add one with rule.objectOwnership "
        "'BucketOwnerEnforced'."
    ]


def test_bucket_policy_without_tls_deny() -> None:
    report = gate(set_input(capture(BASELINE), "data-policy", "policy", READ_ONLY))
    assert findings(report, "data-4") == {(TLS, "data")}
    assert messages(report, TLS)["data"] == [
        "aws:s3/bucket:Bucket 'data': BucketPolicy 'data-policy' has no Deny of every principal with "
        "aws:SecureTransport false; add one."
    ]


def test_bucket_without_policy() -> None:
    report = gate(drop(capture(BASELINE), "data-policy"))
    assert findings(report, "data-4") == {(TLS, "data")}
    assert messages(report, TLS)["data"] == [
        "aws:s3/bucket:Bucket 'data' has no BucketPolicy (S3 default: HTTP accepted); add one that denies requests "
        "with aws:SecureTransport false."
    ]


def test_deprecated_inline_policy_counts_without_a_companion() -> None:
    c = set_input(drop(capture(BASELINE), "data-policy"), "data", "policy", TLS_DENY)
    assert findings(gate(c), "data-4") == set()


def test_gcs_uniform_bucket_level_access_absent_or_false() -> None:
    report = gate(set_input(capture(BASELINE), "gcs", "uniformBucketLevelAccess", DELETE))
    assert findings(report, "data-4") == {(UNIFORM, "gcs")}
    assert messages(report, UNIFORM)["gcs"] == [
        "gcp:storage/bucket:Bucket 'gcs': uniformBucketLevelAccess is not set (GCP default: false); must be true."
    ]
    assert findings(
        gate(set_input(capture(BASELINE), "gcs", "uniformBucketLevelAccess", False)), "data-4"
    ) == {(UNIFORM, "gcs")}


def test_sandbox_findings_are_advisory() -> None:
    c = set_input(drop(capture(BASELINE), "data-ownership"), "gcs", "uniformBucketLevelAccess", False)
    report = gate(c, environment="sandbox")
    assert findings(report, "data-4", level="advisory") == {(OWNER, "data"), (UNIFORM, "gcs")}
    assert findings(report, "data-4", level="mandatory") == set()


def test_unknown_values_at_preview_are_reported_not_passed() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "gcs", "uniformBucketLevelAccess", UNKNOWN)
    report = gate(c)
    assert findings(report, "data-4") == set()
    # The TLS policy document names the bucket ARN, unknown until the bucket exists: that bucket waits.
    assert unknowns(report, "data-4") == {(UNIFORM, "gcs", "advisory"), (TLS, "data", "advisory")}


# A second bucket whose policy is a literal without the TLS deny (known at preview).
SCRATCH = (
    BASELINE
    + f"""
scratch = aws.s3.Bucket("scratch", tags=TAGS)
aws.s3.BucketOwnershipControls("scratch-ownership", bucket=scratch.id,
                               rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"))
aws.s3.BucketPolicy("scratch-policy", bucket=scratch.id, policy={READ_ONLY!r})
"""
)


def test_preview_decides_every_bucket_it_can() -> None:
    # At preview the policy of `data` names its ARN (unknown): `data` waits, `scratch` is reported.
    c = capture(SCRATCH, preview_mode=True)
    report = gate(c)
    assert findings(report, "data-4") == {(TLS, "scratch")}
    assert messages(report, TLS)["scratch"] == [
        "aws:s3/bucket:Bucket 'scratch': BucketPolicy 'scratch-policy' has no Deny of every principal with "
        "aws:SecureTransport false; add one."
    ]
    assert undecided(report, TLS) == {
        "data": (
            resource(c, "data").urn,
            cannot_run(TLS)
            + "BucketPolicy 'data-policy': string value at .policy can't be known during preview",
        )
    }
    assert undecided(report, OWNER) == {}
    assert findings(gate(capture(SCRATCH)), "data-4") == {(TLS, "scratch")}
