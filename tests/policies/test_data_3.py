"""DATA-3: buckets keep versions, record access and expire old versions (S3 and GCS)."""

from __future__ import annotations

from tests.harness import (
    DELETE,
    UNKNOWN,
    capture,
    drop,
    findings,
    gate,
    messages,
    resource,
    set_input,
    unknowns,
)

VERSIONING = "data-3-s3-bucket-versioning"
LOGGING = "data-3-s3-bucket-access-logging"
LIFECYCLE = "data-3-s3-bucket-noncurrent-lifecycle"
GCS_VERSIONING = "data-3-gcs-versioning"
GCS_LOGGING = "data-3-gcs-access-logging"
GCS_LIFECYCLE = "data-3-gcs-noncurrent-lifecycle"

BASELINE = """
import pulumi_aws as aws, pulumi_gcp as gcp
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}

def keep_versions(name, bucket):
    aws.s3.BucketVersioning(f"{name}-versioning", bucket=bucket.id,
                            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"))
    aws.s3.BucketLifecycleConfiguration(f"{name}-lifecycle", bucket=bucket.id, rules=[
        aws.s3.BucketLifecycleConfigurationRuleArgs(
            id="noncurrent", status="Enabled", filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(),
            noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                noncurrent_days=90))])

data = aws.s3.Bucket("data", tags=TAGS)
keep_versions("data", data)
aws.s3.BucketLogging("data-logging", bucket=data.id, target_bucket="central-access-logs", target_prefix="data/")
evidence = aws.s3.Bucket("evidence", tags=TAGS)  # access recorded by the trail's S3 data events
keep_versions("evidence", evidence)
aws.cloudtrail.Trail("trail", s3_bucket_name="central-trail-logs", tags=TAGS, event_selectors=[
    aws.cloudtrail.TrailEventSelectorArgs(read_write_type="All", include_management_events=True, data_resources=[
        aws.cloudtrail.TrailEventSelectorDataResourceArgs(type="AWS::S3::Object",
                                                          values=[evidence.arn.apply(lambda arn: f"{arn}/")])])])

noncurrent = gcp.storage.BucketLifecycleRuleArgs(
    action=gcp.storage.BucketLifecycleRuleActionArgs(type="Delete"),
    condition=gcp.storage.BucketLifecycleRuleConditionArgs(days_since_noncurrent_time=90, with_state="ARCHIVED"))
gcp.storage.Bucket("gcs", location="US", labels=TAGS, versioning=gcp.storage.BucketVersioningArgs(enabled=True),
                   logging=gcp.storage.BucketLoggingArgs(log_bucket="central-usage-logs"), lifecycle_rules=[noncurrent])
gcp.storage.Bucket("gcs-audited", location="US", labels=TAGS, versioning=gcp.storage.BucketVersioningArgs(enabled=True),
                   lifecycle_rules=[gcp.storage.BucketLifecycleRuleArgs(
                       action=gcp.storage.BucketLifecycleRuleActionArgs(type="Delete"),
                       condition=gcp.storage.BucketLifecycleRuleConditionArgs(num_newer_versions=3))])
gcp.projects.IAMAuditConfig("storage-audit", project="aiwarden-offline", service="storage.googleapis.com",
                            audit_log_configs=[gcp.projects.IAMAuditConfigAuditLogConfigArgs(log_type="DATA_READ"),
                                               gcp.projects.IAMAuditConfigAuditLogConfigArgs(log_type="DATA_WRITE")])
"""


def test_compliant_baseline_has_no_data3_finding() -> None:
    assert findings(gate(capture(BASELINE)), "data-3") == set()


# ------------------------------------------------------------------------------------------ versioning
def test_versioning_suspended_or_missing() -> None:
    c = set_input(capture(BASELINE), "data-versioning", "versioningConfiguration.status", "Suspended")
    drop(c, "evidence-versioning")
    report = gate(c)
    assert findings(report, "data-3") == {(VERSIONING, "data"), (VERSIONING, "evidence")}
    assert messages(report, VERSIONING) == {
        "data": [
            "aws:s3/bucket:Bucket 'data': BucketVersioning 'data-versioning' sets versioning status "
            "'Suspended'; must be 'Enabled'."
        ],
        "evidence": [
            "aws:s3/bucket:Bucket 'evidence' has no BucketVersioning (S3 default: versioning disabled); "
            "add one with versioningConfiguration.status 'Enabled'."
        ],
    }


