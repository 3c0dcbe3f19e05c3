"""LockedBucket (AWS): private, SSE-KMS, versioned, TLS-only, access-logged S3 bucket and its log bucket."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components._common import CreateKey, ExistingKey, Ownership, PublicAccess
from components.aws import CreateLogBucket, LockedBucketArgs, ObjectLock
from tests.components.aws_helpers import ACCOUNT, KEY_ARN, ROOT_ARN, run, statements
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    incident_response,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import capture, findings, gate

DEFAULT = 'LockedBucket("data", LockedBucketArgs(ownership=o))'
TRAINER = f"arn:aws:iam::{ACCOUNT}:role/trainer"
OPTIONS = f"""
LockedBucket("data", LockedBucketArgs(
    ownership=o, bucket_name="ml-training-data", kms_key=ExistingKey(key="{KEY_ARN}"),
    access_logs=ExistingLogBucket(bucket="org-access-logs", prefix="data/"),
    noncurrent_version_days=30, abort_incomplete_upload_days=3,
    access={{"trainer": Grant(principal="{TRAINER}", role="write")}},
    allowed_vpc_endpoints={{"main": "vpce-0123456789abcdef0"}},
    object_lock=ObjectLock(mode="GOVERNANCE", days=365), deletion_protection=True,
    policy_statements=({{"Sid": "CrossAccountRead", "Effect": "Allow",
                        "Principal": {{"AWS": "arn:aws:iam::210987654321:role/auditor"}},
                        "Action": "s3:GetObject"}},)))
"""
PUBLIC = """
o2 = Ownership(owner="ml-platform", environment="production", data_classification="public", purpose="model-cards")
LockedBucket("cards", LockedBucketArgs(
    ownership=o2, kms_key=None,
    public_access=PublicAccess(justification="Public model cards, approved by security in SEC-42 until 2026-12"),
    policy_statements=({"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::cards/*"},)))
