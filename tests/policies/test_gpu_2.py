"""GPU-2: no remote access on node groups, no public IPs (launch templates, subnets, GKE private nodes)."""

from __future__ import annotations

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message, set_input, unknowns
from tests.policies.programs import GPU_BASELINE

REMOTE = "gpu-2-eks-node-group-no-remote-access"
PUBLIC_IP = "gpu-2-launch-template-no-public-ip"
SUBNETS = "gpu-2-eks-node-group-private-subnets"
GKE = "gpu-2-gke-private-nodes"


def test_compliant_baseline_has_no_gpu2_finding() -> None:
    assert findings(gate(capture(GPU_BASELINE)), "gpu-2") == set()


def test_remote_access_without_source_groups() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-ng", "remoteAccess", {"ec2SshKey": "ops-key"})
    report = gate(c)
    assert findings(report, "gpu-2") == {(REMOTE, "gpu-ng")}
    text = message(report, REMOTE, "gpu-ng")
    assert text == (
        "EKS node group 'gpu-ng': remoteAccess is set (ec2SshKey 'ops-key' and no "
        "sourceSecurityGroupIds, so the SSH port is open to 0.0.0.0/0); it must not be set."
    )


def test_launch_template_public_ip() -> None:
    c = set_input(
        capture(GPU_BASELINE), "gpu-lt", "networkInterfaces", [{"associatePublicIpAddress": "false"}]
    )
    assert findings(gate(c), "gpu-2") == set()
    set_input(c, "gpu-lt", "networkInterfaces", [{"associatePublicIpAddress": "true"}])
    report = gate(c)
    assert findings(report, "gpu-2") == {(PUBLIC_IP, "gpu-lt")}
    text = message(report, PUBLIC_IP, "gpu-lt")
    assert "networkInterfaces[0].associatePublicIpAddress is 'true'" in text


def test_public_subnet_of_node_group() -> None:
    c = set_input(capture(GPU_BASELINE), "private-a", "mapPublicIpOnLaunch", True)
    report = gate(c)
    assert findings(report, "gpu-2") == {(SUBNETS, "gpu-ng")}
    text = message(report, SUBNETS, "gpu-ng")
    assert "subnet 'private-a' in subnetIds sets mapPublicIpOnLaunch = true" in text


def test_gke_cluster_without_private_nodes() -> None:
    c = set_input(capture(GPU_BASELINE), "ai", "privateClusterConfig", DELETE)
    report = gate(c)
    assert findings(report, "gpu-2") == {(GKE, "ai")}
    text = message(report, GKE, "ai")
    assert text == (
        "GKE cluster 'ai': privateClusterConfig.enablePrivateNodes is not set (GKE default: public "
        "nodes with external IPs); it must be true."
    )


def test_gke_node_pool_opting_out_of_private_nodes() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-pool", "networkConfig", {"enablePrivateNodes": True})
    assert findings(gate(c), "gpu-2") == set()
    set_input(c, "gpu-pool", "networkConfig.enablePrivateNodes", False)
    assert findings(gate(c), "gpu-2") == {(GKE, "gpu-pool")}
    c = set_input(
        capture(GPU_BASELINE), "ai", "nodePools", [{"networkConfig": {"enablePrivateNodes": False}}]
    )
    assert findings(gate(c), "gpu-2") == {(GKE, "ai")}


def test_mandatory_in_sandbox_too() -> None:
    c = set_input(
        capture(GPU_BASELINE),
        "gpu-ng",
        "remoteAccess",
        {"ec2SshKey": "ops-key", "sourceSecurityGroupIds": ["sg-1"]},
    )
    set_input(c, "private-a", "mapPublicIpOnLaunch", True)
    report = gate(c, environment="sandbox")
    assert findings(report, "gpu-2", level="mandatory") == {(REMOTE, "gpu-ng"), (SUBNETS, "gpu-ng")}


def test_unknowns_at_preview_are_reported_not_passed() -> None:
    c = capture(GPU_BASELINE, preview_mode=True)
    set_input(c, "gpu-ng", "remoteAccess", UNKNOWN)
    set_input(c, "private-a", "mapPublicIpOnLaunch", UNKNOWN)
    set_input(c, "ai", "privateClusterConfig.enablePrivateNodes", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "gpu-2") == {
        (REMOTE, "gpu-ng", "advisory"),
        (SUBNETS, "gpu-ng", "advisory"),
        (GKE, "ai", "advisory"),
    }
    assert findings(report, "gpu-2") == set()
