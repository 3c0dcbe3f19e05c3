"""SecretWiring (AWS): a CMK secret readable only by named workload roles, with Pod Identity bindings."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pydantic import ValidationError

from components._common import CreateKey, ExistingKey, Ownership
from components.aws import ManualRotation, SecretGrant, SecretWiringArgs
from tests.components.aws_helpers import ACCOUNT, KEY_ARN, run, statements
from tests.components.helpers import (
    OWNERSHIP,
    SECRET_SIG,
    children,
    depends_on,
    incident_response,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import findings, gate

INFERENCE = f"arn:aws:iam::{ACCOUNT}:role/inference"
ROTATOR = f"arn:aws:iam::{ACCOUNT}:role/rotator"
WRITER = f"arn:aws:iam::{ACCOUNT}:role/ml-platform-operator"
LAMBDA = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:rotate-openai"
PROCEDURE = "ml-platform rotates the key at the provider every 90 days (runbook RB-12)"
DEFAULT = f"""
SecretWiring("openai", SecretWiringArgs(
    ownership=o, access={{"inference": SecretGrant(principal="{INFERENCE}", role="read"),
                          "operator": SecretGrant(principal="{WRITER}", role="write")}},
    rotation=ManualRotation(procedure="{PROCEDURE}")))
"""
OPTIONS = f"""
SecretWiring("openai", SecretWiringArgs(
    ownership=o, secret_name="ml/openai-api-key", description="OpenAI key of the fraud scorer",
    kms_key=ExistingKey(key="{KEY_ARN}"), recovery_window_days=7,
    access={{"inference": SecretGrant(principal="{INFERENCE}", role="read", pod_identity=PodIdentity(
        cluster_name="ml-platform", service_account=ServiceAccountRef(namespace="serving", name="fraud-scorer"))),
            "batch": SecretGrant(principal="arn:aws:iam::{ACCOUNT}:role/jobs/batch", role="read"),
            "deployer": SecretGrant(principal="{WRITER}", role="write")}},
    rotation=FunctionRotation(function_arn="{LAMBDA}", function_role_arn="{ROTATOR}", after_days=14),
    value=pulumi.Config().require_secret("openai-key"),
    policy_statements=({{"Sid": "DenyOutsideOrg", "Effect": "Deny", "Principal": "*",
                        "Action": "secretsmanager:*", "Resource": "*",
                        "Condition": {{"StringNotEquals": {{"aws:PrincipalOrgID": "o-abc123"}}}}}},)))
