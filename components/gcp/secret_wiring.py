"""SecretWiring: a Secret Manager secret under CMEK, readable only by named workload identities."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, ClassVar

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from components._common import AssetRecord, KeyChoice, Ownership, record_asset
from components._common.secret_value import SecretValue
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import (
    GrantName,
    Location,
    ProjectId,
    ServiceAccountEmail,
    service_account_project,
)
from components.gcp._project import lookup
from components.gcp._protection import check_deletion_protection

SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"
_DAY = 86400

TopicId = Annotated[
    str,
    Field(
        pattern=r"^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/topics/[A-Za-z][A-Za-z0-9._~+%-]{2,254}$",
        description="Pub/Sub topic id, `projects/<project>/topics/<topic>`.",
    ),
]
K8sName = Annotated[
    str,
    Field(pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", description="Kubernetes name (RFC 1123 label)."),
]


class Rotation(BaseModel):
    """Rotation reminders: Secret Manager publishes to ``topic`` every ``period_days``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    topic: TopicId = Field(
        description="Topic that receives rotation notifications (the secret's only topic)."
    )
    period_days: int = Field(ge=1, le=3650, description="Days between rotation notifications.")
    first_rotation: datetime = Field(
        description="When the first notification is sent (timezone-aware, in the future at deployment)."
    )

    @field_validator("first_rotation")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("first_rotation must carry a timezone, e.g. datetime(2026, 1, 1, tzinfo=UTC)")
        return value


