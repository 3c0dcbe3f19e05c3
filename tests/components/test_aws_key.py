"""Key (AWS): a rotating KMS key with an alias and a key policy limited to named principals."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from components._common import Ownership
from components.aws import KeyArgs
from components.aws.key import ADMIN_ACTIONS, GRANT_ACTIONS, USAGE_ACTIONS
from tests.components.aws_helpers import ROOT_ARN, run, statements
from tests.components.helpers import (
    OWNERSHIP,
    children,
    incident_response,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import findings, gate

APP = "arn:aws:iam::123456789012:role/app"
DEFAULT = f'Key("k", KeyArgs(ownership=o, access={{"app": Grant(principal="{APP}", role="use")}}))'
OPTIONS = f"""
Key("k", KeyArgs(ownership=o, alias="ml/training", description="training data", deletion_window_days=7,
                 rotation_period_days=365, access={{"app": Grant(principal="{APP}", role="use")}}, services=("s3", "secretsmanager"),
                 service_principals=("delivery.logs.amazonaws.com",),
                 policy_statements=({{"Sid": "AuditorDescribe", "Effect": "Allow",
                                      "Principal": {{"AWS": "arn:aws:iam::123456789012:role/auditor"}},
                                      "Action": "kms:DescribeKey", "Resource": "*"}},)))
