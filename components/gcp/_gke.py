"""What the GKE components share: cluster references, node service accounts, hardened node settings.

Every node pool the components create (a ``GpuNodePool``, the ``GpuCluster``'s system pool, the
cluster's temporary default pool) runs as a dedicated service account holding
``roles/container.defaultNodeServiceAccount`` (Google's documented minimum for nodes: logs, metrics,
HPA metrics) and Artifact Registry reader on named repositories only, with the ``cloud-platform`` OAuth
scope (Google's recommendation for IAM-scoped accounts: IAM is the limit, not legacy scopes), on
Container-Optimized OS with containerd, Shielded VM secure boot and integrity monitoring, the GKE
metadata server (Workload Identity), legacy metadata endpoints off, the kubelet read-only port off and a
customer-managed boot disk key (GPU-1, GPU-3, GPU-4).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from components._common import cidrs
from components._common.ownership import Ownership, Slug
from components.gcp._principals import AccountId, ProjectId, ServiceAccountEmail

CONTAINER_API = "container.googleapis.com"
COMPUTE_API = "compute.googleapis.com"
IAM_API = "iam.googleapis.com"
#: Google's minimum role for node service accounts (logging, monitoring, HPA metrics).
NODE_ROLE = "roles/container.defaultNodeServiceAccount"
REGISTRY_READER = "roles/artifactregistry.reader"
CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
IMAGE_TYPE = "COS_CONTAINERD"
#: The GKE service agent: uses the application-layer secrets key on the cluster's behalf.
GKE_AGENT = "service-{number}@container-engine-robot.iam.gserviceaccount.com"

_CLUSTER_NAME = r"^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$"
_REGION = r"[a-z]+-[a-z]+[0-9]+"


def check_cidr(value: str) -> str:
    """An IPv4 CIDR block (``components._common.cidrs``), never the whole internet."""
    cidr = cidrs.check_cidr(value)
    if cidrs.is_world(cidr):
        raise ValueError(
            f"{value!r} is the whole internet (controls K8S-2, NET-3); name the networks that need access instead"
        )
    return cidr


Cidr = Annotated[
    str,
    Field(max_length=18, description="An IPv4 range in CIDR notation (`10.0.0.0/24`); 0.0.0.0/0 is refused."),
    AfterValidator(check_cidr),
]
ClusterLocation = Annotated[
    str,
    Field(
        pattern=rf"^{_REGION}(-[a-z])?$",
        description="A region (`us-central1`, a regional cluster) or a zone (`us-central1-a`, a zonal cluster).",
    ),
]
Zone = Annotated[str, Field(pattern=rf"^{_REGION}-[a-z]$", description="A zone, e.g. `us-central1-a`.")]
MachineType = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9]*-[a-z0-9]+(-[a-z0-9]+)*$",
        description="A machine type, e.g. `g2-standard-8`.",
    ),
]
RepositoryId = Annotated[
    str,
    Field(
        pattern=r"^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/locations/[a-z0-9-]+/repositories/[a-z]([a-z0-9-]{0,61}"
        r"[a-z0-9])?$",
        description="Artifact Registry repository, `projects/<project>/locations/<location>/repositories/<id>`.",
    ),
]
ClusterNameText = Annotated[
    str,
    Field(
        pattern=_CLUSTER_NAME,
        description="GKE cluster name: 1-40 lowercase letters, digits, dashes, starting with a letter.",
    ),
]


def _cluster_name(value: Any) -> Any:
    """A cluster name, or an Output (passed through)."""
    if isinstance(value, pulumi.Output):
        return value
    if not isinstance(value, str) or not re.match(_CLUSTER_NAME, value):
        raise ValueError(
            f"{value!r} is not a GKE cluster name (1-40 lowercase letters, digits, dashes, starting with a letter)"
        )
    return value


if TYPE_CHECKING:
    ClusterName = str | pulumi.Output[str]
else:
    ClusterName = Annotated[
        str | pulumi.Output[str],
        PlainValidator(_cluster_name),
        WithJsonSchema({"type": "string", "pattern": _CLUSTER_NAME}),
    ]


def region_of(location: str) -> str:
    """The region of a cluster location (a region, or a zone `<region>-<letter>`)."""
    parts = location.split("-")
    return "-".join(parts[:2])


class ClusterRef(BaseModel):
    """A GKE cluster node pools join: a ``GpuCluster`` (``GpuCluster.ref()``) or an existing cluster by name."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    name: ClusterName = Field(
        description="Cluster name (a string, or the Output of a `GpuCluster`, passed through unvalidated)."
    )
    location: ClusterLocation = Field(description="The cluster's location: its region, or its zone.")
    project: ProjectId | None = Field(
        default=None, description="The cluster's project; default: the provider's."
    )

    @property
    def region(self) -> str:
        return region_of(self.location)


