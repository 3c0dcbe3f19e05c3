"""SEC-2: secrets in a secret manager under a customer-managed key, rotated, not literal Kubernetes Secrets."""

from __future__ import annotations

from aiwarden.capture.props import secret
from tests.harness import DELETE, capture, findings, gate, message, set_input, unknowns

CMK = "sec-2-secretsmanager-secret-customer-managed-key"
ROTATION = "sec-2-secretsmanager-secret-rotation"
GCP_CMEK = "sec-2-gcp-secret-cmek"
K8S = "sec-2-kubernetes-no-literal-secrets"

BASELINE = """
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s

TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
K8S_LABELS = {f"aiwarden.io/{k}": v for k, v in TAGS.items()}
GCP_KEY = "projects/p/locations/us-central1/keyRings/ring/cryptoKeys/secrets"

key = aws.kms.Key("key", enable_key_rotation=True, tags=TAGS)
db = aws.secretsmanager.Secret("db", name="inference/db", kms_key_id=key.arn, tags=TAGS)
api = aws.secretsmanager.Secret("api", kms_key_id=key.arn, tags=TAGS)
provider_key = aws.secretsmanager.Secret("provider-key", kms_key_id=key.arn,
                                         tags={**TAGS, "rotation": "not-supported"})
aws.secretsmanager.SecretRotation("api-rotation", secret_id=api.id,
    rotation_lambda_arn="arn:aws:lambda:us-east-1:123456789012:function:rotate",
    rotation_rules=aws.secretsmanager.SecretRotationRotationRulesArgs(automatically_after_days=30))
aws.secretsmanager.SecretRotation("db-rotation", secret_id="inference/db",  # by name, no dependency
    rotation_lambda_arn="arn:aws:lambda:us-east-1:123456789012:function:rotate",
    rotation_rules=aws.secretsmanager.SecretRotationRotationRulesArgs(automatically_after_days=30))

gcp.secretmanager.Secret("gsm-auto", secret_id="openai", labels=TAGS,
    replication=gcp.secretmanager.SecretReplicationArgs(auto=gcp.secretmanager.SecretReplicationAutoArgs(
        customer_managed_encryption=gcp.secretmanager.SecretReplicationAutoCustomerManagedEncryptionArgs(
            kms_key_name=GCP_KEY))))
gcp.secretmanager.Secret("gsm-user", secret_id="hf", labels=TAGS,
    replication=gcp.secretmanager.SecretReplicationArgs(user_managed=gcp.secretmanager.SecretReplicationUserManagedArgs(
        replicas=[gcp.secretmanager.SecretReplicationUserManagedReplicaArgs(location=loc,
            customer_managed_encryption=gcp.secretmanager.SecretReplicationUserManagedReplicaCustomerManagedEncryptionArgs(
                kms_key_name=GCP_KEY)) for loc in ("us-central1", "us-east1")])))
gcp.secretmanager.RegionalSecret("gsm-regional", secret_id="regional", location="us-central1", labels=TAGS,
    customer_managed_encryption=gcp.secretmanager.RegionalSecretCustomerManagedEncryptionArgs(kms_key_name=GCP_KEY))
gcp.secretmanager.Secret("gsm-internal", secret_id="feature-flags",
    labels={**TAGS, "data-classification": "internal"},
    replication=gcp.secretmanager.SecretReplicationArgs(auto=gcp.secretmanager.SecretReplicationAutoArgs()))

# The target of an ExternalSecret (no data in the program) and a cluster-filled token Secret.
k8s.core.v1.Secret("synced", metadata=k8s.meta.v1.ObjectMetaArgs(labels=K8S_LABELS))
k8s.core.v1.Secret("sa-token", type="kubernetes.io/service-account-token",
    metadata=k8s.meta.v1.ObjectMetaArgs(labels=K8S_LABELS, annotations={"kubernetes.io/service-account.name": "llm"}))
"""


def test_compliant_baseline_has_no_sec2_finding() -> None:
    assert findings(gate(capture(BASELINE)), "sec-2") == set()


def test_aws_secret_without_customer_managed_key() -> None:
    c = set_input(capture(BASELINE), "db", "kmsKeyId", DELETE)
    set_input(c, "api", "kmsKeyId", "alias/aws/secretsmanager")
    set_input(c, "provider-key", "replicas", [{"region": "us-west-2"}])
    report = gate(c)
    assert findings(report, "sec-2") == {(CMK, "db"), (CMK, "api"), (CMK, "provider-key")}
    assert message(report, CMK, "db") == (
        "aws:secretsmanager/secret:Secret 'db': kmsKeyId is not set (AWS default: the AWS managed key "
        "aws/secretsmanager); it must name a customer-managed KMS key."
    )
    assert "kmsKeyId is 'alias/aws/secretsmanager', an AWS managed key" in message(report, CMK, "api")
    assert "replicas[0] (us-west-2).kmsKeyId is not set" in message(report, CMK, "provider-key")


