"""SecretWiring: a Secret Manager secret under CMEK, readable only by named workload identities.

``access`` grants ``read`` (``roles/secretmanager.secretAccessor`` on this secret only, never on the
project) to user-managed service accounts; a grant's ``kubernetes`` bindings let Kubernetes service
accounts act as its service account through GKE Workload Identity.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from components._common import (
    AssetRecord,
    CreateKey,
    Grant,
    KeyChoice,
    Ownership,
    ServiceAccountRef,
    record_asset,
)
from components._common.inventory import SECRET, asset_kind
from components._common.ownership import Slug
from components._common.protection import check_deletion_protection, deletion_protected
from components._common.secret_value import SecretValue
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import (
    Location,
    ProjectId,
    ServiceAccountMember,
    member_email,
    service_account_project,
)
from components.gcp._project import KMS_API, enable_apis, enable_apis_field, lookup, service_agent

TYPE = "aiwarden:gcp:SecretWiring"
KIND = asset_kind(SECRET)
SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"
_DAY = 86400
#: The roles ``access`` accepts: ``read`` (``roles/secretmanager.secretAccessor`` on this secret).
SecretRole = Literal["read"]
SECRET_MANAGER_API = "secretmanager.googleapis.com"
IAM_API = "iam.googleapis.com"

TopicId = Annotated[
    str,
    Field(
        pattern=r"^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/topics/[A-Za-z][A-Za-z0-9._~+%-]{2,254}$",
        description="Pub/Sub topic id, `projects/<project>/topics/<topic>`.",
    ),
]


class Rotation(BaseModel):
    """Rotation reminders: Secret Manager publishes to ``topic`` every ``period_days``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
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
    """A Kubernetes service account that acts as the grant's service account through Workload Identity."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    service_account: ServiceAccountRef = Field(
        description="The Kubernetes service account (namespace, name)."
    )
    cluster_project: ProjectId | None = Field(
        default=None,
        description="Project of the GKE cluster (its `<project>.svc.id.goog` pool); default: the secret's project.",
    )


class SecretGrant(Grant[ServiceAccountMember, SecretRole]):
    """A ``Grant`` on the secret to a user-managed service account, optionally impersonated by Kubernetes
    service accounts (Workload Identity)."""

    kubernetes: dict[Slug, KubernetesBinding] = Field(
        default_factory=dict,
        description="Kubernetes service accounts allowed to impersonate the grant's service account, by binding "
        "name (`roles/iam.workloadIdentityUser` on that service account; binding names are unique across grants).",
    )


class SecretWiringArgs(BaseModel):
    """Inputs of ``SecretWiring``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, arbitrary_types_allowed=True)

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
    access: dict[Slug, SecretGrant] = Field(
        default_factory=dict,
        description="Who may read the secret, by name: `read` = `roles/secretmanager.secretAccessor` on this secret "
        "only (never on the project), for a user-managed service account (`serviceAccount:<email>`), optionally "
        "impersonated by Kubernetes service accounts (`kubernetes`).",
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
    deletion_protection: bool | None = Field(
        default=None,
        description="`deletion_protection` on the secret; None: on (provider default: false); cannot be turned off "
        "in production.",
    )
    enable_apis: bool = enable_apis_field(SECRET_MANAGER_API, KMS_API, IAM_API)

    @model_validator(mode="after")
    def _consistent(self) -> SecretWiringArgs:
        check_deletion_protection(self.deletion_protection, self.ownership)
        for location, choice in self.replicas.items():
            check_key_choice(choice, location, self.ownership, f"replicas[{location!r}]")
        seen: dict[str, str] = {}
        for grant_name, grant in self.access.items():
            for binding_name in grant.kubernetes:
                if binding_name in seen:
                    raise ValueError(
                        f"access.{grant_name}.kubernetes.{binding_name}: access.{seen[binding_name]} already has a "
                        "binding of this name (it names the child resource); rename one"
                    )
                seen[binding_name] = grant_name
        return self

    def bindings(self) -> dict[str, tuple[str, KubernetesBinding]]:
        """Every Workload Identity binding, by name: (the service account e-mail it impersonates, the binding)."""
        return {
            binding_name: (member_email(grant.principal), binding)
            for grant in self.access.values()
            for binding_name, binding in grant.kubernetes.items()
        }


class SecretWiring(pulumi.ComponentResource):
    """A CMEK secret, its optional first version, accessor grants on the secret and Workload Identity bindings.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``keys`` (`<name>-cmek-<location>` ``Key``
    per ``CreateKey`` replica), ``agent_identity`` (`<name>-secretmanager-identity`, with ``rotation``: the
    Secret Manager service agent publishes rotation notifications), ``rotation_publisher``
    (`<name>-rotation-publisher`), ``secret`` (`<name>-secret`), ``version`` (`<name>-version`),
    ``accessor_grants`` (`<name>-accessor-<grant>`), ``workload_identity`` (`<name>-wi-<binding>`).
    Outputs: ``secretId`` (`projects/<project>/secrets/<id>`), ``secretName``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("SEC-1", "SEC-2", "SEC-3", "INV-1")

    def __init__(self, name: str, args: SecretWiringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        project = lookup(args.project)
        apis = [SECRET_MANAGER_API]
        if any(isinstance(choice, CreateKey) for choice in args.replicas.values()):
            apis.append(KMS_API)
        if args.bindings():
            apis.append(IAM_API)
        self.apis = enable_apis(name, apis, args.project, self) if args.enable_apis else []
        child = pulumi.ResourceOptions(parent=self, depends_on=self.apis)
        resolved = {
            location: resolve_key(
                f"{name}-cmek-{location}",
                choice,
                ownership=args.ownership,
                location=location,
                project=args.project,
                agents=("secretmanager",),
                parent=self,
                after=self.apis,
            )
            for location, choice in args.replicas.items()
        }
        self.keys = {location: r.key for location, r in resolved.items() if r.key is not None}
        depends_on = [*self.apis, *(resource for r in resolved.values() for resource in r.depends_on)]
        self.agent_identity: pulumi.Resource | None = None
        self.rotation_publisher: gcp.pubsub.TopicIAMMember | None = None
        if args.rotation is not None:
            agent = service_agent(name, "secretmanager", project, args.project, self, self.apis)
            self.agent_identity = agent.depends_on[0]
            self.rotation_publisher = gcp.pubsub.TopicIAMMember(
                f"{name}-rotation-publisher",
                topic=args.rotation.topic,
                role="roles/pubsub.publisher",
                member=agent.member,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[*self.apis, *agent.depends_on]),
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
            deletion_protection=deletion_protected(args.deletion_protection, True),
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
            grant: gcp.secretmanager.SecretIamMember(
                f"{name}-accessor-{grant}",
                project=self.secret.project,
                secret_id=self.secret.secret_id,
                role=SECRET_ACCESSOR,
                member=g.principal,
                opts=child,
            )
            for grant, g in args.access.items()
        }
        self.workload_identity = {
            binding_name: gcp.serviceaccount.IAMMember(
                f"{name}-wi-{binding_name}",
                service_account_id=_service_account_id(email),
                role=WORKLOAD_IDENTITY_USER,
                member=_ksa_member(binding, binding.cluster_project or project.id),
                opts=child,
            )
            for binding_name, (email, binding) in args.bindings().items()
        }
        self._record(name, args, project.id)
        self.register_outputs({"secretId": self.secret.id, "secretName": self.secret.name})

    def _record(self, name: str, args: SecretWiringArgs, project_id: str) -> None:
        identities = tuple(g.principal for g in args.access.values()) + tuple(
            _ksa_member(b, b.cluster_project or project_id) for _, b in args.bindings().values()
        )
        record_asset(
            AssetRecord(
                name=f"{name}-secret",
                kind=KIND,
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


def default_secret_id(name: str) -> str:
    """``aiwarden-<project>-<stack>-<name>``: a secret id no other stack of the project uses (Secret Manager ids
    are unique per project; a bare name collides with 409 ALREADY_EXISTS in a second stack)."""
    raw = f"aiwarden-{pulumi.get_project()}-{pulumi.get_stack()}-{name}"
    return re.sub(r"[^A-Za-z0-9_-]", "-", raw)[:255]


def _service_account_id(email: str) -> str:
    return f"projects/{service_account_project(email)}/serviceAccounts/{email}"


def _ksa_member(binding: KubernetesBinding, pool_project: str) -> str:
    ksa = binding.service_account
    return f"serviceAccount:{pool_project}.svc.id.goog[{ksa.namespace}/{ksa.name}]"
