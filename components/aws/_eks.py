"""What the EKS components share: the cluster reference node pools take, and the hardened managed node group.

Every managed node group the components create (a ``GpuNodePool``, the ``GpuCluster``'s system pool) is built
the same way (GPU-1 to GPU-4):

- a dedicated node role trusted by EC2, holding only ``AmazonEKSWorkerNodePolicy``,
  ``AmazonEC2ContainerRegistryPullOnly`` and (unless the VPC CNI has its own identity) ``AmazonEKS_CNI_Policy``;
- a launch template: IMDSv2 required with a PUT response hop limit of 1 (pods cannot reach the node role's
  credentials), EBS volumes encrypted under a customer-managed key, one network interface without a public IP
  carrying the cluster security group and the network's security groups, no key pair, no AMI id (EKS-managed
  AMI releases), ownership tags on the instances, volumes and interfaces;
- the node group in private subnets, without ``remote_access`` (EKS refuses it with a launch template), with
  node auto repair and one node replaced at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field

from components.aws._identifiers import EksClusterName, RoleArn, SecurityGroupId
from components.aws._where import Where

#: The AWS managed policies of a node role (GPU-3): what the kubelet needs, the VPC CNI's, image pulls.
WORKER_POLICY = "AmazonEKSWorkerNodePolicy"
CNI_POLICY = "AmazonEKS_CNI_Policy"
REGISTRY_POLICY = "AmazonEC2ContainerRegistryPullOnly"
#: The only policy of the cluster role.
CLUSTER_POLICY = "AmazonEKSClusterPolicy"
#: The service-linked role EC2 Auto Scaling launches the nodes of managed node groups with: it must be allowed
#: to use the key of encrypted volumes (EC2 Auto Scaling User Guide, "Required AWS KMS key policy for use with
#: encrypted volumes").
AUTOSCALING_SERVICE = "autoscaling.amazonaws.com"
AUTOSCALING_ROLE = f"role/aws-service-role/{AUTOSCALING_SERVICE}/AWSServiceRoleForAutoScaling"
#: AMI families of the managed AMI types the components use, and their EBS volumes.
AmiFamily = Literal["al2023", "bottlerocket"]
#: Labels the components set on every node, under their own prefix.
POOL_LABEL = "aiwarden.io/pool"
_LABEL_KEY = re.compile(
    r"^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"
)
_LABEL_VALUE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$")


class ClusterRef(BaseModel):
    """The EKS cluster a node pool joins: ``GpuCluster.ref()``, or a cluster of another stack by name."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    name: EksClusterName = Field(
        description="Cluster name (a string, or the Output of a `GpuCluster`: pools then wait for its add-ons)."
    )
    security_group_id: SecurityGroupId = Field(
        description="The cluster security group EKS created (`vpc_config.cluster_security_group_id`, output "
        "`clusterSecurityGroupId` of `GpuCluster`): the nodes carry it to reach the control plane and each other "
        "(EKS adds it only when a launch template names no security group)."
    )
    autoscaling_role_arn: RoleArn | None = Field(
        default=None,
        description="The EC2 Auto Scaling service-linked role the pool's key must admit; default: the account's "
        "`AWSServiceRoleForAutoScaling` (which must exist, see `GpuCluster.create_autoscaling_service_role`).",
    )


def autoscaling_role(place: Where) -> str:
    """The ARN of the account's EC2 Auto Scaling service-linked role."""
    return f"arn:{place.partition}:iam::{place.account}:{AUTOSCALING_ROLE}"


def managed_policy(place: Where, policy: str) -> str:
    return f"arn:{place.partition}:iam::aws:policy/{policy}"


def _trust(service: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
    )


@dataclass(frozen=True)
class ServiceRole:
    """A role and the AWS managed policies attached to it, by short name."""

    role: aws.iam.Role
    attachments: dict[str, aws.iam.RolePolicyAttachment]


