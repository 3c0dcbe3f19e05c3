"""DATA-2: sensitive data at rest under customer-managed keys that rotate (S3, KMS, GCS, databases)."""

from __future__ import annotations

import pytest

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

SSE = "data-2-s3-bucket-sse-kms"
KMS = "data-2-kms-key-rotation"
GCS = "data-2-gcs-bucket-cmek"
GCP_KMS = "data-2-gcp-kms-key-rotation"
RDS = "data-2-rds-storage-cmk"
SQL = "data-2-cloudsql-cmek"
ALLOYDB = "data-2-alloydb-cmek"
ENDPOINT = "data-2-sagemaker-endpoint-config-cmk"

BASELINE = """
import pulumi_aws as aws, pulumi_gcp as gcp
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}
key = aws.kms.Key("key", enable_key_rotation=True, tags=TAGS)
bucket = aws.s3.Bucket("data", tags=TAGS)
aws.s3.BucketServerSideEncryptionConfiguration("data-sse", bucket=bucket.id, rules=[
    aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
        apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="aws:kms", kms_master_key_id=key.arn),
        bucket_key_enabled=True)])
aws.s3.Bucket("site", tags={**TAGS, "data-classification": "public"})  # public content: no CMK required
aws.rds.Cluster("vectors", engine="aurora-postgresql", storage_encrypted=True, kms_key_id=key.arn,
                master_username="app", manage_master_user_password=True, tags=TAGS)
aws.rds.Instance("features", engine="postgres", instance_class="db.t4g.micro", allocated_storage=20,
                 storage_encrypted=True, kms_key_id=key.arn, username="app", manage_master_user_password=True,
                 tags=TAGS)
crypto_key = gcp.kms.CryptoKey("crypto-key", key_ring="projects/aiwarden-offline/locations/us/keyRings/ai",
                               rotation_period="7776000s", labels=TAGS)
gcp.storage.Bucket("gcs", location="US", labels=TAGS,
                   encryption=gcp.storage.BucketEncryptionArgs(default_kms_key_name=crypto_key.id))
gcp.sql.DatabaseInstance("pg", database_version="POSTGRES_16", region="us-central1", encryption_key_name=crypto_key.id,
                         settings=gcp.sql.DatabaseInstanceSettingsArgs(tier="db-custom-2-7680", edition="ENTERPRISE", user_labels=TAGS))
gcp.alloydb.Cluster("alloy", cluster_id="alloy", location="us-central1", labels=TAGS,
                    network_config=gcp.alloydb.ClusterNetworkConfigArgs(network="projects/p/global/networks/ai"),
                    encryption_config=gcp.alloydb.ClusterEncryptionConfigArgs(kms_key_name=crypto_key.id))
aws.sagemaker.EndpointConfiguration("endpoint-config", kms_key_arn=key.arn, tags=TAGS,
    production_variants=[aws.sagemaker.EndpointConfigurationProductionVariantArgs(
        model_name="fraud-model", instance_type="ml.m5.xlarge", initial_instance_count=1)])
# Local NVMe instance storage (ml.g5): hardware-encrypted, AWS refuses a KMS key.
aws.sagemaker.EndpointConfiguration("gpu-endpoint-config", tags=TAGS,
    production_variants=[aws.sagemaker.EndpointConfigurationProductionVariantArgs(
        model_name="fraud-model", instance_type="ml.g5.xlarge", initial_instance_count=1)])
"""


def test_compliant_baseline_has_no_data2_finding() -> None:
    assert findings(gate(capture(BASELINE)), "data-2") == set()


# ------------------------------------------------------------------------------------------------- S3
def test_bucket_encrypted_with_s3_managed_or_aws_managed_keys() -> None:
    c = set_input(
        capture(BASELINE), "data-sse", "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "AES256"
    )
    report = gate(c)
    assert findings(report, "data-2") == {(SSE, "data")}
    assert messages(report, SSE)["data"] == [
        "aws:s3/bucket:Bucket 'data' (confidential): BucketServerSideEncryptionConfiguration 'data-sse' sets "
        "sseAlgorithm 'AES256' (S3-managed keys); must use sse_algorithm 'aws:kms' with a customer-managed "
        "kmsMasterKeyId."
    ]
    c = set_input(
        capture(BASELINE), "data-sse", "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId", DELETE
    )
    assert (
        "without kmsMasterKeyId (AWS default: the AWS-managed aws/s3 key)"
        in messages(gate(c), SSE)["data"][0]
    )


