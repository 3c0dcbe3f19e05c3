"""GpuNodePool: an EKS managed node group of NVIDIA GPU instances, hardened and capped.

Children (``<name>-<role>``): ``key`` (a ``Key`` admitting the EC2 Auto Scaling service-linked role, unless
``kms_key`` is an ``ExistingKey``); ``node-role`` (trusted by EC2) with ``node-role-worker``
(``AmazonEKSWorkerNodePolicy``), ``node-role-cni`` (``AmazonEKS_CNI_Policy``, unless ``cni_policy=False``) and
``node-role-registry`` (``AmazonEC2ContainerRegistryPullOnly``), nothing else; ``template`` (launch template:
IMDSv2 with hop limit 1, CMK-encrypted volumes, no public IP, no key pair, optional capacity reservation);
``node-group`` (EKS NVIDIA AMI, ``nvidia.com/gpu=true:NoSchedule`` taint, GPU labels, private subnets, node
auto repair, ``max_size`` within the stack's GPU ceiling). See ``_eks`` for what every pool shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aiwarden_policies.contract import assets
from components._common import AssetRecord, AwsNetwork, CreateKey, KeyChoice, Ownership, record_asset
from components._common.gpu import check_gpu_nodes
from components._common.inventory import asset_kind
from components._common.provider_fields import refuse_provider_fields
from components.aws._eks import (
    POOL_LABEL,
    AmiFamily,
    Capacity,
    ClusterRef,
    ServiceRole,
    autoscaling_role,
    label_errors,
    launch_template,
    node_group,
    node_policies,
    service_role,
    taint,
)
from components.aws._gpu_instances import GPU_INSTANCES, gpus, unknown_type_error
from components.aws._identifiers import aws_identifier
from components.aws._key_choice import FIELD_DESCRIPTION, check_key_choice, resolve_key
from components.aws._tags import aws_tags
from components.aws._where import where
from components.aws.key import Key

TYPE = "aiwarden:aws:GpuNodePool"
KIND = asset_kind(assets.GPU_COMPUTE)
GPU_RESOURCE = "nvidia.com/gpu"
#: The EKS-managed NVIDIA AMI types for x86_64 (botocore ``eks`` ``AMITypes``).
GpuAmi = Literal["AL2023_x86_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA"]
if TYPE_CHECKING:
    CapacityReservationId = str | pulumi.Output[str]
else:
    CapacityReservationId = aws_identifier(
        r"^cr-[0-9a-f]{17}$", "a capacity reservation id", "cr-0123456789abcdef0"
    )
_VERSION = r"^1\.\d{1,2}$"

#: Provider settings that are not inputs here, and what decides them.
_REFUSED: dict[str, str] = {
    "remote_access": "SSH to GPU nodes is refused (GPU-2: no key pair, no port 22); use SSM Session Manager, which "
    "needs neither",
    "ec2_ssh_key": "SSH keys are refused (GPU-2); use SSM Session Manager for break-glass access",
    "key_name": "SSH key pairs are refused (GPU-2); use SSM Session Manager for break-glass access",
    "associate_public_ip_address": "nodes never get a public IP (GPU-2); place them in private subnets and reach "
    "AWS services through VPC endpoints",
    "http_put_response_hop_limit": "the metadata hop limit is always 1 with IMDSv2 required (GPU-1): a higher limit "
    "lets pods take the node role's credentials; give pods their own role through EKS Pod Identity",
    "http_tokens": "IMDSv2 is always required (GPU-1); nothing to set",
    "metadata_options": "IMDSv2 with hop limit 1 is always set (GPU-1); nothing to set",
    "image_id": "nodes run EKS-managed NVIDIA AMIs that node group updates patch (GPU-4); choose ami_type",
    "disk_size": "use disk_size_gb (set in the launch template, encrypted with kms_key)",
    "taints": f"the {GPU_RESOURCE}=true:NoSchedule taint is always set (GPU-5); GPU pods tolerate it",
    "capacity_type": "choose capacity=Spot(), CapacityReservation(...) or CapacityBlock(...) (default OnDemand())",
}


class OnDemand(BaseModel):
    """On-Demand instances (EKS default)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["on-demand"] = "on-demand"


class Spot(BaseModel):
    """Spot instances (`capacity_type=SPOT`): interrupted with two minutes' notice; list several instance types of
    the same GPU count to raise the chance of capacity."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["spot"] = "spot"


class CapacityReservation(BaseModel):
    """On-Demand instances launched into a targeted On-Demand Capacity Reservation (launch template
    `capacity_reservation_target`); one instance type, subnets in the reservation's availability zone."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["reservation"] = "reservation"
    reservation_id: CapacityReservationId = Field(
        description="Capacity Reservation id `cr-...` (or an Output)."
    )


