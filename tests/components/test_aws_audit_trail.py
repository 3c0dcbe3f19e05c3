"""AuditTrail (AWS): multi-region, validated, KMS-encrypted CloudTrail into a locked, access-logged bucket; CloudWatch
Logs delivery; S3 data events."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import ValidationError

from components._common import CreateKey, ExistingKey, Ownership
from components.aws import ObjectLock
from components.aws.audit_trail import (
    AuditTrailArgs,
    CloudWatchDelivery,
    CreateTrailBucket,
    NoCloudWatchDelivery,
)
from tests.components.aws_helpers import ACCOUNT, KEY_ARN, ROOT_ARN, run, statements
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import findings, gate

IMPORT = "from components.aws.audit_trail import *\n"
DEFAULT = IMPORT + 'AuditTrail("trail", AuditTrailArgs(ownership=o))'
#: The trail name the default derives from the test project/stack.
TRAIL_NAME = "aiwarden-test-test-trail"
TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{TRAIL_NAME}"
#: A dataset and the trail that records it: LOG-1's stack-level requirement, met by the component.
WITH_DATASET = (
    IMPORT
    + """
data = LockedBucket("data", LockedBucketArgs(ownership=o))
AuditTrail("trail", AuditTrailArgs(ownership=o, dataset_buckets={
    "data": data.bucket.bucket, "data-access-logs": data.log_bucket.bucket}))