def test_bucket_without_encryption_configuration() -> None:
    report = gate(drop(capture(BASELINE), "data-sse"))
    assert findings(report, "data-2") == {(SSE, "data")}
    assert messages(report, SSE)["data"] == [
        "aws:s3/bucket:Bucket 'data' (confidential) has no BucketServerSideEncryptionConfiguration (S3 default: "
        "SSE-S3, AES256 with S3-managed keys); must use sse_algorithm 'aws:kms' with a customer-managed "
        "kmsMasterKeyId."
    ]


def test_deprecated_inline_encryption_counts_without_a_companion() -> None:
    inline = {
        "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "k"}}
    }
    c = set_input(drop(capture(BASELINE), "data-sse"), "data", "serverSideEncryptionConfiguration", inline)
    assert findings(gate(c), "data-2") == set()


def test_unclassified_bucket_counts_as_sensitive() -> None:
    c = set_input(capture(BASELINE), "site", "tags.data-classification", DELETE)
    assert findings(gate(c), "data-2") == {(SSE, "site")}


# ------------------------------------------------------------------------------------------------ KMS
def test_kms_key_without_rotation() -> None:
    report = gate(set_input(capture(BASELINE), "key", "enableKeyRotation", DELETE))
    assert findings(report, "data-2") == {(KMS, "key")}
    assert messages(report, KMS)["key"] == [
        "aws:kms/key:Key 'key' (confidential): enableKeyRotation is not set (AWS default: false); must be true."
    ]
    assert findings(gate(set_input(capture(BASELINE), "key", "enableKeyRotation", False)), "data-2") == {
        (KMS, "key")
    }


def test_asymmetric_kms_key_is_not_applicable() -> None:
    c = set_input(capture(BASELINE), "key", "enableKeyRotation", DELETE)
    set_input(c, "key", "customerMasterKeySpec", "RSA_2048")
    set_input(c, "key", "keyUsage", "SIGN_VERIFY")
    assert findings(gate(c), "data-2") == set()


def test_gcp_crypto_key_rotation_absent_or_too_long() -> None:
    c = set_input(capture(BASELINE), "crypto-key", "rotationPeriod", DELETE)
    report = gate(c)
    assert findings(report, "data-2") == {(GCP_KMS, "crypto-key")}
    assert messages(report, GCP_KMS)["crypto-key"] == [
        "gcp:kms/cryptoKey:CryptoKey 'crypto-key' (confidential): rotationPeriod is not set (GCP default: no "
        "rotation); must be at most 31536000s."
    ]
    c = set_input(capture(BASELINE), "crypto-key", "rotationPeriod", "63072000s")
    assert findings(gate(c), "data-2") == {(GCP_KMS, "crypto-key")}


def test_gcp_signing_key_is_not_applicable() -> None:
    c = set_input(capture(BASELINE), "crypto-key", "rotationPeriod", DELETE)
    set_input(c, "crypto-key", "purpose", "ASYMMETRIC_SIGN")
    assert findings(gate(c), "data-2") == set()


# ------------------------------------------------------------------------------------ GCS and databases
def test_gcs_bucket_without_cmek() -> None:
    report = gate(set_input(capture(BASELINE), "gcs", "encryption", DELETE))
    assert findings(report, "data-2") == {(GCS, "gcs")}
    assert messages(report, GCS)["gcs"] == [
        "gcp:storage/bucket:Bucket 'gcs' (confidential): encryption.defaultKmsKeyName is not set (GCP default: "
        "Google-managed keys); must name a customer-managed Cloud KMS key."
    ]


def test_databases_without_customer_managed_keys() -> None:
    c = set_input(capture(BASELINE), "vectors", "storageEncrypted", DELETE)
    set_input(c, "features", "kmsKeyId", DELETE)
    set_input(c, "pg", "encryptionKeyName", DELETE)
    set_input(c, "alloy", "encryptionConfig", DELETE)
    report = gate(c)
    assert findings(report, "data-2") == {
        (RDS, "vectors"),
        (RDS, "features"),
        (SQL, "pg"),
        (ALLOYDB, "alloy"),
    }
    assert messages(report, RDS) == {
        "vectors": [
            "aws:rds/cluster:Cluster 'vectors' (confidential): storageEncrypted is not set (AWS default: "
            "false); must be true."
        ],
        "features": [
            "aws:rds/instance:Instance 'features' (confidential): kmsKeyId is not set (AWS default: the "
            "AWS-managed aws/rds key); must name a customer-managed key."
        ],
    }


