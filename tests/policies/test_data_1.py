"""DATA-1: S3 and GCS buckets block all public access (public access blocks, ACLs, policies, IAM)."""

from __future__ import annotations

import json

from tests.harness import DELETE, UNKNOWN, capture, drop, findings, gate, messages, set_input, unknowns

PAB = "data-1-s3-public-access-block-all-true"
HAS_PAB = "data-1-s3-bucket-has-public-access-block"
ACL = "data-1-s3-no-public-acl"
POLICY = "data-1-s3-no-public-bucket-policy"
PAP = "data-1-gcs-public-access-prevention"
MEMBERS = "data-1-gcs-no-public-members"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"

BASELINE = """
import json
import pulumi_aws as aws, pulumi_gcp as gcp
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}
bucket = aws.s3.Bucket("data", tags=TAGS)
aws.s3.BucketPublicAccessBlock("data-pab", bucket=bucket.id, block_public_acls=True, block_public_policy=True,
                               ignore_public_acls=True, restrict_public_buckets=True)
aws.s3.BucketAcl("data-acl", bucket=bucket.id, acl="private")
aws.s3.BucketPolicy("data-policy", bucket=bucket.id, policy=bucket.arn.apply(lambda arn: json.dumps({
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "ReadThroughEndpoint", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"{arn}/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}}},
    ]})))
gcs = gcp.storage.Bucket("gcs", location="US", labels=TAGS, public_access_prevention="enforced",
                         uniform_bucket_level_access=True)
reader = "serviceAccount:trainer@aiwarden-offline.iam.gserviceaccount.com"
gcp.storage.BucketIAMMember("gcs-reader", bucket=gcs.name, role="roles/storage.objectViewer", member=reader)
gcp.storage.BucketIAMBinding("gcs-writers", bucket=gcs.name, role="roles/storage.objectCreator", members=[reader])
archive = gcp.storage.Bucket("archive", location="US", labels=TAGS, public_access_prevention="enforced",
                             uniform_bucket_level_access=True)
gcp.storage.BucketIAMPolicy("archive-policy", bucket=archive.name, policy_data=json.dumps(
    {"bindings": [{"role": "roles/storage.objectViewer", "members": [reader]}]}))
legacy = gcp.storage.Bucket("legacy", location="US", labels=TAGS, public_access_prevention="enforced")
gcp.storage.BucketAccessControl("legacy-acl", bucket=legacy.name, role="READER", entity="group-ml@example.com")
gcp.storage.BucketACL("legacy-acls", bucket=legacy.name, role_entities=["OWNER:group-ml@example.com"])
"""


def test_compliant_baseline_has_no_data1_finding() -> None:
    assert findings(gate(capture(BASELINE)), "data-1") == set()


# ---------------------------------------------------------------------------------- public access block
def test_public_access_block_setting_false_or_absent() -> None:
    c = set_input(capture(BASELINE), "data-pab", "blockPublicPolicy", DELETE)
    set_input(c, "data-pab", "ignorePublicAcls", False)
    report = gate(c)
    assert findings(report, "data-1") == {(PAB, "data-pab")}
    assert sorted(messages(report, PAB)["data-pab"]) == [
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock 'data-pab': blockPublicPolicy is not set "
        "(AWS default: false); must be true.",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock 'data-pab': ignorePublicAcls is False; "
        "must be true.",
    ]


def test_bucket_without_public_access_block() -> None:
    report = gate(drop(capture(BASELINE), "data-pab"))
    assert findings(report, "data-1") == {(HAS_PAB, "data")}
    assert messages(report, HAS_PAB)["data"] == [
        "aws:s3/bucket:Bucket 'data' has no BucketPublicAccessBlock (S3 default: all four public access settings "
        "false); add one with all four settings true."
    ]


def test_public_access_block_matched_by_bucket_name_without_dependency() -> None:
    c = capture(BASELINE)
    pab = next(r for r in c.resources if r.name == "data-pab")
    pab.property_dependencies["bucket"] = []  # e.g. the name passed as a plain string
    assert findings(gate(c), "data-1") == set()
    set_input(c, "data-pab", "bucket", "some-other-bucket")
    assert findings(gate(c), "data-1") == {(HAS_PAB, "data")}


def test_remediation_turns_on_all_four_settings() -> None:
    c = set_input(capture(BASELINE), "data-pab", "blockPublicPolicy", DELETE)
    set_input(c, "data-pab", "restrictPublicBuckets", False)
    report = gate(c, {PAB: {"enforcementLevel": "remediate"}})
    assert findings(report, "data-1") == set()
    [rem] = [r for r in report.remediations if r.policy == PAB]
    assert (rem.resource_name, rem.before, rem.after) == (
        "data-pab",
        {"blockPublicPolicy": None, "restrictPublicBuckets": False},
        {"blockPublicPolicy": True, "restrictPublicBuckets": True},
    )