class KubernetesBinding(BaseModel):
    """A Kubernetes service account that acts as one of the accessors through Workload Identity."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    namespace: K8sName
    service_account: K8sName = Field(description="Name of the Kubernetes service account.")
    accessor: GrantName = Field(
        description="Key in `accessors` of the Google service account it impersonates."
    )
    cluster_project: ProjectId | None = Field(
        default=None,
        description="Project of the GKE cluster (its `<project>.svc.id.goog` pool); default: the secret's project.",
    )


class SecretWiringArgs(BaseModel):
    """Inputs of ``SecretWiring``."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    ownership: Ownership = Field(description="Owner and classification, stamped as labels on the secret.")
    secret_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,255}$", description="Secret Manager secret id.")
    project: ProjectId | None = Field(
        default=None, description="Project of the secret; default: the provider's."
    )
    replicas: dict[Location, KeyChoice] = Field(
        min_length=1,
        description="User-managed replication: location -> CMEK (`CreateKey()` or a key in that location). "
        "Provider default: automatic replication with Google-managed keys.",
    )
    value: SecretValue = Field(
        default=None,
        description="Optional initial value: a `pulumi.Output` (e.g. `config.require_secret(...)`), wrapped with "
        "`pulumi.Output.secret`; a plain string is refused. Passes through unvalidated otherwise.",
    )
    accessors: dict[GrantName, ServiceAccountEmail] = Field(
        default_factory=dict,
        description="Service accounts granted `secretAccessor` on this secret only (never on the project).",
    )
    kubernetes: dict[GrantName, KubernetesBinding] = Field(
        default_factory=dict,
        description="Kubernetes service accounts allowed to impersonate an accessor (Workload Identity).",
    )
    rotation: Rotation | None = Field(
        default=None, description="Rotation notifications (provider default: none)."
    )
    version_destroy_ttl_days: int = Field(
        default=7,
        ge=1,
        le=30,
        description="Destroyed versions stay disabled and recoverable this long (provider default: destroyed now).",
    )
    deletion_protection: bool = Field(
        default=True,
        description="`deletion_protection` on the secret (provider default: false); cannot be turned off in production.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> SecretWiringArgs:
        check_deletion_protection(self.deletion_protection, self.ownership)
        for location, choice in self.replicas.items():
            check_key_choice(choice, location, self.ownership, f"replicas[{location!r}]")
        for binding_name, binding in self.kubernetes.items():
            if binding.accessor not in self.accessors:
                raise ValueError(
                    f"kubernetes[{binding_name!r}].accessor {binding.accessor!r} is not a key of accessors; "
                    "name the accessor whose service account the Kubernetes service account impersonates"
                )
        return self


class SecretWiring(pulumi.ComponentResource):
    """A CMEK secret, its optional first version, accessor grants on the secret and Workload Identity bindings.

    Children: ``keys`` (`<name>-cmek-<location>` ``Key`` per ``CreateKey`` replica), ``rotation_publisher``
    (`<name>-rotation-publisher`), ``secret`` (`<name>-secret`), ``version`` (`<name>-version`),
    ``accessor_grants`` (`<name>-accessor-<accessor>`), ``workload_identity`` (`<name>-wi-<binding>`).
    Outputs: ``secretId`` (`projects/<project>/secrets/<id>`), ``secretName``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("SEC-1", "SEC-2", "SEC-3", "INV-1")

    def __init__(self, name: str, args: SecretWiringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aiwarden:gcp:SecretWiring", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        project = lookup(args.project)
        resolved = {
            location: resolve_key(
                f"{name}-cmek-{location}",
                choice,
                ownership=args.ownership,
                location=location,
                project=args.project,
                agent="secretmanager",
                parent=self,
            )
            for location, choice in args.replicas.items()
        }
        self.keys = {location: r.key for location, r in resolved.items() if r.key is not None}
        depends_on = [resource for r in resolved.values() for resource in r.depends_on]
        self.rotation_publisher: gcp.pubsub.TopicIAMMember | None = None
        if args.rotation is not None:
            self.rotation_publisher = gcp.pubsub.TopicIAMMember(
                f"{name}-rotation-publisher",
                topic=args.rotation.topic,
                role="roles/pubsub.publisher",
                member=f"serviceAccount:{project.agent('secretmanager')}",
                opts=child,
            )
            depends_on.append(self.rotation_publisher)
        self.secret = gcp.secretmanager.Secret(
            f"{name}-secret",
            secret_id=args.secret_id,
            project=args.project,
            replication=gcp.secretmanager.SecretReplicationArgs(
                user_managed=gcp.secretmanager.SecretReplicationUserManagedArgs(
                    replicas=[
                        gcp.secretmanager.SecretReplicationUserManagedReplicaArgs(
                            location=location,
                            customer_managed_encryption=(
                                gcp.secretmanager.SecretReplicationUserManagedReplicaCustomerManagedEncryptionArgs(
                                    kms_key_name=r.id
                                )
                            ),
                        )
                        for location, r in resolved.items()
                    ]
                )
            ),
            topics=None
            if args.rotation is None
            else [gcp.secretmanager.SecretTopicArgs(name=args.rotation.topic)],
            rotation=None
            if args.rotation is None
            else gcp.secretmanager.SecretRotationArgs(
                rotation_period=f"{args.rotation.period_days * _DAY}s",
                next_rotation_time=args.rotation.first_rotation.astimezone(UTC).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                ),
            ),
            version_destroy_ttl=f"{args.version_destroy_ttl_days * _DAY}s",
            deletion_protection=args.deletion_protection,
            labels=args.ownership.gcp_labels(),
            opts=pulumi.ResourceOptions(parent=self, depends_on=depends_on),
        )
        self.version: gcp.secretmanager.SecretVersion | None = None
        if args.value is not None:
            self.version = gcp.secretmanager.SecretVersion(
                f"{name}-version",
                secret=self.secret.id,
                secret_data=args.value,
                enabled=True,
                opts=child,
            )
        self.accessor_grants = {
            accessor: gcp.secretmanager.SecretIamMember(
                f"{name}-accessor-{accessor}",
                project=self.secret.project,
                secret_id=self.secret.secret_id,
                role=SECRET_ACCESSOR,
                member=f"serviceAccount:{email}",
                opts=child,
            )
            for accessor, email in args.accessors.items()
        }
        self.workload_identity = {
            binding_name: gcp.serviceaccount.IAMMember(
                f"{name}-wi-{binding_name}",
                service_account_id=_service_account_id(args.accessors[binding.accessor]),
                role=WORKLOAD_IDENTITY_USER,
                member=_ksa_member(binding, binding.cluster_project or project.id),
                opts=child,
            )
            for binding_name, binding in args.kubernetes.items()
        }
        self._record(name, args, project.id)
        self.register_outputs({"secretId": self.secret.id, "secretName": self.secret.name})

    def _record(self, name: str, args: SecretWiringArgs, project_id: str) -> None:
        identities = tuple(f"serviceAccount:{email}" for email in args.accessors.values()) + tuple(
            _ksa_member(b, b.cluster_project or project_id) for b in args.kubernetes.values()
        )
        record_asset(
            AssetRecord(
                name=f"{name}-secret",
                kind="secret",
                ownership=args.ownership,
                exposure="private",
                identities=identities,
                credentials_to_revoke=(self.secret.id,),
                logs_to_preserve=(
                    "Cloud Audit Logs data access (secretmanager.googleapis.com AccessSecretVersion)",
                ),
                containment="Disable the secret's versions, rotate the credential at its issuer, then remove the "
                "accessor and Workload Identity bindings.",
            )
        )


def _service_account_id(email: str) -> str:
    return f"projects/{service_account_project(email)}/serviceAccounts/{email}"


def _ksa_member(binding: KubernetesBinding, pool_project: str) -> str:
    return f"serviceAccount:{pool_project}.svc.id.goog[{binding.namespace}/{binding.service_account}]"
