"""VectorDatabase: Aurora PostgreSQL (Serverless v2) for pgvector that is private, encrypted and IAM-authenticated.

Children (``<name>-<role>``): ``key`` (a ``Key``, usage through RDS and Secrets Manager only) unless
an existing key is given; ``subnet-group`` (the private subnets of ``network``); ``parameters`` (cluster parameter group
forcing TLS and turning on statement audit logging: ``pgaudit`` preloaded, ``pgaudit.log``, ``log_statement``,
connection logging); ``cluster`` (encrypted, IAM database authentication, master password managed by
Secrets Manager under the same key, deletion protection, final snapshot, the ``postgresql`` log exported to
CloudWatch Logs); ``instance-<n>`` (not publicly accessible, Performance Insights under the same key, automatic
minor version upgrades).

Engine version: ``engine_version`` is the version the cluster is created with. Automatic minor version
upgrades stay on (security patches), so Aurora moves the cluster to newer minor versions during maintenance
windows; the cluster ignores later differences of ``engineVersion`` (``ignore_changes``), otherwise the next
``pulumi up`` would try to downgrade it, which RDS refuses
(https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_UpgradeDBInstance.PostgreSQL.MinorUpgrade.html). The
instances take the cluster's version (no ``engine_version`` of their own).

The ``vector`` and ``pgaudit`` extensions are created by the schema migration (``CREATE EXTENSION vector;
CREATE EXTENSION pgaudit;``): Pulumi does not manage database objects here.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import assets
from components._common import AssetRecord, AwsNetwork, CreateKey, KeyChoice, Ownership, record_asset
from components._common.inventory import asset_kind
from components._common.protection import deletion_protected
from components.aws._key_choice import FIELD_DESCRIPTION, ResolvedKey, check_key_choice, resolve_key
from components.aws._tags import aws_tags

TYPE = "aiwarden:aws:VectorDatabase"
KIND = asset_kind(assets.VECTOR_STORE)
ENGINE = "aurora-postgresql"
#: Aurora DB subnet groups span at least two availability zones.
MIN_SUBNETS = 2
#: DB cluster identifiers: a letter, then letters, digits and single hyphens; ``-final`` is appended for snapshots.
IDENTIFIER = r"^[a-z](?!.*--)[a-z0-9-]{0,54}[a-z0-9]$"
#: Cluster parameters: (name, value, apply method). ``shared_preload_libraries`` is static: RDS refuses the
#: ``immediate`` apply method for it. ``pg_stat_statements`` is Aurora PostgreSQL's default preload, kept.
#: ``pgaudit.log``: DDL and role/privilege changes (statements with data are not logged: no vectors, no text in the
#: logs); ``log_statement``: DDL (CIS PostgreSQL); connections and disconnections logged.
PARAMETERS: tuple[tuple[str, str, str], ...] = (
    ("rds.force_ssl", "1", "immediate"),
    ("shared_preload_libraries", "pg_stat_statements,pgaudit", "pending-reboot"),
    ("pgaudit.log", "ddl,role", "immediate"),
    ("pgaudit.log_parameter", "0", "immediate"),
    ("log_statement", "ddl", "immediate"),
    ("log_connections", "1", "immediate"),
    ("log_disconnections", "1", "immediate"),
)


class VectorDatabaseArgs(BaseModel):
    """Inputs of ``VectorDatabase``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, regex_engine="python-re")

    ownership: Ownership = Field(description="Owner and classification, tagged on every taggable child.")
    cluster_identifier: str = Field(
        pattern=IDENTIFIER, description="DB cluster identifier (its final snapshot is `<identifier>-final`)."
    )
    database_name: str = Field(
        default="vectors", pattern=r"^[a-z][a-z0-9_]{0,62}$", description="Initial database name."
    )
    master_username: str = Field(
        default="vector_admin",
        pattern=r"^[a-z][a-z0-9_]{0,15}$",
        description="Master user; its password is generated and rotated by Secrets Manager, never in code.",
    )
    engine_version: str = Field(
        default="16.6",
        pattern=r"^1[5-7]\.\d{1,2}$",
        description="Aurora PostgreSQL version the cluster is created with (15-17: pgvector with HNSW indexes). "
        "Automatic minor upgrades stay on, so later changes of this field are ignored (`ignore_changes`); "
        "major upgrades are refused (provider default: the latest version, no drift protection).",
    )
    kms_key: KeyChoice | None = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}; None: the AWS-managed aws/rds key, refused for confidential/restricted "
        "data (provider default: storage not encrypted).",
    )
    network: AwsNetwork = Field(
        description="Private subnets in at least two availability zones and the security groups of the cluster "
        "(no public access; provider default: the VPC's default security group)."
    )
    instances: int = Field(
        default=2, ge=1, le=15, description="Serverless v2 instances: a writer and readers in other zones."
    )
    min_capacity: float = Field(default=0.5, ge=0, le=256, description="Serverless v2 minimum ACUs.")
    max_capacity: float = Field(default=8, ge=1, le=256, description="Serverless v2 maximum ACUs.")
    backup_retention_days: int = Field(
        default=14, ge=1, le=35, description="Automated backup retention (provider default: 1 day)."
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="Deletion protection of the cluster; None: on (provider default: false). Production "
        "requires it (IR-2).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> VectorDatabaseArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        if len(self.network.subnet_ids) < MIN_SUBNETS:
            raise ValueError(
                f"network.subnet_ids: an Aurora DB subnet group needs private subnets in at least {MIN_SUBNETS} "
                "availability zones; add another subnet"
            )
        if self.min_capacity > self.max_capacity:
            raise ValueError(
                f"min_capacity: {self.min_capacity} ACUs exceeds max_capacity {self.max_capacity}"
            )
        return self


class VectorDatabase(pulumi.ComponentResource):
    """A private, encrypted, IAM-authenticated Aurora PostgreSQL cluster for pgvector (see the module docstring).

    Outputs: ``clusterArn``, ``endpoint``, ``readerEndpoint``, ``masterUserSecretArn``, ``kmsKeyArn``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("VEC-1", "DATA-2", "IR-2", "INV-1")

    key: ResolvedKey | None
    subnet_group: aws.rds.SubnetGroup
    parameters: aws.rds.ClusterParameterGroup
    cluster: aws.rds.Cluster
    instances: list[aws.rds.ClusterInstance]

    def __init__(
        self, name: str, args: VectorDatabaseArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = aws_tags(args.ownership)
        self.key = None
        if args.kms_key is not None:
            self.key = resolve_key(
                name, args.kms_key, args.ownership, self, services=("rds", "secretsmanager")
            )
        key_arn = self.key.arn if self.key else None
        self.subnet_group = aws.rds.SubnetGroup(
            f"{name}-subnet-group", subnet_ids=list(args.network.subnet_ids), tags=tags, opts=child
        )
        self.parameters = aws.rds.ClusterParameterGroup(
            f"{name}-parameters",
            family=f"{ENGINE}{args.engine_version.split('.')[0]}",
            parameters=[
                aws.rds.ClusterParameterGroupParameterArgs(name=n, value=v, apply_method=method)
                for n, v, method in PARAMETERS
            ],
            tags=tags,
            opts=child,
        )
        self.cluster = aws.rds.Cluster(
            f"{name}-cluster",
            cluster_identifier=args.cluster_identifier,
            engine=ENGINE,
            engine_mode="provisioned",
            engine_version=args.engine_version,
            database_name=args.database_name,
            master_username=args.master_username,
            manage_master_user_password=True,
            master_user_secret_kms_key_id=key_arn,
            storage_encrypted=True,
            kms_key_id=key_arn,
            iam_database_authentication_enabled=True,
            enable_http_endpoint=False,
            db_subnet_group_name=self.subnet_group.name,
            vpc_security_group_ids=list(args.network.security_group_ids),
            db_cluster_parameter_group_name=self.parameters.name,
            serverlessv2_scaling_configuration=aws.rds.ClusterServerlessv2ScalingConfigurationArgs(
                min_capacity=args.min_capacity, max_capacity=args.max_capacity
            ),
            backup_retention_period=args.backup_retention_days,
            copy_tags_to_snapshot=True,
            deletion_protection=deletion_protected(args.deletion_protection, True),
            skip_final_snapshot=False,
            final_snapshot_identifier=f"{args.cluster_identifier}-final",
            enabled_cloudwatch_logs_exports=["postgresql"],
            allow_major_version_upgrade=False,
            auto_minor_version_upgrade=True,
            tags=tags,
            # Automatic minor upgrades move the version forward; never downgrade it back (module docstring).
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["engine_version"]),
        )
        self.instances = [
            aws.rds.ClusterInstance(
                f"{name}-instance-{i}",
                identifier=f"{args.cluster_identifier}-{i}",
                cluster_identifier=self.cluster.id,
                instance_class="db.serverless",
                engine=aws.rds.EngineType.AURORA_POSTGRESQL,
                db_subnet_group_name=self.subnet_group.name,
                publicly_accessible=False,
                auto_minor_version_upgrade=True,
                performance_insights_enabled=True,
                performance_insights_kms_key_id=key_arn,
                copy_tags_to_snapshot=True,
                tags=tags,
                opts=child,
            )
            for i in range(args.instances)
        ]
        secret_arn = self.cluster.master_user_secrets.apply(_secret_arn)
        record_asset(
            AssetRecord(
                name=f"{name}-cluster",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                credentials_to_revoke=(secret_arn,),
                endpoints_to_disable=(self.cluster.arn,),
                logs_to_preserve=(f"CloudWatch Logs /aws/rds/cluster/{args.cluster_identifier}/postgresql",),
                containment=f"Revoke rds-db:connect on {args.cluster_identifier} from the workload roles, rotate the "
                "master user secret and close the security groups; snapshot before changing anything else.",
            )
        )
        self.register_outputs(
            {
                "clusterArn": self.cluster.arn,
                "endpoint": self.cluster.endpoint,
                "readerEndpoint": self.cluster.reader_endpoint,
                "masterUserSecretArn": secret_arn,
                "kmsKeyArn": key_arn,
            }
        )


def _secret_arn(secrets: Any) -> str:
    """The ARN of the Secrets Manager secret that holds the managed master password, once RDS created it."""
    found = secrets[0].secret_arn if secrets else None
    return str(found) if found else "the cluster's RDS-managed master user secret (Secrets Manager)"