"""
SERVICES_ONLY = 'Key("k", KeyArgs(ownership=o, services=("aoss",)))'
OWNER = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT)
    assert children(c) == [
        ("aiwarden:aws:Key", "k"),
        ("aws:kms/alias:Alias", "k-alias"),
        ("aws:kms/key:Key", "k-cmk"),
    ]
    assert parent_name(c, "k-cmk") == parent_name(c, "k-alias") == "k"
    key = inputs(c, "k-cmk")
    assert key["enableKeyRotation"] is True  # provider default: false
    assert key["rotationPeriodInDays"] == 90.0
    assert key["deletionWindowInDays"] == 30.0
    assert key["keyUsage"] == "ENCRYPT_DECRYPT"
    assert key["customerMasterKeySpec"] == "SYMMETRIC_DEFAULT"
    assert key["isEnabled"] is True
    assert key["multiRegion"] is False
    assert key["bypassPolicyLockoutSafetyCheck"] is False
    assert key["tags"] == OWNERSHIP
    alias = inputs(c, "k-alias")
    assert alias["name"] == "alias/aiwarden/test/test/k"
    assert alias["targetKeyId"].startswith("mrk-")


def test_default_key_policy_administers_from_the_account_and_lets_named_principals_use() -> None:
    policy = statements(run(DEFAULT), "k-cmk")
    assert list(policy) == ["AccountAdministration", "KeyUsage", "GrantsForAwsResources"]
    admin = policy["AccountAdministration"]
    assert admin["Principal"] == {"AWS": ROOT_ARN}
    assert admin["Action"] == list(ADMIN_ACTIONS)
    assert not {"kms:Decrypt", "kms:Encrypt", "kms:CreateGrant", "kms:*"} & set(admin["Action"])
    assert policy["KeyUsage"] == {
        "Sid": "KeyUsage",
        "Effect": "Allow",
        "Principal": {"AWS": [APP]},
        "Action": list(USAGE_ACTIONS),
        "Resource": "*",
    }
    grants = policy["GrantsForAwsResources"]
    assert grants["Principal"] == {"AWS": [APP]}
    assert grants["Action"] == list(GRANT_ACTIONS)
    assert grants["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def test_key_policy_names_only_actions_a_key_policy_controls() -> None:
    """kms:ListAliases is authorized by IAM policies only (API_ListAliases: "kms:ListAliases (IAM policy)"): in a
    key policy it never applies. ListGrants and RevokeGrant stay under kms:GrantIsForAWSResource, which KMS
    evaluates for CreateGrant, ListGrants and RevokeGrant (grant-authorization), as in the default key policy."""
    policy = statements(run(DEFAULT), "k-cmk")
    actions = [
        a for s in policy.values() for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    ]
    assert not {"kms:ListAliases", "kms:ListKeys", "kms:CreateKey"} & set(actions)
    assert policy["AccountAdministration"]["Action"] == [
        "kms:CancelKeyDeletion",
        "kms:CreateAlias",
        "kms:DeleteAlias",
        "kms:DescribeKey",
        "kms:DisableKey",
        "kms:DisableKeyRotation",
        "kms:EnableKey",
        "kms:EnableKeyRotation",
        "kms:GetKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:ListGrants",
        "kms:ListKeyPolicies",
        "kms:ListKeyRotations",
        "kms:ListResourceTags",
        "kms:PutKeyPolicy",
        "kms:RevokeGrant",
        "kms:RotateKeyOnDemand",
        "kms:ScheduleKeyDeletion",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:UpdateAlias",
        "kms:UpdateKeyDescription",
    ]
    assert policy["GrantsForAwsResources"] == {
        "Sid": "GrantsForAwsResources",
        "Effect": "Allow",
        "Principal": {"AWS": [APP]},
        "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        "Resource": "*",
        "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
    }


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT)), level="mandatory") == set()


def test_default_inventory_record() -> None:
    c = run(DEFAULT)
    entry = inventory(c)["k-cmk"]
    assert (entry["kind"], entry["exposure"], entry["identities"]) == ("encryption-key", "private", [APP])
    assert entry["dataClassification"] == "confidential"
    assert "disable-key" in incident_response(c)["k-cmk"]["containment"]


def test_options_alias_windows_services_and_appended_statements() -> None:
    c = run(OPTIONS)
    key = inputs(c, "k-cmk")
    assert (key["deletionWindowInDays"], key["rotationPeriodInDays"]) == (7.0, 365.0)
    assert key["description"] == "training data"
    assert inputs(c, "k-alias")["name"] == "alias/ml/training"
    policy = statements(c, "k-cmk")
    assert list(policy) == [
        "AccountAdministration",
        "KeyUsage",
        "GrantsForAwsResources",
        "ServiceDataKeys0",
        "AuditorDescribe",
    ]
    via = ["s3.us-east-1.amazonaws.com", "secretsmanager.us-east-1.amazonaws.com"]
    assert policy["KeyUsage"]["Condition"] == {"StringEquals": {"kms:ViaService": via}}
    assert policy["GrantsForAwsResources"]["Condition"] == {
        "StringEquals": {"kms:ViaService": via},
        "Bool": {"kms:GrantIsForAWSResource": "true"},
    }
    assert policy["ServiceDataKeys0"] == {
        "Sid": "ServiceDataKeys0",
        "Effect": "Allow",
        "Principal": {"Service": "delivery.logs.amazonaws.com"},
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
    }


def test_without_grants_usage_is_the_accounts_through_the_service_only() -> None:
    c = run(SERVICES_ONLY)
    usage = statements(c, "k-cmk")["KeyUsage"]
    assert usage["Principal"] == {"AWS": [ROOT_ARN]}
    assert usage["Condition"] == {
        "StringEquals": {
            "kms:ViaService": ["aoss.us-east-1.amazonaws.com"],
            "kms:CallerAccount": "123456789012",
        },
    }
    assert findings(gate(c), level="mandatory") == set()


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"access": {}, "services": ()}, "access", "grant `use` to at least one principal"),
        (
            {"access": {"app": {"principal": "*", "role": "use"}}},
            "access.app.principal",
            "wildcards are refused",
        ),
        (
            {"access": {"app": {"principal": "arn:aws:iam::*:root", "role": "use"}}},
            "access.app.principal",
            "wildcards are refused",
        ),
        (
            {"access": {"app": {"principal": "role/app", "role": "use"}}},
            "access.app.principal",
            "is not an IAM role",
        ),
        (
            {"access": {"App!": {"principal": APP, "role": "use"}}},
            "access.App!",
            "string should match pattern",
        ),
        ({"access": {"app": {"principal": APP, "role": "read"}}}, "access.app.role", "Input should be 'use'"),
        ({"alias": "alias/x"}, "alias", "without the `alias/` prefix"),
        ({"alias": "aws/s3"}, "alias", "not starting with `aws/`"),
        ({"rotation_period_days": 30}, "rotation_period_days", "greater than or equal to 90"),
        ({"deletion_window_days": 0}, "deletion_window_days", "greater than or equal to 7"),
        ({"services": ("S3!",)}, "services", "is not an AWS service prefix"),
        ({"service_principals": ("*",)}, "service_principals", "is not a service principal"),
        (
            {
                "policy_statements": (
                    {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"},
                )
            },
            "policy_statements",
            "policy_statements[0]: a wildcard",
        ),
        (
            {"policy_statements": ({"Effect": "Allow", "Action": "*", "Resource": "*"},)},
            "policy_statements",
            "Allow of every action",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, object], field: str, fragment: str) -> None:
    data: dict[str, object] = {
        "ownership": OWNER,
        "access": {"app": {"principal": APP, "role": "use"}},
        **changes,
    }
    with pytest.raises(ValidationError) as caught:
        KeyArgs.model_validate(data)
    text = str(caught.value)
    assert fragment.lower() in text.lower()
    assert field.split(".")[0] in text
