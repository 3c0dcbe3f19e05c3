"""GpuNodePool (AWS): an EKS managed node group of NVIDIA GPU instances through a hardened launch template, a
least-privilege node role, a GPU taint and a size capped by the stack's GPU ceiling."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components._common import Ownership
from components.aws import GpuNodePoolArgs
from components.aws._gpu_instances import GPU_INSTANCES, gpus
from tests.components.aws_helpers import ACCOUNT, CONFIG, KEY_ARN, run, statements
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    incident_response,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import capture, findings, gate

NETWORK = (
    'AwsNetwork(vpc_id="vpc-0123456789abcdef0", subnet_ids=("subnet-0123456789abcdef0", '
    '"subnet-0123456789abcdef1"), security_group_ids=("sg-0123456789abcdef0",))'
)
CLUSTER_SG = "sg-0123456789abcdef9"
CLUSTER = f'ClusterRef(name="ml", security_group_id="{CLUSTER_SG}")'
DEFAULT = (
    f'GpuNodePool("gpu", GpuNodePoolArgs(ownership=o, cluster={CLUSTER}, network={NETWORK}, '
    'instance_types=("g6e.xlarge",)))'
)
SLR = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
#: The stack's budget, anomaly detection and a GPU alarm (COST-1, COST-2), normally provided by the platform.
SPEND = """
SpendGuard("spend", SpendGuardArgs(ownership=o, amount=5000, scope_tag="purpose", emails=("ml@example.com",),
    sns_topic_arn="arn:aws:sns:us-east-1:123456789012:ml-cost",
    alarms={"idle-gpus": MetricAlarm(namespace="ContainerInsights", metric_name="node_gpu_utilization",
                                     dimensions={"ClusterName": "ml"}, comparison="LessThanThreshold", threshold=10)}))