# ------------------------------------------------------------------------------------ ACLs and policies
def test_public_canned_acls_and_group_grants() -> None:
    c = set_input(capture(BASELINE), "data-acl", "acl", "public-read")
    set_input(
        c,
        "data-acl",
        "accessControlPolicy",
        {
            "owner": {"id": "owner"},
            "grants": [{"grantee": {"type": "Group", "uri": ALL_USERS}, "permission": "READ"}],
        },
    )
    set_input(c, "data", "acl", "authenticated-read")
    report = gate(c)
    assert findings(report, "data-1") == {(ACL, "data-acl"), (ACL, "data")}
    assert sorted(messages(report, ACL)["data-acl"]) == [
        f"aws:s3/bucketAcl:BucketAcl 'data-acl': accessControlPolicy.grants grants access to {ALL_USERS}; must "
        "grant no public group.",
        "aws:s3/bucketAcl:BucketAcl 'data-acl': acl is 'public-read'; must be 'private' (or unset, with ACLs "
        "disabled).",
    ]


def test_inline_bucket_grant_to_authenticated_users() -> None:
    uri = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
    c = set_input(
        capture(BASELINE), "data", "grants", [{"type": "Group", "permissions": ["READ"], "uri": uri}]
    )
    assert findings(gate(c), "data-1") == {(ACL, "data")}


def test_bucket_policy_allowing_everyone() -> None:
    public = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Public",
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::data/*",
                }
            ],
        }
    )
    c = set_input(capture(BASELINE), "data-policy", "policy", public)
    set_input(c, "data", "policy", public)  # the deprecated inline policy counts too
    report = gate(c)
    assert findings(report, "data-1") == {(POLICY, "data-policy"), (POLICY, "data")}
    assert messages(report, POLICY)["data-policy"] == [
        "aws:s3/bucketPolicy:BucketPolicy 'data-policy': policy Allow statement (Sid 'Public') grants s3:GetObject "
        "to a wildcard principal without a narrowing condition; must name principals or restrict by "
        "aws:SourceVpce / aws:PrincipalOrgID / aws:PrincipalAccount."
    ]


# ------------------------------------------------------------------------------------------------- GCS
def test_gcs_public_access_prevention_absent_or_inherited() -> None:
    c = set_input(capture(BASELINE), "gcs", "publicAccessPrevention", DELETE)
    set_input(c, "archive", "publicAccessPrevention", "inherited")
    report = gate(c)
    assert findings(report, "data-1") == {(PAP, "gcs"), (PAP, "archive")}
    assert messages(report, PAP) == {
        "gcs": [
            "gcp:storage/bucket:Bucket 'gcs': publicAccessPrevention is not set (GCP default: inherited); "
            "must be 'enforced'."
        ],
        "archive": [
            "gcp:storage/bucket:Bucket 'archive': publicAccessPrevention is 'inherited'; must be 'enforced'."
        ],
    }


def test_gcs_public_access_prevention_remediation() -> None:
    c = set_input(capture(BASELINE), "gcs", "publicAccessPrevention", DELETE)
    report = gate(c, {PAP: {"enforcementLevel": "remediate"}})
    assert findings(report, "data-1") == set()
    [rem] = [r for r in report.remediations if r.policy == PAP]
    assert (rem.resource_name, rem.before, rem.after) == (
        "gcs",
        {"publicAccessPrevention": None},
        {"publicAccessPrevention": "enforced"},
    )


def test_gcs_grants_to_all_users() -> None:
    c = set_input(capture(BASELINE), "gcs-reader", "member", "allUsers")
    set_input(c, "gcs-writers", "members", ["group:ml@example.com", "allAuthenticatedUsers"])
    set_input(
        c,
        "archive-policy",
        "policyData",
        json.dumps({"bindings": [{"role": "roles/storage.objectViewer", "members": ["allUsers"]}]}),
    )
    set_input(c, "legacy-acl", "entity", "allUsers")
    set_input(
        c, "legacy-acls", "roleEntities", ["OWNER:group-ml@example.com", "READER:allAuthenticatedUsers"]
    )
    report = gate(c)
    assert findings(report, "data-1") == {
        (MEMBERS, "gcs-reader"),
        (MEMBERS, "gcs-writers"),
        (MEMBERS, "archive-policy"),
        (MEMBERS, "legacy-acl"),
        (MEMBERS, "legacy-acls"),
    }
    assert messages(report, MEMBERS)["gcs-writers"] == [
        "gcp:storage/bucketIAMBinding:BucketIAMBinding 'gcs-writers': members grants 'allAuthenticatedUsers'; must "
        "name specific service accounts or groups (no allUsers, allAuthenticatedUsers or public canned ACL)."
    ]


def test_gcs_public_canned_acl() -> None:
    c = set_input(capture(BASELINE), "legacy-acls", "predefinedAcl", "publicRead")
    assert findings(gate(c), "data-1") == {(MEMBERS, "legacy-acls")}


# ------------------------------------------------------------------------------ environments and preview
def test_public_bucket_is_mandatory_in_sandbox_too() -> None:
    c = set_input(capture(BASELINE), "gcs-reader", "member", "allUsers")
    drop(c, "data-pab")
    report = gate(c, environment="sandbox")
    assert findings(report, "data-1", level="mandatory") == {(MEMBERS, "gcs-reader"), (HAS_PAB, "data")}


def test_preview_matches_by_dependency_and_reports_unknown_settings() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "data-pab", "blockPublicAcls", UNKNOWN)
    report = gate(c)
    # The stack policy pairs bucket and block through the property dependency: no violation at preview.
    assert findings(report, "data-1") == set()
    # The bucket policy document is built from the bucket ARN: unknown at preview as well.
    assert unknowns(report, "data-1") == {(PAB, "data-pab", "advisory"), (POLICY, "data-policy", "advisory")}