def service_role(
    name: str,
    service: str,
    policies: Mapping[str, str],
    description: str,
    tags: Mapping[str, str],
    place: Where,
    parent: pulumi.Resource,
) -> ServiceRole:
    """``<name>`` trusted by ``service`` with the AWS managed ``policies`` (short name -> policy), attached as
    ``<name>-<short name>``; nothing else (no inline policy)."""
    child = pulumi.ResourceOptions(parent=parent)
    role = aws.iam.Role(
        name,
        assume_role_policy=_trust(service),
        description=description,
        max_session_duration=3600,
        tags=dict(tags),
        opts=child,
    )
    attachments = {
        short: aws.iam.RolePolicyAttachment(
            f"{name}-{short}", role=role.name, policy_arn=managed_policy(place, policy), opts=child
        )
        for short, policy in policies.items()
    }
    return ServiceRole(role=role, attachments=attachments)


def node_policies(cni_policy: bool) -> dict[str, str]:
    """The node role's managed policies (GPU-3), by short name."""
    return {
        "worker": WORKER_POLICY,
        **({"cni": CNI_POLICY} if cni_policy else {}),
        "registry": REGISTRY_POLICY,
    }


def _ebs(key_arn: pulumi.Input[str], size: int | None) -> aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs:
    # pulumi-aws 7 takes `encrypted` / `delete_on_termination` as strings.
    return aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
        encrypted="true",
        kms_key_id=key_arn,
        volume_size=size,
        volume_type="gp3",
        delete_on_termination="true",
    )


def block_devices(
    family: AmiFamily, disk_size_gb: int, key_arn: pulumi.Input[str]
) -> list[aws.ec2.LaunchTemplateBlockDeviceMappingArgs]:
    """Every EBS volume of the AMI, encrypted under ``key_arn`` (GPU-4). AL2023: the root volume ``/dev/xvda``.
    Bottlerocket: the OS volume ``/dev/xvda`` (the AMI snapshot's size) and the data volume ``/dev/xvdb``
    (images, container storage), which takes ``disk_size_gb``."""
    if family == "bottlerocket":
        return [
            aws.ec2.LaunchTemplateBlockDeviceMappingArgs(device_name="/dev/xvda", ebs=_ebs(key_arn, None)),
            aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                device_name="/dev/xvdb", ebs=_ebs(key_arn, disk_size_gb)
            ),
        ]
    return [
        aws.ec2.LaunchTemplateBlockDeviceMappingArgs(device_name="/dev/xvda", ebs=_ebs(key_arn, disk_size_gb))
    ]


@dataclass(frozen=True)
class Capacity:
    """How a node group buys its instances: the node group's ``capacity_type`` and the launch template's
    reservation / market settings."""

    capacity_type: Literal["ON_DEMAND", "SPOT", "CAPACITY_BLOCK"] = "ON_DEMAND"
    reservation_id: pulumi.Input[str] | None = None
    #: Capacity Blocks name the instance type in the launch template, not on the node group.
    instance_type_in_template: bool = False


def launch_template(
    name: str,
    *,
    family: AmiFamily,
    disk_size_gb: int,
    key_arn: pulumi.Input[str],
    security_group_ids: Sequence[pulumi.Input[str]],
    tags: Mapping[str, str],
    capacity: Capacity,
    instance_type: str | None,
    parent: pulumi.Resource,
) -> aws.ec2.LaunchTemplate:
    """The hardened launch template of a managed node group (see the module docstring)."""
    reservation = None
    market = None
    if capacity.reservation_id is not None:
        reservation = aws.ec2.LaunchTemplateCapacityReservationSpecificationArgs(
            capacity_reservation_target=aws.ec2.LaunchTemplateCapacityReservationSpecificationCapacityReservationTargetArgs(
                capacity_reservation_id=capacity.reservation_id
            )
        )
    if capacity.capacity_type == "CAPACITY_BLOCK":
        market = aws.ec2.LaunchTemplateInstanceMarketOptionsArgs(market_type="capacity-block")
    return aws.ec2.LaunchTemplate(
        name,
        description=f"aiwarden {name}: IMDSv2 with hop limit 1, CMK-encrypted volumes, no public IP",
        update_default_version=True,
        metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
            http_endpoint="enabled",
            http_tokens="required",
            http_put_response_hop_limit=1,
            instance_metadata_tags="disabled",
        ),
        block_device_mappings=block_devices(family, disk_size_gb, key_arn),
        # Security groups on the interface (not vpc_security_group_ids: EC2 refuses both): EKS then does not add
        # the cluster security group itself, so it is listed here.
        network_interfaces=[
            aws.ec2.LaunchTemplateNetworkInterfaceArgs(
                device_index=0,
                associate_public_ip_address="false",
                delete_on_termination="true",
                security_groups=list(security_group_ids),
            )
        ],
        capacity_reservation_specification=reservation,
        instance_market_options=market,
        instance_type=instance_type if capacity.instance_type_in_template else None,
        tag_specifications=[
            aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags=dict(tags))
            for kind in ("instance", "volume", "network-interface")
        ],
        tags=dict(tags),
        opts=pulumi.ResourceOptions(parent=parent),
    )


