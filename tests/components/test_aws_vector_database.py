"""VectorDatabase (AWS): a private, encrypted, IAM-authenticated Aurora PostgreSQL cluster for pgvector."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from components._common import AwsNetwork, ExistingKey, Ownership
from components.aws import VectorDatabaseArgs
from tests.components.aws_helpers import ACCOUNT, KEY_ARN, run, statements
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    incident_response,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import findings, gate

NETWORK = """AwsNetwork(vpc_id="vpc-0123456789abcdef0",
                     subnet_ids=("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"),
                     security_group_ids=("sg-0123456789abcdef0",))"""
DEFAULT = (
    f'VectorDatabase("pg", VectorDatabaseArgs(ownership=o, cluster_identifier="rag-pg", network={NETWORK}))'
)
OPTIONS = f"""
VectorDatabase("pg", VectorDatabaseArgs(
    ownership=o, cluster_identifier="rag-pg", network={NETWORK}, kms_key=ExistingKey(key="{KEY_ARN}"),
    database_name="embeddings", master_username="rag_owner", engine_version="15.10", instances=1,
    min_capacity=0, max_capacity=4, backup_retention_days=35))
"""
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="rag"
)
NET = AwsNetwork(
    vpc_id="vpc-0123456789abcdef0",
    subnet_ids=("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"),
    security_group_ids=("sg-0123456789abcdef0",),
)


def test_default_children() -> None:
    c = run(DEFAULT)
    assert children(c) == [
        ("aiwarden:aws:Key", "pg-key"),
        ("aiwarden:aws:VectorDatabase", "pg"),
        ("aws:kms/alias:Alias", "pg-key-alias"),
        ("aws:kms/key:Key", "pg-key-cmk"),
        ("aws:rds/cluster:Cluster", "pg-cluster"),
        ("aws:rds/clusterInstance:ClusterInstance", "pg-instance-0"),
        ("aws:rds/clusterInstance:ClusterInstance", "pg-instance-1"),
        ("aws:rds/clusterParameterGroup:ClusterParameterGroup", "pg-parameters"),
        ("aws:rds/subnetGroup:SubnetGroup", "pg-subnet-group"),
    ]
    for name in ("pg-key", "pg-cluster", "pg-instance-0", "pg-parameters", "pg-subnet-group"):
        assert parent_name(c, name) == "pg"


def test_default_security_inputs() -> None:
    c = run(DEFAULT)
    cluster = inputs(c, "pg-cluster")
    key_arn = cluster["kmsKeyId"]
    assert key_arn.startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-")
    expected = {
        "clusterIdentifier": "rag-pg",
        "engine": "aurora-postgresql",
        "engineMode": "provisioned",
        "engineVersion": "16.6",
        "storageEncrypted": True,  # AWS default: false
        "iamDatabaseAuthenticationEnabled": True,  # AWS default: false
        "manageMasterUserPassword": True,
        "masterUserSecretKmsKeyId": key_arn,
        "masterUsername": "vector_admin",
        "deletionProtection": True,  # provider default: false
        "skipFinalSnapshot": False,
        "finalSnapshotIdentifier": "rag-pg-final",
        "backupRetentionPeriod": 14.0,
        "copyTagsToSnapshot": True,
        "enableHttpEndpoint": False,
        "enabledCloudwatchLogsExports": ["postgresql"],
        "allowMajorVersionUpgrade": False,
        "autoMinorVersionUpgrade": True,
        "vpcSecurityGroupIds": ["sg-0123456789abcdef0"],
        "serverlessv2ScalingConfiguration": {"minCapacity": 0.5, "maxCapacity": 8.0},
        "databaseName": "vectors",
        "tags": OWNERSHIP,
    }
    assert {k: cluster[k] for k in expected} == expected
    assert "masterPassword" not in cluster
    assert inputs(c, "pg-parameters")["family"] == "aurora-postgresql16"
    assert inputs(c, "pg-subnet-group")["subnetIds"] == [
        "subnet-0123456789abcdef0",
        "subnet-0123456789abcdef1",
    ]
    for i in (0, 1):
        instance = inputs(c, f"pg-instance-{i}")
        assert instance["publiclyAccessible"] is False
        assert instance["instanceClass"] == "db.serverless"
        assert instance["identifier"] == f"rag-pg-{i}"
        assert (instance["performanceInsightsEnabled"], instance["performanceInsightsKmsKeyId"]) == (
            True,
            key_arn,
        )
        assert instance["autoMinorVersionUpgrade"] is True
        assert instance["tags"] == OWNERSHIP
    usage = statements(c, "pg-key-cmk")["KeyUsage"]
    assert usage["Condition"]["StringEquals"]["kms:ViaService"] == [
        "rds.us-east-1.amazonaws.com",
        "secretsmanager.us-east-1.amazonaws.com",
    ]


def test_engine_version_is_not_downgraded_after_automatic_minor_upgrades() -> None:
    """Aurora's automatic minor upgrades move the cluster past `engine_version`; without ignore_changes the next
    `pulumi up` would try to go back to 16.6, which RDS refuses. The instances take the cluster's version."""
    c = run(DEFAULT)
    [cluster] = [r for r in c.resources if r.name == "pg-cluster"]
    assert cluster.options["ignoreChanges"] == ["engineVersion"]
    assert (cluster.inputs["engineVersion"], cluster.inputs["autoMinorVersionUpgrade"]) == ("16.6", True)
    for i in (0, 1):
        [instance] = [r for r in c.resources if r.name == f"pg-instance-{i}"]
        assert "engineVersion" not in instance.inputs
        assert instance.inputs["autoMinorVersionUpgrade"] is True
        assert instance.options["ignoreChanges"] == []