"""
)
CLOUDWATCH = (
    IMPORT
    + 'AuditTrail("trail", AuditTrailArgs(ownership=o, cloudwatch_logs=CloudWatchDelivery(retention_days=731), '
    "sagemaker_data_events=True, bedrock_data_events=True))"
)
EXISTING = (
    IMPORT
    + f'AuditTrail("trail", AuditTrailArgs(ownership=o, trail_name="org-ml", kms_key=ExistingKey(key="{KEY_ARN}"), '
    'log_bucket=ExistingTrailBucket(bucket="org-log-archive")))'
)
OPT_OUT = "The organization trail delivers to the central SIEM log group (SEC-77, until 2026-12)"
NO_CLOUDWATCH = (
    IMPORT + f'AuditTrail("trail", AuditTrailArgs(ownership=o, cloudwatch_logs=NoCloudWatchDelivery('
    f'justification="{OPT_OUT}")))'
)
GROUP = f"/aiwarden/cloudtrail/{TRAIL_NAME}"
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{GROUP}"
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)


def _bucket(c: Any, name: str) -> str:
    [found] = [r for r in c.resources if r.name == name]
    return str(found.outputs["bucket"])


def _key_arn(c: Any) -> str:
    return str(inputs(c, "trail-trail")["kmsKeyId"])


def test_default_children() -> None:
    c = run(DEFAULT)
    expected = [
        ("aiwarden:aws:AuditTrail", "trail"),
        ("aiwarden:aws:Key", "trail-key"),
        ("aws:cloudtrail/trail:Trail", "trail-trail"),
        ("aws:cloudwatch/logGroup:LogGroup", "trail-log-group"),
        ("aws:iam/role:Role", "trail-cloudwatch-role"),
        ("aws:iam/rolePolicy:RolePolicy", "trail-cloudwatch-delivery"),
        ("aws:kms/alias:Alias", "trail-key-alias"),
        ("aws:kms/key:Key", "trail-key-cmk"),
        ("aws:s3/bucket:Bucket", "trail-access-logs"),
        ("aws:s3/bucket:Bucket", "trail-bucket"),
        (
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "trail-access-logs-lifecycle",
        ),
        ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "trail-lifecycle"),
        ("aws:s3/bucketLogging:BucketLogging", "trail-logging"),
        ("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "trail-object-lock"),
        ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "trail-access-logs-ownership"),
        ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "trail-ownership"),
        ("aws:s3/bucketPolicy:BucketPolicy", "trail-access-logs-policy"),
        ("aws:s3/bucketPolicy:BucketPolicy", "trail-policy"),
        ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "trail-access-logs-public-access-block"),
        ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "trail-public-access-block"),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "trail-access-logs-encryption",
        ),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "trail-encryption",
        ),
        ("aws:s3/bucketVersioning:BucketVersioning", "trail-access-logs-versioning"),
        ("aws:s3/bucketVersioning:BucketVersioning", "trail-versioning"),
    ]
    assert children(c) == expected
    assert {
        parent_name(c, n) for _, n in expected if n not in ("trail", "trail-key-cmk", "trail-key-alias")
    } == {"trail"}


def test_default_trail_is_multi_region_validated_encrypted_and_records_management_events() -> None:
    c = run(DEFAULT)
    trail = inputs(c, "trail-trail")
    assert trail == {
        "name": TRAIL_NAME,
        "s3BucketName": _bucket(c, "trail-bucket"),
        "isMultiRegionTrail": True,
        "includeGlobalServiceEvents": True,
        "isOrganizationTrail": False,
        "enableLogFileValidation": True,
        "enableLogging": True,
        "kmsKeyId": _key_arn(c),
        "advancedEventSelectors": [
            {
                "name": "Management events",
                "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}],
            },
            {
                "name": "S3 object reads of the trail's log buckets",
                "fieldSelectors": [
                    {"field": "eventCategory", "equals": ["Data"]},
                    {"field": "resources.type", "equals": ["AWS::S3::Object"]},
                    {"field": "readOnly", "equals": ["true"]},
                    {
                        "field": "resources.ARN",
                        "startsWiths": [
                            f"arn:aws:s3:::{_bucket(c, 'trail-bucket')}/",
                            f"arn:aws:s3:::{_bucket(c, 'trail-access-logs')}/",
                        ],
                    },
                ],
            },
        ],
        "cloudWatchLogsGroupArn": f"{GROUP_ARN}:*",
        "cloudWatchLogsRoleArn": f"arn:aws:iam::{ACCOUNT}:role/{_role(c)}",
        "tags": OWNERSHIP,
    }
    assert _key_arn(c).startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-")
    assert {
        "trail-policy",
        "trail-object-lock",
        "trail-key-cmk",
        "trail-log-group",
        "trail-cloudwatch-delivery",
    } <= depends_on(c, "trail-trail")


def test_default_log_bucket_is_locked_and_only_cloudtrail_writes() -> None:
    c = run(DEFAULT)
    name = _bucket(c, "trail-bucket")
    arn = f"arn:aws:s3:::{name}"
    assert inputs(c, "trail-bucket") == {"forceDestroy": False, "objectLockEnabled": True, "tags": OWNERSHIP}
    assert sorted(r.name for r in c.resources if r.options.get("protect")) == [
        "trail-access-logs",
        "trail-bucket",
    ]  # production evidence
    assert inputs(c, "trail-object-lock")["rule"] == {
        "defaultRetention": {"mode": "GOVERNANCE", "days": 365.0}
    }
    assert inputs(c, "trail-public-access-block") == {
        "bucket": name,
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    assert inputs(c, "trail-encryption")["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": _key_arn(c)},
            "bucketKeyEnabled": True,
            "blockedEncryptionTypes": ["SSE-C"],
        }
    ]
    assert inputs(c, "trail-ownership")["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    rule = inputs(c, "trail-lifecycle")["rules"][0]
    assert (rule["expiration"], rule["noncurrentVersionExpiration"]) == (
        {"days": 400.0},
        {"noncurrentDays": 30.0},
    )
    policy = statements(c, "trail-policy")
    assert list(policy) == [
        "DenyInsecureTransport",
        "CloudTrailAclCheck",
        "CloudTrailDelivery",
        "DenyOtherWriters",
        "DenyLogDeletion",
    ]
    assert policy["CloudTrailAclCheck"] == {
        "Sid": "CloudTrailAclCheck",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "s3:GetBucketAcl",
        "Resource": arn,
        "Condition": {"StringEquals": {"aws:SourceArn": TRAIL_ARN}},
    }
    assert policy["CloudTrailDelivery"]["Resource"] == f"{arn}/AWSLogs/{ACCOUNT}/*"
    assert policy["CloudTrailDelivery"]["Condition"] == {
        "StringEquals": {"aws:SourceArn": TRAIL_ARN, "s3:x-amz-acl": "bucket-owner-full-control"}
    }
    assert policy["DenyOtherWriters"]["Condition"] == {
        "StringNotEquals": {"aws:PrincipalServiceName": "cloudtrail.amazonaws.com"}
    }
    assert policy["DenyLogDeletion"] == {
        "Sid": "DenyLogDeletion",
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"],
        "Resource": f"{arn}/*",
    }


def test_default_key_policy_works_with_the_bucket_key() -> None:
    """With an S3 Bucket Key, KMS sees the bucket ARN as encryption context, never aws:cloudtrail:arn, and CloudTrail
    needs kms:Decrypt: CloudTrail is limited to this trail by aws:SourceArn, readers decrypt through S3."""
    c = run(DEFAULT)
    assert inputs(c, "trail-encryption")["rules"][0]["bucketKeyEnabled"] is True
    policy = statements(c, "trail-key-cmk")
    assert list(policy) == [
        "AccountAdministration",
        "KeyUsage",
        "GrantsForAwsResources",
        "CloudTrailEncryptsThisTrail",
        "CloudTrailDecryptsForTheBucketKey",
        "CloudTrailDescribesKey",
        "CloudWatchLogsEncryptsTheTrailGroup",
    ]
    assert policy["KeyUsage"]["Principal"] == {"AWS": [ROOT_ARN]}
    assert policy["KeyUsage"]["Condition"] == {
        "StringEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com"], "kms:CallerAccount": ACCOUNT}
    }
    this_trail = {"StringEquals": {"aws:SourceArn": TRAIL_ARN}}
    cloudtrail = {"Service": "cloudtrail.amazonaws.com"}
    assert policy["CloudTrailEncryptsThisTrail"] == {
        "Sid": "CloudTrailEncryptsThisTrail",
        "Effect": "Allow",
        "Principal": cloudtrail,
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": this_trail,
    }
    assert policy["CloudTrailDecryptsForTheBucketKey"] == {
        "Sid": "CloudTrailDecryptsForTheBucketKey",
        "Effect": "Allow",
        "Principal": cloudtrail,
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": this_trail,
    }
    assert policy["CloudTrailDescribesKey"] == {
        "Sid": "CloudTrailDescribesKey",
        "Effect": "Allow",
        "Principal": cloudtrail,
        "Action": "kms:DescribeKey",
        "Resource": "*",
        "Condition": this_trail,
    }
    assert policy["CloudWatchLogsEncryptsTheTrailGroup"] == {
        "Sid": "CloudWatchLogsEncryptsTheTrailGroup",
        "Effect": "Allow",
        "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*",
        "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": GROUP_ARN}},
    }
    text = json.dumps(policy)
    assert "kms:EncryptionContext:aws:cloudtrail:arn" not in text  # never present with a Bucket Key


def test_default_trail_bucket_is_access_logged_into_an_sse_s3_bucket() -> None:
    """CIS AWS 3.6: S3 server access logging on the CloudTrail bucket, into a bucket S3 can deliver to (SSE-S3)."""
    c = run(DEFAULT)
    source, logs = _bucket(c, "trail-bucket"), _bucket(c, "trail-access-logs")
    assert inputs(c, "trail-logging") == {
        "bucket": source,
        "targetBucket": logs,
        "targetPrefix": "s3-access/",
        "targetObjectKeyFormat": {"partitionedPrefix": {"partitionDateSource": "EventTime"}},
    }
    assert "trail-access-logs-policy" in depends_on(c, "trail-logging")
    # No Object Lock: S3 delivers no server access logs to a bucket with it; the policy denies deletes instead.
    assert inputs(c, "trail-access-logs") == {
        "forceDestroy": False,
        "objectLockEnabled": False,
        "tags": OWNERSHIP,
    }
    assert inputs(c, "trail-access-logs-encryption")["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"},
            "bucketKeyEnabled": False,
            "blockedEncryptionTypes": ["SSE-C"],
        }
    ]
    assert inputs(c, "trail-access-logs-public-access-block") == {
        "bucket": logs,
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    assert inputs(c, "trail-access-logs-versioning")["versioningConfiguration"] == {"status": "Enabled"}
    assert inputs(c, "trail-access-logs-ownership")["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    rule = inputs(c, "trail-access-logs-lifecycle")["rules"][0]
    assert (rule["expiration"], rule["noncurrentVersionExpiration"]) == (
        {"days": 400.0},
        {"noncurrentDays": 30.0},
    )
    policy = statements(c, "trail-access-logs-policy")
    assert list(policy) == ["DenyInsecureTransport", "AllowServerAccessLogDelivery", "DenyLogDeletion"]
    assert policy["DenyLogDeletion"] == {
        "Sid": "DenyLogDeletion",
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"],
        "Resource": f"arn:aws:s3:::{logs}/*",
    }
    assert policy["AllowServerAccessLogDelivery"] == {
        "Sid": "AllowServerAccessLogDelivery",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{logs}/s3-access/*",
        "Condition": {
            "ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{source}"},
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
        },
    }
    assert sorted(r.name for r in c.resources if r.options.get("protect")) == [
        "trail-access-logs",
        "trail-bucket",
    ]


def test_default_records_no_inventory_entry_but_its_key() -> None:
    assert set(inventory(run(DEFAULT))) == {"trail-key-cmk"}


def test_default_has_zero_findings_in_both_modes() -> None:
    assert findings(gate(run(DEFAULT))) == set()
    assert findings(gate(run(DEFAULT, preview_mode=True)), level="mandatory") == set()


def test_dataset_buckets_get_read_and_write_data_events_and_meet_log_1() -> None:
    c = run(WITH_DATASET)
    data, logs = _bucket(c, "data-bucket"), _bucket(c, "data-access-logs")
    selector = inputs(c, "trail-trail")["advancedEventSelectors"][1]
    assert selector == {
        "name": "S3 object data events of the datasets",
        "fieldSelectors": [
            {"field": "eventCategory", "equals": ["Data"]},
            {"field": "resources.type", "equals": ["AWS::S3::Object"]},
            {"field": "resources.ARN", "startsWiths": [f"arn:aws:s3:::{data}/", f"arn:aws:s3:::{logs}/"]},
        ],
    }
    assert findings(gate(c), level="mandatory") == set()
    assert findings(gate(run(WITH_DATASET, preview_mode=True)), level="mandatory") == set()


def test_a_dataset_the_trail_does_not_record_is_a_log_1_finding() -> None:
    c = run(
        IMPORT
        + 'LockedBucket("data", LockedBucketArgs(ownership=o))\nAuditTrail("trail", AuditTrailArgs(ownership=o))'
    )
    assert findings(gate(c), level="mandatory") == {
        ("log-1-cloudtrail-audit-trail", "data-bucket"),
        ("data-3-s3-bucket-access-logging", "data-access-logs"),
    }


def test_cloudwatch_delivery_is_on_by_default() -> None:
    """CIS AWS 3.4: a CMK-encrypted log group with retention, a role CloudTrail assumes with CreateLogStream /
    PutLogEvents on that group only, the group ARN with the log stream wildcard."""
    c = run(DEFAULT)
    assert inputs(c, "trail-log-group") == {
        "name": GROUP,
        "kmsKeyId": _key_arn(c),
        "retentionInDays": 400.0,
        "deletionProtectionEnabled": True,
        "tags": OWNERSHIP,
    }
    assert "trail-key-cmk" in depends_on(c, "trail-log-group")  # the key policy lets CloudWatch Logs use it
    # No aws:SourceArn: CloudTrail documents that confused deputy conditions do not apply to this role.
    assert json.loads(inputs(c, "trail-cloudwatch-role")["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    assert statements(c, "trail-cloudwatch-delivery") == {
        "DeliverToTheTrailGroup": {
            "Sid": "DeliverToTheTrailGroup",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{GROUP_ARN}:log-stream:*",
        }
    }
    trail = inputs(c, "trail-trail")
    assert (trail["cloudWatchLogsGroupArn"], trail["cloudWatchLogsRoleArn"]) == (
        f"{GROUP_ARN}:*",
        f"arn:aws:iam::{ACCOUNT}:role/{_role(c)}",
    )


def test_cloudwatch_options_and_ai_data_events() -> None:
    c = run(CLOUDWATCH)
    assert inputs(c, "trail-log-group")["retentionInDays"] == 731.0
    trail = inputs(c, "trail-trail")
    types = [s["fieldSelectors"][1]["equals"][0] for s in trail["advancedEventSelectors"][2:]]
    assert types == [
        "AWS::SageMaker::Endpoint",
        "AWS::SageMaker::FeatureStore",
        "AWS::Bedrock::AgentAlias",
        "AWS::Bedrock::FlowAlias",
        "AWS::Bedrock::Guardrail",
        "AWS::Bedrock::KnowledgeBase",
    ]
    assert findings(gate(c)) == set()


def test_cloudwatch_opt_out_is_by_name_with_a_reason_on_the_trail() -> None:
    c = run(NO_CLOUDWATCH)
    names = {n for _, n in children(c)}
    assert not {"trail-log-group", "trail-cloudwatch-role", "trail-cloudwatch-delivery"} & names
    trail = inputs(c, "trail-trail")
    assert "cloudWatchLogsGroupArn" not in trail and "cloudWatchLogsRoleArn" not in trail
    assert trail["tags"] == {
        **OWNERSHIP,
        "aiwarden-exception": "The organization trail delivers to the central SIEM log group SEC-77 until 2026-12",
    }
    assert "CloudWatchLogsEncryptsTheTrailGroup" not in statements(c, "trail-key-cmk")
    assert findings(gate(c), level="mandatory") == set()


def _role(c: Any) -> str:
    [found] = [r for r in c.resources if r.name == "trail-cloudwatch-role"]
    return str(found.outputs["name"])


def test_existing_key_and_bucket() -> None:
    c = run(EXISTING)
    assert children(c) == [
        ("aiwarden:aws:AuditTrail", "trail"),
        ("aws:cloudtrail/trail:Trail", "trail-trail"),
        ("aws:cloudwatch/logGroup:LogGroup", "trail-log-group"),
        ("aws:iam/role:Role", "trail-cloudwatch-role"),
        ("aws:iam/rolePolicy:RolePolicy", "trail-cloudwatch-delivery"),
    ]
    trail = inputs(c, "trail-trail")
    assert (trail["name"], trail["s3BucketName"], trail["kmsKeyId"]) == ("org-ml", "org-log-archive", KEY_ARN)
    assert [s["name"] for s in trail["advancedEventSelectors"]] == ["Management events"]
    assert inputs(c, "trail-log-group")["kmsKeyId"] == KEY_ARN
    assert findings(gate(c)) == set()


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        AuditTrailArgs.model_validate(data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"kms_key": None}, ["kms_key"]),
        (
            {"kms_key": ExistingKey(key="arn:aws:kms:us-east-1:123456789012:alias/x")},
            ["kms_key.key", "not an AWS KMS"],
        ),
        ({"kms_key": CreateKey(rotation_period_days=30)}, ["kms_key.rotation_period_days"]),
        (
            {"log_bucket": CreateTrailBucket(object_lock=ObjectLock(mode="COMPLIANCE", days=365))},
            ["log_bucket.object_lock.confirm_irreversible"],
        ),
        (
            {"log_bucket": CreateTrailBucket(retention_days=400, object_lock=ObjectLock(days=500))},
            ["log_bucket.retention_days=400 is shorter than the object lock"],
        ),
        ({"log_bucket": {"kind": "create", "retention_days": 90}}, ["log_bucket.create.retention_days"]),
        ({"log_bucket": {"kind": "existing", "bucket": "Logs!"}}, ["log_bucket.existing.bucket"]),
        ({"dataset_buckets": {"all": "*"}}, ["dataset_buckets.all", "wildcards are refused"]),
        ({"dataset_buckets": {"Data": "ml-data"}}, ["dataset_buckets.Data"]),
        ({"trail_name": "a"}, ["trail_name"]),
        (
            {"cloudwatch_logs": {"kind": "deliver", "retention_days": 90}},
            ["cloudwatch_logs.deliver.retention_days"],
        ),
        (
            {"cloudwatch_logs": {"kind": "deliver", "log_group_name": "bad name"}},
            ["cloudwatch_logs.deliver.log_group_name"],
        ),
        ({"cloudwatch_logs": None}, ["cloudwatch_logs"]),
        (
            {"cloudwatch_logs": {"kind": "none", "justification": "not needed"}},
            ["cloudwatch_logs.none.justification", "at least 20 characters"],
        ),
        ({"insights": True}, ["insights", "Extra inputs are not permitted"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    text = _refused({"ownership": OWN, **changes})
    for fragment in fragments:
        assert fragment in text, text


def test_protect_follows_the_environment_unless_set() -> None:
    sandbox = OWN.model_copy(update={"environment": "sandbox"})
    assert AuditTrailArgs(ownership=OWN).protected() is True
    assert AuditTrailArgs(ownership=sandbox).protected() is False
    assert AuditTrailArgs(ownership=sandbox, deletion_protection=True).protected() is True


VALID: dict[str, Any] = {
    "ownership": {
        "owner": "ml-platform",
        "environment": "production",
        "data_classification": "confidential",
        "purpose": "training",
    },
    "trail_name": "ml-audit",
    "kms_key": {"kind": "existing", "key": KEY_ARN},
    "log_bucket": {
        "kind": "create",
        "retention_days": 731,
        "object_lock": {"mode": "GOVERNANCE", "days": 400},
    },
    "dataset_buckets": {"data": "ml-data"},
    "sagemaker_data_events": True,
    "bedrock_data_events": True,
    "cloudwatch_logs": {"kind": "deliver", "retention_days": 400},
    "deletion_protection": True,
}
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.text(max_size=30),
    st.sampled_from(
        ["*", "create", "existing", "COMPLIANCE", KEY_ARN, "arn:aws:kms:us-east-1:1:alias/x", "x" * 200]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from([k for k in VALID if k != "ownership"]), value=VALUES)
def test_any_field_value_is_validated_or_refused_with_a_validation_error(field: str, value: Any) -> None:
    try:
        args = AuditTrailArgs.model_validate({**VALID, field: value})
    except ValidationError:
        return
    assert args.kms_key is not None
    if isinstance(args.log_bucket, CreateTrailBucket):
        assert args.log_bucket.retention_days >= 365
        assert args.log_bucket.object_lock.days <= args.log_bucket.retention_days
    if isinstance(args.cloudwatch_logs, CloudWatchDelivery):
        assert args.cloudwatch_logs.retention_days >= 365
    else:
        assert len(args.cloudwatch_logs.justification) >= 20


def test_valid_baseline_and_defaults() -> None:
    args = AuditTrailArgs.model_validate(VALID)
    assert args.cloudwatch_logs == CloudWatchDelivery(retention_days=400)
    assert AuditTrailArgs(ownership=OWN).cloudwatch_logs == CloudWatchDelivery(retention_days=400)
    assert NoCloudWatchDelivery(justification=OPT_OUT).kind == "none"
    assert CreateTrailBucket().object_lock == ObjectLock(mode="GOVERNANCE", days=365)
