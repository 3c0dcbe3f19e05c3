"""GpuNodePool: a GKE node pool of NVIDIA GPUs, dedicated to GPU workloads and capped in size.

Nodes run as a dedicated service account with Google's minimum node role (never the default compute
account), on Container-Optimized OS with Shielded VM secure boot and integrity monitoring, the GKE metadata
server, a customer-managed boot disk key, the kubelet read-only port off and GKE-managed NVIDIA drivers; an
explicit ``nvidia.com/gpu=present:NoSchedule`` taint keeps other pods off, and the autoscaling maximum stays
within the stack's GPU ceiling (GPU-1..GPU-5). The GPU model and count must be those the machine type takes
(``_accelerators``).
"""

from __future__ import annotations

from typing import ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import assets
from components._common import AssetRecord, CreateKey, KeyChoice, Ownership, record_asset
from components._common.gpu import check_gpu_nodes
from components._common.inventory import asset_kind
from components._common.provider_fields import refuse_provider_fields
from components.gcp._accelerators import check_accelerator
from components.gcp._gke import (
    COMPUTE_API,
    CONTAINER_API,
    IAM_API,
    MANAGEMENT,
    ClusterRef,
    CreateNodeServiceAccount,
    MachineType,
    NodeIdentity,
    NodeServiceAccount,
    Zone,
    hardened_node_config,
)
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import account_id
from components.gcp._project import KMS_API, enable_apis, enable_apis_field, lookup

TYPE = "aiwarden:gcp:GpuNodePool"
KIND = asset_kind(assets.GPU_COMPUTE)
#: The taint that reserves the nodes for pods tolerating it (GKE adds one only when the cluster has non-GPU pools).
GPU_TAINT = {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}
#: Provider switches that are not inputs here, and why.
_REFUSED: dict[str, str] = {
    "enable_private_nodes": "nodes are always private (control GPU-2); nothing to set",
    "network_config": "nodes are always private (control GPU-2); nothing to set",
    "oauth_scopes": "nodes use the cloud-platform scope with a least-privilege service account; choose the account "
    "with service_account",
    "workload_metadata_config": "nodes always use the GKE metadata server (GPU-1); nothing to set",
    "shielded_instance_config": "secure boot and integrity monitoring are always on (GPU-4); nothing to set",
    "image_type": "nodes always run COS_CONTAINERD (GPU-4); nothing to set",
    "boot_disk_kms_key": "boot disks are always under a customer-managed key; choose it with kms_key",
    "guest_accelerators": "give the GPU model and count with accelerator=GpuAccelerator(type=..., count=...)",
    "taints": "the nvidia.com/gpu=present:NoSchedule taint is always set (GPU-5); GPU pods tolerate it",
    "management": "auto-repair and auto-upgrade are always on (GPU-4); nothing to set",
    "kubelet_config": "the kubelet read-only port is always off; nothing to set",
    "node_count": "size the pool with autoscaling=GpuAutoscaling(min_nodes=..., max_nodes=...)",
    "max_node_count": "size the pool with autoscaling=GpuAutoscaling(max_nodes=...) (a total across zones)",
}


class GpuAccelerator(BaseModel):
    """The GPUs of each node, with GKE-managed NVIDIA driver installation."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    type: str = Field(
        pattern=r"^nvidia-[a-z0-9-]+$",
        description="GPU model, e.g. `nvidia-l4`, `nvidia-tesla-a100`, `nvidia-h100-80gb`: the model the machine "
        "type takes.",
    )
    count: int = Field(ge=1, le=16, description="GPUs per node: the count the machine type takes.")
    driver_version: Literal["DEFAULT", "LATEST"] = Field(
        default="DEFAULT",
        description="GKE installs the NVIDIA driver: DEFAULT (the default driver of the node's GKE version) or "
        "LATEST. Provider default: no installation (a driver DaemonSet must be deployed by hand).",
    )


class GpuAutoscaling(BaseModel):
    """Autoscaling bounds, totals across the pool's zones (`total_min_node_count` / `total_max_node_count`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    min_nodes: int = Field(
        default=0, ge=0, le=1000, description="Total minimum (default 0: scale from zero)."
    )
    max_nodes: int = Field(
        default=1,
        ge=1,
        le=1000,
        description="Total maximum; at most the stack's GPU ceiling (stack config `aiwarden:maxGpuNodesPerPool`, "
        "default 8, the GPU-5 policies' `maxGpuNodesPerPool`).",
    )
    location_policy: Literal["ANY", "BALANCED"] = Field(
        default="ANY",
        description="ANY: add nodes in whichever zone has GPU capacity (Google's recommendation for scarce "
        "accelerators and Spot); BALANCED: spread evenly (provider default).",
    )

    @model_validator(mode="after")
    def _bounds(self) -> GpuAutoscaling:
        if self.min_nodes > self.max_nodes:
            raise ValueError(
                f"autoscaling.min_nodes={self.min_nodes} is above max_nodes={self.max_nodes}; lower min_nodes"
            )
        return self