def test_aurora_serverless_v1_is_encrypted_by_default() -> None:
    c = set_input(capture(BASELINE), "vectors", "storageEncrypted", DELETE)
    set_input(c, "vectors", "engineMode", "serverless")
    assert findings(gate(c), "data-2") == set()


# ------------------------------------------------------------------------------------------ SageMaker
def test_endpoint_configuration_without_kms_key() -> None:
    report = gate(set_input(capture(BASELINE), "endpoint-config", "kmsKeyArn", DELETE))
    assert findings(report, "data-2") == {(ENDPOINT, "endpoint-config")}
    assert messages(report, ENDPOINT)["endpoint-config"] == [
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration 'endpoint-config' (confidential): kmsKeyArn is "
        "not set (AWS default: an AWS-managed key for the ML storage volume); must name a customer-managed key."
    ]


def test_endpoint_configuration_classification() -> None:
    c = set_input(capture(BASELINE), "endpoint-config", "kmsKeyArn", DELETE)
    set_input(c, "endpoint-config", "tags.data-classification", DELETE)  # unclassified counts as sensitive
    report = gate(c)
    assert findings(report, "data-2") == {(ENDPOINT, "endpoint-config")}
    assert (
        "'endpoint-config' (unclassified): kmsKeyArn is not set"
        in messages(report, ENDPOINT)["endpoint-config"][0]
    )
    set_input(c, "endpoint-config", "tags.data-classification", "internal")
    assert findings(gate(c), "data-2") == set()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("productionVariants.0.instanceType", "ml.c5.xlarge"),  # EBS storage: the key is needed
        (
            "productionVariants.0",
            {"modelName": "fraud-model", "serverlessConfig": {"maxConcurrency": 1, "memorySizeInMb": 2048}},
        ),
    ],
)
def test_endpoint_configuration_without_local_storage_needs_the_key(path: str, value: object) -> None:
    report = gate(set_input(capture(BASELINE), "gpu-endpoint-config", path, value))
    assert findings(report, "data-2") == {(ENDPOINT, "gpu-endpoint-config")}


@pytest.mark.parametrize(
    "instance_type", ["ml.p4d.24xlarge", "ml.m5d.large", "ml.g6e.xlarge", "ml.trn1.2xlarge"]
)
def test_any_local_storage_variant_exempts_the_configuration(instance_type: str) -> None:
    c = set_input(capture(BASELINE), "endpoint-config", "kmsKeyArn", DELETE)
    variant = {
        "variantName": "shadow",
        "modelName": "fraud-model",
        "instanceType": instance_type,
        "initialInstanceCount": 1,
    }
    set_input(c, "endpoint-config", "shadowProductionVariants", [variant])
    assert findings(gate(c), "data-2") == set()


# ------------------------------------------------------------------------------ environments and preview
def test_sandbox_findings_are_advisory() -> None:
    c = set_input(capture(BASELINE), "key", "enableKeyRotation", DELETE)
    drop(c, "data-sse")
    report = gate(c, environment="sandbox")
    assert findings(report, "data-2", level="advisory") == {(KMS, "key"), (SSE, "data")}
    assert findings(report, "data-2", level="mandatory") == set()


def test_unknown_values_at_preview_are_reported_not_passed() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "key", "enableKeyRotation", UNKNOWN)
    report = gate(c)
    assert findings(report, "data-2") == set()
    # Every key reference is the key's ARN / id, unknown until the key exists: those checks wait for the update.
    assert unknowns(report, "data-2") == {
        (KMS, "key", "advisory"),
        (SSE, "data", "advisory"),
        (RDS, "vectors", "advisory"),
        (RDS, "features", "advisory"),
        (GCS, "gcs", "advisory"),
        (SQL, "pg", "advisory"),
        (ALLOYDB, "alloy", "advisory"),
        (ENDPOINT, "endpoint-config", "advisory"),
    }