class CapacityBlock(BaseModel):
    """A Capacity Block for ML (`capacity_type=CAPACITY_BLOCK`, launch template market type `capacity-block`):
    one instance type, named in the launch template; subnets in the block's availability zone."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["capacity-block"] = "capacity-block"
    reservation_id: CapacityReservationId = Field(description="The Capacity Block's reservation id `cr-...`.")


CapacityChoice = Annotated[OnDemand | Spot | CapacityReservation | CapacityBlock, Field(discriminator="kind")]


class GpuNodePoolArgs(BaseModel):
    """Inputs of ``GpuNodePool``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child and node.")
    cluster: ClusterRef = Field(
        description="The cluster: `GpuCluster.ref()`, or `ClusterRef(name=..., security_group_id=...)` of a cluster "
        "of another stack."
    )
    network: AwsNetwork = Field(
        description="Private subnets of the nodes (no public IP; in the reservation's zone with a reservation) and "
        "the workloads' security groups the nodes carry besides the cluster security group (four at most)."
    )
    instance_types: tuple[str, ...] = Field(
        min_length=1,
        max_length=20,
        description="NVIDIA GPU instance types (e.g. `g6e.xlarge`), all with the same GPU count; a type outside the "
        f"table of supported families ({', '.join(GPU_INSTANCES)}) is refused.",
    )
    ami_type: GpuAmi = Field(
        default="AL2023_x86_64_NVIDIA",
        description="EKS-managed NVIDIA AMI: AL2023 (driver and container toolkit; install the NVIDIA device "
        "plugin) or Bottlerocket (device plugin included). Provider default: AL2023_x86_64_STANDARD (no GPU driver).",
    )
    min_size: int = Field(default=0, ge=0, le=1000, description="Fewest nodes (0: scale to zero when idle).")
    max_size: int = Field(
        default=2,
        ge=1,
        le=1000,
        description="Most nodes; at most the stack's GPU ceiling (stack config `aiwarden:maxGpuNodesPerPool`, "
        "default 8, control GPU-5).",
    )
    desired_size: int | None = Field(
        default=None,
        ge=0,
        le=1000,
        description="Nodes at creation (then the autoscaler's); default min_size.",
    )
    disk_size_gb: int = Field(
        default=200,
        ge=20,
        le=16384,
        description="Root volume (AL2023) or data volume (Bottlerocket), gp3, encrypted with kms_key (images of "
        "GPU frameworks are large; provider default: 20 GiB, unencrypted unless the account default says otherwise).",
    )
    capacity: CapacityChoice = Field(
        default_factory=OnDemand,
        description="OnDemand() (default), Spot(), CapacityReservation(reservation_id=...) or "
        "CapacityBlock(reservation_id=...).",
    )
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="Extra Kubernetes node labels (not under kubernetes.io, k8s.io or aiwarden.io); the pool always "
        f"sets `{POOL_LABEL}=<name>` and `nvidia.com/gpu.present=true`.",
    )
    kubernetes_version: str | None = Field(
        default=None, pattern=_VERSION, description="Kubelet version, e.g. `1.34`; default: the cluster's."
    )
    cni_policy: bool = Field(
        default=True,
        description="Attach AmazonEKS_CNI_Policy to the node role (the VPC CNI uses the node role); False when the "
        "VPC CNI has its own role through EKS Pod Identity or IRSA, set up elsewhere.",
    )
    auto_repair: bool = Field(
        default=True,
        description="EKS node auto repair: nodes whose GPUs or kubelet fail health checks are rebooted or replaced "
        "(provider default: off).",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}. Encrypts the nodes' EBS volumes (provider default: the AWS managed "
        "`aws/ebs` key, or none); an existing key must admit the EC2 Auto Scaling service-linked role.",
    )

    _refuse_provider_fields = refuse_provider_fields(_REFUSED)

    @field_validator("instance_types")
    @classmethod
    def _types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for i, instance_type in enumerate(value):
            if gpus(instance_type) is None:
                raise ValueError(unknown_type_error(f"instance_types[{i}]", instance_type))
        if len(set(value)) != len(value):
            raise ValueError("an instance type is listed twice")
        counts = {t: gpus(t) for t in value}
        if len(set(counts.values())) > 1:
            raise ValueError(
                f"the types have different GPU counts ({', '.join(f'{t}: {n}' for t, n in counts.items())}); the "
                "cluster autoscaler assumes every node of a pool is the same: split them into pools"
            )
        return value

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        error = label_errors("labels", value)
        if error is not None:
            raise ValueError(error)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> GpuNodePoolArgs:
        if self.min_size > self.max_size:
            raise ValueError(f"min_size={self.min_size} is above max_size={self.max_size}; lower min_size")
        desired = self.desired()
        if not self.min_size <= desired <= self.max_size:
            raise ValueError(
                f"desired_size={desired} is outside min_size..max_size ({self.min_size}..{self.max_size})"
            )
        check_gpu_nodes(self.max_size, "max_size")
        if len(self.network.security_group_ids) > 4:
            raise ValueError(
                "network.security_group_ids: at most 4 (the nodes also carry the cluster security group, and an "
                "interface takes 5)"
            )
        if isinstance(self.capacity, CapacityReservation | CapacityBlock) and len(self.instance_types) != 1:
            raise ValueError(
                f"instance_types: a {self.capacity.kind} holds one instance type; list exactly that one"
            )
        check_key_choice("kms_key", self.kms_key, self.ownership)
        return self

    def desired(self) -> int:
        return self.min_size if self.desired_size is None else self.desired_size

    def gpus_per_node(self) -> int:
        return gpus(self.instance_types[0]) or 0

    @property
    def family(self) -> AmiFamily:
        return "bottlerocket" if self.ami_type.startswith("BOTTLEROCKET") else "al2023"

    def capacity_settings(self) -> Capacity:
        choice = self.capacity
        if isinstance(choice, Spot):
            return Capacity(capacity_type="SPOT")
        if isinstance(choice, CapacityReservation):
            return Capacity(reservation_id=choice.reservation_id)
        if isinstance(choice, CapacityBlock):
            return Capacity(
                capacity_type="CAPACITY_BLOCK",
                reservation_id=choice.reservation_id,
                instance_type_in_template=True,
            )
        return Capacity()


