"""GpuCluster (AWS): a private EKS cluster with CMK-encrypted Secrets, control-plane logs, access entries only, a
hardened system node group and managed add-ons; or an existing cluster looked up by name."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components._common import Ownership
from components.aws import GpuClusterArgs
from tests.components.aws_helpers import ACCOUNT, KEY_ARN, ROOT_ARN, run, statements
from tests.components.helpers import (
    OWNERSHIP,
    ROOT,
    children,
    depends_on,
    incident_response,
    inputs,
    inventory,
    parent_name,
    readme_example,
)
from tests.harness import capture, findings, gate

NETWORK = (
    'AwsNetwork(vpc_id="vpc-0123456789abcdef0", subnet_ids=("subnet-0123456789abcdef0", '
    '"subnet-0123456789abcdef1"), security_group_ids=("sg-0123456789abcdef0",))'
)
ADMIN = f"arn:aws:iam::{ACCOUNT}:role/platform-admin"
AUDITOR = f"arn:aws:iam::{ACCOUNT}:role/auditor"
ACCESS = f'access={{"platform": Grant(principal="{ADMIN}", role="admin")}}'
DEFAULT = f'GpuCluster("ml", GpuClusterArgs(ownership=o, network={NETWORK}, {ACCESS}))'
SLR = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
CLUSTER_NAME = "test-test-ml"
LOG_GROUP = f"/aws/eks/{CLUSTER_NAME}/cluster"
REASON = "CI runners outside AWS deploy to this cluster; approved in SEC-12 until 2026-12"
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="x"
)
SANDBOX = Ownership(owner="ml-platform", environment="sandbox", data_classification="internal", purpose="x")
NET = {
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    "security_group_ids": ["sg-0123456789abcdef0"],
}
BASE: dict[str, Any] = {
    "ownership": OWN,
    "network": NET,
    "access": {"platform": {"principal": ADMIN, "role": "admin"}},
}
DEFAULT_CHILDREN = [
    ("aiwarden:aws:GpuCluster", "ml"),
    ("aiwarden:aws:Key", "ml-key"),
    ("aws:cloudwatch/logGroup:LogGroup", "ml-control-plane-logs"),
    ("aws:ec2/launchTemplate:LaunchTemplate", "ml-system-template"),
    ("aws:ec2/securityGroup:SecurityGroup", "ml-control-plane"),
    ("aws:eks/accessEntry:AccessEntry", "ml-access-platform"),
    ("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "ml-access-platform-policy"),
    ("aws:eks/addon:Addon", "ml-coredns"),
    ("aws:eks/addon:Addon", "ml-kube-proxy"),
    ("aws:eks/addon:Addon", "ml-node-monitoring-agent"),
    ("aws:eks/addon:Addon", "ml-pod-identity-agent"),
    ("aws:eks/addon:Addon", "ml-vpc-cni"),
    ("aws:eks/cluster:Cluster", "ml-cluster"),
    ("aws:eks/nodeGroup:NodeGroup", "ml-system"),
    ("aws:iam/role:Role", "ml-cluster-role"),
    ("aws:iam/role:Role", "ml-system-role"),
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ml-cluster-role-cluster"),
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ml-system-role-cni"),
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ml-system-role-registry"),
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ml-system-role-worker"),
    ("aws:kms/alias:Alias", "ml-key-alias"),
    ("aws:kms/key:Key", "ml-key-cmk"),
]


def _output(c: Any, name: str, key: str) -> Any:
    [found] = [r for r in c.resources if r.name == name]
    return found.outputs.get(key)


def _id(c: Any, name: str) -> str:
    [found] = [r for r in c.resources if r.name == name]
    return str(found.id)


def _key_arn(c: Any) -> str:
    return str(_output(c, "ml-key-cmk", "arn"))


def _with(option: str) -> str:
    return f'GpuCluster("ml", GpuClusterArgs(ownership=o, network={NETWORK}, {ACCESS}, {option}))'


def test_default_children() -> None:
    c = run(DEFAULT)
    assert children(c) == DEFAULT_CHILDREN
    direct = {n for _, n in DEFAULT_CHILDREN} - {"ml", "ml-key-cmk", "ml-key-alias"}
    assert {parent_name(c, n) for n in direct} == {"ml"}


def test_default_cluster_is_private_encrypted_logged_and_access_entries_only() -> None:
    c = run(DEFAULT)
    cluster = inputs(c, "ml-cluster")
    assert cluster == {
        "name": CLUSTER_NAME,
        "roleArn": _output(c, "ml-cluster-role", "arn"),
        "vpcConfig": {
            "subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
            "securityGroupIds": [_id(c, "ml-control-plane")],
            "endpointPrivateAccess": True,
            "endpointPublicAccess": False,
        },
        "accessConfig": {"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False},
        "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": _key_arn(c)}},
        "enabledClusterLogTypes": ["api", "audit", "authenticator"],
        "bootstrapSelfManagedAddons": False,
        "upgradePolicy": {"supportType": "STANDARD"},
        "deletionProtection": True,
        "tags": OWNERSHIP,
    }
    # The log group exists (retention, key) before EKS would create it without either; roles before the cluster.
    assert depends_on(c, "ml-cluster") == {
        "ml-cluster-role",
        "ml-cluster-role-cluster",
        "ml-control-plane",
        "ml-control-plane-logs",
        "ml-key-cmk",
    }


def test_default_log_group_is_the_one_eks_writes_to_retained_and_encrypted() -> None:
    c = run(DEFAULT)
    assert inputs(c, "ml-control-plane-logs") == {
        "name": LOG_GROUP,
        "retentionInDays": 400,
        "kmsKeyId": _key_arn(c),
        "deletionProtectionEnabled": True,
        "tags": OWNERSHIP,
    }


def test_default_cluster_role_holds_the_cluster_policy_only() -> None:
    c = run(DEFAULT)
    role = inputs(c, "ml-cluster-role")
    assert json.loads(role["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    attached = [
        inputs(c, r.name)["policyArn"]
        for r in c.resources
        if r.type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
        and inputs(c, r.name)["role"] == _output(c, "ml-cluster-role", "name")
    ]
    assert attached == ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]
    assert not [
        r for r in c.resources if r.type in ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy")
    ]


def test_default_control_plane_security_group_admits_https_from_the_workloads_only() -> None:
    c = run(DEFAULT)
    group = inputs(c, "ml-control-plane")
    assert group["vpcId"] == "vpc-0123456789abcdef0"
    assert group["ingress"] == [
        {
            "description": "HTTPS from the workloads' security groups",
            "protocol": "tcp",
            "fromPort": 443,
            "toPort": 443,
            "securityGroups": ["sg-0123456789abcdef0"],
        }
    ]
    assert group["egress"] == []
    assert group["revokeRulesOnDelete"] is True


def test_default_key_admits_the_cluster_role_auto_scaling_eks_grants_and_the_log_group_only() -> None:
    c = run(DEFAULT)
    policy = statements(c, "ml-key-cmk")
    assert list(policy) == [
        "AccountAdministration",
        "KeyUsage",
        "GrantsForAwsResources",
        "EksCreatesTheSecretsGrantForTheDeployer",
        "CloudWatchLogsEncryptsTheControlPlaneLogs",
    ]
    users = [_output(c, "ml-cluster-role", "arn"), SLR]
    assert policy["KeyUsage"]["Principal"] == {"AWS": users} and "Condition" not in policy["KeyUsage"]
    assert policy["GrantsForAwsResources"]["Principal"] == {"AWS": users}
    assert policy["EksCreatesTheSecretsGrantForTheDeployer"] == {
        "Sid": "EksCreatesTheSecretsGrantForTheDeployer",
        "Effect": "Allow",
        "Principal": {"AWS": ROOT_ARN},
        "Action": "kms:CreateGrant",
        "Resource": "*",
        "Condition": {
            "StringEquals": {"kms:ViaService": "eks.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT},
            "Bool": {"kms:GrantIsForAWSResource": "true"},
        },
    }
    logs = policy["CloudWatchLogsEncryptsTheControlPlaneLogs"]
    assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert logs["Condition"] == {
        "ArnEquals": {
            "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{LOG_GROUP}"
        }
    }
    assert depends_on(c, "ml-key-cmk") == {"ml-cluster-role"}


def test_default_access_entry_and_admin_policy() -> None:
    c = run(DEFAULT)
    assert inputs(c, "ml-access-platform") == {
        "clusterName": CLUSTER_NAME,
        "principalArn": ADMIN,
        "type": "STANDARD",
        "tags": OWNERSHIP,
    }
    assert inputs(c, "ml-access-platform-policy") == {
        "clusterName": CLUSTER_NAME,
        "principalArn": ADMIN,
        "policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        "accessScope": {"type": "cluster"},
    }
    assert "ml-access-platform" in depends_on(c, "ml-access-platform-policy")


def test_default_add_ons_networking_first_then_system_nodes_then_coredns() -> None:
    c = run(DEFAULT)
    for role, addon in (
        ("vpc-cni", "vpc-cni"),
        ("kube-proxy", "kube-proxy"),
        ("pod-identity-agent", "eks-pod-identity-agent"),
        ("coredns", "coredns"),
        ("node-monitoring-agent", "eks-node-monitoring-agent"),
    ):
        assert inputs(c, f"ml-{role}") == {
            "clusterName": CLUSTER_NAME,
            "addonName": addon,
            "resolveConflictsOnCreate": "OVERWRITE",
            "resolveConflictsOnUpdate": "OVERWRITE",
            "tags": OWNERSHIP,
        }
    assert depends_on(c, "ml-vpc-cni") == {"ml-cluster"}
    assert {"ml-vpc-cni", "ml-kube-proxy", "ml-pod-identity-agent"} <= depends_on(c, "ml-system")
    assert depends_on(c, "ml-coredns") == {"ml-cluster", "ml-system"}
    assert depends_on(c, "ml-node-monitoring-agent") == {"ml-cluster", "ml-system"}


def test_default_system_pool_is_hardened_and_untainted() -> None:
    c = run(DEFAULT)
    key = _key_arn(c)
    template = inputs(c, "ml-system-template")
    assert template["metadataOptions"] == {
        "httpEndpoint": "enabled",
        "httpTokens": "required",
        "httpPutResponseHopLimit": 1,
        "instanceMetadataTags": "disabled",
    }
    assert template["blockDeviceMappings"] == [
        {
            "deviceName": "/dev/xvda",
            "ebs": {
                "encrypted": "true",
                "kmsKeyId": key,
                "volumeSize": 50,
                "volumeType": "gp3",
                "deleteOnTermination": "true",
            },
        }
    ]
    cluster_sg = (_output(c, "ml-cluster", "vpcConfig") or {}).get("clusterSecurityGroupId")
    assert template["networkInterfaces"] == [
        {
            "deviceIndex": 0,
            "associatePublicIpAddress": "false",
            "deleteOnTermination": "true",
            "securityGroups": [cluster_sg, "sg-0123456789abcdef0"],
        }
    ]
    assert "keyName" not in template and "imageId" not in template and "userData" not in template
    group = inputs(c, "ml-system")
    assert group == {
        "clusterName": CLUSTER_NAME,
        "nodeRoleArn": _output(c, "ml-system-role", "arn"),
        "subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        "amiType": "AL2023_x86_64_STANDARD",
        "capacityType": "ON_DEMAND",
        "instanceTypes": ["m6i.large"],
        "launchTemplate": {"id": _id(c, "ml-system-template"), "version": "1"},
        "scalingConfig": {"minSize": 2, "desiredSize": 2, "maxSize": 3},
        "updateConfig": {"maxUnavailable": 1},
        "nodeRepairConfig": {"enabled": True},
        "labels": {"aiwarden.io/pool": "system"},
        "taints": [],
        "tags": OWNERSHIP,
    }
    assert {
        inputs(c, f"ml-system-role-{short}")["policyArn"].rsplit("/", 1)[-1]
        for short in ("worker", "cni", "registry")
    } == {"AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly"}


def test_default_outputs_and_reference_for_node_pools() -> None:
    c = run(DEFAULT)
    [component] = [r for r in c.resources if r.name == "ml"]
    assert component.outputs["clusterName"] == CLUSTER_NAME
    assert component.outputs["kmsKeyArn"] == _key_arn(c)
    assert component.outputs["logGroupName"] == LOG_GROUP


def test_default_inventory_record() -> None:
    c = run(DEFAULT)
    assert inventory(c)["ml-cluster"] == {
        "name": "ml-cluster",
        "kind": "gpu-compute",
        "owner": "ml-platform",
        "environment": "production",
        "dataClassification": "confidential",
        "exposure": "private",
        "identities": [_output(c, "ml-cluster-role", "arn"), _output(c, "ml-system-role", "arn"), ADMIN],
        "purpose": "training",
        "costCenter": "",
    }
    ir = incident_response(c)["ml-cluster"]
    assert ir["logsToPreserve"][0] == f"CloudWatch Logs {LOG_GROUP} (api, audit, authenticator)"
    assert ir["credentialsToRevoke"] == [_output(c, "ml-system-role", "arn"), ADMIN]


def test_default_has_no_finding_at_any_level() -> None:
    assert findings(gate(run(DEFAULT, trail=True))) == set()


# -- options, one change each ----------------------------------------------------------------------------------


def test_public_access_opens_the_endpoint_to_the_named_networks_only_and_tags_the_reason() -> None:
    c = run(_with(f'public_access=PublicAccess(cidrs=("203.0.113.0/24",), justification="{REASON}")'))
    vpc = inputs(c, "ml-cluster")["vpcConfig"]
    assert vpc["endpointPublicAccess"] is True and vpc["endpointPrivateAccess"] is True
    assert vpc["publicAccessCidrs"] == ["203.0.113.0/24"]
    assert inputs(c, "ml-cluster")["tags"] == {**OWNERSHIP, "aiwarden-exception": REASON.replace(";", "")}
    assert inventory(c)["ml-cluster"]["exposure"] == "public"
    assert findings(gate(c), "k8s-2") == set()


def test_api_access_adds_https_from_each_named_private_range() -> None:
    c = run(_with('api_access={"vpn": "10.200.0.0/16", "ci": "192.168.10.0/24"}'))
    assert inputs(c, "ml-control-plane")["ingress"][1:] == [
        {
            "description": "HTTPS from vpn",
            "protocol": "tcp",
            "fromPort": 443,
            "toPort": 443,
            "cidrBlocks": ["10.200.0.0/16"],
        },
        {
            "description": "HTTPS from ci",
            "protocol": "tcp",
            "fromPort": 443,
            "toPort": 443,
            "cidrBlocks": ["192.168.10.0/24"],
        },
    ]


def test_read_access_is_the_view_policy() -> None:
    c = run(
        f'GpuCluster("ml", GpuClusterArgs(ownership=o, network={NETWORK}, access={{'
        f'"platform": Grant(principal="{ADMIN}", role="admin"), "audit": Grant(principal="{AUDITOR}", role="read")}}))'
    )
    assert inputs(c, "ml-access-audit-policy")["policyArn"] == (
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
    )


def test_existing_key_is_used_everywhere_and_no_key_is_created() -> None:
    c = run(_with(f'kms_key=ExistingKey(key="{KEY_ARN}")'))
    assert ("aiwarden:aws:Key", "ml-key") not in children(c)
    assert inputs(c, "ml-cluster")["encryptionConfig"]["provider"] == {"keyArn": KEY_ARN}
    assert inputs(c, "ml-control-plane-logs")["kmsKeyId"] == KEY_ARN
    assert inputs(c, "ml-system-template")["blockDeviceMappings"][0]["ebs"]["kmsKeyId"] == KEY_ARN


def test_more_log_types_retention_version_name_and_support_type() -> None:
    c = run(
        _with(
            'control_plane_logs=("api", "audit", "authenticator", "scheduler"), log_retention_days=731, '
            'kubernetes_version="1.34", cluster_name="fraud-scoring", support_type="EXTENDED"'
        )
    )
    cluster = inputs(c, "ml-cluster")
    assert cluster["enabledClusterLogTypes"] == ["api", "audit", "authenticator", "scheduler"]
    assert cluster["name"] == "fraud-scoring" and cluster["version"] == "1.34"
    assert cluster["upgradePolicy"] == {"supportType": "EXTENDED"}
    assert inputs(c, "ml-control-plane-logs")["name"] == "/aws/eks/fraud-scoring/cluster"
    assert inputs(c, "ml-control-plane-logs")["retentionInDays"] == 731
    assert inputs(c, "ml-system")["version"] == "1.34"


def test_bottlerocket_system_pool_encrypts_both_volumes() -> None:
    c = run(
        _with(
            'system_pool=SystemPool(ami_type="BOTTLEROCKET_x86_64", instance_types=("m7i.large",), disk_size_gb=80)'
        )
    )
    mappings = inputs(c, "ml-system-template")["blockDeviceMappings"]
    assert [(m["deviceName"], m["ebs"].get("volumeSize"), m["ebs"]["encrypted"]) for m in mappings] == [
        ("/dev/xvda", None, "true"),
        ("/dev/xvdb", 80, "true"),
    ]
    assert inputs(c, "ml-system")["amiType"] == "BOTTLEROCKET_x86_64"
    assert inputs(c, "ml-system")["instanceTypes"] == ["m7i.large"]


def test_a_sandbox_cluster_is_not_deletion_protected() -> None:
    c = run(
        f'o2 = Ownership(owner="ml-platform", environment="sandbox", data_classification="internal", purpose="x")\n'
        f'GpuCluster("ml", GpuClusterArgs(ownership=o2, network={NETWORK}, {ACCESS}))'
    )
    assert inputs(c, "ml-cluster")["deletionProtection"] is False
    assert inputs(c, "ml-control-plane-logs")["deletionProtectionEnabled"] is False


def test_created_autoscaling_service_role_comes_before_the_keys_that_name_it() -> None:
    program = (
        f'ml_cluster = GpuCluster("ml", GpuClusterArgs(ownership=o, network={NETWORK}, {ACCESS}, '
        f"create_autoscaling_service_role=True))\n"
        f'GpuNodePool("gpu", GpuNodePoolArgs(ownership=o, cluster=ml_cluster.ref(), network={NETWORK}, '
        f'instance_types=("g6e.xlarge",)))'
    )
    c = run(program)
    assert inputs(c, "ml-autoscaling-service-role")["awsServiceName"] == "autoscaling.amazonaws.com"
    role = _output(c, "ml-autoscaling-service-role", "arn")
    assert statements(c, "ml-key-cmk")["KeyUsage"]["Principal"]["AWS"][1] == role
    assert statements(c, "gpu-key-cmk")["KeyUsage"]["Principal"] == {"AWS": [role]}
    assert depends_on(c, "ml-key-cmk") == {"ml-cluster-role", "ml-autoscaling-service-role"}
    assert depends_on(c, "gpu-key-cmk") == {"ml-autoscaling-service-role"}


def test_node_pools_of_a_created_cluster_wait_for_its_networking_add_ons() -> None:
    program = (
        f'ml_cluster = GpuCluster("ml", GpuClusterArgs(ownership=o, network={NETWORK}, {ACCESS}))\n'
        f'GpuNodePool("gpu", GpuNodePoolArgs(ownership=o, cluster=ml_cluster.ref(), network={NETWORK}, '
        f'instance_types=("g6e.xlarge",)))'
    )
    c = run(program)
    group = inputs(c, "gpu-node-group")
    assert group["clusterName"] == CLUSTER_NAME
    assert {"ml-cluster", "ml-vpc-cni", "ml-kube-proxy", "ml-pod-identity-agent"} <= depends_on(
        c, "gpu-node-group"
    )
    cluster_sg = (_output(c, "ml-cluster", "vpcConfig") or {}).get("clusterSecurityGroupId")
    assert inputs(c, "gpu-template")["networkInterfaces"][0]["securityGroups"] == [
        cluster_sg,
        "sg-0123456789abcdef0",
    ]


def test_an_existing_cluster_is_looked_up_and_nothing_is_created() -> None:
    c = run(
        'shared = GpuCluster("ml", GpuClusterArgs(ownership=o, existing=ExistingCluster(name="shared-ml", '
        'security_group_id="sg-0123456789abcdef9")))\n'
        f'GpuNodePool("gpu", GpuNodePoolArgs(ownership=o, cluster=shared.ref(), network={NETWORK}, '
        f'instance_types=("g6e.xlarge",)))'
    )
    assert [n for t, n in children(c) if not n.startswith("gpu")] == ["ml"]
    [component] = [r for r in c.resources if r.name == "ml"]
    assert component.outputs["clusterName"] == "shared-ml"
    assert component.outputs["clusterSecurityGroupId"] == "sg-0123456789abcdef9"
    assert inputs(c, "gpu-node-group")["clusterName"] == "shared-ml"
    assert inputs(c, "gpu-template")["networkInterfaces"][0]["securityGroups"][0] == "sg-0123456789abcdef9"
    assert "ml-cluster" not in inventory(c)


def test_readme_example_is_the_example_program() -> None:
    example = (ROOT / "examples" / "aws-gpu-node-pool" / "__main__.py").read_text(encoding="utf-8")
    assert readme_example("aws/gpu_cluster.md") == example


# -- bad input ------------------------------------------------------------------------------------------------


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        GpuClusterArgs.model_validate(data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"network": None}, ["network: a new cluster needs its private subnets"]),
        (
            {"network": {**NET, "subnet_ids": ["subnet-0123456789abcdef0"]}},
            [
                "network.subnet_ids: EKS places the control plane in subnets of at least two availability zones"
            ],
        ),
        (
            {"network": {**NET, "security_group_ids": [f"sg-0123456789abcdef{i}" for i in range(5)]}},
            ["network.security_group_ids: at most 4"],
        ),
        ({"access": {}}, ["access: name at least one administrator"]),
        (
            {"access": {"audit": {"principal": AUDITOR, "role": "read"}}},
            ["access: name at least one administrator"],
        ),
        (
            {"access": {"root": {"principal": ROOT_ARN, "role": "admin"}}},
            ["access.root.principal: an access entry names one IAM role or user, not an account"],
        ),
        (
            {
                "access": {
                    "platform": {"principal": ADMIN, "role": "admin"},
                    "again": {"principal": ADMIN, "role": "read"},
                }
            },
            ["access.again:", "already granted as 'platform'", "one access entry per principal"],
        ),
        ({"access": {"x": {"principal": ADMIN, "role": "write"}}}, ["access.x.role", "'admin' or 'read'"]),
        (
            {"access": {"x": {"principal": "arn:aws:iam::*:role/x", "role": "admin"}}},
            ["wildcards are refused"],
        ),
        ({"api_access": {"all": "0.0.0.0/0"}}, ["api_access", "all: 0.0.0.0/0 is not a private range"]),
        ({"api_access": {"office": "198.51.100.0/24"}}, ["office: 198.51.100.0/24 is not a private range"]),
        ({"public_access": {"justification": REASON}}, ["public_access.cidrs: name the networks"]),
        (
            {"public_access": {"justification": REASON, "cidrs": ["0.0.0.0/0"]}},
            ["public_access.cidrs[0]: '0.0.0.0/0' is the whole internet (controls K8S-2, NET-3)"],
        ),
        (
            {"public_access": {"justification": REASON, "cidrs": ["203.0.113.1/24"]}},
            ["public_access.cidrs[0]: '203.0.113.1/24' has host bits set; the network is 203.0.113.0/24"],
        ),
        (
            {
                "ownership": Ownership(
                    owner="ml-platform",
                    environment="production",
                    data_classification="restricted",
                    purpose="x",
                ),
                "public_access": {"justification": REASON, "cidrs": ["203.0.113.0/24"]},
            },
            ["public_access: restricted data in production is never public"],
        ),
        ({"endpoint_public_access": True}, ["endpoint_public_access: the API endpoint is private (K8S-2)"]),
        ({"public_access_cidrs": ["1.2.3.0/24"]}, ["public_access_cidrs: use public_access=PublicAccess"]),
        (
            {"authentication_mode": "CONFIG_MAP"},
            ["authentication_mode: authentication is always by access entries"],
        ),
        (
            {"bootstrap_cluster_creator_admin_permissions": True},
            ["bootstrap_cluster_creator_admin_permissions: the deployer gets no implicit cluster admin"],
        ),
        ({"encryption_config": {}}, ["encryption_config: Secrets are always encrypted"]),
        (
            {"control_plane_logs": ["api"]},
            ["control_plane_logs: audit, authenticator cannot be left out (control K8S-2)"],
        ),
        (
            {"control_plane_logs": ["api", "audit", "authenticator", "api"]},
            ["control_plane_logs: a log type is listed twice"],
        ),
        ({"log_retention_days": 100}, ["100 is not a CloudWatch Logs retention"]),
        (
            {"kms_key": {"kind": "existing", "key": "arn:aws:kms:us-east-1:123456789012:alias/x"}},
            ["kms_key.key"],
        ),
        (
            {"deletion_protection": False},
            ["deletion_protection=False: production data and keys keep deletion protection"],
        ),
        ({"cluster_name": "-bad"}, ["cluster_name"]),
        ({"kubernetes_version": "latest"}, ["kubernetes_version"]),
        ({"system_pool": {"min_size": 4, "max_size": 3}}, ["system_pool.min_size=4 is above max_size=3"]),
        ({"system_pool": {"instance_types": ["large"]}}, ["'large' is not an EC2 instance type"]),
        (
            {"existing": {"name": "shared"}},
            ["access: an existing cluster is used as it is; remove access, network"],
        ),
        ({"existing": {"name": "bad name"}}, ["existing.name"]),
        ({"tags": {"x": "y"}}, ["tags", "Extra inputs are not permitted"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    text = _refused({**BASE, **changes})
    for fragment in fragments:
        assert fragment in text, text


def test_sandbox_may_turn_deletion_protection_off_and_an_existing_cluster_needs_nothing_else() -> None:
    assert (
        GpuClusterArgs.model_validate(
            {**BASE, "ownership": SANDBOX, "deletion_protection": False}
        ).protected()
        is False
    )
    existing = GpuClusterArgs.model_validate({"ownership": OWN, "existing": {"name": "shared"}})
    assert existing.network is None and existing.existing is not None


def test_a_refused_input_stops_the_program_before_anything_registers() -> None:
    with pytest.raises(AiwardenError) as caught:
        capture(
            "from components._common import AwsNetwork, Ownership\n"
            "from components.aws import GpuCluster, GpuClusterArgs\n"
            'o = Ownership(owner="ml-platform", environment="production", data_classification="confidential", '
            'purpose="x")\n'
            f'GpuCluster("ml", GpuClusterArgs(ownership=o, network={NETWORK}))\n'
        )
    assert "access: name at least one administrator" in caught.value.message