class CreateNodeServiceAccount(BaseModel):
    """Create a dedicated node service account with Google's minimum node role and registry read on named
    repositories only."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["create"] = "create"
    account_id: AccountId | None = Field(
        default=None,
        description="Account id (project-unique); default: `<component name>-nodes` (`-system` for a cluster's "
        "system pool), which must then be a valid id.",
    )
    registries: dict[Slug, RepositoryId] = Field(
        default_factory=dict,
        description="Artifact Registry repositories the nodes pull images from, by name: "
        "`roles/artifactregistry.reader` on each repository (not on the project). Empty: no private "
        "repository is readable.",
    )


class ExistingNodeServiceAccount(BaseModel):
    """Run the nodes as an existing user-managed service account (its roles are its owner's to keep minimal)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["existing"] = "existing"
    email: ServiceAccountEmail = Field(
        description="`<name>@<project>.iam.gserviceaccount.com`; the default compute service account is refused "
        "(Editor on the project by default, shared by every VM)."
    )


NodeServiceAccount = Annotated[
    CreateNodeServiceAccount | ExistingNodeServiceAccount, Field(discriminator="kind")
]


class NodeIdentity:
    """The service account nodes run as: the account created (if any), its grants, and what must exist first."""

    def __init__(
        self,
        name: str,
        choice: CreateNodeServiceAccount | ExistingNodeServiceAccount,
        account: str | None,
        project_id: str,
        description: str,
        parent: pulumi.Resource,
        after: list[pulumi.Resource],
    ) -> None:
        self.account: gcp.serviceaccount.Account | None = None
        self.grants: dict[str, pulumi.CustomResource] = {}
        if isinstance(choice, ExistingNodeServiceAccount):
            self.email: pulumi.Input[str] = choice.email
            self.member: pulumi.Input[str] = f"serviceAccount:{choice.email}"
            return
        child = pulumi.ResourceOptions(parent=parent, depends_on=after)
        self.account = gcp.serviceaccount.Account(
            name,
            account_id=account,
            project=project_id,
            display_name=description,
            description=f"aiwarden: {description} (GKE nodes)",
            opts=child,
        )
        self.email = self.account.email
        self.member = self.account.member
        self.grants["role"] = gcp.projects.IAMMember(
            f"{name}-role", project=project_id, role=NODE_ROLE, member=self.member, opts=child
        )
        for key, repository in choice.registries.items():
            _, repo_project, _, location, _, repo_id = repository.split("/")
            self.grants[f"pull-{key}"] = gcp.artifactregistry.RepositoryIamMember(
                f"{name}-pull-{key}",
                project=repo_project,
                location=location,
                repository=repo_id,
                role=REGISTRY_READER,
                member=self.member,
                opts=child,
            )

    @property
    def depends_on(self) -> list[pulumi.Resource]:
        """The grants nodes need before they start (logging, metrics, image pulls)."""
        return list(self.grants.values())


def hardened_node_config(
    *,
    ownership: Ownership,
    machine_type: str,
    service_account: pulumi.Input[str],
    boot_disk_kms_key: pulumi.Input[str],
    disk_size_gb: int,
    disk_type: str,
    **extra: Any,
) -> gcp.container.NodePoolNodeConfigArgs:
    """The node settings every pool of the components gets (module docstring); ``extra``: GPU settings."""
    return gcp.container.NodePoolNodeConfigArgs(
        machine_type=machine_type,
        image_type=IMAGE_TYPE,
        disk_size_gb=disk_size_gb,
        disk_type=disk_type,
        boot_disk_kms_key=boot_disk_kms_key,
        service_account=service_account,
        oauth_scopes=[CLOUD_PLATFORM],
        workload_metadata_config=gcp.container.NodePoolNodeConfigWorkloadMetadataConfigArgs(
            mode="GKE_METADATA"
        ),
        shielded_instance_config=gcp.container.NodePoolNodeConfigShieldedInstanceConfigArgs(
            enable_secure_boot=True, enable_integrity_monitoring=True
        ),
        kubelet_config=gcp.container.NodePoolNodeConfigKubeletConfigArgs(
            insecure_kubelet_readonly_port_enabled="FALSE"
        ),
        metadata={"disable-legacy-endpoints": "true"},
        resource_labels=ownership.gcp_labels(),
        **extra,
    )


#: Node pool management every pool gets: GKE repairs and upgrades nodes (provider default: both on).
MANAGEMENT = {"auto_repair": True, "auto_upgrade": True}