def test_secret_without_rotation() -> None:
    c = capture(BASELINE)
    c.resources = [r for r in c.resources if r.name != "api-rotation"]
    set_input(c, "db-rotation", "rotationEnabled", False)
    set_input(c, "provider-key", "tags.rotation", DELETE)
    report = gate(c)
    assert findings(report, "sec-2") == {(ROTATION, "api"), (ROTATION, "db"), (ROTATION, "provider-key")}
    assert message(report, ROTATION, "api") == (
        "aws:secretsmanager/secret:Secret 'api' has no rotation: no "
        "aws:secretsmanager/secretRotation:SecretRotation with rotation enabled targets it (AWS default: rotation "
        "off). Configure a SecretRotation, or tag the secret rotation=not-supported when its kind cannot be rotated."
    )


def test_rotation_of_another_secret_does_not_count() -> None:
    c = set_input(capture(BASELINE), "db-rotation", "secretId", "inference/other")
    assert findings(gate(c), "sec-2") == {(ROTATION, "db")}


def test_sandbox_is_advisory() -> None:
    c = set_input(capture(BASELINE), "db", "kmsKeyId", DELETE)
    c.resources = [r for r in c.resources if r.name != "api-rotation"]
    report = gate(c, environment="sandbox")
    assert findings(report, "sec-2", level="advisory") == {(CMK, "db"), (ROTATION, "api")}
    assert findings(report, "sec-2", level="mandatory") == set()


def test_gcp_sensitive_secrets_without_cmek() -> None:
    c = capture(BASELINE)
    set_input(c, "gsm-auto", "replication.auto.customerManagedEncryption", DELETE)
    set_input(c, "gsm-user", "replication.userManaged.replicas.1.customerManagedEncryption", DELETE)
    set_input(c, "gsm-regional", "customerManagedEncryption", DELETE)
    report = gate(c)
    assert findings(report, "sec-2") == {
        (GCP_CMEK, "gsm-auto"),
        (GCP_CMEK, "gsm-user"),
        (GCP_CMEK, "gsm-regional"),
    }
    assert message(report, GCP_CMEK, "gsm-auto") == (
        "gcp:secretmanager/secret:Secret 'gsm-auto' (data-classification confidential): "
        "replication.auto.customerManagedEncryption.kmsKeyName is not set (Google default: Google-managed "
        "encryption keys); it must use CMEK."
    )
    assert "replication.userManaged.replicas[1] (us-east1).customerManagedEncryption.kmsKeyName" in message(
        report, GCP_CMEK, "gsm-user"
    )
    assert "customerManagedEncryption.kmsKeyName is not set" in message(report, GCP_CMEK, "gsm-regional")


def test_gcp_unclassified_secret_is_treated_as_sensitive() -> None:
    c = set_input(capture(BASELINE), "gsm-internal", "labels.data-classification", DELETE)
    report = gate(c)
    assert findings(report, "sec-2") == {(GCP_CMEK, "gsm-internal")}
    assert "(data-classification unclassified (treated as sensitive))" in message(
        report, GCP_CMEK, "gsm-internal"
    )


def test_kubernetes_literal_secret() -> None:
    c = set_input(capture(BASELINE), "synced", "stringData", secret({"OPENAI_API_KEY": "sk-literal-value"}))
    # Service-account token Secrets are filled by the cluster.
    set_input(c, "sa-token", "data", secret({"token": "dG9rZW4="}))
    report = gate(c)
    assert findings(report, "sec-2") == {(K8S, "synced")}
    text = message(report, K8S, "synced")
    assert text == (
        "kubernetes:core/v1:Secret 'synced' (type Opaque): stringData holds literal values (keys: OPENAI_API_KEY); "
        "deliver the secret from the cloud secret manager (External Secrets or the Secrets Store CSI driver)."
    )
    assert "sk-literal" not in text


def test_unknown_key_at_preview_is_reported_not_passed() -> None:
    # kms_key_id=key.arn is unknown at preview; rotation still matches by property dependency / name.
    report = gate(capture(BASELINE, preview_mode=True))
    assert findings(report, "sec-2") == set()
    assert unknowns(report, "sec-2") == {(CMK, n, "advisory") for n in ("db", "api", "provider-key")}
