"""IR-2: evidence survives (locked log buckets, deletion protection of production data and keys)."""

from __future__ import annotations

import json
from typing import Any

from tests.harness import (
    DELETE,
    UNKNOWN,
    capture,
    drop,
    findings,
    gate,
    message,
    resource,
    set_input,
    unknowns,
)
from tests.policies.programs import AWS_STACK, GCP_STACK

LOCK = "ir-2-log-bucket-lock"
DELETION = "ir-2-production-data-deletion-protection"
KMS = "ir-2-kms-key-deletion-window"
GCP_KEY = "ir-2-gcp-crypto-key-destroy-window"


def test_compliant_stacks_have_no_ir2_finding() -> None:
    assert findings(gate(capture(AWS_STACK)), "ir-2") == set()
    assert findings(gate(capture(GCP_STACK)), "ir-2") == set()


def test_trail_and_access_log_bucket_without_object_lock() -> None:
    c = drop(capture(AWS_STACK), "logs-lock")
    assert findings(gate(c), "ir-2") == set()  # objectLockEnabled on the bucket is enough
    set_input(c, "logs", "objectLockEnabled", DELETE)
    report = gate(c)
    assert findings(report, "ir-2") == {(LOCK, "logs")}
    text = message(report, LOCK, "logs")
    assert (
        "receives logs from BucketLogging 'data-logging', InvocationLoggingConfiguration 'bedrock-logging', "
        "Trail 'trail'" in text
    )
    assert "no object lock (objectLockEnabled absent: false" in text


def test_object_lock_configuration_alone_counts() -> None:
    c = set_input(capture(AWS_STACK), "logs", "objectLockEnabled", DELETE)
    assert findings(gate(c), "ir-2") == set()


def test_gcs_log_bucket_needs_a_retention_policy() -> None:
    c = set_input(capture(GCP_STACK), "gcs-logs", "retentionPolicy", DELETE)
    report = gate(c)
    assert findings(report, "ir-2") == {(LOCK, "gcs-logs")}
    assert "receives logs from Bucket 'gcs-data', ProjectSink 'audit-sink'" in message(
        report, LOCK, "gcs-logs"
    )


def test_force_destroy_on_production_buckets() -> None:
    c = set_input(capture(AWS_STACK), "data", "forceDestroy", True)
    set_input(c, "logs", "forceDestroy", True)
    report = gate(c)
    assert findings(report, "ir-2") == {(DELETION, "data"), (DELETION, "logs")}
    assert "forceDestroy is true" in message(report, DELETION, "data")
    gcs = set_input(capture(GCP_STACK), "gcs-data", "forceDestroy", True)
    assert findings(gate(gcs), "ir-2") == {(DELETION, "gcs-data")}


def test_sandbox_bucket_may_force_destroy() -> None:
    c = set_input(capture(AWS_STACK), "data", "forceDestroy", True)
    set_input(c, "data", "tags.environment", "sandbox")
    assert findings(gate(c), "ir-2") == set()


def test_restricted_production_bucket_must_be_protected() -> None:
    c = set_input(capture(AWS_STACK), "data", "tags.data-classification", "restricted")
    report = gate(c)
    assert findings(report, "ir-2") == {(DELETION, "data")}
    assert "holds restricted data but is not `protect`ed" in message(report, DELETION, "data")
    resource(c, "data").options["protect"] = True
    assert findings(gate(c), "ir-2") == set()


def test_database_deletion_protection() -> None:
    aws = set_input(capture(AWS_STACK), "db", "deletionProtection", DELETE)
    report = gate(aws)
    assert findings(report, "ir-2") == {(DELETION, "db")}
    assert "deletionProtection is not true (default: false)" in message(report, DELETION, "db")
    gcp = set_input(capture(GCP_STACK), "sql", "deletionProtection", False)
    assert findings(gate(gcp), "ir-2") == {(DELETION, "sql")}


def test_kms_key_deletion_window() -> None:
    c = set_input(capture(AWS_STACK), "key", "deletionWindowInDays", 7.0)
    report = gate(c)
    assert findings(report, "ir-2") == {(KMS, "key")}
    assert "deletionWindowInDays is 7; must be at least 30" in message(report, KMS, "key")
    assert findings(gate(c, {KMS: {"minimumDays": 7}}), "ir-2") == set()


def test_gcp_crypto_key_destroy_window() -> None:
    c = set_input(capture(GCP_STACK), "gcp-key", "destroyScheduledDuration", "86400s")
    report = gate(c)
    assert findings(report, "ir-2") == {(GCP_KEY, "gcp-key")}
    assert "(1 days); must be at least 30 days ('2592000s')" in message(report, GCP_KEY, "gcp-key")
    assert findings(gate(set_input(c, "gcp-key", "destroyScheduledDuration", "2592000s")), "ir-2") == set()