def test_deprecated_inline_versioning_counts_without_a_companion() -> None:
    c = set_input(drop(capture(BASELINE), "data-versioning"), "data", "versioning", {"enabled": True})
    assert findings(gate(c), "data-3") == set()


# ---------------------------------------------------------------------------------------- access logs
def test_bucket_without_access_logging() -> None:
    report = gate(drop(capture(BASELINE), "data-logging"))
    assert findings(report, "data-3") == {(LOGGING, "data")}
    assert messages(report, LOGGING)["data"] == [
        "aws:s3/bucket:Bucket 'data' has no BucketLogging and no enabled CloudTrail trail of the stack records its "
        "S3 object reads (S3 default: no access record); add server access logging or S3 data events."
    ]


def test_trail_that_does_not_record_reads_does_not_count() -> None:
    c = set_input(capture(BASELINE), "trail", "eventSelectors.0.readWriteType", "WriteOnly")
    assert findings(gate(c), "data-3") == {(LOGGING, "evidence")}
    c = set_input(capture(BASELINE), "trail", "enableLogging", False)
    assert findings(gate(c), "data-3") == {(LOGGING, "evidence")}


def test_advanced_event_selectors_cover_the_bucket() -> None:
    c = capture(BASELINE)
    arn = f"arn:aws:s3:::{resource(c, 'evidence').outputs['bucket']}/"
    set_input(c, "trail", "eventSelectors", DELETE)
    selector = {
        "name": "datasets",
        "fieldSelectors": [
            {"field": "eventCategory", "equals": ["Data"]},
            {"field": "resources.type", "equals": ["AWS::S3::Object"]},
            {"field": "resources.ARN", "startsWiths": [arn]},
        ],
    }
    set_input(c, "trail", "advancedEventSelectors", [selector])
    assert findings(gate(c), "data-3") == set()
    set_input(
        c, "trail", "advancedEventSelectors.0.fieldSelectors.2.startsWiths", ["arn:aws:s3:::other-bucket/"]
    )
    assert findings(gate(c), "data-3") == {(LOGGING, "evidence")}


# ------------------------------------------------------------------------------------------- lifecycle
def test_lifecycle_without_noncurrent_rule() -> None:
    c = set_input(capture(BASELINE), "data-lifecycle", "rules.0.noncurrentVersionExpiration", DELETE)
    set_input(c, "data-lifecycle", "rules.0.expiration", {"days": 365.0})
    set_input(c, "evidence-lifecycle", "rules.0.status", "Disabled")
    report = gate(c)
    assert findings(report, "data-3") == {(LIFECYCLE, "data"), (LIFECYCLE, "evidence")}
    assert messages(report, LIFECYCLE)["data"] == [
        "aws:s3/bucket:Bucket 'data': no enabled rule of BucketLifecycleConfiguration 'data-lifecycle' sets "
        "noncurrentVersionExpiration or noncurrentVersionTransitions; add one."
    ]


def test_bucket_without_lifecycle_configuration() -> None:
    assert findings(gate(drop(capture(BASELINE), "data-lifecycle")), "data-3") == {(LIFECYCLE, "data")}


# ------------------------------------------------------------------------------------------------- GCS
def test_gcs_versioning_disabled_or_absent() -> None:
    c = set_input(capture(BASELINE), "gcs", "versioning", DELETE)
    set_input(c, "gcs-audited", "versioning.enabled", False)
    report = gate(c)
    assert findings(report, "data-3") == {(GCS_VERSIONING, "gcs"), (GCS_VERSIONING, "gcs-audited")}
    assert messages(report, GCS_VERSIONING)["gcs"] == [
        "gcp:storage/bucket:Bucket 'gcs': versioning.enabled is not set (GCP default: false) and there is no "
        "retentionPolicy; must be true."
    ]


def test_gcs_retention_policy_replaces_versioning() -> None:
    # Cloud Storage refuses versioning together with a retention policy (the log bucket of LockedBucket).
    c = set_input(capture(BASELINE), "gcs", "versioning.enabled", False)
    set_input(c, "gcs", "retentionPolicy", {"retentionPeriod": "34560000", "isLocked": False})
    assert findings(gate(c), "data-3") == set()


