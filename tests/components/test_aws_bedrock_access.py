"""BedrockAccess (AWS): invoke permissions on named models only, every invocation logged to a locked bucket and a
CMK-encrypted log group, optionally only through a guardrail."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from components._common import Ownership
from components.aws import BedrockAccess, BedrockAccessArgs
from tests.components.aws_helpers import ACCOUNT, KEY_ARN, ROOT_ARN, run, statements
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    example,
    incident_response,
    inputs,
    inventory,
    parent_name,
    readme_example,
)
from tests.harness import findings, gate

APP = f"arn:aws:iam::{ACCOUNT}:role/chat-app"
SONNET_ID = "anthropic.claude-3-5-sonnet-20240620-v1:0"
SONNET = f"arn:aws:bedrock:us-east-1::foundation-model/{SONNET_ID}"
PROFILE = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/us.{SONNET_ID}"
ROUTES = tuple(f"arn:aws:bedrock:{r}::foundation-model/{SONNET_ID}" for r in ("us-east-1", "us-west-2"))
MODELS = f'models={{"sonnet": BedrockModel(arn="{SONNET}")}}'
ACCESS = f'access={{"app": Grant(principal="{APP}", role="invoke")}}'
DEFAULT = f'BedrockAccess("chat", BedrockAccessArgs(ownership=o, {MODELS}, {ACCESS}))'
GROUP = "/aiwarden/test/test/chat/bedrock-invocations"
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{GROUP}"
BEDROCK_SOURCE = {
    "StringEquals": {"aws:SourceAccount": ACCOUNT},
    "ArnLike": {"aws:SourceArn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:*"},
}
INVOKE = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="x"
)
#: The children of the invocation log bucket (a LockedBucket under the component's key: it creates no key).
LOG_BUCKET = [
    ("aiwarden:aws:LockedBucket", "chat-logs"),
    ("aws:s3/bucket:Bucket", "chat-logs-access-logs"),
    ("aws:s3/bucket:Bucket", "chat-logs-bucket"),
    ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "chat-logs-access-logs-lifecycle"),
    ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "chat-logs-lifecycle"),
    ("aws:s3/bucketLogging:BucketLogging", "chat-logs-logging"),
    ("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "chat-logs-object-lock"),
    ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "chat-logs-access-logs-ownership"),
    ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "chat-logs-ownership"),
    ("aws:s3/bucketPolicy:BucketPolicy", "chat-logs-access-logs-policy"),
    ("aws:s3/bucketPolicy:BucketPolicy", "chat-logs-policy"),
    ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "chat-logs-access-logs-public-access-block"),
    ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "chat-logs-public-access-block"),
    (
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "chat-logs-access-logs-encryption",
    ),
    (
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "chat-logs-encryption",
    ),
    ("aws:s3/bucketVersioning:BucketVersioning", "chat-logs-access-logs-versioning"),
    ("aws:s3/bucketVersioning:BucketVersioning", "chat-logs-versioning"),
]


def _access(body: str) -> str:
    return f'BedrockAccess("chat", BedrockAccessArgs(ownership=o, {MODELS}, {ACCESS}, {body}))'


def _output(c: Any, name: str, key: str) -> Any:
    return next(r for r in c.resources if r.name == name).outputs[key]


def test_default_children() -> None:
    c = run(DEFAULT)
    own = [
        ("aiwarden:aws:BedrockAccess", "chat"),
        ("aiwarden:aws:Key", "chat-key"),
        ("aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration", "chat-logging"),
        ("aws:cloudwatch/logGroup:LogGroup", "chat-log-group"),
        ("aws:iam/policy:Policy", "chat-invoke-policy"),
        ("aws:iam/role:Role", "chat-logging-role"),
        ("aws:iam/rolePolicy:RolePolicy", "chat-logging-delivery"),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "chat-invoke-app"),
        ("aws:kms/alias:Alias", "chat-key-alias"),
        ("aws:kms/key:Key", "chat-key-cmk"),
    ]
    assert children(c) == sorted(own + LOG_BUCKET)
    direct = {
        "chat-key",
        "chat-logs",
        "chat-logging",
        "chat-log-group",
        "chat-invoke-policy",
        "chat-logging-role",
    }
    assert {parent_name(c, n) for n in direct | {"chat-logging-delivery", "chat-invoke-app"}} == {"chat"}


def test_default_invoke_policy_names_the_models_only() -> None:
    c = run(DEFAULT)
    assert statements(c, "chat-invoke-policy") == {
        "InvokeNamedModels": {
            "Sid": "InvokeNamedModels",
            "Effect": "Allow",
            "Action": INVOKE,
            "Resource": [SONNET],
        }
    }
    assert inputs(c, "chat-invoke-app") == {
        "role": "chat-app",
        "policyArn": _output(c, "chat-invoke-policy", "arn"),
    }


def test_default_logging_sends_every_modality_to_the_bucket_and_the_group() -> None:
    c = run(DEFAULT)
    bucket = _output(c, "chat-logs-bucket", "bucket")
    assert inputs(c, "chat-logging") == {
        "loggingConfig": {
            "s3Config": {"bucketName": bucket, "keyPrefix": "bedrock"},
            "cloudwatchConfig": {"logGroupName": GROUP, "roleArn": _output(c, "chat-logging-role", "arn")},
            "textDataDeliveryEnabled": True,
            "imageDataDeliveryEnabled": True,
            "embeddingDataDeliveryEnabled": True,
            "videoDataDeliveryEnabled": True,
        }
    }
    logging = next(r for r in c.resources if r.name == "chat-logging")
    assert logging.options.get("retainOnDelete") and logging.options.get("protect")
    assert {"chat-logs-policy", "chat-logs-encryption", "chat-logging-delivery"} <= depends_on(
        c, "chat-logging"
    )


def test_default_log_group_is_encrypted_retained_and_written_by_bedrock_only() -> None:
    c = run(DEFAULT)
    key_arn = _output(c, "chat-key-cmk", "arn")
    assert inputs(c, "chat-log-group") == {
        "name": GROUP,
        "kmsKeyId": key_arn,
        "retentionInDays": 365.0,
        "deletionProtectionEnabled": True,
        "tags": OWNERSHIP,
    }
    trust = json.loads(inputs(c, "chat-logging-role")["assumeRolePolicy"])["Statement"]
    assert trust == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "bedrock.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": BEDROCK_SOURCE,
        }
    ]
    assert statements(c, "chat-logging-delivery") == {
        "WriteTheInvocationLogStream": {
            "Sid": "WriteTheInvocationLogStream",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{GROUP_ARN}:log-stream:aws/bedrock/modelinvocations",
        }
    }


def test_default_log_bucket_is_locked_under_the_component_key_and_bedrock_may_write() -> None:
    c = run(DEFAULT)
    key_arn = _output(c, "chat-key-cmk", "arn")
    bucket = _output(c, "chat-logs-bucket", "bucket")
    rule = inputs(c, "chat-logs-encryption")["rules"][0]["applyServerSideEncryptionByDefault"]
    assert rule == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn}
    assert inputs(c, "chat-logs-object-lock")["rule"] == {
        "defaultRetention": {"mode": "GOVERNANCE", "days": 365.0}
    }
    policy = statements(c, "chat-logs-policy")
    assert list(policy) == [
        "DenyInsecureTransport",
        "DenyOutdatedTls",
        "DenyOtherEncryption",
        "DenyOtherKeys",
        "BedrockDeliversInvocationLogs",
    ]
    assert policy["DenyOtherKeys"]["Condition"] == {
        "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn}
    }
    assert policy["BedrockDeliversInvocationLogs"] == {
        "Sid": "BedrockDeliversInvocationLogs",
        "Effect": "Allow",
        "Principal": {"Service": "bedrock.amazonaws.com"},
        "Action": "s3:PutObject",
        "Condition": BEDROCK_SOURCE,
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
    }


def test_default_key_lets_cloudwatch_logs_and_bedrock_encrypt_the_logs_only() -> None:
    policy = statements(run(DEFAULT), "chat-key-cmk")
    assert list(policy) == [
        "AccountAdministration",
        "KeyUsage",
        "GrantsForAwsResources",
        "CloudWatchLogsEncryptsTheInvocationLogs",
        "BedrockEncryptsInvocationLogObjects",
    ]
    assert policy["KeyUsage"]["Principal"] == {"AWS": [ROOT_ARN]}
    assert policy["KeyUsage"]["Condition"]["StringEquals"]["kms:ViaService"] == [
        "s3.us-east-1.amazonaws.com",
        "bedrock.us-east-1.amazonaws.com",
    ]
    logs = policy["CloudWatchLogsEncryptsTheInvocationLogs"]
    assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert logs["Condition"] == {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": GROUP_ARN}}
    assert policy["BedrockEncryptsInvocationLogObjects"] == {
        "Sid": "BedrockEncryptsInvocationLogObjects",
        "Effect": "Allow",
        "Principal": {"Service": "bedrock.amazonaws.com"},
        "Action": "kms:GenerateDataKey",
        "Resource": "*",
        "Condition": BEDROCK_SOURCE,
    }


def test_default_inventory_and_what_to_revoke_when_a_caller_leaks() -> None:
    c = run(DEFAULT)
    entry = inventory(c)["chat"]
    assert (entry["kind"], entry["exposure"], entry["identities"]) == ("ai-identity", "private", [APP])
    ir = incident_response(c)["chat"]
    bucket = _output(c, "chat-logs-bucket", "bucket")
    assert ir["credentialsToRevoke"] == [_output(c, "chat-invoke-policy", "arn"), APP]
    assert ir["bucketsToInspect"] == [bucket]
    assert ir["logsToPreserve"][:2] == [
        f"s3://{bucket}/bedrock/AWSLogs/{ACCOUNT}/BedrockModelInvocationLogs/",
        f"CloudWatch Logs {GROUP}",
    ]
    assert "Detach chat-invoke-policy" in ir["containment"]


def test_default_has_zero_findings_with_the_stack_audit_trail() -> None:
    assert findings(gate(run(DEFAULT, trail=True))) == set()


def test_guardrail_is_required_on_every_call() -> None:
    c = run(_access("guardrail=BedrockGuardrail()"))
    assert children(c) == sorted(
        [
            *children(run(DEFAULT)),
            ("aws:bedrock/guardrail:Guardrail", "chat-guardrail"),
            ("aws:bedrock/guardrailVersion:GuardrailVersion", "chat-guardrail-version"),
        ]
    )
    guardrail_arn = _output(c, "chat-guardrail", "guardrailArn")
    pinned = f"{guardrail_arn}:{_output(c, 'chat-guardrail-version', 'version')}"
    key_arn = _output(c, "chat-key-cmk", "arn")
    assert statements(c, "chat-invoke-policy") == {
        "InvokeNamedModels": {
            "Sid": "InvokeNamedModels",
            "Effect": "Allow",
            "Action": INVOKE,
            "Resource": [SONNET],
            "Condition": {"StringEquals": {"bedrock:GuardrailIdentifier": pinned}},
        },
        "DenyCallsWithoutTheGuardrail": {
            "Sid": "DenyCallsWithoutTheGuardrail",
            "Effect": "Deny",
            "Action": INVOKE,
            "Resource": [SONNET],
            "Condition": {"StringNotEquals": {"bedrock:GuardrailIdentifier": pinned}},
        },
        "ApplyTheGuardrail": {
            "Sid": "ApplyTheGuardrail",
            "Effect": "Allow",
            "Action": "bedrock:ApplyGuardrail",
            "Resource": guardrail_arn,
        },
        "DecryptTheGuardrail": {
            "Sid": "DecryptTheGuardrail",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": key_arn,
            "Condition": {"StringEquals": {"kms:ViaService": "bedrock.us-east-1.amazonaws.com"}},
        },
    }
    guardrail = inputs(c, "chat-guardrail")
    assert guardrail["kmsKeyArn"] == key_arn
    filters = {
        f["type"]: (f["inputStrength"], f["outputStrength"])
        for f in guardrail["contentPolicyConfig"]["filtersConfigs"]
    }
    assert filters == {
        "SEXUAL": ("HIGH", "HIGH"),
        "VIOLENCE": ("HIGH", "HIGH"),
        "HATE": ("HIGH", "HIGH"),
        "INSULTS": ("HIGH", "HIGH"),
        "MISCONDUCT": ("HIGH", "HIGH"),
        "PROMPT_ATTACK": ("HIGH", "NONE"),
    }
    assert guardrail["sensitiveInformationPolicyConfig"]["piiEntitiesConfigs"] == [
        {"type": "AWS_ACCESS_KEY", "action": "BLOCK"},
        {"type": "AWS_SECRET_KEY", "action": "BLOCK"},
        {"type": "PASSWORD", "action": "BLOCK"},
    ]
    assert guardrail["tags"] == OWNERSHIP
    assert inputs(c, "chat-guardrail-version")["guardrailArn"] == guardrail_arn
    assert incident_response(c)["chat"]["credentialsToRevoke"][-1] == guardrail_arn
    assert findings(gate(run(_access("guardrail=BedrockGuardrail()"), trail=True))) == set()


def test_guardrail_settings_change_publishes_a_new_version() -> None:
    first = inputs(run(_access("guardrail=BedrockGuardrail()")), "chat-guardrail-version")["description"]
    stricter = run(_access('guardrail=BedrockGuardrail(sensitive_information={"EMAIL": "ANONYMIZE"})'))
    assert inputs(stricter, "chat-guardrail-version")["description"] != first


def test_inference_profile_models_are_reachable_only_through_the_profile() -> None:
    routes = ", ".join(f'"{r}"' for r in ROUTES)
    models = f'models={{"sonnet": BedrockModel(arn="{PROFILE}", routes_to=({routes},))}}'
    c = run(f'BedrockAccess("chat", BedrockAccessArgs(ownership=o, {models}, {ACCESS}))')
    assert statements(c, "chat-invoke-policy") == {
        "InvokeNamedModels": {
            "Sid": "InvokeNamedModels",
            "Effect": "Allow",
            "Action": INVOKE,
            "Resource": [PROFILE],
        },
        "InvokeThroughSonnet": {
            "Sid": "InvokeThroughSonnet",
            "Effect": "Allow",
            "Action": INVOKE,
            "Resource": list(ROUTES),
            "Condition": {"StringEquals": {"bedrock:InferenceProfileArn": PROFILE}},
        },
    }


def test_without_managed_logging_the_stack_registers_no_logging_and_log1_says_so() -> None:
    c = run(_access(f'manage_logging=False, kms_key=ExistingKey(key="{KEY_ARN}")'))
    assert children(c) == [
        ("aiwarden:aws:BedrockAccess", "chat"),
        ("aws:iam/policy:Policy", "chat-invoke-policy"),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "chat-invoke-app"),
    ]
    assert findings(
        gate(run(_access(f'manage_logging=False, kms_key=ExistingKey(key="{KEY_ARN}")'), trail=True))
    ) == {("log-1-bedrock-invocation-logging", "stack")}


def test_existing_key_encrypts_the_bucket_and_the_group() -> None:
    c = run(_access(f'kms_key=ExistingKey(key="{KEY_ARN}")'))
    assert not [n for _, n in children(c) if n.startswith("chat-key")]
    assert inputs(c, "chat-log-group")["kmsKeyId"] == KEY_ARN
    rule = inputs(c, "chat-logs-encryption")["rules"][0]["applyServerSideEncryptionByDefault"]
    assert rule["kmsMasterKeyId"] == KEY_ARN


def test_sandbox_log_groups_and_logging_are_not_protected() -> None:
    c = run(
        'o = Ownership(owner="ml-platform", environment="sandbox", data_classification="internal", purpose="x")\n'
        + DEFAULT
    )
    assert inputs(c, "chat-log-group")["deletionProtectionEnabled"] is False
    assert not next(r for r in c.resources if r.name == "chat-logging").options.get("protect")


def _args(**fields: Any) -> BedrockAccessArgs:
    base: dict[str, Any] = {
        "ownership": OWN,
        "models": {"sonnet": {"arn": SONNET}},
        "access": {"app": {"principal": APP, "role": "invoke"}},
    }
    return BedrockAccessArgs.model_validate({**base, **fields})


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"models": {}}, "at least 1 item"),
        (
            {"models": {"all": {"arn": "arn:aws:bedrock:us-east-1::foundation-model/*"}}},
            "wildcards are refused",
        ),
        ({"models": {"all": {"arn": "*"}}}, "wildcards are refused"),
        ({"models": {"x": {"arn": "arn:aws:s3:::bucket"}}}, "is not a Bedrock foundation-model"),
        ({"models": {"p": {"arn": PROFILE}}}, "routes_to: an inference profile invokes a foundation model"),
        (
            {
                "models": {
                    "p": {
                        "arn": PROFILE,
                        "routes_to": ["arn:aws:bedrock:us-west-2::foundation-model/amazon.x:0"],
                    }
                }
            },
            "is not the profile's model",
        ),
        ({"models": {"s": {"arn": SONNET, "routes_to": list(ROUTES)}}}, "only inference profiles route"),
        (
            {
                "models": {
                    "p": {"arn": PROFILE, "routes_to": ["arn:aws:bedrock:*::foundation-model/" + SONNET_ID]}
                }
            },
            "wildcards are refused",
        ),
        ({"access": {}}, "at least 1 item"),
        ({"access": {"all": {"principal": "*", "role": "invoke"}}}, "wildcards are refused"),
        (
            {"access": {"u": {"principal": f"arn:aws:iam::{ACCOUNT}:user/bob", "role": "invoke"}}},
            "an IAM role ARN",
        ),
        ({"access": {"a": {"principal": APP, "role": "read"}}}, "'invoke'"),
        ({"log_retention_days": 100}, "is not a CloudWatch Logs retention"),
        (
            {"kms_key": {"kind": "existing", "key": "arn:aws:kms:us-east-1:123456789012:alias/x"}},
            "not an AWS KMS key ARN",
        ),
        (
            {"kms_key": {"kind": "create", "deletion_window_days": 7}},
            "production keys keep destroyed versions",
        ),
        ({"guardrail": {"content_filters": {}}}, "at least 1 item"),
        ({"guardrail": {"sensitive_information": {"EMAIL": "NONE"}}}, "'BLOCK' or 'ANONYMIZE'"),
    ],
)
def test_bad_input_is_refused_before_registration(fields: dict[str, Any], expected: str) -> None:
    with pytest.raises(ValidationError) as raised:
        _args(**fields)
    assert expected in str(raised.value)


def test_a_name_too_long_for_a_guardrail_is_refused_before_registration() -> None:
    with pytest.raises(ValueError, match="32 characters at most"):
        BedrockAccess("n" * 33, _args(guardrail={}))


def test_example_is_the_readme_example_and_passes_the_gate() -> None:
    c, code = example("aws-bedrock-access")
    assert code == readme_example("aws/bedrock_access.md")
    assert c.error is None
    assert findings(gate(c)) == set()
