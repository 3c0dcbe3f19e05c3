"""GPU-1: IMDSv2 with hop limit 1 on launch templates, node groups with a launch template, GKE metadata."""

from __future__ import annotations

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message, message_list, set_input, unknowns
from tests.policies.programs import GPU_BASELINE

LT = "gpu-1-launch-template-imdsv2"
NG = "gpu-1-eks-node-group-launch-template"
GKE = "gpu-1-gke-workload-metadata"


def test_compliant_baseline_has_no_gpu_finding() -> None:
    c = capture(GPU_BASELINE)
    assert c.error is None
    assert findings(gate(c), "gpu-") == set()


def test_launch_template_without_metadata_options_uses_insecure_defaults() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "metadataOptions", DELETE)
    report = gate(c)
    assert findings(report, "gpu-1") == {(LT, "gpu-lt")}
    messages = message_list(report, LT)
    assert len(messages) == 2
    assert "metadataOptions.httpPutResponseHopLimit is not set (AWS default: 1, or 2" in messages[0]
    assert "metadataOptions.httpTokens is not set (AWS default: optional, IMDSv1 allowed)" in messages[1]


def test_optional_tokens_and_hop_limit_2_are_violations() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "metadataOptions.httpTokens", "optional")
    assert findings(gate(c), "gpu-1") == {(LT, "gpu-lt")}
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "metadataOptions.httpPutResponseHopLimit", 2.0)
    report = gate(c)
    assert findings(report, "gpu-1") == {(LT, "gpu-lt")}
    text = message(report, LT, "gpu-lt")
    assert "httpPutResponseHopLimit is 2; it must be 1" in text


def test_disabled_metadata_endpoint_is_compliant() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "metadataOptions", {"httpEndpoint": "disabled"})
    assert findings(gate(c), "gpu-1") == set()


def test_node_group_without_launch_template() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-ng", "launchTemplate", DELETE)
    report = gate(c)
    assert findings(report, "gpu-1") == {(NG, "gpu-ng")}
    text = message(report, NG, "gpu-ng")
    assert "launchTemplate is not set (EKS default template: IMDSv1 allowed, hop limit 2)" in text


def test_gke_node_pool_metadata_mode_absent_or_gce() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-pool", "nodeConfig.workloadMetadataConfig", DELETE)
    report = gate(c)
    assert findings(report, "gpu-1") == {(GKE, "gpu-pool")}
    text = message(report, GKE, "gpu-pool")
    assert text.startswith("GKE node pool 'gpu-pool': nodeConfig.workloadMetadataConfig.mode is not set")
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
    assert "[\"disable-legacy-endpoints\"] is 'false'" in message(report, GKE, "gpu-pool")


def test_gke_cluster_default_pool_is_checked_unless_removed() -> None:
    c = set_input(capture(GPU_BASELINE), "ai", "removeDefaultNodePool", DELETE)
    report = gate(c)
    assert findings(report, "gpu-1") == {(GKE, "ai")}
    assert "cluster 'ai' default node pool: nodeConfig.workloadMetadataConfig.mode is not set" in message(
        report, GKE, "ai"
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
    assert "cluster 'ai' nodePools[0]: nodePools[0].nodeConfig.workloadMetadataConfig.mode" in message(
        report, GKE, "ai"
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
    assert unknowns(report, "gpu-1") == {
        (LT, "gpu-lt", "advisory"),
        (GKE, "gpu-pool", "advisory"),
        (NG, "gpu-ng", "advisory"),
    }
    assert findings(report, "gpu-1") == set()