"""
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)


def _secret_arn(c: Any) -> str:
    [found] = [r for r in c.resources if r.name == "openai-secret"]
    return str(found.outputs["arn"])


def test_default_children() -> None:
    c = run(DEFAULT)
    assert children(c) == [
        ("aiwarden:aws:Key", "openai-key"),
        ("aiwarden:aws:SecretWiring", "openai"),
        ("aws:iam/policy:Policy", "openai-read"),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "openai-read-inference"),
        ("aws:kms/alias:Alias", "openai-key-alias"),
        ("aws:kms/key:Key", "openai-key-cmk"),
        ("aws:secretsmanager/secret:Secret", "openai-secret"),
        ("aws:secretsmanager/secretPolicy:SecretPolicy", "openai-policy"),
    ]
    for name in ("openai-key", "openai-secret", "openai-policy", "openai-read", "openai-read-inference"):
        assert parent_name(c, name) == "openai"


def test_default_secret_is_under_the_created_key_and_tagged_not_rotatable() -> None:
    c = run(DEFAULT)
    secret = inputs(c, "openai-secret")
    key_arn = secret["kmsKeyId"]
    assert key_arn.startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-")
    assert secret["recoveryWindowInDays"] == 30.0
    assert secret["tags"] == {
        **OWNERSHIP,
        "rotation": "not-supported",
        "aiwarden-exception": ("ml-platform rotates the key at the provider every 90 days runbook RB-12"),
    }
    usage = statements(c, "openai-key-cmk")["KeyUsage"]
    assert usage["Principal"] == {"AWS": [INFERENCE, WRITER]}
    assert usage["Condition"] == {
        "StringEquals": {"kms:ViaService": ["secretsmanager.us-east-1.amazonaws.com"]}
    }


def test_default_secret_policy_names_readers_and_denies_everyone_else() -> None:
    c = run(DEFAULT)
    arn = _secret_arn(c)
    policy = inputs(c, "openai-policy")
    assert policy["blockPublicPolicy"] is True
    assert policy["secretArn"] == arn
    doc = statements(c, "openai-policy")
    assert doc == {
        "AllowNamedReaders": {
            "Sid": "AllowNamedReaders",
            "Effect": "Allow",
            "Principal": {"AWS": [INFERENCE, WRITER]},
            "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            "Resource": arn,
        },
        "DenyOtherReaders": {
            "Sid": "DenyOtherReaders",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": arn,
            "Condition": {"ArnNotEquals": {"aws:PrincipalArn": [INFERENCE, WRITER]}},
        },
    }


def test_default_read_policy_is_this_secret_only_and_attached_to_each_reader() -> None:
    c = run(DEFAULT)
    arn = _secret_arn(c)
    key_arn = inputs(c, "openai-secret")["kmsKeyId"]
    assert statements(c, "openai-read") == {
        "ReadThisSecret": {
            "Sid": "ReadThisSecret",
            "Effect": "Allow",
            "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            "Resource": arn,
        },
        "DecryptThroughSecretsManager": {
            "Sid": "DecryptThroughSecretsManager",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": key_arn,
            "Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}},
        },
    }
    assert inputs(c, "openai-read")["tags"] == OWNERSHIP
    attachment = inputs(c, "openai-read-inference")
    assert attachment["role"] == "inference"
    assert attachment["policyArn"].startswith(f"arn:aws:iam::{ACCOUNT}:policy/openai-read")


def test_default_inventory_record() -> None:
    c = run(DEFAULT)
    entry = inventory(c)["openai-secret"]
    assert (entry["kind"], entry["exposure"], entry["identities"]) == (
        "secret",
        "private",
        [INFERENCE, WRITER],
    )
    ir = incident_response(c)["openai-secret"]
    assert ir["credentialsToRevoke"] == [_secret_arn(c)]
    assert ir["logsToPreserve"] == [f"CloudTrail: secretsmanager GetSecretValue on {_secret_arn(c)}"]


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT)), level="mandatory") == set()


def test_options() -> None:
    c = run(OPTIONS)
    names = [n for _, n in children(c)]
    assert "openai-key" not in names
    for name in ("openai-version", "openai-rotation", "openai-read-batch", "openai-pod-identity-inference"):
        assert name in names
    assert "openai-pod-identity-batch" not in names
    secret = inputs(c, "openai-secret")
    assert (secret["name"], secret["kmsKeyId"], secret["recoveryWindowInDays"]) == (
        "ml/openai-api-key",
        KEY_ARN,
        7.0,
    )
    assert "rotation" not in secret["tags"] and "aiwarden-exception" not in secret["tags"]
    version = inputs(c, "openai-version")["secretString"]
    assert version[SECRET_SIG] == "1b47061264138c4ac30d75fd1eb44270"  # a Pulumi secret on the wire
    assert inputs(c, "openai-rotation") == {
        "secretId": inputs(c, "openai-version")["secretId"],
        "rotationLambdaArn": LAMBDA,
        "rotationRules": {"automaticallyAfterDays": 14.0},
        "rotateImmediately": False,
    }
    assert inputs(c, "openai-read-batch")["role"] == "batch"
    assert inputs(c, "openai-pod-identity-inference") == {
        "clusterName": "ml-platform",
        "namespace": "serving",
        "serviceAccount": "fraud-scorer",
        "roleArn": INFERENCE,
        "tags": OWNERSHIP,
    }
    batch = f"arn:aws:iam::{ACCOUNT}:role/jobs/batch"
    policy = statements(c, "openai-policy")
    assert list(policy) == ["AllowNamedReaders", "DenyOtherReaders", "DenyOutsideOrg"]
    assert policy["AllowNamedReaders"]["Principal"] == {"AWS": [INFERENCE, batch, ROTATOR, WRITER]}
    assert policy["DenyOtherReaders"]["Condition"] == {
        "ArnNotEquals": {"aws:PrincipalArn": [INFERENCE, batch, ROTATOR, WRITER]}
    }
    assert statements(c, "openai-read")["DecryptThroughSecretsManager"]["Resource"] == KEY_ARN
    assert [a for _, a in children(c) if a.startswith("openai-read-")] == [
        "openai-read-batch",
        "openai-read-inference",
    ]
    assert inventory(c)["openai-secret"]["identities"] == [INFERENCE, batch, ROTATOR, WRITER]
    assert findings(gate(c), level="mandatory") == set()


def test_rotation_role_may_use_the_created_key() -> None:
    c = run(f"""
