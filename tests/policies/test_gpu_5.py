"""GPU-5: GPU pools tainted and capped (EKS, GKE), GPU quotas within the ceiling, GPU namespaces quoted."""

from __future__ import annotations

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message_list, set_input, unknowns
from tests.policies.programs import GPU_BASELINE

EKS = "gpu-5-eks-gpu-node-group-dedicated-capped"
GKE = "gpu-5-gke-gpu-node-pool-dedicated-capped"
QUOTA = "gpu-5-k8s-gpu-quota-cap"
NAMESPACE = "gpu-5-k8s-gpu-namespace-has-quota"


def test_compliant_baseline_has_no_gpu5_finding() -> None:
    assert findings(gate(capture(GPU_BASELINE)), "gpu-5") == set()


def test_eks_gpu_node_group_without_gpu_taint() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-ng", "taints", DELETE)
    report = gate(c)
    assert findings(report, "gpu-5") == {(EKS, "gpu-ng")}
    assert message_list(report, EKS) == [
        "GPU EKS node group 'gpu-ng': taints has no nvidia.com/gpu taint with effect NO_SCHEDULE (absent: nodes are "
        "untainted and accept any pod); GPU pools must be dedicated."
    ]
    c = set_input(capture(GPU_BASELINE), "gpu-ng", "taints.0.effect", "PREFER_NO_SCHEDULE")
    assert findings(gate(c), "gpu-5") == {(EKS, "gpu-ng")}


def test_non_gpu_node_group_needs_no_taint() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-ng", "taints", DELETE)
    set_input(c, "gpu-ng", "amiType", "AL2023_x86_64_STANDARD")
    set_input(c, "gpu-ng", "instanceTypes", ["m6i.xlarge"])
    assert findings(gate(c), "gpu-5") == set()


def test_eks_max_size_against_the_configured_ceiling() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-ng", "scalingConfig.maxSize", 12.0)
    report = gate(c)
    assert findings(report, "gpu-5") == {(EKS, "gpu-ng")}
    assert message_list(report, EKS) == [
        "GPU EKS node group 'gpu-ng': scalingConfig.maxSize is 12; it must be at most 8 (maxGpuNodesPerPool)."
    ]
    assert findings(gate(c, {EKS: {"maxGpuNodesPerPool": 16}}), "gpu-5") == set()
    assert findings(gate(capture(GPU_BASELINE), {EKS: {"maxGpuNodesPerPool": 2}}), "gpu-5") == {
        (EKS, "gpu-ng")
    }


def test_gke_gpu_pool_without_taint() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-pool", "nodeConfig.taints", DELETE)
    assert findings(gate(c), "gpu-5") == {(GKE, "gpu-pool")}


def test_gke_node_ceiling_counts_zones_total_and_fixed_size() -> None:
    c = set_input(
        capture(GPU_BASELINE),
        "gpu-pool",
        "nodeLocations",
        ["us-central1-a", "us-central1-b", "us-central1-c"],
    )
    report = gate(c)
    assert findings(report, "gpu-5") == {(GKE, "gpu-pool")}
    assert message_list(report, GKE) == [
        "GKE GPU node pool 'gpu-pool': autoscaling.maxNodeCount × 3 zone(s) allows 12 nodes; it must be at most 8 "
        "(maxGpuNodesPerPool)."
    ]
    set_input(c, "gpu-pool", "autoscaling.totalMaxNodeCount", 6.0)
    assert findings(gate(c), "gpu-5") == set()
    c = set_input(capture(GPU_BASELINE), "gpu-pool", "autoscaling", DELETE)
    set_input(c, "gpu-pool", "nodeCount", 10.0)
    assert findings(gate(c), "gpu-5") == {(GKE, "gpu-pool")}
    assert findings(gate(c, {GKE: {"maxGpuNodesPerPool": 10}}), "gpu-5") == set()


def test_resource_quota_above_ceiling_or_wrong_key() -> None:
    c = set_input(capture(GPU_BASELINE), "ml-gpus", ["spec", "hard", "requests.nvidia.com/gpu"], "32")
    report = gate(c)
    assert findings(report, "gpu-5") == {(QUOTA, "ml-gpus")}
    assert message_list(report, QUOTA) == [
        "ResourceQuota 'ml-gpus': spec.hard['requests.nvidia.com/gpu'] is '32'; it must be a number of at most 16 "
        "(maxGpusPerNamespace)."
    ]
    assert findings(gate(capture(GPU_BASELINE), {QUOTA: {"maxGpusPerNamespace": 4}}), "gpu-5") == {
        (QUOTA, "ml-gpus")
    }
    c = set_input(capture(GPU_BASELINE), "ml-gpus", ["spec", "hard", "limits.nvidia.com/gpu"], "8")
    assert findings(gate(c), "gpu-5") == {(QUOTA, "ml-gpus")}


def test_gpu_namespace_without_gpu_quota() -> None:
    c = set_input(capture(GPU_BASELINE), "ml-gpus", ["spec", "hard"], {"pods": "20"})
    report = gate(c)
    assert findings(report, "gpu-5") == {(NAMESPACE, "train")}
    [message] = message_list(report, NAMESPACE)
    assert message.startswith("Job 'train' requests nvidia.com/gpu in namespace 'ml-")
    assert message.endswith("which has no ResourceQuota with spec.hard['requests.nvidia.com/gpu'].")
    c = set_input(capture(GPU_BASELINE), "ml-gpus", "metadata.namespace", "other")
    assert findings(gate(c), "gpu-5") == {(NAMESPACE, "train")}


def test_workload_without_gpu_needs_no_quota() -> None:
    c = set_input(capture(GPU_BASELINE), "ml-gpus", ["spec", "hard"], {"pods": "20"})
    set_input(c, "train", "spec.template.spec.containers.0.resources", {"limits": {"cpu": "2"}})
    assert findings(gate(c), "gpu-5") == set()


def test_mandatory_in_sandbox_too() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-ng", "taints", DELETE)
    set_input(c, "ml-gpus", ["spec", "hard"], {"pods": "20"})
    report = gate(c, environment="sandbox")
    assert findings(report, "gpu-5", level="mandatory") == {(EKS, "gpu-ng"), (NAMESPACE, "train")}


def test_unknowns_at_preview_are_reported_not_passed() -> None:
    c = capture(GPU_BASELINE, preview_mode=True)
    set_input(c, "gpu-ng", "scalingConfig.maxSize", UNKNOWN)
    set_input(c, "gpu-pool", "nodeConfig.taints", UNKNOWN)
    set_input(c, "ml-gpus", ["spec", "hard", "requests.nvidia.com/gpu"], UNKNOWN)
    set_input(c, "train", "metadata.namespace", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "gpu-5") == {
        (EKS, "gpu-ng", "advisory"),
        (GKE, "gpu-pool", "advisory"),
        (QUOTA, "ml-gpus", "advisory"),
        (NAMESPACE, "train", "advisory"),
    }
    assert findings(report, "gpu-5") == set()
