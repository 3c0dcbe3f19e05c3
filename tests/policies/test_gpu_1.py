"""GPU-1: IMDSv2 with hop limit 1 on launch templates, node groups with a launch template, GKE metadata.

The compliant GPU platform program below (AWS node group, GKE node pool, Kubernetes GPU namespace) is
the baseline of every GPU-* test; each test makes one change to it.
"""

from __future__ import annotations

from typing import Any

from aiwarden.capture.model import Capture
from aiwarden.report.model import Report
from tests.harness import DELETE, capture, findings, gate, resource, set_input

LT = "gpu-1-launch-template-imdsv2"
NG = "gpu-1-eks-node-group-launch-template"
GKE = "gpu-1-gke-workload-metadata"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

GPU_BASELINE = """
import json
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}
K8S_LABELS = {f"aiwarden.io/{k}": v for k, v in TAGS.items()}

# AWS: GPU node group on a hardened launch template, dedicated node role, private subnet
role = aws.iam.Role("gpu-node-role", tags=TAGS, assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
for i, policy in enumerate(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy"]):
    aws.iam.RolePolicyAttachment(f"gpu-node-role-{i}", role=role.name, policy_arn=f"arn:aws:iam::aws:policy/{policy}")
subnet = aws.ec2.Subnet("private-a", vpc_id="vpc-0123456789abcdef0", cidr_block="10.0.1.0/24", tags=TAGS)
lt = aws.ec2.LaunchTemplate("gpu-lt", tags=TAGS,
    metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(http_tokens="required", http_put_response_hop_limit=1),
    block_device_mappings=[aws.ec2.LaunchTemplateBlockDeviceMappingArgs(device_name="/dev/xvda",
        ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(encrypted="true", volume_size=200,
            kms_key_id="arn:aws:kms:us-east-1:123456789012:key/0123abcd-0000-0000-0000-000000000000"))])
aws.eks.NodeGroup("gpu-ng", cluster_name="ai", node_role_arn=role.arn, subnet_ids=[subnet.id], tags=TAGS,
    ami_type="AL2023_x86_64_NVIDIA", instance_types=["g5.2xlarge"],
    launch_template=aws.eks.NodeGroupLaunchTemplateArgs(id=lt.id, version="1"),
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=1, min_size=0, max_size=4),
    taints=[aws.eks.NodeGroupTaintArgs(key="nvidia.com/gpu", value="true", effect="NO_SCHEDULE")])

# GCP: private GKE cluster without default pool, hardened GPU node pool with a dedicated service account
sa = gcp.serviceaccount.Account("gpu-nodes", account_id="gpu-nodes")
gcp.projects.IAMMember("gpu-nodes-role", project="aiwarden-offline", role="roles/container.defaultNodeServiceAccount",
                       member=sa.member)
cluster = gcp.container.Cluster("ai", location="us-central1", remove_default_node_pool=True, initial_node_count=1,
    resource_labels=TAGS, deletion_protection=False,
    private_cluster_config=gcp.container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True,
                                                                         master_ipv4_cidr_block="172.16.0.0/28"),
    workload_identity_config=gcp.container.ClusterWorkloadIdentityConfigArgs(workload_pool="aiwarden-offline.svc.id.goog"))
gcp.container.NodePool("gpu-pool", cluster=cluster.name, location="us-central1", node_locations=["us-central1-a"],
    autoscaling=gcp.container.NodePoolAutoscalingArgs(min_node_count=0, max_node_count=4),
    management=gcp.container.NodePoolManagementArgs(auto_repair=True, auto_upgrade=True),
    node_config=gcp.container.NodePoolNodeConfigArgs(
        machine_type="g2-standard-8", service_account=sa.email, resource_labels=TAGS,
        oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
        guest_accelerators=[gcp.container.NodePoolNodeConfigGuestAcceleratorArgs(type="nvidia-l4", count=1)],
        workload_metadata_config=gcp.container.NodePoolNodeConfigWorkloadMetadataConfigArgs(mode="GKE_METADATA"),
        shielded_instance_config=gcp.container.NodePoolNodeConfigShieldedInstanceConfigArgs(
            enable_secure_boot=True, enable_integrity_monitoring=True),
        taints=[gcp.container.NodePoolNodeConfigTaintArgs(key="nvidia.com/gpu", value="present",
                                                          effect="NO_SCHEDULE")]))

# Kubernetes: a GPU training job in a namespace with a GPU quota
ns = k8s.core.v1.Namespace("ml", metadata={"labels": K8S_LABELS})
k8s.core.v1.ResourceQuota("ml-gpus", metadata={"namespace": ns.metadata.name, "labels": K8S_LABELS},
                          spec={"hard": {"requests.nvidia.com/gpu": "8"}})
k8s.batch.v1.Job("train", metadata={"namespace": ns.metadata.name, "labels": K8S_LABELS}, spec={"template": {"spec": {
    "restartPolicy": "Never",
    "containers": [{"name": "train", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train@sha256:" + "a" * 64,
                    "command": ["python", "train.py"], "resources": {"limits": {"nvidia.com/gpu": "1"}}}]}}})
"""


