"""PgVectorStore: Cloud SQL for PostgreSQL for pgvector, private IP only, TLS only, CMEK, IAM logins.

The edition is always set: Cloud SQL makes POSTGRES_16 and later ENTERPRISE_PLUS when it is absent, and
ENTERPRISE_PLUS refuses the `db-custom-*` tiers. Database flags follow the CIS GCP Foundations Benchmark
for Cloud SQL for PostgreSQL (section 6.2) and turn pgAudit on.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import assets
from components._common import AssetRecord, CreateKey, GcpNetwork, Grant, KeyChoice, Ownership, record_asset
from components._common.access import principals
from components._common.inventory import asset_kind
from components._common.network import PSC_FIELDS
from components._common.ownership import Slug
from components._common.protection import check_deletion_protection, deletion_protected
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import ProjectId, Region, ServiceAccountMember, member_email
from components.gcp._project import KMS_API, enable_apis, enable_apis_field

TYPE = "aiwarden:gcp:PgVectorStore"
KIND = asset_kind(assets.VECTOR_STORE)
#: The roles ``access`` accepts: ``use`` (an IAM database login; what it may read is granted in SQL).
DatabaseRole = Literal["use"]

SQL_ADMIN_API = "sqladmin.googleapis.com"
#: Flags set on every instance: IAM database authentication, the CIS GCP Foundations Benchmark (6.2) logging
#: flags, and pgAudit (schema and role changes; `CREATE EXTENSION pgaudit` runs in the database).
DATABASE_FLAGS: dict[str, str] = {
    "cloudsql.iam_authentication": "on",
    "log_checkpoints": "on",
    "log_connections": "on",
    "log_disconnections": "on",
    "log_lock_waits": "on",
    "log_min_messages": "warning",
    "log_min_error_statement": "error",
    "log_min_duration_statement": "-1",
    "cloudsql.enable_pgaudit": "on",
    "pgaudit.log": "ddl,role",
}
#: ENTERPRISE_PLUS takes only the predefined performance-optimized tiers; ENTERPRISE never takes them.
PERF_OPTIMIZED_TIER = "db-perf-optimized-N-"
_SA_SUFFIX = ".gserviceaccount.com"

DatabaseName = Annotated[
    str, Field(pattern=r"^[a-z][a-z0-9_]{0,62}$", description="PostgreSQL database name (lowercase, `_`).")
]


class PgVectorStoreArgs(BaseModel):
    """Inputs of ``PgVectorStore``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(
        description="Owner and classification, stamped as the instance's user labels."
    )
    region: Region = Field(description="Region of the instance and of its key.")
    project: ProjectId | None = Field(default=None, description="Project; default: the provider's.")
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description="CMEK (`encryption_key_name`), granted to the Cloud SQL service agent; provider default: "
        "Google-managed keys. Cannot be added later.",
    )
    network: GcpNetwork = Field(
        description="The VPC (`network` only) with private services access; the instance gets a private IP in it "
        "and no public IP (provider default: public IPv4)."
    )
    allocated_ip_range: str | None = Field(
        default=None,
        pattern=r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$",
        description="Name of the reserved private services range to allocate from; default: any.",
    )
    database_version: Literal["POSTGRES_15", "POSTGRES_16", "POSTGRES_17"] = Field(
        default="POSTGRES_16", description="PostgreSQL major version (pgvector is available on all)."
    )
    edition: Literal["ENTERPRISE", "ENTERPRISE_PLUS"] = Field(
        default="ENTERPRISE",
        description="Cloud SQL edition, always set (provider default: ENTERPRISE_PLUS for POSTGRES_16 and later, "
        "which refuses `db-custom-*` tiers). ENTERPRISE_PLUS needs a `db-perf-optimized-N-<vCPUs>` tier.",
    )
    tier: str = Field(
        default="db-custom-2-8192",
        pattern=r"^db-[A-Za-z0-9-]+$",
        description="Machine tier: `db-custom-<vCPUs>-<MiB>` (or shared core) for ENTERPRISE, "
        "`db-perf-optimized-N-<vCPUs>` for ENTERPRISE_PLUS.",
    )
    availability: Literal["REGIONAL", "ZONAL"] = Field(
        default="REGIONAL", description="REGIONAL (high availability, default) or ZONAL (provider default)."
    )
    ssl_mode: Literal["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"] = Field(
        default="ENCRYPTED_ONLY",
        description="TLS required (provider default: ALLOW_UNENCRYPTED_AND_ENCRYPTED).",
    )
    database: DatabaseName = Field(default="vectors", description="Database created for the embeddings.")
    access: dict[Slug, Grant[ServiceAccountMember, DatabaseRole]] = Field(
        default_factory=dict,
        description="Who may log in, by name: `use` = an IAM database user for the service account (IAM "
        "database authentication, no password); what it may read is granted in SQL by the schema migration. "
        "The service accounts also need `roles/cloudsql.instanceUser` and `roles/cloudsql.client` on the project.",
    )
    backup_retention_count: int = Field(
        default=14, ge=1, le=365, description="Automated backups kept (point-in-time recovery on)."
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="Pulumi `deletion_protection` and Cloud SQL `deletion_protection_enabled`; None: on (provider "
        "defaults: true / false); cannot be turned off in production.",
    )
    enable_apis: bool = enable_apis_field(SQL_ADMIN_API, KMS_API)

    @model_validator(mode="after")
    def _consistent(self) -> PgVectorStoreArgs:
        check_key_choice(self.kms_key, self.region, self.ownership, "kms_key")
        perf = self.tier.startswith(PERF_OPTIMIZED_TIER)
        if self.edition == "ENTERPRISE_PLUS" and not perf:
            raise ValueError(
                f"tier: {self.tier!r} is not available in the ENTERPRISE_PLUS edition, which takes only "
                f"`{PERF_OPTIMIZED_TIER}<vCPUs>` tiers (e.g. `db-perf-optimized-N-2`); use one, or edition='ENTERPRISE'"
            )
        if self.edition == "ENTERPRISE" and perf:
            raise ValueError(
                f"tier: {self.tier!r} is an ENTERPRISE_PLUS tier; set edition='ENTERPRISE_PLUS' or use a "
                "`db-custom-<vCPUs>-<MiB>` tier"
            )
        check_deletion_protection(self.deletion_protection, self.ownership)
        self.network.refuse_unused(
            "network", "Cloud SQL private IP (private services access)", "subnetwork", *PSC_FIELDS
        )
        return self


