"""SEC-3: secret access scoped to named workload identities (AWS IAM, secret policies, GCP IAM)."""

from __future__ import annotations

import json

from tests.harness import DELETE, capture, findings, gate, messages, set_input, unknowns

IAM = "sec-3-iam-secret-read-not-wildcard"
SECRET_POLICY = "sec-3-secretsmanager-policy-no-public-access"
GCP_SECRET_IAM = "sec-3-gcp-secret-iam-no-broad-members"
GCP_PROJECT = "sec-3-gcp-no-project-wide-secret-access"

BASELINE = """
import json
import pulumi
import pulumi_aws as aws, pulumi_gcp as gcp

TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
ROLE_ARN = "arn:aws:iam::123456789012:role/inference"
SA = "serviceAccount:inference@p.iam.gserviceaccount.com"

def document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})

key = aws.kms.Key("key", enable_key_rotation=True, tags=TAGS)
secret = aws.secretsmanager.Secret("secret", kms_key_id=key.arn, tags=TAGS)
aws.iam.Policy("reader", tags=TAGS, policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret.arn}]}))
aws.iam.RolePolicy("prefix-reader", role="inference", policy=document(
    {"Sid": "Prefix", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
     "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:inference/*"}))
aws.iam.UserPolicy("user-s3", user="ci", policy=document(
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
aws.iam.GroupPolicy("group-list", group="ops", policy=document(
    {"Effect": "Allow", "Action": "secretsmanager:ListSecrets", "Resource": "*"},
    {"Effect": "Deny", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}))
aws.iam.Role("abac", tags=TAGS, assume_role_policy=document(
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "sagemaker.amazonaws.com"}}),
    inline_policies=[aws.iam.RoleInlinePolicyArgs(name="tagged-secrets", policy=document(
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*",
         "Condition": {"StringEquals": {"secretsmanager:ResourceTag/app": "inference"}}}))])
aws.secretsmanager.SecretPolicy("secret-policy", secret_arn=secret.arn, block_public_policy=True, policy=document(
    {"Sid": "Workload", "Effect": "Allow", "Principal": {"AWS": ROLE_ARN}, "Action": "secretsmanager:GetSecretValue",
     "Resource": "*"},
    {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "secretsmanager:DescribeSecret", "Resource": "*",
     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}))

gsm = gcp.secretmanager.Secret("gsm", secret_id="openai", labels=TAGS,
    replication=gcp.secretmanager.SecretReplicationArgs(auto=gcp.secretmanager.SecretReplicationAutoArgs(
        customer_managed_encryption=gcp.secretmanager.SecretReplicationAutoCustomerManagedEncryptionArgs(
            kms_key_name="projects/p/locations/global/keyRings/r/cryptoKeys/k"))))
gcp.secretmanager.SecretIamMember("gsm-member", secret_id=gsm.id, role="roles/secretmanager.secretAccessor", member=SA)
gcp.secretmanager.SecretIamBinding("gsm-binding", secret_id=gsm.id, role="roles/secretmanager.secretAccessor",
                                   members=[SA, "group:ml-oncall@example.com"])
gcp.secretmanager.SecretIamPolicy("gsm-policy", secret_id=gsm.id, policy_data=json.dumps({"bindings": [
    {"role": "roles/secretmanager.secretAccessor", "members": [SA]}]}))
gcp.projects.IAMMember("project-scoped", project="p", role="roles/secretmanager.secretAccessor", member=SA,
    condition=gcp.projects.IAMMemberConditionArgs(title="openai only",
        expression='resource.name.startsWith("projects/123456789012/secrets/openai")'))
gcp.projects.IAMBinding("project-viewers", project="p", role="roles/viewer", members=["group:ml@example.com"])
gcp.projects.IAMPolicy("project-policy", project="p", policy_data=json.dumps({"bindings": [
    {"role": "roles/logging.viewer", "members": [SA]}]}))
gcp.organizations.IAMMember("org-viewer", org_id="123456", role="roles/browser", member=SA)
"""


def document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_compliant_baseline_has_no_sec3_finding() -> None:
    assert findings(gate(capture(BASELINE)), "sec-3") == set()


def test_iam_policies_reading_every_secret() -> None:
    c = set_input(
        capture(BASELINE),
        "reader",
        "policy",
        document(
            {"Sid": "All", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}
        ),
    )
    set_input(
        c,
        "prefix-reader",
        "policy",
        document(
            {
                "Effect": "Allow",
                "Action": "secretsmanager:*",
                "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:*",
            }
        ),
    )
    set_input(c, "user-s3", "policy", document({"Effect": "Allow", "Action": "*", "Resource": "*"}))
    set_input(
        c,
        "group-list",
        "policy",
        document(
            {
                "Effect": "Allow",
                "Action": "secretsmanager:Get*",
                "NotResource": "arn:aws:secretsmanager:*:*:secret:prod*",
            }
        ),
    )
    set_input(
        c,
        "abac",
        "inlinePolicies.0.policy",
        document({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}),
    )
    report = gate(c)
    assert findings(report, "sec-3") == {
        (IAM, n) for n in ("reader", "prefix-reader", "user-s3", "group-list", "abac")
    }
    by_name = messages(report, IAM)
    assert by_name["reader"] == [
        "aws:iam/policy:Policy 'reader': policy statement All allows secretsmanager:GetSecretValue on *: "
        "secretsmanager:GetSecretValue on every secret; grant it on named secret ARNs."
    ]
    assert (
        "statement 0 allows secretsmanager:* on arn:aws:secretsmanager:us-east-1:123456789012:secret:*"
        in (by_name["prefix-reader"][0])
    )
    assert "allows * on *" in by_name["user-s3"][0]
    assert "on NotResource (every other secret)" in by_name["group-list"][0]
    assert "inlinePolicies[tagged-secrets].policy statement 0" in by_name["abac"][0]