class GpuNodePool(pulumi.ComponentResource):
    """A hardened, tainted, capped EKS managed node group of NVIDIA GPU instances (see the module docstring).

    Outputs: ``nodeGroupName``, ``nodeGroupArn``, ``nodeRoleArn``, ``launchTemplateId``, ``kmsKeyArn``,
    ``maxGpus`` (max_size x GPUs per node).
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("GPU-1", "GPU-2", "GPU-3", "GPU-4", "GPU-5", "DATA-2", "INV-1")

    key: Key | None
    node_role: ServiceRole
    template: aws.ec2.LaunchTemplate
    node_group: aws.eks.NodeGroup

    def __init__(self, name: str, args: GpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        place = where(self)
        tags = aws_tags(args.ownership)
        resolved = resolve_key(
            name,
            args.kms_key,
            args.ownership,
            self,
            users={"autoscaling": args.cluster.autoscaling_role_arn or autoscaling_role(place)},
            description=f"aiwarden {name}: EBS volumes of the GPU nodes",
        )
        self.key, key_arn = resolved.created, resolved.arn

        self.node_role = service_role(
            f"{name}-node-role",
            "ec2.amazonaws.com",
            node_policies(args.cni_policy),
            f"aiwarden {name}: GPU nodes (kubelet, image pulls{', VPC CNI' if args.cni_policy else ''} only)",
            tags,
            place,
            self,
        )
        capacity = args.capacity_settings()
        self.template = launch_template(
            f"{name}-template",
            family=args.family,
            disk_size_gb=args.disk_size_gb,
            key_arn=key_arn,
            security_group_ids=[args.cluster.security_group_id, *args.network.security_group_ids],
            tags=tags,
            capacity=capacity,
            instance_type=args.instance_types[0],
            parent=self,
        )
        self.node_group = node_group(
            f"{name}-node-group",
            cluster_name=args.cluster.name,
            role=self.node_role,
            subnet_ids=args.network.subnet_ids,
            template=self.template,
            ami_type=args.ami_type,
            instance_types=args.instance_types,
            capacity=capacity,
            scaling=(args.min_size, args.desired(), args.max_size),
            labels={**args.labels, POOL_LABEL: name, "nvidia.com/gpu.present": "true"},
            taints=[taint(GPU_RESOURCE)],
            kubernetes_version=args.kubernetes_version,
            auto_repair=args.auto_repair,
            tags=tags,
            parent=self,
        )
        max_gpus = args.max_size * args.gpus_per_node()
        record_asset(
            AssetRecord(
                name=f"{name}-node-group",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=(self.node_role.role.arn,),
                credentials_to_revoke=(self.node_role.role.arn,),
                logs_to_preserve=(
                    "CloudTrail: ec2, eks and sts events of the node role",
                    "CloudWatch Logs: the cluster's control-plane logs (audit) for the nodes' API calls",
                ),
                containment=f"Scale node group {name}-node-group to zero (min 0, desired 0) and detach the node "
                "role's policies; instances keep their encrypted volumes until terminated.",
            )
        )
        self.register_outputs(
            {
                "nodeGroupName": self.node_group.node_group_name,
                "nodeGroupArn": self.node_group.arn,
                "nodeRoleArn": self.node_role.role.arn,
                "launchTemplateId": self.template.id,
                "kmsKeyArn": key_arn,
                "maxGpus": max_gpus,
            }
        )
