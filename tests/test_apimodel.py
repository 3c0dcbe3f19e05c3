"""Offline API-model validation: inputs the clouds' own API models refuse are refused before any policy runs.

Each case: a compliant registration passes, and one change makes the API model refuse it, naming the
property, the value and what the API accepts. Then the whole path through the real CLI: exit 2, one line
per refused input, naming the resource and its declaring line.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from aiwarden.apimodel import ApiModelError, covers, rejections, validate
from aiwarden.apimodel.spec import SECRET_SIG, UNKNOWN, pattern_matches
from aiwarden.apimodel.table import load
from aiwarden.capture.model import Capture, Registration
from aiwarden.gate import evaluate
from tests.harness import write_program


def reg(type_token: str, inputs: dict[str, Any], name: str = "r") -> Registration:
    return Registration(
        urn=f"urn:pulumi:test::test::{type_token}::{name}",
        type=type_token,
        name=name,
        custom=True,
        parent="",
        provider="",
        id="",
        inputs=inputs,
    )


def refused(type_token: str, inputs: dict[str, Any]) -> list[tuple[str, Any, str]]:
    return [(r.path, r.value, r.accepts) for r in rejections(reg(type_token, inputs))]


LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
COLLECTION = "aws:opensearch/serverlessCollection:ServerlessCollection"
BUDGET = "aws:budgets/budget:Budget"
SQL = "gcp:sql/databaseInstance:DatabaseInstance"
EXTERNAL_SECRET_V1 = "kubernetes:external-secrets.io/v1:ExternalSecret"
NOTIFICATION = {
    "comparisonOperator": "GREATER_THAN",
    "notificationType": "ACTUAL",
    "threshold": 80,
    "thresholdType": "PERCENTAGE",
    "subscriberEmailAddresses": ["finops@example.com"],
}
SQL_OK = {"databaseVersion": "POSTGRES_16", "settings": {"tier": "db-custom-2-8192", "edition": "ENTERPRISE"}}
EXTERNAL_SECRET = {
    "metadata": {"name": "llm-keys", "namespace": "inference"},
    "spec": {
        "refreshInterval": "1h",
        "secretStoreRef": {"name": "aws", "kind": "SecretStore"},
        "target": {"name": "llm-keys", "creationPolicy": "Owner"},
        "dataFrom": [{"extract": {"key": "prod/llm"}}],
    },
}


class TestAws:
    def test_log_group_retention_is_one_of_the_documented_values(self) -> None:
        assert refused(LOG_GROUP, {"retentionInDays": 365, "kmsKeyId": "arn:aws:kms:us-east-1:1:key/k"}) == []
        [(path, value, accepts)] = refused(LOG_GROUP, {"retentionInDays": 45})
        assert (path, value) == ("retentionInDays", 45)
        assert accepts.startswith("one of 0, 1, 3, 5, 7, 14, 30, 60, 90,")
        assert "API_PutRetentionPolicy.html" in accepts

    def test_log_group_name_follows_the_model_pattern(self) -> None:
        assert refused(LOG_GROUP, {"name": "/aiwarden/vpc-flow"}) == []
        [(path, _, accepts)] = refused(LOG_GROUP, {"name": "flow logs!"})
        assert path == "name"
        assert "pattern" in accepts

    def test_serverless_collection_name_is_lowercase(self) -> None:
        assert refused(COLLECTION, {"name": "rag-vectors", "type": "VECTORSEARCH"}) == []
        assert refused(COLLECTION, {"name": "RAG_Vectors", "type": "VECTORSEARCH"}) == [
            ("name", "RAG_Vectors", "a value matching the pattern [a-z][a-z0-9_-]+")
        ]

    def test_serverless_collection_type_is_an_enum(self) -> None:
        assert refused(COLLECTION, {"name": "rag", "type": "VECTOR"}) == [
            ("type", "VECTOR", "one of SEARCH, TIMESERIES, VECTORSEARCH")
        ]

    def test_budget_has_at_most_ten_notifications(self) -> None:
        assert (
            refused(
                BUDGET, {"budgetType": "COST", "timeUnit": "MONTHLY", "notifications": [NOTIFICATION] * 10}
            )
            == []
        )
        assert refused(
            BUDGET, {"budgetType": "COST", "timeUnit": "MONTHLY", "notifications": [NOTIFICATION] * 11}
        ) == [("notifications", "11 items", "at most 10 items")]

    def test_budget_time_unit_is_an_enum(self) -> None:
        assert refused(BUDGET, {"timeUnit": "WEEKLY"})[0][:2] == ("timeUnit", "WEEKLY")

    def test_s3_bucket_name_follows_the_naming_rules(self) -> None:
        assert refused("aws:s3/bucket:Bucket", {"bucket": "acme-training-data"}) == []
        [(path, value, accepts)] = refused("aws:s3/bucket:Bucket", {"bucket": "Training_Data"})
        assert (path, value) == ("bucket", "Training_Data")
        assert "bucketnamingrules" in accepts

    def test_nested_structures_are_checked_by_member_name(self) -> None:
        sse = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
        rule = {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}, "bucketKeyEnabled": True}
        assert refused(sse, {"bucket": "b", "rules": [rule]}) == []
        bad = {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "KMS"}}
        assert refused(sse, {"bucket": "b", "rules": [bad]}) == [
            (
                "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm",
                "KMS",
                "one of AES256, aws:fsx, aws:backup, aws:kms, aws:kms:dsse",
            )
        ]

    def test_kms_deletion_window_is_seven_to_thirty_days(self) -> None:
        assert refused("aws:kms/key:Key", {"deletionWindowInDays": 30}) == []
        [(path, value, accepts)] = refused("aws:kms/key:Key", {"deletionWindowInDays": 90})
        assert (path, value) == ("deletionWindowInDays", 90)
        assert accepts.startswith("at most 30")

    def test_secret_recovery_window_is_zero_or_seven_to_thirty(self) -> None:
        secret = "aws:secretsmanager/secret:Secret"
        assert refused(secret, {"recoveryWindowInDays": 0}) == []
        assert refused(secret, {"recoveryWindowInDays": 7}) == []
        [(path, value, _)] = refused(secret, {"recoveryWindowInDays": 3})
        assert (path, value) == ("recoveryWindowInDays", 3)

    def test_launch_template_metadata_options_are_enums(self) -> None:
        lt = "aws:ec2/launchTemplate:LaunchTemplate"
        assert (
            refused(lt, {"metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 1}}) == []
        )
        [(path, value, _)] = refused(lt, {"metadataOptions": {"httpTokens": "REQUIRED"}})
        assert (path, value) == ("metadataOptions.httpTokens", "REQUIRED")


class TestGcp:
    def test_postgres_16_without_edition_rejects_custom_tiers(self) -> None:
        assert refused(SQL, SQL_OK) == []
        [(path, value, accepts)] = refused(
            SQL, {"databaseVersion": "POSTGRES_16", "settings": {"tier": "db-custom-2-8192"}}
        )
        assert (path, value) == ("settings.tier", "db-custom-2-8192")
        assert "ENTERPRISE_PLUS (the default edition of POSTGRES_16)" in accepts
        assert "settings.edition = ENTERPRISE" in accepts

    def test_enterprise_plus_needs_a_performance_optimized_tier(self) -> None:
        plus = {
            "databaseVersion": "POSTGRES_16",
            "settings": {"tier": "db-perf-optimized-N-2", "edition": "ENTERPRISE_PLUS"},
        }
        assert refused(SQL, plus) == []
        assert (
            refused(SQL, {"databaseVersion": "POSTGRES_15", "settings": {"tier": "db-perf-optimized-N-2"}})[
                0
            ][0]
            == "settings.tier"
        )

    def test_sql_enums_from_the_discovery_document(self) -> None:
        bad = {**SQL_OK, "settings": {**SQL_OK["settings"], "availabilityType": "MULTI_ZONE"}}
        [(path, value, accepts)] = refused(SQL, bad)
        assert (path, value) == ("settings.availabilityType", "MULTI_ZONE")
        assert "REGIONAL" in accepts

    def test_renamed_properties_reach_their_api_member(self) -> None:
        bucket = "gcp:storage/bucket:Bucket"
        assert refused(bucket, {"publicAccessPrevention": "enforced"}) == []
        # storage.v1 documents publicAccessPrevention without an enum; the firewall direction has one.
        fw = "gcp:compute/firewall:Firewall"
        assert refused(fw, {"direction": "EGRESS", "logConfig": {"metadata": "INCLUDE_ALL_METADATA"}}) == []
        assert refused(fw, {"direction": "OUTBOUND"})[0][:2] == ("direction", "OUTBOUND")
        assert refused(fw, {"logConfig": {"metadata": "ALL"}})[0][:2] == ("logConfig.metadata", "ALL")

    def test_service_account_id_follows_the_documented_rule(self) -> None:
        account = "gcp:serviceaccount/account:Account"
        assert refused(account, {"accountId": "gpu-nodes"}) == []
        assert refused(account, {"accountId": "GPU"})[0][:2] == ("accountId", "GPU")


class TestKubernetes:
    def test_external_secrets_v1beta1_is_not_served(self) -> None:
        assert refused(EXTERNAL_SECRET_V1, EXTERNAL_SECRET) == []
        [(path, value, accepts)] = refused(
            "kubernetes:external-secrets.io/v1beta1:ExternalSecret", EXTERNAL_SECRET
        )
        assert (path, value) == ("apiVersion", "external-secrets.io/v1beta1")
        assert "external-secrets.io/v1;" in accepts and "v2.9.0" in accepts

    def test_crd_schema_is_checked(self) -> None:
        bad = {**EXTERNAL_SECRET, "spec": {**EXTERNAL_SECRET["spec"], "refreshInterval": 3600}}
        assert refused(EXTERNAL_SECRET_V1, bad)[0][:2] == ("spec.refreshInterval", 3600)

    def test_unknown_fields_are_refused_as_the_api_server_does(self) -> None:
        ns = {
            "metadata": {"name": "inference", "labels": {"pod-security.kubernetes.io/enforce": "restricted"}}
        }
        assert refused("kubernetes:core/v1:Namespace", ns) == []
        [(path, value, accepts)] = refused(
            "kubernetes:core/v1:Namespace", {**ns, "spec": {"finalizer": ["x"]}}
        )
        assert (path, value) == ("spec.finalizer", ["x"])
        assert "no field 'finalizer'" in accepts and "finalizers" in accepts

    def test_types_are_checked_against_every_supported_version(self) -> None:
        from aiwarden.apimodel.kubernetes import SUPPORTED_VERSIONS

        assert len(SUPPORTED_VERSIONS) >= 2
        assert covers("kubernetes:networking.k8s.io/v1:NetworkPolicy")
        # Removed from Kubernetes long ago: no supported version serves it.
        assert [
            p for p, _, _ in refused("kubernetes:extensions/v1beta1:Ingress", {"metadata": {"name": "x"}})
        ] == []
        assert not covers("kubernetes:extensions/v1beta1:Ingress")


class TestValues:
    def test_unknown_values_are_not_refused(self) -> None:
        assert refused(LOG_GROUP, {"retentionInDays": UNKNOWN}) == []
        assert refused(COLLECTION, {"name": UNKNOWN}) == []

    def test_secret_values_are_checked_but_never_shown(self) -> None:
        [(path, value, _)] = refused(
            COLLECTION, {"name": {SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "value": "Secret_Name"}}
        )
        assert (path, value) == ("name", "[secret]")

    def test_shape_mismatch_is_skipped_not_guessed(self) -> None:
        # Pulumi's tag map is SageMaker's list of Key/Value structures: different shape, not checked...
        assert refused("aws:sagemaker/model:Model", {"tags": {"owner": "x" * 300}}) == []
        # ...where CloudWatch Logs takes a map, as Pulumi does: checked (tag values up to 256 characters).
        assert refused(LOG_GROUP, {"tags": {"owner": "x" * 300}})[0][0] == "tags.owner"

    @pytest.mark.parametrize(
        ("pattern", "value", "ok"),
        [
            ("[a-z][a-z0-9-]+", "rag-vectors", True),
            ("[a-z][a-z0-9-]+", "RAG", False),  # unanchored model patterns must match the whole value
            ("^[0-9A-Za-z][A-Za-z0-9\\-_]*", "gpu_cluster", True),  # anchored ones say what they anchor
            ("\\p{L}+", "anything", True),  # Java-only syntax: not checked
        ],
    )
    def test_pattern_semantics(self, pattern: str, value: str, ok: bool) -> None:
        assert pattern_matches(pattern, value) is ok


class TestTable:
    @pytest.mark.parametrize(
        ("type_token", "prop", "member"),
        [
            (LOG_GROUP, "retentionInDays", "PutRetentionPolicyRequest.retentionInDays"),
            (LOG_GROUP, "name", "CreateLogGroupRequest.logGroupName"),
            (BUDGET, "notifications", "CreateBudgetRequest.NotificationsWithSubscribers"),
            ("aws:eks/cluster:Cluster", "vpcConfig", "CreateClusterRequest.resourcesVpcConfig"),
            ("aws:rds/cluster:Cluster", "engineVersion", "CreateDBClusterMessage.EngineVersion"),
            (SQL, "encryptionKeyName", "DatabaseInstance.diskEncryptionConfiguration.kmsKeyName"),
            (
                "gcp:storage/bucket:Bucket",
                "uniformBucketLevelAccess",
                "Bucket.iamConfiguration.uniformBucketLevelAccess.enabled",
            ),
            ("gcp:container/nodePool:NodePool", "nodeConfig", "NodePool.config"),
        ],
    )
    def test_property_maps_to_its_api_member(self, type_token: str, prop: str, member: str) -> None:
        assert load()["types"][type_token]["properties"][prop] == member

    def test_provider_only_settings_are_listed_as_not_in_the_model(self) -> None:
        assert "forceDestroy" in load()["types"]["aws:s3/bucket:Bucket"]["notInModel"]
        assert "deletionProtection" in load()["types"][SQL]["notInModel"]

    def test_table_records_the_model_versions(self) -> None:
        assert set(load()["generatedFrom"]) >= {"botocore", "google-api-python-client", "kubernetes-validate"}


INVALID_PROGRAM = """\
import pulumi
import pulumi_aws as aws
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s

