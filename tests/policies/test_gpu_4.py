"""GPU-4: encrypted node volumes, hardened and auto-managed GKE nodes, EKS-managed AMIs."""

from __future__ import annotations

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message_list, set_input, unknowns
from tests.policies.programs import GPU_BASELINE

VOLUMES = "gpu-4-launch-template-encrypted-volumes"
GKE = "gpu-4-gke-node-hardening"
AMI = "gpu-4-eks-node-group-managed-ami"


def test_compliant_baseline_has_no_gpu4_finding() -> None:
    assert findings(gate(capture(GPU_BASELINE)), "gpu-4") == set()


def test_launch_template_without_block_devices_uses_account_default() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "blockDeviceMappings", DELETE)
    report = gate(c)
    assert findings(report, "gpu-4") == {(VOLUMES, "gpu-lt")}
    assert message_list(report, VOLUMES) == [
        "Launch template 'gpu-lt': blockDeviceMappings defines no EBS volume (AWS default: the root volume follows "
        "the AMI snapshot and account default, unencrypted unless EBS encryption by default is on); it must define "
        'the root volume with ebs.encrypted = "true".'
    ]


def test_unencrypted_volume() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "blockDeviceMappings.0.ebs.encrypted", "false")
    report = gate(c)
    assert findings(report, "gpu-4") == {(VOLUMES, "gpu-lt")}
    assert (
        "blockDeviceMappings[0].ebs.encrypted is 'false'; it must be \"true\""
        in message_list(report, VOLUMES)[0]
    )
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "blockDeviceMappings.0.ebs.encrypted", DELETE)
    assert findings(gate(c), "gpu-4") == {(VOLUMES, "gpu-lt")}


def test_customer_managed_key_needed_for_restricted_data_only() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "blockDeviceMappings.0.ebs.kmsKeyId", DELETE)
    assert findings(gate(c), "gpu-4") == set()  # confidential: AWS managed key is enough
    set_input(c, "gpu-lt", "tags.data-classification", "restricted")
    report = gate(c)
    assert findings(report, "gpu-4") == {(VOLUMES, "gpu-lt")}
    assert (
        "data classification 'restricted' requires a customer-managed KMS key"
        in message_list(report, VOLUMES)[0]
    )


def test_gke_secure_boot_absent_and_integrity_monitoring_off() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-pool", "nodeConfig.shieldedInstanceConfig", DELETE)
    report = gate(c)
    assert findings(report, "gpu-4") == {(GKE, "gpu-pool")}
    assert message_list(report, GKE) == [
        "GKE node pool 'gpu-pool': nodeConfig.shieldedInstanceConfig.enableSecureBoot is not set (GKE default: "
        "false); it must be true."
    ]  # integrity monitoring absent: GKE default true
    c = set_input(
        capture(GPU_BASELINE),
        "gpu-pool",
        "nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring",
        False,
    )
    assert findings(gate(c), "gpu-4") == {(GKE, "gpu-pool")}


def test_gke_image_type_and_management() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-pool", "nodeConfig.imageType", "COS_CONTAINERD")
    set_input(c, "gpu-pool", "management", DELETE)  # absent: auto-repair and auto-upgrade on
    assert findings(gate(c), "gpu-4") == set()
    set_input(c, "gpu-pool", "nodeConfig.imageType", "UBUNTU_CONTAINERD")
    assert findings(gate(c), "gpu-4") == {(GKE, "gpu-pool")}
    c = set_input(capture(GPU_BASELINE), "gpu-pool", "management.autoUpgrade", False)
    report = gate(c)
    assert findings(report, "gpu-4") == {(GKE, "gpu-pool")}
    assert "management.autoUpgrade is false; it must be true" in message_list(report, GKE)[0]


def test_gke_restricted_pool_needs_boot_disk_cmek() -> None:
    c = set_input(
        capture(GPU_BASELINE), "gpu-pool", "nodeConfig.resourceLabels.data-classification", "restricted"
    )
    report = gate(c)
    assert findings(report, "gpu-4") == {(GKE, "gpu-pool")}
    assert (
        "nodeConfig.bootDiskKmsKey is not set (GKE default: Google-managed key)"
        in message_list(report, GKE)[0]
    )
    set_input(
        c, "gpu-pool", "nodeConfig.bootDiskKmsKey", "projects/p/locations/us/keyRings/r/cryptoKeys/nodes"
    )
    assert findings(gate(c), "gpu-4") == set()


def test_eks_custom_ami() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-ng", "amiType", "CUSTOM")
    report = gate(c)
    assert findings(report, "gpu-4") == {(AMI, "gpu-ng")}
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "imageId", "ami-0123456789abcdef0")
    report = gate(c)
    assert findings(report, "gpu-4") == {(AMI, "gpu-ng")}
    assert message_list(report, AMI) == [
        "EKS node group 'gpu-ng': launch template 'gpu-lt' sets imageId 'ami-0123456789abcdef0'; the AMI is pinned "
        "outside EKS managed releases and is not patched by node group updates. Remove imageId and use a managed "
        "amiType."
    ]


def test_advisory_in_sandbox_mandatory_in_production() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-lt", "blockDeviceMappings", DELETE)
    set_input(c, "gpu-ng", "amiType", "CUSTOM")
    expected = {(VOLUMES, "gpu-lt"), (AMI, "gpu-ng")}
    assert findings(gate(c, environment="sandbox"), "gpu-4", level="advisory") == expected
    assert findings(gate(c, environment="sandbox"), "gpu-4", level="mandatory") == set()
    assert findings(gate(c), "gpu-4", level="mandatory") == expected


def test_unknowns_at_preview_are_reported_not_passed() -> None:
    c = capture(GPU_BASELINE, preview_mode=True)
    set_input(c, "gpu-lt", "blockDeviceMappings", UNKNOWN)
    set_input(c, "gpu-pool", "nodeConfig.shieldedInstanceConfig", UNKNOWN)
    set_input(c, "gpu-lt", "imageId", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "gpu-4") == {
        (VOLUMES, "gpu-lt", "advisory"),
        (GKE, "gpu-pool", "advisory"),
        (AMI, "gpu-ng", "advisory"),
    }
    assert findings(report, "gpu-4") == set()