def test_gcs_lifecycle_without_noncurrent_condition() -> None:
    c = set_input(capture(BASELINE), "gcs", "lifecycleRules.0.condition", {"age": 30.0})
    set_input(c, "gcs-audited", "lifecycleRules", DELETE)
    assert findings(gate(c), "data-3") == {(GCS_LIFECYCLE, "gcs"), (GCS_LIFECYCLE, "gcs-audited")}


def test_gcs_access_recorded_by_usage_logs_or_audit_config() -> None:
    c = drop(capture(BASELINE), "storage-audit")
    report = gate(c)
    assert findings(report, "data-3") == {(GCS_LOGGING, "gcs-audited")}
    assert messages(report, GCS_LOGGING)["gcs-audited"] == [
        "gcp:storage/bucket:Bucket 'gcs-audited': logging.logBucket is not set and no IAMAuditConfig of the stack "
        "enables DATA_READ audit logs for storage.googleapis.com (GCP default: no access record); add one."
    ]
    c = set_input(capture(BASELINE), "storage-audit", "auditLogConfigs", [{"logType": "ADMIN_READ"}])
    assert findings(gate(c), "data-3") == {(GCS_LOGGING, "gcs-audited")}


# ------------------------------------------------------------------------------ environments and preview
def test_sandbox_findings_are_advisory() -> None:
    c = drop(capture(BASELINE), "data-logging")
    set_input(c, "gcs", "versioning", DELETE)
    report = gate(c, environment="sandbox")
    assert findings(report, "data-3", level="advisory") == {(LOGGING, "data"), (GCS_VERSIONING, "gcs")}
    assert findings(report, "data-3", level="mandatory") == set()


def test_unknown_values_at_preview_are_reported_not_passed() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "gcs", "versioning.enabled", UNKNOWN)
    report = gate(c)
    assert findings(report, "data-3") == set()
    # The trail selects the evidence bucket by its ARN, unknown until the bucket exists: that bucket waits.
    assert unknowns(report, "data-3") == {
        (GCS_VERSIONING, "gcs", "advisory"),
        (LOGGING, "evidence", "advisory"),
    }


# ------------------------------------------------------------------------- access-log destinations
DESTINATION = "data-3-s3-access-log-destination-delivers"
LOG_DESTINATION = """
import pulumi_aws as aws
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}
data = aws.s3.Bucket("data", tags=TAGS)
logs = aws.s3.Bucket("logs", tags={**TAGS, "data-classification": "internal"})
aws.s3.BucketServerSideEncryptionConfiguration("logs-sse", bucket=logs.id, rules=[
    aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
        apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="AES256"))])
aws.s3.BucketLogging("data-logging", bucket=data.id, target_bucket=logs.id, target_prefix="data/")
"""


def test_sse_s3_access_log_destination_delivers() -> None:
    assert findings(gate(capture(LOG_DESTINATION)), DESTINATION) == set()
    # No encryption configuration: the S3 default, SSE-S3.
    assert findings(gate(drop(capture(LOG_DESTINATION), "logs-sse")), DESTINATION) == set()


def test_sse_kms_access_log_destination_is_a_finding() -> None:
    c = set_input(
        capture(LOG_DESTINATION),
        "logs-sse",
        "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm",
        "aws:kms",
    )
    report = gate(c)
    assert findings(report, DESTINATION) == {(DESTINATION, "logs")}
    assert messages(report, DESTINATION)["logs"] == [
        "aws:s3/bucket:Bucket 'logs' receives S3 server access logs but BucketServerSideEncryptionConfiguration "
        "'logs-sse' sets sseAlgorithm 'aws:kms': S3 delivers no access logs to an SSE-KMS destination (they are "
        "silently lost); use AES256."
    ]


def test_object_lock_access_log_destination_is_a_finding() -> None:
    c = set_input(capture(LOG_DESTINATION), "logs", "objectLockEnabled", True)
    report = gate(c)
    assert findings(report, DESTINATION) == {(DESTINATION, "logs")}
    assert "has Object Lock: S3 delivers no access logs" in messages(report, DESTINATION)["logs"][0]


def test_a_bucket_that_receives_no_access_logs_is_not_a_destination() -> None:
    c = set_input(
        capture(LOG_DESTINATION),
        "logs-sse",
        "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm",
        "aws:kms",
    )
    assert findings(gate(drop(c, "data-logging")), DESTINATION) == set()