def set_property(c: Capture, name: str, path: str | list[str], value: Any) -> Capture:
    """One change to a resource's inputs and to its outputs: stack policies read the outputs."""
    set_input(c, name, path, value)
    reg = resource(c, name)
    reg.inputs, reg.outputs = reg.outputs, reg.inputs
    try:
        set_input(c, name, path, value)
    finally:
        reg.inputs, reg.outputs = reg.outputs, reg.inputs
    return c


def messages(report: Report, policy: str) -> list[str]:
    """The sorted violation messages of one policy."""
    return sorted(v.message for v in report.violations if v.policy == policy)


def test_compliant_baseline_has_no_gpu_finding() -> None:
    c = capture(GPU_BASELINE)
    assert c.error is None
    assert findings(gate(c), "gpu-") == set()


def test_launch_template_without_metadata_options_uses_insecure_defaults() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "metadataOptions", DELETE)
    report = gate(c)
    assert findings(report, "gpu-1") == {(LT, "gpu-lt")}
    messages = sorted(v.message for v in report.violations if v.policy == LT)
    assert len(messages) == 2
    assert "metadataOptions.httpPutResponseHopLimit is not set (AWS default: 1, or 2" in messages[0]
    assert "metadataOptions.httpTokens is not set (AWS default: optional, IMDSv1 allowed)" in messages[1]


def test_optional_tokens_and_hop_limit_2_are_violations() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "metadataOptions.httpTokens", "optional")
    assert findings(gate(c), "gpu-1") == {(LT, "gpu-lt")}
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "metadataOptions.httpPutResponseHopLimit", 2.0)
    report = gate(c)
    assert findings(report, "gpu-1") == {(LT, "gpu-lt")}
    [message] = [v.message for v in report.violations if v.policy == LT]
    assert "httpPutResponseHopLimit is 2; it must be 1" in message


def test_disabled_metadata_endpoint_is_compliant() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "metadataOptions", {"httpEndpoint": "disabled"})
    assert findings(gate(c), "gpu-1") == set()


def test_node_group_without_launch_template() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-ng", "launchTemplate", DELETE)
    report = gate(c)
    assert findings(report, "gpu-1") == {(NG, "gpu-ng")}
    [message] = [v.message for v in report.violations if v.policy == NG]
    assert "launchTemplate is not set (EKS default template: IMDSv1 allowed, hop limit 2)" in message