class PgVectorStore(pulumi.ComponentResource):
    """A private, TLS-only, CMEK Cloud SQL for PostgreSQL instance for pgvector, with IAM-only logins.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``key`` (`<name>-cmek`, a ``Key`` when
    ``CreateKey``), ``instance`` (`<name>-instance`),
    ``database`` (`<name>-db`), ``users`` (`<name>-user-<grant>`). Outputs: ``instanceName``,
    ``connectionName``, ``privateIp``. ``CREATE EXTENSION vector`` runs in the database (a schema
    migration), not here.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("VEC-1", "DATA-2", "IR-2", "INV-1")

    def __init__(
        self, name: str, args: PgVectorStoreArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        apis = [SQL_ADMIN_API, *([KMS_API] if isinstance(args.kms_key, CreateKey) else [])]
        self.apis = enable_apis(name, apis, args.project, self) if args.enable_apis else []
        child = pulumi.ResourceOptions(parent=self)
        protected = deletion_protected(args.deletion_protection, True)
        resolved = resolve_key(
            f"{name}-cmek",
            args.kms_key,
            ownership=args.ownership,
            location=args.region,
            project=args.project,
            agents=("cloudsql",),
            parent=self,
            after=self.apis,
        )
        self.key = resolved.key
        sql = gcp.sql
        self.instance = sql.DatabaseInstance(
            f"{name}-instance",
            region=args.region,
            project=args.project,
            database_version=args.database_version,
            encryption_key_name=resolved.id,
            deletion_protection=protected,
            settings=sql.DatabaseInstanceSettingsArgs(
                edition=args.edition,
                tier=args.tier,
                availability_type=args.availability,
                deletion_protection_enabled=protected,
                ip_configuration=sql.DatabaseInstanceSettingsIpConfigurationArgs(
                    ipv4_enabled=False,
                    private_network=args.network.network,
                    allocated_ip_range=args.allocated_ip_range,
                    ssl_mode=args.ssl_mode,
                ),
                backup_configuration=sql.DatabaseInstanceSettingsBackupConfigurationArgs(
                    enabled=True,
                    point_in_time_recovery_enabled=True,
                    backup_retention_settings=(
                        sql.DatabaseInstanceSettingsBackupConfigurationBackupRetentionSettingsArgs(
                            retained_backups=args.backup_retention_count, retention_unit="COUNT"
                        )
                    ),
                ),
                database_flags=[
                    sql.DatabaseInstanceSettingsDatabaseFlagArgs(name=flag, value=value)
                    for flag, value in DATABASE_FLAGS.items()
                ],
                user_labels=args.ownership.gcp_labels(),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*self.apis, *resolved.depends_on]),
        )
        self.database = sql.Database(
            f"{name}-db", instance=self.instance.name, name=args.database, project=args.project, opts=child
        )
        self.users = {
            grant: sql.User(
                f"{name}-user-{grant}",
                instance=self.instance.name,
                project=args.project,
                # Cloud SQL for PostgreSQL drops the domain suffix of service account logins
                name=member_email(g.principal).removesuffix(_SA_SUFFIX),
                type="CLOUD_IAM_SERVICE_ACCOUNT",
                opts=child,
            )
            for grant, g in args.access.items()
        }
        identities = tuple(principals(args.access))
        record_asset(
            AssetRecord(
                name=f"{name}-instance",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=identities,
                credentials_to_revoke=identities,
                endpoints_to_disable=(self.instance.connection_name,),
                logs_to_preserve=(
                    "Cloud Logging: cloudsql.googleapis.com/postgres.log (connections, errors, lock waits)",
                    "Cloud Logging: cloudaudit.googleapis.com/data_access (pgAudit: schema and role changes)",
                ),
                containment="Delete the IAM database users (or revoke roles/cloudsql.instanceUser) and stop the "
                "instance (activation policy NEVER); disable the CMEK key version to make the data unreadable.",
            )
        )
        self.register_outputs(
            {
                "instanceName": self.instance.name,
                "connectionName": self.instance.connection_name,
                "privateIp": self.instance.private_ip_address,
            }
        )