aws.cloudwatch.LogGroup("flow-logs", retention_in_days=45)
aws.opensearch.ServerlessCollection("vectors", name="RAG_Vectors", type="VECTORSEARCH")
gcp.sql.DatabaseInstance(
    "pg", database_version="POSTGRES_16", region="europe-west1",
    settings={"tier": "db-custom-2-8192"},
)
k8s.apiextensions.CustomResource(
    "llm-keys", api_version="external-secrets.io/v1beta1", kind="ExternalSecret",
    metadata={"name": "llm-keys"}, spec={"refreshInterval": "1h"},
)
aws.s3.Bucket("fine", bucket="acme-fine")
"""


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aiwarden.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_check_refuses_api_invalid_inputs_with_exit_2() -> None:
    program = write_program(INVALID_PROGRAM)
    done = cli("check", str(program))
    assert done.returncode == 2, done.stderr
    err = " ".join(done.stderr.split())
    assert "4 input(s) the cloud API would refuse" in err
    assert (
        "aws:cloudwatch/logGroup:LogGroup 'flow-logs' (__main__.py:6): retentionInDays = 45; the API accepts one of 0, 1, 3,"
        in err
    )
    assert (
        "'vectors' (__main__.py:7): name = 'RAG_Vectors'; the API accepts a value matching the pattern" in err
    )
    assert "'pg' (__main__.py:8): settings.tier = 'db-custom-2-8192'" in err
    assert "'llm-keys' (__main__.py:12): apiVersion = 'external-secrets.io/v1beta1'" in err
    assert "acme-fine" not in err
    assert "docs/api-models.md" in err


def test_skip_api_validation_runs_the_policies_anyway() -> None:
    done = cli("check", str(write_program(INVALID_PROGRAM)), "--skip-api-validation", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    assert '"violations"' in done.stdout


def test_a_capture_is_refused_before_any_policy_runs() -> None:
    c = Capture(project="p", stack="s", organization="o", preview=False, config={}, secret_keys=[])
    c.resources.append(reg(LOG_GROUP, {"retentionInDays": 45}, "flow"))
    with pytest.raises(ApiModelError) as raised:
        evaluate(c)
    assert [i.name for i in raised.value.invalid] == ["flow"]


def test_validate_returns_every_refusal_in_registration_order() -> None:
    found = validate([reg(LOG_GROUP, {"retentionInDays": 45}, "a"), reg(COLLECTION, {"name": "Xyz"}, "b")])
    assert [(i.name, i.rejection.path) for i in found] == [("a", "retentionInDays"), ("b", "name")]
