"""ManagedNotebook: a Vertex AI Workbench instance with no public IP, no root, CMEK disks and idle shutdown.

The instance runs in a private subnet of the shared ``network`` as a dedicated service account (created
with logging and monitoring write only, or an existing user-managed one; never the default compute
account), on a Shielded VM (secure boot, vTPM, integrity monitoring) with IP forwarding off. Root is
always denied (``notebook-disable-root``); downloads and the terminal are off for restricted data and
configurable otherwise; the instance stops after an idle period below a ceiling. JupyterLab is opened by
named users only: one owner (single-user mode, the default) or the users allowed to act as the instance's
service account. A public IP is asked for by name, with a justification, and never for restricted data in
production.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import assets, vocabulary as v
from components._common import (
    AssetRecord,
    CreateKey,
    GcpNetwork,
    Grant,
    KeyChoice,
    Ownership,
    PublicAccess,
    record_asset,
)
from components._common.access import principals
from components._common.inventory import asset_kind
from components._common.network import PSC_FIELDS
from components._common.ownership import Slug
from components._common.protection import check_deletion_protection, deletion_protected
from components._common.provider_fields import refuse_provider_fields
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import (
    AccountId,
    Member,
    NetworkTag,
    ProjectId,
    ServiceAccountEmail,
    account_id,
    member_email,
)
from components.gcp._project import KMS_API, enable_apis, enable_apis_field, lookup
from components.gcp.key import Key

TYPE = "aiwarden:gcp:ManagedNotebook"
KIND = asset_kind(assets.NOTEBOOK)
NOTEBOOKS_API = "notebooks.googleapis.com"
COMPUTE_API = "compute.googleapis.com"
IAM_API = "iam.googleapis.com"
#: Idle shutdown ceiling: the pack has no stack-level idle ceiling (NB-3 only requires a positive timeout), so the
#: component refuses more than this (a GPU notebook left idle overnight is the cost this control exists for).
IDLE_CEILING_MINUTES = 240
#: Workbench accepts idle shutdown from 10 minutes.
IDLE_MINIMUM_MINUTES = 10
#: The roles the created service account gets on the project: write its own logs and metrics, nothing else.
SERVICE_ACCOUNT_ROLES: dict[str, str] = {
    "logs": "roles/logging.logWriter",
    "metrics": "roles/monitoring.metricWriter",
}
#: ``use``: act as the instance's service account (what JupyterLab access needs); ``admin``: manage the instance.
SERVICE_ACCOUNT_USER = "roles/iam.serviceAccountUser"
NOTEBOOKS_ADMIN = "roles/notebooks.admin"
NotebookRole = Literal["use", "admin"]
NO_ROOT = "notebook-disable-root"
NO_DOWNLOADS = "notebook-disable-downloads"
NO_TERMINAL = "notebook-disable-terminal"
IDLE_TIMEOUT = "idle-timeout-seconds"
UPGRADE_SCHEDULE = "notebook-upgrade-schedule"
_NAME = r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$"

Zone = Annotated[
    str, Field(pattern=r"^[a-z]+-[a-z]+[0-9]+-[a-z]$", description="Zone, e.g. `us-central1-a`.")
]
MachineType = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9]*-[a-z0-9-]+$",
        description="Compute Engine machine type, e.g. `e2-standard-4`.",
    ),
]
InstanceName = Annotated[
    str,
    Field(
        pattern=_NAME, description="Instance id: a lowercase letter, then letters, digits, `-`; 63 at most."
    ),
]
Cron = Annotated[
    str,
    Field(
        pattern=r"^\S+( \S+){4}$",
        description="unix-cron, 5 fields, GMT (e.g. `0 3 * * SUN`).",
    ),
]


DiskType = Literal["PD_STANDARD", "PD_BALANCED", "PD_SSD", "HYPERDISK_BALANCED"]
GpuType = Literal[
    "NVIDIA_TESLA_T4",
    "NVIDIA_TESLA_V100",
    "NVIDIA_TESLA_P100",
    "NVIDIA_TESLA_P4",
    "NVIDIA_TESLA_A100",
    "NVIDIA_A100_80GB",
    "NVIDIA_L4",
    "NVIDIA_H100_80GB",
]

#: Provider fields people reach for, and what to ask for instead (refused naming the fix).
_REFUSED = {
    "root_access": "root is always denied (notebook-disable-root=true, control NB-2); there is no opt-in",
    "enable_root": "root is always denied (notebook-disable-root=true, control NB-2); there is no opt-in",
    "metadata": "metadata is the component's: root, downloads, terminal, idle shutdown and upgrades have fields of "
    "their own (downloads, terminal, idle_shutdown_minutes, upgrade_schedule)",
    "disable_public_ip": "the instance has no public IP; to give it one, opt in by name: "
    "public_ip=PublicAccess(justification=...)",
    "access_configs": "the instance has no external IP; to give it one, opt in by name: "
    "public_ip=PublicAccess(justification=...)",
    "enable_ip_forwarding": "IP forwarding is always off; a notebook routes nobody's traffic",
    "shielded_instance_config": "Shielded VM (secure boot, vTPM, integrity monitoring) is always on",
    "disk_encryption": "disks are always CMEK-encrypted; choose the key with kms_key",
    "instance_owners": "name the owner in access={name: Grant(principal='user:...', role='use')}",
    "service_accounts": "use service_account=CreateNotebookServiceAccount() (the default) or "
    "ExistingNotebookServiceAccount(email=...)",
}


class CreateNotebookServiceAccount(BaseModel):
    """Create a dedicated service account: it may write its logs and metrics, nothing else (grant data access with
    the data's own components, e.g. a LockedBucket `access` grant to its member)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["create"] = "create"
    account_id: AccountId | None = Field(
        default=None,
        description="Account id (project-unique); default: `<component name>-nb`, which must then be a valid id.",
    )


class ExistingNotebookServiceAccount(BaseModel):
    """Run the instance as an existing user-managed service account (its roles are its owner's to keep minimal)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["existing"] = "existing"
    email: ServiceAccountEmail = Field(
        description="`<name>@<project>.iam.gserviceaccount.com`; the default compute and App Engine accounts are "
        "refused (Editor on the project by default, shared by every VM)."
    )


NotebookServiceAccount = Annotated[
    CreateNotebookServiceAccount | ExistingNotebookServiceAccount, Field(discriminator="kind")
]


class NotebookGpu(BaseModel):
    """GPUs attached to the instance (the machine type must take them)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    type: GpuType = Field(description="Accelerator type (the Workbench API's names).")
    count: int = Field(default=1, ge=1, le=8, description="Number of GPUs.")


class ManagedNotebookArgs(BaseModel):
    """Inputs of ``ManagedNotebook``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(
        description="Owner and classification, stamped as labels on the instance; `restricted` turns downloads and "
        "the terminal off."
    )
    zone: Zone = Field(description="Zone of the instance (`us-central1-a`); the key is in its region.")
    project: ProjectId | None = Field(default=None, description="Project; default: the provider's.")
    instance_name: InstanceName | None = Field(
        default=None, description="Instance id (unique per project and zone); default: Pulumi auto-naming."
    )
    network: GcpNetwork = Field(
        description="The private subnet the instance's only interface is in: `network` and `subnetwork` (in the "
        "zone's region), e.g. `PrivateNetwork.placement('notebooks')`. No PSC fields. Provider default: the "
        "project's default network."
    )
    machine_type: MachineType = Field(
        default="e2-standard-4", description="Machine type (provider default: n1-standard-4)."
    )
    gpu: NotebookGpu | None = Field(default=None, description="GPUs to attach; default none.")
    boot_disk_gb: int = Field(
        default=150, ge=150, le=64000, description="Boot disk size in GB (provider default: 150)."
    )
    data_disk_gb: int = Field(
        default=100,
        ge=10,
        le=64000,
        description="Data disk (home directory) size in GB (provider default: 100).",
    )
    disk_type: DiskType = Field(default="PD_BALANCED", description="Type of both disks.")
    network_tags: tuple[NetworkTag, ...] = Field(
        default=(), description="Network tags, for the network's firewall rules (e.g. an egress rule)."
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description="CMEK of the boot and data disks (`disk_encryption=CMEK`): create a key (default; granted to "
        "the Compute Engine and Notebooks service agents, made to exist first) or an existing key in the zone's "
        "region (its owner grants both). Provider default: GMEK (Google-managed keys).",
    )
    service_account: NotebookServiceAccount = Field(
        default_factory=CreateNotebookServiceAccount,
        description="The instance's identity: a dedicated account (default, `roles/logging.logWriter` and "
        "`roles/monitoring.metricWriter` only) or an existing user-managed one. Provider default: the Compute "
        "Engine default service account (often project Editor).",
    )
    access_mode: Literal["single-user", "service-account"] = Field(
        default="single-user",
        description="Who opens JupyterLab: `single-user` (default; `instance_owners`, the one `use` grant) or "
        "`service-account` (every `use` grant: users allowed to act as the instance's service account). Set at "
        "creation only. Provider default: service-account mode.",
    )
    access: dict[Slug, Grant[Member, NotebookRole]] = Field(
        default_factory=dict,
        description="Who may use the notebook, by name: `use` = JupyterLab (`roles/iam.serviceAccountUser` on the "
        "instance's service account; `user:` principals only, groups are not supported; single-user mode takes "
        "exactly one); `admin` = `roles/notebooks.admin` on the instance (start after idle shutdown, stop, reset, "
        "upgrade). IAM members naming one principal; no wildcards, domains or default service accounts.",
    )
    downloads: bool | None = Field(
        default=None,
        description="Allow file downloads from JupyterLab (`notebook-disable-downloads`); None: off for "
        "restricted data, on otherwise (provider default: on). Refused for restricted data.",
    )
    terminal: bool | None = Field(
        default=None,
        description="Allow the JupyterLab terminal (`notebook-disable-terminal`); None: off for restricted data, "
        "on otherwise (provider default: on). Refused for restricted data.",
    )
    idle_shutdown_minutes: int = Field(
        default=60,
        ge=IDLE_MINIMUM_MINUTES,
        description=f"Stop the instance after this many idle minutes (`idle-timeout-seconds`; provider default for "
        f"API-created instances: never). {IDLE_MINIMUM_MINUTES} to {IDLE_CEILING_MINUTES} (the component's "
        "ceiling: the pack sets no stack ceiling).",
    )
    upgrade_schedule: Cron | None = Field(
        default="0 3 * * SUN",
        description="Automatic environment upgrades (`notebook-upgrade-schedule`, unix-cron in GMT; the instance "
        "restarts); default weekly, Sunday 03:00. None: no automatic upgrade (provider default).",
    )
    disable_proxy_access: bool = Field(
        default=False,
        description="Unregister from the Workbench inverting proxy. Default false (provider default too): "
        "JupyterLab is reached through the IAM-gated proxy over HTTPS, with no ingress rule and no SSH; true "
        "leaves only an SSH tunnel (IAP TCP forwarding, port 22 open to 35.235.240.0/20).",
    )
    public_ip: PublicAccess | None = Field(
        default=None,
        description="Opt-in to an external IP (`disable_public_ip=False`), with a justification (label "
        "`aiwarden-exception=public-ip`, metadata `aiwarden-exception`); no `cidrs` (use firewall rules); refused "
        "for restricted data in production. NB-1 still reports it until it is exempted by name in the pack "
        "configuration. Default: no external IP.",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="Workbench `enable_deletion_protection`, Pulumi `protect` and `deletion_policy=PREVENT`; None: "
        "on (provider default: off); cannot be turned off in production.",
    )
    enable_apis: bool = enable_apis_field(NOTEBOOKS_API, COMPUTE_API, IAM_API, KMS_API)

    _refuse_provider_fields = refuse_provider_fields(_REFUSED)

    @model_validator(mode="after")
    def _consistent(self) -> ManagedNotebookArgs:
        check_key_choice(self.kms_key, self.region, self.ownership, "kms_key")
        check_deletion_protection(self.deletion_protection, self.ownership)
        self.network.refuse_unused("network", "ManagedNotebook", *PSC_FIELDS)
        self.network.subnetwork_in(
            self.region, needs="the instance needs a private subnet", region_of="the zone's"
        )
        if self.idle_shutdown_minutes > IDLE_CEILING_MINUTES:
            raise ValueError(
                f"idle_shutdown_minutes={self.idle_shutdown_minutes}: above the ceiling of {IDLE_CEILING_MINUTES} "
                f"minutes (control NB-3: idle notebooks stop); use at most {IDLE_CEILING_MINUTES}"
            )
        if self.restricted:
            for field in ("downloads", "terminal"):
                if getattr(self, field) is True:
                    raise ValueError(
                        f"{field}=True: restricted data stays in the notebook ({field} off, control NB-2); remove "
                        f"{field}, or classify the data lower"
                    )
        self._check_access()
        self._check_public_ip()
        return self

    def _check_access(self) -> None:
        for grant, g in self.access.items():
            if g.role == "use" and not g.principal.startswith("user:"):
                raise ValueError(
                    f"access.{grant}: JupyterLab is opened by individual users only (`user:<email>`; groups and "
                    f"service accounts are not supported); {g.principal!r} cannot have `use`"
                )
        users = principals(self.access, "use")
        if self.access_mode == "single-user" and len(users) != 1:
            raise ValueError(
                f"access: single-user mode names exactly one `use` grant (the instance owner), found {len(users)}; "
                "name one user, or set access_mode='service-account'"
            )

    def _check_public_ip(self) -> None:
        public = self.public_ip
        if public is None:
            return
        o = self.ownership
        if o.environment == "production" and o.data_classification == "restricted":
            raise ValueError(
                "public_ip: a notebook with restricted production data never has an external IP (NB-1); remove "
                "public_ip and reach it through the proxy"
            )
        if public.cidrs:
            raise ValueError(
                "public_ip.cidrs: a Workbench instance takes no source ranges; remove cidrs and restrict ingress "
                "with the network's firewall rules"
            )

    @property
    def region(self) -> str:
        return self.zone.rsplit("-", 1)[0]

    @property
    def restricted(self) -> bool:
        return self.ownership.data_classification == "restricted"

    def allowed(self, field: Literal["downloads", "terminal"]) -> bool:
        """Whether downloads / the terminal stay on: the explicit choice, else on unless the data is restricted."""
        choice: bool | None = getattr(self, field)
        return (not self.restricted) if choice is None else choice

    def metadata(self) -> dict[str, str]:
        """The instance metadata: root, downloads, terminal, idle shutdown, upgrades, and any exception."""
        found = {
            NO_ROOT: "true",
            NO_DOWNLOADS: "false" if self.allowed("downloads") else "true",
            NO_TERMINAL: "false" if self.allowed("terminal") else "true",
            IDLE_TIMEOUT: str(self.idle_shutdown_minutes * 60),
        }
        if self.upgrade_schedule is not None:
            found[UPGRADE_SCHEDULE] = self.upgrade_schedule
        if self.public_ip is not None:
            found[v.EXCEPTION] = f"public-ip: {self.public_ip.justification}"
        return found

    def protected(self) -> bool:
        return deletion_protected(self.deletion_protection, True)

    def apis(self) -> list[str]:
        return [
            NOTEBOOKS_API,
            COMPUTE_API,
            *([IAM_API] if isinstance(self.service_account, CreateNotebookServiceAccount) else []),
            *([KMS_API] if isinstance(self.kms_key, CreateKey) else []),
        ]


class ManagedNotebook(pulumi.ComponentResource):
    """A private, rootless, CMEK-encrypted, idle-stopping Vertex AI Workbench instance with its own identity.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``key`` (`<name>-cmek`, a ``Key`` when
    ``CreateKey``: the Compute Engine and Notebooks service agents made to exist and granted),
    ``service_account`` (`<name>-sa`) and its project roles ``sa_roles`` (`<name>-sa-logs`, `<name>-sa-metrics`)
    with ``CreateNotebookServiceAccount``, ``instance`` (`<name>-instance`), ``grants`` (`<name>-grant-<grant>`:
    serviceAccountUser on the service account for `use`, notebooks admin on the instance for `admin`).
    Outputs: ``instanceName``, ``proxyUri``, ``serviceAccountEmail``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("NB-1", "NB-2", "NB-3", "DATA-2", "INV-1", "IR-2")

    def __init__(
        self, name: str, args: ManagedNotebookArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        choice = args.service_account
        created_id = (
            account_id(choice, name, "nb", "service_account")
            if isinstance(choice, CreateNotebookServiceAccount)
            else None
        )
        super().__init__(TYPE, name, None, opts)
        project = lookup(args.project)
        self.apis = enable_apis(name, args.apis(), args.project, self) if args.enable_apis else []
        key_id, key_deps = self._key(name, args)
        self._identity(name, args, project.id, created_id)
        protect = args.protected()
        labels = args.ownership.gcp_labels()
        if args.public_ip is not None:
            labels[v.EXCEPTION] = "public-ip"
        users = principals(args.access, "use")
        self.instance = gcp.workbench.Instance(
            f"{name}-instance",
            name=args.instance_name,
            location=args.zone,
            project=args.project,
            gce_setup=gcp.workbench.InstanceGceSetupArgs(
                machine_type=args.machine_type,
                accelerator_configs=None
                if args.gpu is None
                else [
                    gcp.workbench.InstanceGceSetupAcceleratorConfigArgs(
                        type=args.gpu.type, core_count=str(args.gpu.count)
                    )
                ],
                boot_disk=gcp.workbench.InstanceGceSetupBootDiskArgs(
                    disk_encryption="CMEK",
                    kms_key=key_id,
                    disk_size_gb=str(args.boot_disk_gb),
                    disk_type=args.disk_type,
                ),
                data_disks=gcp.workbench.InstanceGceSetupDataDisksArgs(
                    disk_encryption="CMEK",
                    kms_key=key_id,
                    disk_size_gb=str(args.data_disk_gb),
                    disk_type=args.disk_type,
                ),
                disable_public_ip=args.public_ip is None,
                enable_ip_forwarding=False,
                network_interfaces=[
                    gcp.workbench.InstanceGceSetupNetworkInterfaceArgs(
                        network=args.network.network, subnet=args.network.subnetwork
                    )
                ],
                service_accounts=[gcp.workbench.InstanceGceSetupServiceAccountArgs(email=self.email)],
                shielded_instance_config=gcp.workbench.InstanceGceSetupShieldedInstanceConfigArgs(
                    enable_secure_boot=True, enable_vtpm=True, enable_integrity_monitoring=True
                ),
                metadata=args.metadata(),
                tags=list(args.network_tags) or None,
            ),
            disable_proxy_access=args.disable_proxy_access,
            instance_owners=[member_email(users[0])] if args.access_mode == "single-user" else None,
            enable_deletion_protection=protect,
            deletion_policy="PREVENT" if protect else "DELETE",
            labels=labels,
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[*self.apis, *key_deps, *self.sa_roles.values(), *self._user_grants(name, args)],
                protect=protect,
            ),
        )
        self._admin_grants(name, args)
        self._record(name, args)
        self.register_outputs(
            {
                "instanceName": self.instance.name,
                "proxyUri": self.instance.proxy_uri,
                "serviceAccountEmail": self.email,
            }
        )

    def _key(self, name: str, args: ManagedNotebookArgs) -> tuple[pulumi.Input[str], list[pulumi.Resource]]:
        """The CMEK: an existing key passed through, or a ``Key`` the Compute Engine agent (it encrypts the disks)
        and the Notebooks agent (it creates the VM) may use, whose grants the instance waits for."""
        resolved = resolve_key(
            f"{name}-cmek",
            args.kms_key,
            ownership=args.ownership,
            location=args.region,
            project=args.project,
            agents=("compute", "notebooks"),
            parent=self,
            after=self.apis,
        )
        self.key: Key | None = resolved.key
        return resolved.id, resolved.depends_on

    def _identity(
        self, name: str, args: ManagedNotebookArgs, project_id: str, account_id: str | None
    ) -> None:
        """The instance's service account: created with its two project roles, or an existing one."""
        self.service_account: gcp.serviceaccount.Account | None = None
        self.sa_roles: dict[str, gcp.projects.IAMMember] = {}
        choice = args.service_account
        if isinstance(choice, ExistingNotebookServiceAccount):
            self.email: pulumi.Input[str] = choice.email
            self.member: pulumi.Input[str] = f"serviceAccount:{choice.email}"
            self.account_ref: pulumi.Input[str] = f"projects/-/serviceAccounts/{choice.email}"
            return
        child = pulumi.ResourceOptions(parent=self, depends_on=self.apis)
        self.service_account = gcp.serviceaccount.Account(
            f"{name}-sa",
            account_id=account_id,
            project=args.project,
            display_name=f"{name} notebook"[:100],
            description=f"aiwarden ManagedNotebook {name}: the Workbench instance's identity",
            opts=child,
        )
        self.email = self.service_account.email
        self.member = self.service_account.member
        self.account_ref = self.service_account.id
        self.sa_roles = {
            key: gcp.projects.IAMMember(
                f"{name}-sa-{key}", project=project_id, role=role, member=self.member, opts=child
            )
            for key, role in SERVICE_ACCOUNT_ROLES.items()
        }

    def _user_grants(self, name: str, args: ManagedNotebookArgs) -> list[pulumi.Resource]:
        """`use`: act as the instance's service account (JupyterLab access), granted before the instance exists."""
        self.grants: dict[str, pulumi.CustomResource] = {}
        for grant, g in args.access.items():
            if g.role == "use":
                self.grants[grant] = gcp.serviceaccount.IAMMember(
                    f"{name}-grant-{grant}",
                    service_account_id=self.account_ref,
                    role=SERVICE_ACCOUNT_USER,
                    member=g.principal,
                    opts=pulumi.ResourceOptions(parent=self, depends_on=self.apis),
                )
        return list(self.grants.values())

    def _admin_grants(self, name: str, args: ManagedNotebookArgs) -> None:
        """`admin`: manage the instance (start it after an idle shutdown, stop, reset, upgrade)."""
        for grant, g in args.access.items():
            if g.role == "admin":
                self.grants[grant] = gcp.workbench.InstanceIamMember(
                    f"{name}-grant-{grant}",
                    project=self.instance.project,
                    location=self.instance.location,
                    name=self.instance.name,
                    role=NOTEBOOKS_ADMIN,
                    member=g.principal,
                    opts=pulumi.ResourceOptions(parent=self),
                )

    def _record(self, name: str, args: ManagedNotebookArgs) -> None:
        people = tuple(principals(args.access))
        record_asset(
            AssetRecord(
                name=f"{name}-instance",
                kind=KIND,
                ownership=args.ownership,
                exposure="public" if args.public_ip is not None else "private",
                identities=(self.member, *people),
                credentials_to_revoke=(self.member, *people),
                endpoints_to_disable=(self.instance.id,),
                logs_to_preserve=(
                    "Cloud Audit Logs (notebooks.googleapis.com, compute.googleapis.com) of the project: who opened, "
                    "started and changed the instance",
                    "Cloud Audit Logs Data Access of the services the instance's service account reads (storage, "
                    "aiplatform, secretmanager)",
                    "The instance's boot and data disks: snapshot them before deleting the instance",
                ),
                containment="Stop the instance (`gcloud workbench instances stop`), remove the serviceAccountUser "
                "grants and the service account's data grants (or disable the account), snapshot the disks; disable "
                "the CMEK key version to make the disks unreadable.",
            )
        )