# ------------------------------------------------------------------- S3 server access log destinations
#: A data bucket (SSE-KMS) whose server access logs go to an SSE-S3 bucket, as LockedBucket builds it: S3 log
#: delivery supports no SSE-KMS destination, so DATA-2 exempts the destination from the KMS requirement only.
LOGS = """
import pulumi_aws as aws
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}
D = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs
key = aws.kms.Key("key", enable_key_rotation=True, tags=TAGS)
data = aws.s3.Bucket("data", tags=TAGS)
aws.s3.BucketServerSideEncryptionConfiguration("data-sse", bucket=data.bucket, rules=[
    aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
        apply_server_side_encryption_by_default=D(sse_algorithm="aws:kms", kms_master_key_id=key.arn))])
logs = aws.s3.Bucket("logs", tags=TAGS)  # no Object Lock: S3 delivers no access logs to such a bucket
aws.s3.BucketServerSideEncryptionConfiguration("logs-sse", bucket=logs.bucket, rules=[
    aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
        apply_server_side_encryption_by_default=D(sse_algorithm="AES256"))])
aws.s3.BucketLogging("data-logging", bucket=data.bucket, target_bucket=logs.bucket, target_prefix="s3-access/")
"""
MUST_LOGS = (
    "an S3 server access log destination must use sse_algorithm 'AES256' (log delivery supports no SSE-KMS "
    "destination), any other bucket 'aws:kms' with a customer-managed kmsMasterKeyId."
)


def test_sse_s3_access_log_destination_is_not_a_finding() -> None:
    assert findings(gate(capture(LOGS)), "data-2") == set()
    assert findings(gate(capture(LOGS, preview_mode=True)), "data-2") == set()
    # Without a configuration the bucket gets the S3 default, SSE-S3: what log delivery needs.
    assert findings(gate(drop(capture(LOGS), "logs-sse")), "data-2") == set()


def test_the_exception_needs_the_bucket_logging_of_another_bucket() -> None:
    report = gate(drop(capture(LOGS), "data-logging"))
    assert findings(report, "data-2") == {(SSE, "logs")}
    assert messages(report, SSE)["logs"] == [
        "aws:s3/bucket:Bucket 'logs' (confidential): BucketServerSideEncryptionConfiguration 'logs-sse' sets "
        "sseAlgorithm 'AES256' (S3-managed keys); must use sse_algorithm 'aws:kms' with a customer-managed "
        "kmsMasterKeyId."
    ]


def test_a_data_bucket_logging_into_itself_is_still_a_data_bucket() -> None:
    c = set_input(
        capture(LOGS), "data-sse", "rules.0.applyServerSideEncryptionByDefault", {"sseAlgorithm": "AES256"}
    )
    set_input(c, "data-logging", "targetBucket", resource(c, "data").outputs["bucket"])
    resource(c, "data-logging").property_dependencies["targetBucket"] = [resource(c, "data").urn]
    assert findings(gate(c), "data-2") == {(SSE, "data"), (SSE, "logs")}


def test_a_destination_that_also_receives_other_logs_is_not_exempt() -> None:
    code = LOGS + 'aws.cloudtrail.Trail("trail", s3_bucket_name=logs.bucket, kms_key_id=key.arn, tags=TAGS)\n'
    assert findings(gate(capture(code)), "data-2") == {(SSE, "logs")}


def test_a_destination_still_needs_sse_s3_or_kms() -> None:
    c = set_input(capture(LOGS), "logs-sse", "rules.0.applyServerSideEncryptionByDefault", DELETE)
    report = gate(c)
    assert findings(report, "data-2") == {(SSE, "logs")}
    assert messages(report, SSE)["logs"] == [
        "aws:s3/bucket:Bucket 'logs' (confidential): BucketServerSideEncryptionConfiguration 'logs-sse' sets no "
        "applyServerSideEncryptionByDefault (S3 default: SSE-S3, AES256); " + MUST_LOGS
    ]


def test_a_log_source_unknown_at_preview_leaves_the_candidate_undecided() -> None:
    c = capture(LOGS, preview_mode=True)
    set_input(c, "data-logging", "targetBucket", UNKNOWN)
    resource(c, "data-logging").property_dependencies.pop("targetBucket", None)
    report = gate(c)
    assert findings(report, "data-2") == set()
    # 'logs' may now receive the data bucket's logs or not: undecided, not passed ('data' waits for its key's ARN).
    assert unknowns(report, "data-2") == {(SSE, "logs", "advisory"), (SSE, "data", "advisory")}