"""
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
RESTRICTED = Ownership(
    owner="ml-platform", environment="production", data_classification="restricted", purpose="training"
)


def _bucket_name(c: Any, name: str) -> str:
    [found] = [r for r in c.resources if r.name == name]
    return str(found.outputs["bucket"])


def test_default_children() -> None:
    c = run(DEFAULT)
    expected = [
        ("aiwarden:aws:Key", "data-key"),
        ("aiwarden:aws:LockedBucket", "data"),
        ("aws:kms/alias:Alias", "data-key-alias"),
        ("aws:kms/key:Key", "data-key-cmk"),
        ("aws:s3/bucket:Bucket", "data-access-logs"),
        ("aws:s3/bucket:Bucket", "data-bucket"),
        ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "data-access-logs-lifecycle"),
        ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "data-lifecycle"),
        ("aws:s3/bucketLogging:BucketLogging", "data-logging"),
        ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "data-access-logs-ownership"),
        ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "data-ownership"),
        ("aws:s3/bucketPolicy:BucketPolicy", "data-access-logs-policy"),
        ("aws:s3/bucketPolicy:BucketPolicy", "data-policy"),
        ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-access-logs-public-access-block"),
        ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-public-access-block"),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "data-access-logs-encryption",
        ),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "data-encryption",
        ),
        ("aws:s3/bucketVersioning:BucketVersioning", "data-access-logs-versioning"),
        ("aws:s3/bucketVersioning:BucketVersioning", "data-versioning"),
    ]
    assert children(c) == expected
    assert {
        parent_name(c, n) for _, n in expected if n not in ("data", "data-key-cmk", "data-key-alias")
    } == {"data"}


def test_default_bucket_lock_down() -> None:
    c = run(DEFAULT)
    name = _bucket_name(c, "data-bucket")
    key_arn = inputs(c, "data-encryption")["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"]
    assert key_arn.startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-")
    assert inputs(c, "data-bucket") == {"forceDestroy": False, "objectLockEnabled": False, "tags": OWNERSHIP}
    # The access-log bucket is SSE-S3: S3 server access logging does not deliver to SSE-KMS destination buckets.
    encryption = {
        "data": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn},
        "data-access-logs": {"sseAlgorithm": "AES256"},
    }
    for prefix in ("data", "data-access-logs"):
        bucket = name if prefix == "data" else _bucket_name(c, "data-access-logs")
        assert inputs(c, f"{prefix}-public-access-block") == {
            "bucket": bucket,
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        }
        assert inputs(c, f"{prefix}-encryption")["rules"] == [
            {
                "applyServerSideEncryptionByDefault": encryption[prefix],
                "bucketKeyEnabled": prefix == "data",
                "blockedEncryptionTypes": ["SSE-C"],
            }
        ]
        assert inputs(c, f"{prefix}-versioning")["versioningConfiguration"] == {"status": "Enabled"}
        assert inputs(c, f"{prefix}-ownership")["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
        assert depends_on(c, f"{prefix}-public-access-block") == {
            "data-bucket" if prefix == "data" else prefix
        }
    assert inputs(c, "data-lifecycle")["rules"] == [
        {
            "id": "expire-old-versions",
            "status": "Enabled",
            "filter": {"prefix": ""},
            "noncurrentVersionExpiration": {"noncurrentDays": 90.0},
            "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7.0},
        }
    ]
    assert "data-public-access-block" in depends_on(c, "data-policy")


def test_default_bucket_policy_is_tls_only_and_pins_the_key() -> None:
    c = run(DEFAULT)
    arn = f"arn:aws:s3:::{_bucket_name(c, 'data-bucket')}"
    key_arn = inputs(c, "data-encryption")["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"]
    policy = statements(c, "data-policy")
    assert list(policy) == [
        "DenyInsecureTransport",
        "DenyOutdatedTls",
        "DenyOtherEncryption",
        "DenyOtherKeys",
    ]
    assert policy["DenyInsecureTransport"] == {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    assert policy["DenyOutdatedTls"]["Condition"] == {"NumericLessThan": {"s3:TlsVersion": "1.2"}}
    assert policy["DenyOtherEncryption"]["Condition"] == {
        "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}
    }
    assert policy["DenyOtherKeys"]["Condition"] == {
        "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn}
    }
    assert all(s["Effect"] == "Deny" for s in policy.values())


def test_default_access_logs_go_to_a_locked_log_bucket_nobody_deletes_from() -> None:
    c = run(DEFAULT)
    source, logs = _bucket_name(c, "data-bucket"), _bucket_name(c, "data-access-logs")
    assert inputs(c, "data-logging") == {
        "bucket": source,
        "targetBucket": logs,
        "targetPrefix": "s3-access/",
        "targetObjectKeyFormat": {"partitionedPrefix": {"partitionDateSource": "EventTime"}},
    }
    assert "data-access-logs-policy" in depends_on(c, "data-logging")
    # No Object Lock: S3 delivers no server access logs to a bucket with it (object-lock-managing.html); versioning
    # and the policy's DenyLogDeletion keep the logs instead (IR-2).
    assert inputs(c, "data-access-logs") == {
        "forceDestroy": False,
        "objectLockEnabled": False,
        "tags": OWNERSHIP,
    }
    assert inputs(c, "data-access-logs-versioning")["versioningConfiguration"] == {"status": "Enabled"}
    policy = statements(c, "data-access-logs-policy")
    assert list(policy) == ["DenyInsecureTransport", "AllowServerAccessLogDelivery", "DenyLogDeletion"]
    assert policy["DenyInsecureTransport"]["Resource"] == [f"arn:aws:s3:::{logs}", f"arn:aws:s3:::{logs}/*"]
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
    assert policy["DenyLogDeletion"] == {
        "Sid": "DenyLogDeletion",
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"],
        "Resource": f"arn:aws:s3:::{logs}/*",
    }
    rule = inputs(c, "data-access-logs-lifecycle")["rules"][0]
    assert (rule["expiration"], rule["noncurrentVersionExpiration"]) == (
        {"days": 400.0},
        {"noncurrentDays": 30.0},
    )


def test_default_key_is_usable_through_s3_only() -> None:
    """The access-log bucket is SSE-S3, so S3 log delivery needs nothing from the key."""
    policy = statements(run(DEFAULT), "data-key-cmk")
    assert list(policy) == ["AccountAdministration", "KeyUsage", "GrantsForAwsResources"]
    assert policy["KeyUsage"]["Principal"] == {"AWS": [ROOT_ARN]}
    assert policy["KeyUsage"]["Condition"] == {
        "StringEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com"], "kms:CallerAccount": ACCOUNT}
    }


def test_default_inventory_record() -> None:
    c = run(DEFAULT)
    entry = inventory(c)["data-bucket"]
    assert (entry["kind"], entry["exposure"], entry["identities"]) == ("dataset-bucket", "private", [])
    ir = incident_response(c)["data-bucket"]
    assert ir["bucketsToInspect"] == [_bucket_name(c, "data-bucket")]
    assert ir["logsToPreserve"] == [f"s3://{_bucket_name(c, 'data-access-logs')}/s3-access/"]
    assert "deny-all" in ir["containment"]


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT, trail=True)), level="mandatory") == set()


def test_default_without_the_stack_audit_trail_misses_only_the_trail() -> None:
    """The only mandatory gap of a bare stack is stack-level: the audit trail (LOG-1), whose S3 data events
    also record access to the access-log bucket (DATA-3). No data component creates the trail."""
    assert findings(gate(run(DEFAULT)), level="mandatory") == {
        ("log-1-cloudtrail-audit-trail", "stack"),
        ("data-3-s3-bucket-access-logging", "data-access-logs"),
    }


def test_restricted_production_buckets_are_protected() -> None:
    c = run(
        'o = Ownership(owner="ml-platform", environment="production", data_classification="restricted", '
        'purpose="training")\n' + DEFAULT,
        trail=True,
    )
    protected = {r.name for r in c.resources if r.options.get("protect")}
    assert protected == {"data-bucket", "data-access-logs"}
    assert findings(gate(c), level="mandatory") == set()


def test_options() -> None:
    c = run(OPTIONS)
    names = [n for _, n in children(c)]
    assert "data-key" not in names and "data-access-logs" not in names
    assert "data-object-lock" in names
    assert inputs(c, "data-bucket")["bucket"] == "ml-training-data"
    assert inputs(c, "data-bucket")["objectLockEnabled"] is True
    assert (
        inputs(c, "data-encryption")["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"]
        == KEY_ARN
    )
    assert inputs(c, "data-logging")["targetBucket"] == "org-access-logs"
    assert inputs(c, "data-logging")["targetPrefix"] == "data/"
    assert inputs(c, "data-object-lock")["rule"] == {
        "defaultRetention": {"mode": "GOVERNANCE", "days": 365.0}
    }
    assert "data-versioning" in depends_on(c, "data-object-lock")
    rule = inputs(c, "data-lifecycle")["rules"][0]
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 30.0}
    assert rule["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 3.0}
    assert [r.name for r in c.resources if r.options.get("protect")] == ["data-bucket"]
    arn = "arn:aws:s3:::ml-training-data"
    policy = statements(c, "data-policy")
    assert list(policy) == [
        "DenyInsecureTransport",
        "DenyOutdatedTls",
        "DenyOtherEncryption",
        "DenyOtherKeys",
        "DenyOtherPrincipals",
        "DenyOtherNetworkPaths",
        "CrossAccountRead",
    ]
    assert policy["DenyOtherPrincipals"]["Action"] == [
        "s3:GetObject*",
        "s3:PutObject*",
        "s3:DeleteObject*",
        "s3:RestoreObject",
    ]  # bucket-level actions (the deployment's HeadBucket) stay with IAM
    assert policy["DenyOtherPrincipals"]["Condition"] == {"ArnNotLike": {"aws:PrincipalArn": [TRAINER]}}
    assert policy["DenyOtherNetworkPaths"]["Condition"] == {
        "StringNotEquals": {"aws:SourceVpce": ["vpce-0123456789abcdef0"]},
        "BoolIfExists": {"aws:ViaAWSService": "false"},
    }
    assert policy["CrossAccountRead"]["Resource"] == [arn, f"{arn}/*"]  # default Resource: this bucket
    assert inventory(c)["data-bucket"]["identities"] == [TRAINER]
    assert findings(gate(run(OPTIONS, trail=True)), level="mandatory") == set()


def test_created_key_is_limited_to_the_granted_principals() -> None:
    c = run(
        f'LockedBucket("data", LockedBucketArgs(ownership=o, access={{"trainer": Grant(principal="{TRAINER}", '
        'role="write")}))'
    )
    usage = statements(c, "data-key-cmk")["KeyUsage"]
    assert usage["Principal"] == {"AWS": [TRAINER]}
    assert usage["Condition"] == {"StringEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com"]}}


def test_read_grants_may_not_write_or_delete_objects() -> None:
    serving = f"arn:aws:iam::{ACCOUNT}:role/serving"
    c = run(
        f'LockedBucket("data", LockedBucketArgs(ownership=o, access={{'
        f'"serving": Grant(principal="{serving}", role="read"), '
        f'"trainer": Grant(principal="{TRAINER}", role="write"), '
        f'"trainer-read": Grant(principal="{TRAINER}", role="read")}}))'
    )
    policy = statements(c, "data-policy")
    assert list(policy)[-2:] == ["DenyOtherPrincipals", "DenyWritesByReaders"]
    assert policy["DenyOtherPrincipals"]["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": [serving, TRAINER]}
    }
    assert policy["DenyWritesByReaders"]["Action"] == [
        "s3:PutObject*",
        "s3:DeleteObject*",
        "s3:RestoreObject",
    ]
    assert policy["DenyWritesByReaders"]["Condition"] == {"ArnLike": {"aws:PrincipalArn": [serving]}}
    assert statements(c, "data-key-cmk")["KeyUsage"]["Principal"] == {"AWS": [serving, TRAINER]}


def test_public_opt_in_relaxes_only_the_policy_settings_and_is_recorded() -> None:
    c = run(PUBLIC)
    pab = inputs(c, "cards-public-access-block")
    assert (pab["blockPublicAcls"], pab["ignorePublicAcls"]) == (True, True)
    assert (pab["blockPublicPolicy"], pab["restrictPublicBuckets"]) == (False, False)
    assert inputs(c, "cards-bucket")["tags"]["aiwarden-exception"] == (
        "Public model cards approved by security in SEC-42 until 2026-12"
    )
    assert inputs(c, "cards-encryption")["rules"][0]["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "AES256"
    }
    assert "cards-key" not in [n for _, n in children(c)]
    assert list(statements(c, "cards-policy")) == ["DenyInsecureTransport", "DenyOutdatedTls", "PublicRead"]
    assert inventory(c)["cards-bucket"]["exposure"] == "public"
    # Still a DATA-1 violation: public buckets are exempted per resource in the pack config, with a reason.
    assert ("data-1-s3-no-public-bucket-policy", "cards-policy") in findings(gate(c), level="mandatory")


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        LockedBucketArgs.model_validate(data)
    return str(caught.value)


PUBLIC_STATEMENT = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}
JUSTIFIED = PublicAccess(justification="Public model cards, approved by security in SEC-42")


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"kms_key": None}, ["kms_key: confidential data must be encrypted with a customer-managed key"]),
        (
            {"kms_key": ExistingKey(key="arn:aws:kms:us-east-1:123456789012:alias/data")},
            ["kms_key.key", "not an AWS KMS key ARN"],
        ),
        ({"kms_key": ExistingKey(key="projects/p/locations/l/keyRings/r/cryptoKeys/k")}, ["kms_key.key"]),
        ({"kms_key": CreateKey(rotation_period_days=30)}, ["kms_key.rotation_period_days", "90 to 2560"]),
        ({"policy_statements": (PUBLIC_STATEMENT,)}, ["policy_statements[0]", "public_access=PublicAccess"]),
        (
            {
                "policy_statements": (
                    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject"},
                )
            },
            ["policy_statements[0]", "makes the bucket public"],
        ),
        ({"public_access": JUSTIFIED}, ["public_access: no policy statement grants public access"]),
        (
            {"ownership": RESTRICTED, "public_access": JUSTIFIED, "policy_statements": (PUBLIC_STATEMENT,)},
            ["public_access: restricted data in production is never public"],
        ),
        ({"object_lock": ObjectLock(mode="COMPLIANCE", days=30)}, ["object_lock.confirm_irreversible"]),
        ({"bucket_name": "My_Bucket"}, ["bucket_name", "is not an S3 bucket name"]),
        (
            {"access": {"all": {"principal": "*", "role": "read"}}},
            ["access.all.principal", "wildcards are refused"],
        ),
        (
            {"access": {"app": {"principal": TRAINER, "role": "admin"}}},
            ["access.app.role", "Input should be 'read' or 'write'"],
        ),
        (
            {"allowed_vpc_endpoints": {"main": "vpc-123"}},
            ["allowed_vpc_endpoints.main", "is not a VPC endpoint id"],
        ),
        ({"access_logs": {"kind": "existing", "bucket": "Logs!"}}, ["access_logs.existing.bucket"]),
        (
            {"policy_statements": ({"Effect": "Allow", "NotPrincipal": {"AWS": TRAINER}, "Action": "s3:*"},)},
            ["policy_statements[0]: NotPrincipal is refused"],
        ),
        (
            {"policy_statements": ({"Effect": "Permit", "Action": "s3:GetObject"},)},
            ["policy_statements[0]: Effect must be"],
        ),
        (
            {
                "policy_statements": (
                    {"Effect": "Allow", "NotAction": "s3:DeleteObject", "Principal": {"AWS": TRAINER}},
                )
            },
            ["policy_statements[0]: Allow with NotAction"],
        ),
        ({"policy_statements": ("s3:*",)}, ["policy_statements.0"]),
        ({"noncurrent_version_days": 0}, ["noncurrent_version_days"]),
        ({"tags": {"x": "y"}}, ["tags", "Extra inputs are not permitted"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    text = _refused({"ownership": OWN, **changes})
    for fragment in fragments:
        assert fragment in text, text


def test_log_retention_shorter_than_the_evidence_floor_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        CreateLogBucket(retention_days=30)
    assert "retention_days" in str(caught.value)


def test_bad_input_fails_the_program_before_registration() -> None:
    with pytest.raises(AiwardenError) as caught:
        capture("""
from components._common import Ownership
from components.aws import LockedBucket, LockedBucketArgs
o = Ownership(owner="ml-platform", environment="production", data_classification="restricted", purpose="x")
LockedBucket("data", LockedBucketArgs(ownership=o, kms_key=None))
""")
    assert "ValidationError" in caught.value.message
    assert "kms_key: restricted data must be encrypted with a customer-managed key" in caught.value.message
