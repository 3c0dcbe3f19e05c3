"""Key: a Cloud KMS key ring and a rotating crypto key, usable by the service agents that need it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from components._common import AssetRecord, CreateKey, Grant, Ownership, record_asset
from components._common.inventory import ENCRYPTION_KEY, asset_kind
from components._common.ownership import Slug
from components._common.protection import check_create_key, check_deletion_protection, deletion_protected
from components.gcp._principals import Location, Member, ProjectId
from components.gcp._project import AGENT_API, KMS_API, ServiceAgent, enable_apis, lookup, service_agent

TYPE = "aiwarden:gcp:Key"
KIND = asset_kind(ENCRYPTION_KEY)
ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
#: The roles ``access`` accepts: ``use`` (``roles/cloudkms.cryptoKeyEncrypterDecrypter`` on the key).
KeyRole = Literal["use"]
_DAY = 86400


class KeyArgs(BaseModel):
    """Inputs of ``Key``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, stamped as labels on the crypto key.")
    location: Location = Field(
        description="KMS location; must be the location of the data it protects (`us-central1`, `us`, `eu`)."
    )
    project: ProjectId | None = Field(
        default=None, description="Project of the key ring; default: the provider's."
    )
    settings: CreateKey = Field(
        default_factory=CreateKey,
        description=(
            "Rotation period (default 90 days; provider default: no rotation) and the window key versions "
            "stay DESTROY_SCHEDULED (`deletion_window_days`, default 30 days)."
        ),
    )
    protection_level: Literal["SOFTWARE", "HSM"] = Field(
        default="SOFTWARE",
        description="SOFTWARE (provider default) or HSM (FIPS 140-2 level 3) key versions.",
    )
    service_agents: tuple[ServiceAgent, ...] = Field(
        default=(),
        description=(
            "Google service agents granted encrypter/decrypter on the key, e.g. `storage` for CMEK buckets "
            "(`service-<project-number>@gs-project-accounts...`), `secretmanager`, `aiplatform`. Each agent is "
            "made to exist first (`gcp.projects.ServiceIdentity`, or the Cloud Storage service account data "
            "source): on a fresh project it does not exist until then, and the grant would fail."
        ),
    )
    access: dict[Slug, Grant[Member, KeyRole]] = Field(
        default_factory=dict,
        description="Other principals that may use the key, by name: `use` = encrypter/decrypter on this key only. "
        "IAM members naming one principal; no wildcards, domains or default service accounts.",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="`deletion_policy=PREVENT` on the crypto key; None: on (provider default: DELETE); cannot be "
        "turned off in production.",
    )
    enable_apis: bool = Field(
        default=False,
        description="Enable `cloudkms.googleapis.com` and the service agents' APIs first (`gcp.projects.Service` "
        "per API, `disable_on_destroy=False`); every child waits for them. Default false: APIs are a project "
        "prerequisite; components that create their key enable the APIs themselves (their `enable_apis`).",
    )

    @model_validator(mode="after")
    def _production_protection(self) -> KeyArgs:
        check_create_key(self.settings, self.ownership, "settings")
        check_deletion_protection(self.deletion_protection, self.ownership)
        return self

    @field_validator("service_agents")
    @classmethod
    def _unique_agents(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("service_agents lists an agent twice; name each service agent once")
        return value


class Key(pulumi.ComponentResource):
    """A KMS key ring + crypto key (rotation on, deletion protected) and its encrypter/decrypter grants.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``key_ring`` (`<name>-ring`),
    ``crypto_key`` (`<name>-key`), ``identities`` (`<name>-<agent>-identity`, a ``ServiceIdentity`` per agent
    that has one), ``grants`` (`<name>-<agent>-agent` per service agent, `<name>-grant-<grant>` per ``access``
    grant). ``after``: resources every child waits for (a component's enabled APIs).
    Outputs: ``keyId`` (crypto key id, `projects/.../cryptoKeys/...`), ``keyRing``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("DATA-2", "IR-2", "INV-1")

    key_id: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        args: KeyArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        after: Sequence[pulumi.Resource] = (),
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        project = lookup(args.project)
        self.apis = (
            enable_apis(name, [KMS_API, *(AGENT_API[a] for a in args.service_agents)], args.project, self)
            if args.enable_apis
            else []
        )
        first: list[pulumi.Resource] = [*after, *self.apis]
        child = pulumi.ResourceOptions(parent=self, depends_on=first)
        self.key_ring = gcp.kms.KeyRing(
            f"{name}-ring", location=args.location, project=args.project, opts=child
        )
        self.crypto_key = gcp.kms.CryptoKey(
            f"{name}-key",
            key_ring=self.key_ring.id,
            purpose="ENCRYPT_DECRYPT",
            rotation_period=f"{args.settings.rotation_period_days * _DAY}s",
            destroy_scheduled_duration=f"{args.settings.deletion_window_days * _DAY}s",
            version_template=gcp.kms.CryptoKeyVersionTemplateArgs(
                algorithm="GOOGLE_SYMMETRIC_ENCRYPTION", protection_level=args.protection_level
            ),
            import_only=False,
            skip_initial_version_creation=False,
            deletion_policy="PREVENT" if deletion_protected(args.deletion_protection, True) else "DELETE",
            labels=args.ownership.gcp_labels(),
            opts=child,
        )
        self.key_id = self.crypto_key.id
        agents = {
            f"{agent}-agent": service_agent(name, agent, project, args.project, self, first)
            for agent in args.service_agents
        }
        self.identities = [resource for a in agents.values() for resource in a.depends_on]
        members = {role: a.member for role, a in agents.items()}
        members.update({f"grant-{grant}": g.principal for grant, g in args.access.items()})
        self.grants = {
            role: gcp.kms.CryptoKeyIAMMember(
                f"{name}-{role}",
                crypto_key_id=self.crypto_key.id,
                role=ENCRYPTER_DECRYPTER,
                member=m,
                opts=pulumi.ResourceOptions(
                    parent=self, depends_on=[*first, *(agents[role].depends_on if role in agents else [])]
                ),
            )
            for role, m in members.items()
        }
        record_asset(
            AssetRecord(
                name=f"{name}-key",
                kind=KIND,
                ownership=args.ownership,
                identities=tuple(members.values()),
                credentials_to_revoke=(self.crypto_key.id,),
                logs_to_preserve=("Cloud Audit Logs (cloudkms.googleapis.com) of the key's project",),
                containment="Remove the encrypter/decrypter grants or disable the primary key version "
                "(data under the key becomes unreadable).",
            )
        )
        self.register_outputs({"keyId": self.crypto_key.id, "keyRing": self.key_ring.id})