def test_gke_node_pool_metadata_mode_absent_or_gce() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-pool", "nodeConfig.workloadMetadataConfig", DELETE)
    report = gate(c)
    assert findings(report, "gpu-1") == {(GKE, "gpu-pool")}
    [message] = [v.message for v in report.violations if v.policy == GKE]
    assert message.startswith("GKE node pool 'gpu-pool': nodeConfig.workloadMetadataConfig.mode is not set")
    c = set_input(capture(GPU_BASELINE), "gpu-pool", "nodeConfig.workloadMetadataConfig.mode", "GCE_METADATA")
    assert findings(gate(c), "gpu-1") == {(GKE, "gpu-pool")}


def test_gke_legacy_endpoints_absent_passes_explicit_false_fails() -> None:
    c = set_input(
        capture(GPU_BASELINE), "gpu-pool", "nodeConfig.metadata", {"disable-legacy-endpoints": "true"}
    )
    assert findings(gate(c), "gpu-1") == set()
    c = set_input(
        capture(GPU_BASELINE), "gpu-pool", "nodeConfig.metadata", {"disable-legacy-endpoints": "false"}
    )
    report = gate(c)
    assert findings(report, "gpu-1") == {(GKE, "gpu-pool")}
    assert any(
        "[\"disable-legacy-endpoints\"] is 'false'" in v.message for v in report.violations if v.policy == GKE
    )


def test_gke_cluster_default_pool_is_checked_unless_removed() -> None:
    c = set_input(capture(GPU_BASELINE), "ai", "removeDefaultNodePool", DELETE)
    report = gate(c)
    assert findings(report, "gpu-1") == {(GKE, "ai")}
    assert any(
        "cluster 'ai' default node pool: nodeConfig.workloadMetadataConfig.mode is not set" in v.message
        for v in report.violations
        if v.policy == GKE
    )
    set_input(c, "ai", "enableAutopilot", True)  # Autopilot manages node metadata itself
    assert findings(gate(c), "gpu-1") == set()


def test_gke_inline_node_pools_are_checked() -> None:
    c = set_input(
        capture(GPU_BASELINE),
        "ai",
        "nodePools",
        [{"name": "cpu", "nodeConfig": {"machineType": "e2-standard-4"}}],
    )
    report = gate(c)
    assert findings(report, "gpu-1") == {(GKE, "ai")}
    assert any(
        "cluster 'ai' nodePools[0]: nodePools[0].nodeConfig.workloadMetadataConfig.mode" in v.message
        for v in report.violations
        if v.policy == GKE
    )


def test_mandatory_in_sandbox_too() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "metadataOptions", DELETE)
    set_input(c, "gpu-ng", "launchTemplate", DELETE)
    report = gate(c, environment="sandbox")
    assert findings(report, "gpu-1", level="mandatory") == {(LT, "gpu-lt"), (NG, "gpu-ng")}


def test_exemption_with_justification() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-ng", "launchTemplate", DELETE)
    reason = "Legacy inference pool, migrating to the hardened template in ticket PLAT-42 by 2026-03."
    report = gate(c, {NG: {"exemptions": [{"resource": "gpu-ng", "justification": reason}]}})
    assert findings(report, "gpu-1") == set()
    assert [(e.policy, e.resource_name) for e in report.exemptions] == [(NG, "gpu-ng")]


def test_unknown_metadata_options_at_preview_are_reported_not_passed() -> None:
    c = capture(GPU_BASELINE, preview_mode=True)
    set_input(c, "gpu-lt", "metadataOptions.httpTokens", UNKNOWN)
    set_input(c, "gpu-pool", "nodeConfig.workloadMetadataConfig.mode", UNKNOWN)
    set_input(c, "gpu-ng", "launchTemplate", UNKNOWN)
    report = gate(c)
    unknown = {
        (v.policy, v.resource_name)
        for v in report.violations
        if v.kind == "unknown-at-preview" and v.policy.startswith("gpu-1")
    }
    assert unknown == {(LT, "gpu-lt"), (GKE, "gpu-pool"), (NG, "gpu-ng")}
    assert findings(report, "gpu-1") == set()