def test_advisory_in_sandbox() -> None:
    c = set_input(capture(GCP_STACK), "gcs-logs", "retentionPolicy", DELETE)
    assert findings(gate(c), "ir-2", level="mandatory") == {(LOCK, "gcs-logs")}
    assert findings(gate(c, environment="sandbox"), "ir-2", level="advisory") == {(LOCK, "gcs-logs")}


def test_unknown_values_at_preview_are_reported_not_passed() -> None:
    c = set_input(capture(AWS_STACK, preview_mode=True), "logs", "objectLockEnabled", UNKNOWN)
    drop(c, "logs-lock")
    set_input(c, "key", "deletionWindowInDays", UNKNOWN)
    report = gate(c)
    assert unknowns(report, LOCK) == {(LOCK, "logs", "advisory")}
    assert unknowns(report, KMS) == {(KMS, "key", "advisory")}
    assert findings(report, "ir-2") == set()


# ---------------------------------------------------------------- S3 server access log destinations
#: A data bucket's access logs into a bucket without Object Lock, as LockedBucket builds it: S3 delivers no access
#: logs to an Object Lock bucket, so versioning and a policy denying deletes to everyone keep them instead.
ACCESS_LOGS = """
import json
import pulumi, pulumi_aws as aws
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}
data = aws.s3.Bucket("data", tags=TAGS)
logs = aws.s3.Bucket("logs", tags=TAGS)
aws.s3.BucketVersioning("logs-versioning", bucket=logs.bucket,
    versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"))
aws.s3.BucketPolicy("logs-policy", bucket=logs.bucket, policy=logs.arn.apply(lambda arn: json.dumps({
    "Version": "2012-10-17", "Statement": [
        {"Sid": "AllowServerAccessLogDelivery", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": f"{arn}/s3-access/*"},
        {"Sid": "DenyLogDeletion", "Effect": "Deny", "Principal": "*",
         "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"], "Resource": f"{arn}/*"}]})))
aws.s3.BucketLogging("data-logging", bucket=data.bucket, target_bucket=logs.bucket, target_prefix="s3-access/")
"""
GUARD_MISSING = (
    "aws:s3/bucket:Bucket 'logs' receives S3 server access logs from BucketLogging 'data-logging' and cannot have "
    "Object Lock (S3 delivers no access logs to such a bucket), but lacks "
)


def _policy(c: Any, statements: list[dict[str, Any]]) -> Any:
    return set_input(
        c, "logs-policy", "policy", json.dumps({"Version": "2012-10-17", "Statement": statements})
    )


def test_access_log_destination_is_kept_by_versioning_and_a_delete_deny() -> None:
    assert findings(gate(capture(ACCESS_LOGS)), LOCK) == set()


def test_access_log_destination_without_the_delete_deny() -> None:
    deny = {"Effect": "Deny", "Principal": "*", "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"]}
    for changed in (
        [{**deny, "Action": "s3:DeleteObject"}],  # versions can still be deleted
        [
            {
                **deny,
                "Condition": {"StringNotEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/x"}},
            }
        ],
        [{**deny, "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"}}],
        [],
    ):
        report = gate(_policy(capture(ACCESS_LOGS), changed))
        assert findings(report, LOCK) == {(LOCK, "logs")}
        assert message(report, LOCK, "logs") == (
            GUARD_MISSING + "a BucketPolicy that denies s3:DeleteObject and s3:DeleteObjectVersion to every "
            "principal without conditions: whoever may delete objects can erase the evidence."
        )
    assert findings(gate(_policy(capture(ACCESS_LOGS), [{**deny, "Action": "s3:Delete*"}])), LOCK) == set()


def test_access_log_destination_without_versioning() -> None:
    report = gate(drop(capture(ACCESS_LOGS), "logs-versioning"))
    assert findings(report, LOCK) == {(LOCK, "logs")}
    assert message(report, LOCK, "logs") == (
        GUARD_MISSING
        + "versioning Enabled (a BucketVersioning): whoever may delete objects can erase the evidence."
    )


def test_a_bucket_that_also_receives_other_logs_needs_object_lock() -> None:
    code = ACCESS_LOGS + 'aws.cloudtrail.Trail("trail", s3_bucket_name=logs.bucket, tags=TAGS)\n'
    report = gate(capture(code))
    assert findings(report, LOCK) == {(LOCK, "logs")}
    assert "but has no object lock" in message(report, LOCK, "logs")