SecretWiring("openai", SecretWiringArgs(ownership=o, access={{"inference": SecretGrant(principal="{INFERENCE}",
                                                                                        role="read")}},
    rotation=FunctionRotation(function_arn="{LAMBDA}", function_role_arn="{ROTATOR}")))
""")
    assert statements(c, "openai-key-cmk")["KeyUsage"]["Principal"] == {"AWS": [INFERENCE, ROTATOR]}
    assert inputs(c, "openai-rotation")["rotationRules"] == {"automaticallyAfterDays": 30.0}
    # No initial value: rotation waits for the secret policy only, and does not rotate at setup either.
    assert inputs(c, "openai-rotation")["rotateImmediately"] is False
    assert {"openai-secret", "openai-policy"} <= depends_on(c, "openai-rotation")


def test_rotation_waits_for_the_initial_version_and_does_not_race_it() -> None:
    """The provider default rotate_immediately=true starts a rotation when rotation is configured, and nothing
    orders it after the initial SecretVersion: the first value would race the rotation's AWSPENDING version."""
    c = run(OPTIONS)
    assert {"openai-version", "openai-policy"} <= depends_on(c, "openai-rotation")
    assert inputs(c, "openai-rotation")["rotateImmediately"] is False


READER = {"inference": SecretGrant(principal=INFERENCE, role="read")}
ACCESS = {**READER, "operator": SecretGrant(principal=WRITER, role="write")}
MANUAL = ManualRotation(procedure=PROCEDURE)


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"value": "sk-live-123"}, ["value is a plain str", "pulumi.Output", "require_secret"]),
        ({"value": b"sk-live-123"}, ["value is a plain bytes"]),
        (
            {"value": pulumi.Output.secret("x"), "access": READER},
            ["access: with `value`, the provider reads back the version", "grant `write`"],
        ),
        (
            {"access": READER},
            ["access: with ManualRotation under a created key", "nobody could put the value"],
        ),
        ({"kms_key": None}, ["kms_key"]),
        ({"kms_key": ExistingKey(key="alias/aws/secretsmanager")}, ["kms_key.key", "not an AWS KMS key ARN"]),
        ({"kms_key": CreateKey(rotation_period_days=7)}, ["kms_key.rotation_period_days"]),
        ({"access": {}}, ["access", "at least 1 item"]),
        (
            {"access": {"all": {"principal": "*", "role": "read"}}},
            ["access.all.principal", "wildcards are refused"],
        ),
        (
            {"access": {"u": {"principal": f"arn:aws:iam::{ACCOUNT}:user/u", "role": "read"}}},
            ["access.u.principal", "is not an IAM role ARN"],
        ),
        (
            {"access": {"i": {"principal": INFERENCE, "role": "use"}}},
            ["access.i.role", "Input should be 'read' or 'write'"],
        ),
        (
            {
                "access": {
                    "i": {
                        "principal": INFERENCE,
                        "role": "read",
                        "pod_identity": {
                            "cluster_name": "ml",
                            "service_account": {"namespace": "Serving", "name": "x"},
                        },
                    }
                }
            },
            ["access.i.pod_identity.service_account.namespace"],
        ),
        ({"rotation": None}, ["rotation"]),
        ({"rotation": {"kind": "manual", "procedure": "later"}}, ["rotation.manual.procedure"]),
        (
            {"rotation": {"kind": "function", "function_arn": "rotate", "function_role_arn": ROTATOR}},
            ["rotation.function.function_arn", "is not a Lambda function ARN"],
        ),
        ({"recovery_window_days": 0}, ["recovery_window_days"]),
        ({"secret_name": "bad name!"}, ["secret_name"]),
        (
            {
                "policy_statements": (
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": "secretsmanager:GetSecretValue",
                        "Resource": "*",
                        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}},
                    },
                )
            },
            ["policy_statements[0]: a wildcard principal may read the secret"],
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    data: dict[str, Any] = {
        "ownership": OWN,
        "access": ACCESS,
        "rotation": MANUAL,
        **changes,
    }
    with pytest.raises(ValidationError) as caught:
        SecretWiringArgs.model_validate(data)
    text = str(caught.value)
    for fragment in fragments:
        assert fragment in text, text