class GpuNodePoolArgs(BaseModel):
    """Inputs of ``GpuNodePool``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(
        description="Owner and classification, stamped as the nodes' resource labels."
    )
    cluster: ClusterRef = Field(
        description="The cluster the pool joins: `GpuCluster.ref()`, or an existing cluster by name "
        "(`ClusterRef(name=..., location=..., project=...)`; it must be private: the pool's nodes are)."
    )
    machine_type: MachineType = Field(
        description="A GPU machine type: accelerator-optimized (`g2-standard-8`, `a2-highgpu-1g`, `a3-highgpu-8g`) "
        "or N1 with attached GPUs (`n1-standard-8`)."
    )
    accelerator: GpuAccelerator = Field(
        description="GPU model and count per node (checked against the machine type) and the driver version."
    )
    node_locations: tuple[Zone, ...] = Field(
        default=(),
        max_length=10,
        description="Zones of the cluster's region where the GPUs are offered; default: the cluster's zones (a GPU "
        "model missing in one of them fails the pool).",
    )
    autoscaling: GpuAutoscaling = Field(
        default_factory=GpuAutoscaling,
        description="Autoscaling totals; the maximum is capped by the stack's GPU ceiling (GPU-5).",
    )
    spot: bool = Field(
        default=False, description="Spot VMs: cheaper, preemptible at any time (provider default: off)."
    )
    disk_size_gb: int = Field(
        default=100, ge=30, le=65536, description="Boot disk size in GiB (images of GPU workloads are large)."
    )
    disk_type: Literal["pd-balanced", "pd-ssd"] = Field(default="pd-balanced", description="Boot disk type.")
    service_account: NodeServiceAccount = Field(
        default_factory=CreateNodeServiceAccount,
        description="The nodes' identity: a dedicated account `<name>-nodes` with "
        "`roles/container.defaultNodeServiceAccount` and reader on named repositories (default), or an existing "
        "user-managed account. GKE default: the project's default compute service account (Editor).",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description="CMEK of the boot disks (`boot_disk_kms_key`), granted to the Compute Engine service agent: "
        "create a key (default) or an existing key in the cluster's region. Provider default: Google-managed.",
    )
    enable_apis: bool = enable_apis_field(CONTAINER_API, COMPUTE_API, IAM_API, KMS_API)

    _refuse_provider_fields = refuse_provider_fields(_REFUSED)

    @model_validator(mode="after")
    def _consistent(self) -> GpuNodePoolArgs:
        check_accelerator(self.machine_type, self.accelerator.type, self.accelerator.count, self.spot)
        check_gpu_nodes(self.autoscaling.max_nodes, "autoscaling.max_nodes")
        region = self.cluster.region
        for i, zone in enumerate(self.node_locations):
            if not zone.startswith(region + "-"):
                raise ValueError(
                    f"node_locations[{i}]: {zone} is not in the cluster's region {region}; use zones of {region}"
                )
        if len(set(self.node_locations)) != len(self.node_locations):
            raise ValueError("node_locations names a zone twice; name each zone once")
        check_key_choice(self.kms_key, region, self.ownership, "kms_key")
        return self

    def apis(self) -> list[str]:
        return [
            CONTAINER_API,
            COMPUTE_API,
            IAM_API,
            *([KMS_API] if isinstance(self.kms_key, CreateKey) else []),
        ]


class GpuNodePool(pulumi.ComponentResource):
    """A tainted, capped, hardened GKE GPU node pool with its own node identity and boot-disk key.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``key`` (`<name>-cmek`, a ``Key`` when
    ``CreateKey``, granted to the Compute Engine service agent), ``identity`` (`<name>-nodes` service account,
    `<name>-nodes-role`, `<name>-nodes-pull-<repo>` with ``CreateNodeServiceAccount``), ``pool`` (`<name>-pool`).
    Outputs: ``poolName``, ``nodeServiceAccount``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("GPU-1", "GPU-2", "GPU-3", "GPU-4", "GPU-5", "DATA-2", "INV-1")

    def __init__(self, name: str, args: GpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        choice = args.service_account
        node_account = (
            account_id(choice, name, "nodes", "service_account")
            if isinstance(choice, CreateNodeServiceAccount)
            else None
        )
        super().__init__(TYPE, name, None, opts)
        cluster = args.cluster
        project_id = cluster.project or lookup(None).id
        self.apis = enable_apis(name, args.apis(), cluster.project, self) if args.enable_apis else []
        resolved = resolve_key(
            f"{name}-cmek",
            args.kms_key,
            ownership=args.ownership,
            location=cluster.region,
            project=cluster.project,
            agents=("compute",),
            parent=self,
            after=self.apis,
        )
        self.key = resolved.key
        self.identity = NodeIdentity(
            f"{name}-nodes", choice, node_account, project_id, f"{name} GPU nodes", self, list(self.apis)
        )
        accelerator = args.accelerator
        self.pool = gcp.container.NodePool(
            f"{name}-pool",
            cluster=cluster.name,
            location=cluster.location,
            project=cluster.project,
            node_locations=list(args.node_locations) or None,
            initial_node_count=0 if args.autoscaling.min_nodes == 0 else 1,
            autoscaling=gcp.container.NodePoolAutoscalingArgs(
                total_min_node_count=args.autoscaling.min_nodes,
                total_max_node_count=args.autoscaling.max_nodes,
                location_policy=args.autoscaling.location_policy,
            ),
            management=gcp.container.NodePoolManagementArgs(**MANAGEMENT),
            network_config=gcp.container.NodePoolNetworkConfigArgs(enable_private_nodes=True),
            node_config=hardened_node_config(
                ownership=args.ownership,
                machine_type=args.machine_type,
                service_account=self.identity.email,
                boot_disk_kms_key=resolved.id,
                disk_size_gb=args.disk_size_gb,
                disk_type=args.disk_type,
                spot=args.spot,
                guest_accelerators=[
                    gcp.container.NodePoolNodeConfigGuestAcceleratorArgs(
                        type=accelerator.type,
                        count=accelerator.count,
                        gpu_driver_installation_config=(
                            gcp.container.NodePoolNodeConfigGuestAcceleratorGpuDriverInstallationConfigArgs(
                                gpu_driver_version=accelerator.driver_version
                            )
                        ),
                    )
                ],
                taints=[gcp.container.NodePoolNodeConfigTaintArgs(**GPU_TAINT)],
            ),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[*self.apis, *resolved.depends_on, *self.identity.depends_on]
            ),
        )
        self._record(name, args)
        self.register_outputs({"poolName": self.pool.name, "nodeServiceAccount": self.identity.email})

    def _record(self, name: str, args: GpuNodePoolArgs) -> None:
        identities = (self.identity.member,)
        project = args.cluster.project or "the provider's project"
        record_asset(
            AssetRecord(
                name=f"{name}-pool",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=identities,
                credentials_to_revoke=identities,
                logs_to_preserve=(
                    f"Cloud Audit Logs (container.googleapis.com, compute.googleapis.com, k8s.io) of {project}",
                    "Cloud Logging: the nodes' system and workload logs (resource.type=k8s_node, k8s_container)",
                ),
                containment="Set the pool's autoscaling maximum to 0 (or cordon and drain its nodes), remove the node "
                "service account's roles; disabling the CMEK key version stops its boot disks.",
            )
        )