def test_unconditional_deny_in_the_same_document_cancels_the_allow() -> None:
    c = set_input(
        capture(BASELINE),
        "user-s3",
        "policy",
        document(
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*"},
        ),
    )
    assert findings(gate(c), "sec-3") == set()


def test_secret_policy_public_principal_and_block_public_policy() -> None:
    c = set_input(
        capture(BASELINE),
        "secret-policy",
        "policy",
        document(
            {
                "Sid": "Anyone",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
            }
        ),
    )
    set_input(
        c,
        "secret",
        "policy",
        document(
            {"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}
        ),
    )
    report = gate(c)
    assert findings(report, "sec-3") == {(SECRET_POLICY, "secret-policy"), (SECRET_POLICY, "secret")}
    assert messages(report, SECRET_POLICY)["secret-policy"] == [
        "aws:secretsmanager/secretPolicy:SecretPolicy 'secret-policy': policy statement Anyone allows "
        "secretsmanager:GetSecretValue to Principal * without a restricting condition; name the principals."
    ]


def test_block_public_policy_absent_means_false() -> None:
    c = set_input(capture(BASELINE), "secret-policy", "blockPublicPolicy", DELETE)
    report = gate(c)
    assert findings(report, "sec-3") == {(SECRET_POLICY, "secret-policy")}
    assert messages(report, SECRET_POLICY)["secret-policy"] == [
        "aws:secretsmanager/secretPolicy:SecretPolicy 'secret-policy': blockPublicPolicy is not set "
        "(AWS default: false); it must be true."
    ]


def test_remediation_sets_block_public_policy() -> None:
    c = set_input(capture(BASELINE), "secret-policy", "blockPublicPolicy", False)
    report = gate(c, {SECRET_POLICY: {"enforcementLevel": "remediate"}})
    assert findings(report, "sec-3") == set()
    [rem] = [r for r in report.remediations if r.policy == SECRET_POLICY]
    assert (rem.resource_name, rem.before, rem.after) == (
        "secret-policy",
        {"blockPublicPolicy": False},
        {"blockPublicPolicy": True},
    )


def test_gcp_secret_iam_broad_members() -> None:
    c = set_input(capture(BASELINE), "gsm-member", "member", "allUsers")
    set_input(
        c,
        "gsm-binding",
        "members",
        ["serviceAccount:inference@p.iam.gserviceaccount.com", "domain:example.com"],
    )
    set_input(
        c,
        "gsm-policy",
        "policyData",
        json.dumps(
            {"bindings": [{"role": "roles/secretmanager.viewer", "members": ["allAuthenticatedUsers"]}]}
        ),
    )
    report = gate(c)
    assert findings(report, "sec-3") == {
        (GCP_SECRET_IAM, n) for n in ("gsm-member", "gsm-binding", "gsm-policy")
    }
    by_name = messages(report, GCP_SECRET_IAM)
    assert by_name["gsm-member"] == [
        "gcp:secretmanager/secretIamMember:SecretIamMember 'gsm-member': grants roles/secretmanager.secretAccessor "
        "to allUsers; grant it to named service accounts."
    ]
    assert "to domain:example.com;" in by_name["gsm-binding"][0]
    assert "grants roles/secretmanager.viewer to allAuthenticatedUsers" in by_name["gsm-policy"][0]


def test_project_and_organization_wide_secret_access() -> None:
    c = set_input(capture(BASELINE), "project-scoped", "condition", DELETE)
    set_input(c, "project-viewers", "role", "roles/secretmanager.secretAccessor")
    set_input(
        c,
        "project-policy",
        "policyData",
        json.dumps(
            {
                "bindings": [
                    {
                        "role": "roles/secretmanager.admin",
                        "members": ["group:ml@example.com"],
                        "condition": {
                            "title": "business hours",
                            "expression": "request.time.getHours('UTC') < 18",
                        },
                    }
                ]
            }
        ),
    )
    set_input(c, "org-viewer", "role", "roles/secretmanager.secretAccessor")
    report = gate(c)
    assert findings(report, "sec-3") == {
        (GCP_PROJECT, n) for n in ("project-scoped", "project-viewers", "project-policy", "org-viewer")
    }
    by_name = messages(report, GCP_PROJECT)
    assert by_name["project-scoped"] == [
        "gcp:projects/iAMMember:IAMMember 'project-scoped': grants roles/secretmanager.secretAccessor to "
        "serviceAccount:inference@p.iam.gserviceaccount.com on the whole project 'p', so every secret in it is "
        "readable; grant it on the secret or add an IAM condition on resource.name."
    ]
    assert "on the whole organization '123456'" in by_name["org-viewer"][0]


def test_mandatory_in_sandbox_too() -> None:
    c = set_input(capture(BASELINE), "gsm-member", "member", "allUsers")
    report = gate(c, environment="sandbox")
    assert findings(report, "sec-3", level="mandatory") == {(GCP_SECRET_IAM, "gsm-member")}


def test_unknown_policy_document_at_preview_is_reported_not_passed() -> None:
    # The reader policy embeds secret.arn, unknown until the secret exists.
    report = gate(capture(BASELINE, preview_mode=True))
    assert findings(report, "sec-3") == set()
    # Only the unknown document blocks a check: the secret ids of the policies and IAM grants are not read.
    assert unknowns(report, "sec-3") == {(IAM, "reader", "advisory")}