def test_statement_audit_logging_is_on_and_exported() -> None:
    """CIS: pgaudit preloaded (a static parameter: pending-reboot, RDS refuses `immediate`), DDL and role changes
    audited without statement parameters, DDL statements and connections logged, the log exported."""
    c = run(DEFAULT)
    assert inputs(c, "pg-parameters")["parameters"] == [
        {"name": "rds.force_ssl", "value": "1", "applyMethod": "immediate"},
        {
            "name": "shared_preload_libraries",
            "value": "pg_stat_statements,pgaudit",
            "applyMethod": "pending-reboot",
        },
        {"name": "pgaudit.log", "value": "ddl,role", "applyMethod": "immediate"},
        {"name": "pgaudit.log_parameter", "value": "0", "applyMethod": "immediate"},
        {"name": "log_statement", "value": "ddl", "applyMethod": "immediate"},
        {"name": "log_connections", "value": "1", "applyMethod": "immediate"},
        {"name": "log_disconnections", "value": "1", "applyMethod": "immediate"},
    ]
    cluster = inputs(c, "pg-cluster")
    assert cluster["enabledCloudwatchLogsExports"] == ["postgresql"]
    assert "pg-parameters" in depends_on(c, "pg-cluster")


def test_default_inventory_record() -> None:
    c = run(DEFAULT)
    assert inventory(c)["pg-cluster"]["kind"] == "vector-store"
    ir = incident_response(c)["pg-cluster"]
    assert ir["logsToPreserve"] == ["CloudWatch Logs /aws/rds/cluster/rag-pg/postgresql"]
    assert len(ir["credentialsToRevoke"]) == 1 and len(ir["endpointsToDisable"]) == 1


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT, trail=True)), level="mandatory") == set()


def test_options() -> None:
    c = run(OPTIONS)
    assert "pg-key" not in [n for _, n in children(c)]
    assert "pg-instance-1" not in [n for _, n in children(c)]
    cluster = inputs(c, "pg-cluster")
    assert (cluster["kmsKeyId"], cluster["masterUserSecretKmsKeyId"]) == (KEY_ARN, KEY_ARN)
    assert (cluster["databaseName"], cluster["masterUsername"], cluster["engineVersion"]) == (
        "embeddings",
        "rag_owner",
        "15.10",
    )
    assert cluster["serverlessv2ScalingConfiguration"] == {"minCapacity": 0.0, "maxCapacity": 4.0}
    assert cluster["backupRetentionPeriod"] == 35.0
    assert inputs(c, "pg-parameters")["family"] == "aurora-postgresql15"
    assert findings(gate(run(OPTIONS, trail=True)), level="mandatory") == set()


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"kms_key": None}, ["kms_key: confidential data must be encrypted with a customer-managed key"]),
        ({"kms_key": ExistingKey(key="alias/aws/rds")}, ["kms_key.key"]),
        ({"cluster_identifier": "Rag_PG"}, ["cluster_identifier"]),
        ({"cluster_identifier": "rag--pg"}, ["cluster_identifier"]),
        ({"cluster_identifier": "rag-"}, ["cluster_identifier"]),
        ({"engine_version": "14.9"}, ["engine_version"]),
        ({"master_username": "Admin!"}, ["master_username"]),
        (
            {
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "subnet_ids": ("subnet-0123456789abcdef0",),
                    "security_group_ids": ("sg-01234567",),
                }
            },
            ["network.subnet_ids: an Aurora DB subnet group needs private subnets in at least 2"],
        ),
        (
            {
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "subnet_ids": ("subnet-01234567", "subnet-01234568"),
                    "security_group_ids": (),
                }
            },
            ["network.security_group_ids"],
        ),
        (
            {
                "network": {
                    "subnet_ids": ("subnet-01234567", "subnet-01234568"),
                    "security_group_ids": ("sg-01234567",),
                }
            },
            ["network.vpc_id", "Field required"],
        ),
        ({"min_capacity": 16, "max_capacity": 8}, ["min_capacity: 16.0 ACUs exceeds max_capacity 8.0"]),
        ({"instances": 0}, ["instances"]),
        ({"publicly_accessible": True}, ["publicly_accessible", "Extra inputs are not permitted"]),
        ({"master_password": "hunter2"}, ["master_password", "Extra inputs are not permitted"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    data: dict[str, Any] = {"ownership": OWN, "cluster_identifier": "rag-pg", "network": NET, **changes}
    with pytest.raises(ValidationError) as caught:
        VectorDatabaseArgs.model_validate(data)
    text = str(caught.value)
    for fragment in fragments:
        assert fragment in text, text