def node_group(
    name: str,
    *,
    cluster_name: pulumi.Input[str],
    role: ServiceRole,
    subnet_ids: Sequence[pulumi.Input[str]],
    template: aws.ec2.LaunchTemplate,
    ami_type: str,
    instance_types: Sequence[str],
    capacity: Capacity,
    scaling: tuple[int, int, int],
    labels: Mapping[str, str],
    taints: Sequence[aws.eks.NodeGroupTaintArgs],
    kubernetes_version: str | None,
    auto_repair: bool,
    tags: Mapping[str, str],
    parent: pulumi.Resource,
    depends_on: Sequence[pulumi.Resource] = (),
) -> aws.eks.NodeGroup:
    """A managed node group on ``template`` (see the module docstring); ``scaling`` is (min, desired, max). The
    desired size is left to the cluster autoscaler after creation."""
    minimum, desired, maximum = scaling
    return aws.eks.NodeGroup(
        name,
        cluster_name=cluster_name,
        node_role_arn=role.role.arn,
        subnet_ids=list(subnet_ids),
        ami_type=ami_type,
        capacity_type=capacity.capacity_type,
        instance_types=None if capacity.instance_type_in_template else list(instance_types),
        launch_template=aws.eks.NodeGroupLaunchTemplateArgs(
            id=template.id, version=template.latest_version.apply(str)
        ),
        scaling_config=aws.eks.NodeGroupScalingConfigArgs(
            min_size=minimum, desired_size=desired, max_size=maximum
        ),
        update_config=aws.eks.NodeGroupUpdateConfigArgs(max_unavailable=1),
        node_repair_config=aws.eks.NodeGroupNodeRepairConfigArgs(enabled=auto_repair),
        labels=dict(labels),
        taints=list(taints),
        version=kubernetes_version,
        tags=dict(tags),
        opts=pulumi.ResourceOptions(
            parent=parent,
            # Nodes join only with the role's policies attached; they are detached only after the nodes are gone.
            depends_on=[*role.attachments.values(), *depends_on],
            ignore_changes=["scalingConfig.desiredSize"],
        ),
    )


def taint(key: str, effect: str = "NO_SCHEDULE", value: str = "true") -> aws.eks.NodeGroupTaintArgs:
    return aws.eks.NodeGroupTaintArgs(key=key, value=value, effect=effect)


def label_errors(field: str, labels: Mapping[str, Any]) -> str | None:
    """Why ``labels`` cannot be Kubernetes node labels set through EKS, or None."""
    for key, value in labels.items():
        if not isinstance(key, str) or not _LABEL_KEY.fullmatch(key):
            return (
                f"{field}: {key!r} is not a Kubernetes label key ([prefix/]name, name 63 characters at most)"
            )
        prefix = key.split("/", 1)[0] if "/" in key else ""
        if prefix.endswith(("kubernetes.io", "k8s.io")) or prefix == POOL_LABEL.split("/", 1)[0]:
            return (
                f"{field}: {key!r} uses a reserved prefix (kubernetes.io, k8s.io: set by Kubernetes; aiwarden.io: set "
                "by the component); use your own prefix, e.g. example.com/team"
            )
        if not isinstance(value, str) or not _LABEL_VALUE.fullmatch(value):
            return f"{field}: the value of {key!r} is not a Kubernetes label value (63 characters at most)"
    return None