"""
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="x"
)
NET = {
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0123456789abcdef0"],
    "security_group_ids": ["sg-0123456789abcdef0"],
}
BASE: dict[str, Any] = {
    "ownership": OWN,
    "cluster": {"name": "ml", "security_group_id": CLUSTER_SG},
    "network": NET,
    "instance_types": ["g6e.xlarge"],
}


def _output(c: Any, name: str, key: str) -> Any:
    [found] = [r for r in c.resources if r.name == name]
    return found.outputs.get(key)


def _id(c: Any, name: str) -> str:
    [found] = [r for r in c.resources if r.name == name]
    return str(found.id)


def _with(option: str) -> str:
    return DEFAULT[:-2] + f", {option}))"


def test_default_children() -> None:
    c = run(DEFAULT)
    expected = [
        ("aiwarden:aws:GpuNodePool", "gpu"),
        ("aiwarden:aws:Key", "gpu-key"),
        ("aws:ec2/launchTemplate:LaunchTemplate", "gpu-template"),
        ("aws:eks/nodeGroup:NodeGroup", "gpu-node-group"),
        ("aws:iam/role:Role", "gpu-node-role"),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "gpu-node-role-cni"),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "gpu-node-role-registry"),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "gpu-node-role-worker"),
        ("aws:kms/alias:Alias", "gpu-key-alias"),
        ("aws:kms/key:Key", "gpu-key-cmk"),
    ]
    assert children(c) == expected
    direct = {n for _, n in expected} - {"gpu", "gpu-key-cmk", "gpu-key-alias"}
    assert {parent_name(c, n) for n in direct} == {"gpu"}


def test_default_launch_template_imdsv2_hop_one_encrypted_private_no_key_pair() -> None:
    c = run(DEFAULT)
    key = _output(c, "gpu-key-cmk", "arn")
    tags = [{"resourceType": kind, "tags": OWNERSHIP} for kind in ("instance", "volume", "network-interface")]
    assert inputs(c, "gpu-template") == {
        "description": "aiwarden gpu-template: IMDSv2 with hop limit 1, CMK-encrypted volumes, no public IP",
        "updateDefaultVersion": True,
        "metadataOptions": {
            "httpEndpoint": "enabled",
            "httpTokens": "required",
            "httpPutResponseHopLimit": 1,
            "instanceMetadataTags": "disabled",
        },
        "blockDeviceMappings": [
            {
                "deviceName": "/dev/xvda",
                "ebs": {
                    "encrypted": "true",
                    "kmsKeyId": key,
                    "volumeSize": 200,
                    "volumeType": "gp3",
                    "deleteOnTermination": "true",
                },
            }
        ],
        "networkInterfaces": [
            {
                "deviceIndex": 0,
                "associatePublicIpAddress": "false",
                "deleteOnTermination": "true",
                "securityGroups": [CLUSTER_SG, "sg-0123456789abcdef0"],
            }
        ],
        "tagSpecifications": tags,
        "tags": OWNERSHIP,
    }


def test_default_node_group_nvidia_ami_tainted_capped_private_repaired() -> None:
    c = run(DEFAULT)
    assert inputs(c, "gpu-node-group") == {
        "clusterName": "ml",
        "nodeRoleArn": _output(c, "gpu-node-role", "arn"),
        "subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        "amiType": "AL2023_x86_64_NVIDIA",
        "capacityType": "ON_DEMAND",
        "instanceTypes": ["g6e.xlarge"],
        "launchTemplate": {"id": _id(c, "gpu-template"), "version": "1"},
        "scalingConfig": {"minSize": 0, "desiredSize": 0, "maxSize": 2},
        "updateConfig": {"maxUnavailable": 1},
        "nodeRepairConfig": {"enabled": True},
        "labels": {"aiwarden.io/pool": "gpu", "nvidia.com/gpu.present": "true"},
        "taints": [{"key": "nvidia.com/gpu", "value": "true", "effect": "NO_SCHEDULE"}],
        "tags": OWNERSHIP,
    }
    assert "remoteAccess" not in inputs(c, "gpu-node-group")
    assert depends_on(c, "gpu-node-group") == {
        "gpu-node-role",
        "gpu-node-role-worker",
        "gpu-node-role-cni",
        "gpu-node-role-registry",
        "gpu-template",
    }


def test_default_node_role_holds_the_node_cni_and_registry_pull_policies_only() -> None:
    c = run(DEFAULT)
    assert json.loads(inputs(c, "gpu-node-role")["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    attached = sorted(
        inputs(c, r.name)["policyArn"]
        for r in c.resources
        if r.type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
    )
    assert attached == [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]
    assert not [
        r for r in c.resources if r.type in ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy")
    ]
    assert "inlinePolicies" not in inputs(c, "gpu-node-role")
    assert "managedPolicyArns" not in inputs(c, "gpu-node-role")


def test_default_key_admits_the_auto_scaling_service_linked_role() -> None:
    c = run(DEFAULT)
    policy = statements(c, "gpu-key-cmk")
    assert list(policy) == ["AccountAdministration", "KeyUsage", "GrantsForAwsResources"]
    assert policy["KeyUsage"]["Principal"] == {"AWS": [SLR]}
    assert policy["GrantsForAwsResources"]["Principal"] == {"AWS": [SLR]}
    assert policy["GrantsForAwsResources"]["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def test_default_outputs_and_inventory() -> None:
    c = run(DEFAULT)
    [component] = [r for r in c.resources if r.name == "gpu"]
    assert component.outputs["maxGpus"] == 2
    assert component.outputs["nodeRoleArn"] == _output(c, "gpu-node-role", "arn")
    assert component.outputs["launchTemplateId"] == _id(c, "gpu-template")
    assert inventory(c)["gpu-node-group"] == {
        "name": "gpu-node-group",
        "kind": "gpu-compute",
        "owner": "ml-platform",
        "environment": "production",
        "dataClassification": "confidential",
        "exposure": "private",
        "identities": [_output(c, "gpu-node-role", "arn")],
        "purpose": "training",
        "costCenter": "",
    }
    assert incident_response(c)["gpu-node-group"]["credentialsToRevoke"] == [
        _output(c, "gpu-node-role", "arn")
    ]


def test_default_passes_every_policy() -> None:
    assert findings(gate(run(DEFAULT + SPEND, trail=True))) == set()


# -- options, one change each ----------------------------------------------------------------------------------


def test_bottlerocket_encrypts_the_os_and_the_data_volume() -> None:
    c = run(_with('ami_type="BOTTLEROCKET_x86_64_NVIDIA"'))
    key = _output(c, "gpu-key-cmk", "arn")
    assert inputs(c, "gpu-node-group")["amiType"] == "BOTTLEROCKET_x86_64_NVIDIA"
    assert inputs(c, "gpu-template")["blockDeviceMappings"] == [
        {
            "deviceName": "/dev/xvda",
            "ebs": {"encrypted": "true", "kmsKeyId": key, "volumeType": "gp3", "deleteOnTermination": "true"},
        },
        {
            "deviceName": "/dev/xvdb",
            "ebs": {
                "encrypted": "true",
                "kmsKeyId": key,
                "volumeSize": 200,
                "volumeType": "gp3",
                "deleteOnTermination": "true",
            },
        },
    ]


def test_spot_across_instance_types_of_the_same_gpu_count() -> None:
    c = run(
        f'GpuNodePool("gpu", GpuNodePoolArgs(ownership=o, cluster={CLUSTER}, network={NETWORK}, '
        'instance_types=("g6e.xlarge", "g6e.2xlarge", "g6.xlarge"), capacity=Spot()))'
    )
    assert inputs(c, "gpu-node-group")["instanceTypes"] == ["g6e.xlarge", "g6e.2xlarge", "g6.xlarge"]
    assert inputs(c, "gpu-node-group")["capacityType"] == "SPOT"


def test_capacity_reservation_targets_the_reservation_on_demand() -> None:
    c = run(_with('capacity=CapacityReservation(reservation_id="cr-0123456789abcdef0")'))
    assert inputs(c, "gpu-template")["capacityReservationSpecification"] == {
        "capacityReservationTarget": {"capacityReservationId": "cr-0123456789abcdef0"}
    }
    assert "instanceMarketOptions" not in inputs(c, "gpu-template")
    assert inputs(c, "gpu-node-group")["capacityType"] == "ON_DEMAND"
    assert inputs(c, "gpu-node-group")["instanceTypes"] == ["g6e.xlarge"]


def test_capacity_block_names_the_type_in_the_template() -> None:
    c = run(
        f'GpuNodePool("gpu", GpuNodePoolArgs(ownership=o, cluster={CLUSTER}, network={NETWORK}, '
        'instance_types=("p5.48xlarge",), capacity=CapacityBlock(reservation_id="cr-0123456789abcdef0")))'
    )
    template = inputs(c, "gpu-template")
    assert template["instanceMarketOptions"] == {"marketType": "capacity-block"}
    assert template["capacityReservationSpecification"] == {
        "capacityReservationTarget": {"capacityReservationId": "cr-0123456789abcdef0"}
    }
    assert template["instanceType"] == "p5.48xlarge"
    group = inputs(c, "gpu-node-group")
    assert group["capacityType"] == "CAPACITY_BLOCK" and "instanceTypes" not in group
    [component] = [r for r in c.resources if r.name == "gpu"]
    assert component.outputs["maxGpus"] == 16
    assert findings(gate(c), "gpu-") == set()


def test_without_the_cni_policy_the_node_role_has_two_policies() -> None:
    c = run(_with("cni_policy=False"))
    assert ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "gpu-node-role-cni") not in children(c)
    assert depends_on(c, "gpu-node-group") == {
        "gpu-node-role",
        "gpu-node-role-worker",
        "gpu-node-role-registry",
        "gpu-template",
    }


def test_auto_repair_off() -> None:
    c = run(_with("auto_repair=False"))
    assert inputs(c, "gpu-node-group")["nodeRepairConfig"] == {"enabled": False}


def test_labels_sizes_disk_and_version() -> None:
    c = run(
        _with(
            'labels={"example.com/team": "fraud"}, min_size=1, desired_size=2, max_size=8, disk_size_gb=500, '
            'kubernetes_version="1.34"'
        )
    )
    group = inputs(c, "gpu-node-group")
    assert group["labels"] == {
        "example.com/team": "fraud",
        "aiwarden.io/pool": "gpu",
        "nvidia.com/gpu.present": "true",
    }
    assert group["scalingConfig"] == {"minSize": 1, "desiredSize": 2, "maxSize": 8}
    assert group["version"] == "1.34"
    assert inputs(c, "gpu-template")["blockDeviceMappings"][0]["ebs"]["volumeSize"] == 500


def test_existing_key_creates_no_key() -> None:
    c = run(_with(f'kms_key=ExistingKey(key="{KEY_ARN}")'))
    assert ("aiwarden:aws:Key", "gpu-key") not in children(c)
    assert inputs(c, "gpu-template")["blockDeviceMappings"][0]["ebs"]["kmsKeyId"] == KEY_ARN


def test_a_named_autoscaling_role_is_the_one_the_key_admits() -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_gpu"
    c = run(DEFAULT.replace(CLUSTER, CLUSTER[:-1] + f', autoscaling_role_arn="{role}")'))
    assert statements(c, "gpu-key-cmk")["KeyUsage"]["Principal"] == {"AWS": [role]}


def test_the_ceiling_comes_from_stack_config() -> None:
    program = (
        "from components._common import AwsNetwork, Ownership\n"
        "from components.aws import ClusterRef, GpuNodePool, GpuNodePoolArgs\n"
        'o = Ownership(owner="ml-platform", environment="production", data_classification="confidential", '
        'purpose="x")\n'
        f'GpuNodePool("gpu", GpuNodePoolArgs(ownership=o, cluster={CLUSTER}, network={NETWORK}, '
        'instance_types=("g6e.xlarge",), max_size=12))\n'
    )
    with pytest.raises(AiwardenError) as caught:
        capture(program, CONFIG)
    assert (
        "max_size=12: above the stack's GPU ceiling of 8 nodes per pool (control GPU-5"
        in caught.value.message
    )
    c = capture(program, {**CONFIG, "aiwarden:maxGpuNodesPerPool": "16"})
    assert c.error is None
    assert inputs(c, "gpu-node-group")["scalingConfig"]["maxSize"] == 12
    assert (
        findings(gate(c, {"gpu-5-eks-gpu-node-group-dedicated-capped": {"maxGpuNodesPerPool": 16}}), "gpu-5")
        == set()
    )


# -- the GPU table ----------------------------------------------------------------------------------------------


def test_every_listed_type_is_an_ec2_instance_type() -> None:
    from aiwarden.apimodel import aws as models

    known = set(models.service("ec2").shape_for("InstanceType").enum)
    listed = {f"{family}.{size}" for family, sizes in GPU_INSTANCES.items() for size in sizes}
    assert listed <= known, sorted(listed - known)
    assert gpus("g6e.12xlarge") == 4 and gpus("p5.48xlarge") == 8 and gpus("g6e.xlarge") == 1
    assert gpus("m6i.large") is None and gpus("g6e.3xlarge") is None


def test_every_nvidia_ami_type_is_an_eks_ami_type() -> None:
    from typing import get_args

    from aiwarden.apimodel import aws as models
    from components.aws.gpu_node_pool import GpuAmi

    assert set(get_args(GpuAmi)) <= set(models.service("eks").shape_for("AMITypes").enum)


# -- bad input ------------------------------------------------------------------------------------------------


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        GpuNodePoolArgs.model_validate(data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        (
            {"instance_types": ["m6i.large"]},
            ["instance_types[0]: 'm6i.large' is not an NVIDIA GPU instance type", "g6e.xlarge"],
        ),
        (
            {"instance_types": ["g6e.3xlarge"]},
            ["instance_types[0]: g6e has no size '3xlarge'", "g6e.12xlarge (4 GPUs)"],
        ),
        (
            {"instance_types": ["p4d.12xlarge"]},
            ["p4d has no size '12xlarge'; use one of p4d.24xlarge (8 GPUs)"],
        ),
        ({"instance_types": ["g6f.xlarge"]}, ["'g6f.xlarge' is not an NVIDIA GPU instance type"]),
        (
            {"instance_types": ["g6e.xlarge", "g6e.12xlarge"]},
            ["different GPU counts (g6e.xlarge: 1, g6e.12xlarge: 4)", "split them into pools"],
        ),
        ({"instance_types": ["g6e.xlarge", "g6e.xlarge"]}, ["an instance type is listed twice"]),
        ({"instance_types": []}, ["instance_types", "at least 1 item"]),
        ({"max_size": 9}, ["max_size=9: above the stack's GPU ceiling of 8 nodes per pool (control GPU-5"]),
        ({"min_size": 3, "max_size": 2}, ["min_size=3 is above max_size=2"]),
        ({"desired_size": 5}, ["desired_size=5 is outside min_size..max_size (0..2)"]),
        ({"remote_access": {"ec2_ssh_key": "ops"}}, ["remote_access: SSH to GPU nodes is refused (GPU-2"]),
        ({"ec2_ssh_key": "ops"}, ["ec2_ssh_key: SSH keys are refused (GPU-2)"]),
        ({"key_name": "ops"}, ["key_name: SSH key pairs are refused (GPU-2)"]),
        (
            {"associate_public_ip_address": True},
            ["associate_public_ip_address: nodes never get a public IP (GPU-2)"],
        ),
        (
            {"http_put_response_hop_limit": 2},
            ["http_put_response_hop_limit: the metadata hop limit is always 1 with IMDSv2 required (GPU-1)"],
        ),
        ({"http_tokens": "optional"}, ["http_tokens: IMDSv2 is always required (GPU-1)"]),
        ({"image_id": "ami-0123456789abcdef0"}, ["image_id: nodes run EKS-managed NVIDIA AMIs"]),
        ({"taints": []}, ["taints: the nvidia.com/gpu=true:NoSchedule taint is always set (GPU-5)"]),
        ({"capacity_type": "SPOT"}, ["capacity_type: choose capacity=Spot()"]),
        (
            {"ami_type": "AL2023_x86_64_STANDARD"},
            ["ami_type", "'AL2023_x86_64_NVIDIA' or 'BOTTLEROCKET_x86_64_NVIDIA'"],
        ),
        (
            {"network": {**NET, "security_group_ids": [f"sg-0123456789abcdef{i}" for i in range(5)]}},
            ["network.security_group_ids: at most 4"],
        ),
        (
            {
                "instance_types": ["g6e.xlarge", "g6e.2xlarge"],
                "capacity": {"kind": "reservation", "reservation_id": "cr-0123456789abcdef0"},
            },
            ["instance_types: a reservation holds one instance type"],
        ),
        (
            {"capacity": {"kind": "capacity-block", "reservation_id": "cr-1"}},
            ["capacity.capacity-block.reservation_id"],
        ),
        ({"capacity": {"kind": "dedicated"}}, ["capacity", "does not match any of the expected tags"]),
        ({"labels": {"kubernetes.io/role": "gpu"}}, ["labels: 'kubernetes.io/role' uses a reserved prefix"]),
        ({"labels": {"aiwarden.io/pool": "x"}}, ["labels: 'aiwarden.io/pool' uses a reserved prefix"]),
        ({"labels": {"bad key!": "x"}}, ["labels: 'bad key!' is not a Kubernetes label key"]),
        ({"labels": {"team": "x" * 64}}, ["labels: the value of 'team' is not a Kubernetes label value"]),
        ({"kms_key": None}, ["kms_key"]),
        ({"kms_key": {"kind": "existing", "key": "alias/aws/ebs"}}, ["kms_key.key"]),
        ({"cluster": {"name": "ml"}}, ["cluster.security_group_id", "Field required"]),
        ({"cluster": {"name": "ml", "security_group_id": "sg-x"}}, ["cluster.security_group_id"]),
        ({"network": {**NET, "subnet_ids": ["subnet-*"]}}, ["wildcards are refused"]),
        ({"kubernetes_version": "v1.34"}, ["kubernetes_version"]),
        ({"disk_size_gb": 10}, ["disk_size_gb"]),
        ({"tags": {"x": "y"}}, ["tags", "Extra inputs are not permitted"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    text = _refused({**BASE, **changes})
    for fragment in fragments:
        assert fragment in text, text


def test_a_refused_input_stops_the_program_before_anything_registers() -> None:
    with pytest.raises(AiwardenError) as caught:
        capture(
            "from components._common import AwsNetwork, Ownership\n"
            "from components.aws import ClusterRef, GpuNodePool, GpuNodePoolArgs\n"
            'o = Ownership(owner="ml-platform", environment="production", data_classification="confidential", '
            'purpose="x")\n'
            f'GpuNodePool("gpu", GpuNodePoolArgs(ownership=o, cluster={CLUSTER}, network={NETWORK}, '
            'instance_types=("g6e.xlarge",), remote_access={"ec2_ssh_key": "ops"}))\n'
        )
    assert "remote_access: SSH to GPU nodes is refused" in caught.value.message
