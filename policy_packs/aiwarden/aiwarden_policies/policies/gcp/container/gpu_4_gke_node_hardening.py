"""GPU-4: GKE nodes are Shielded, Container-Optimized OS, auto-repaired/upgraded, CMEK for restricted data.

Applied to every node pool (GPU or not) of node pool resources and clusters. Absent values are GKE's
defaults: secure boot off (violation), integrity monitoring on, image COS_CONTAINERD, auto-repair
and auto-upgrade on. The data classification is the pool's ``nodeConfig.resourceLabels`` (else the
cluster's labels); restricted or unclassified pools need ``nodeConfig.bootDiskKmsKey``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gke import TYPES, Pool, classification, pools

SPEC = Spec(
    control="GPU-4",
    name="gpu-4-gke-node-hardening",
    description=(
        "GKE node pools enable Shielded VM secure boot and integrity monitoring, run the COS_CONTAINERD image, "
        "keep management.autoRepair and autoUpgrade on, and encrypt boot disks with a customer-managed key "
        "(nodeConfig.bootDiskKmsKey) for restricted or unclassified data."
    ),
    remediation_steps=(
        "Set `node_config.shielded_instance_config` (enable_secure_boot=True, enable_integrity_monitoring=True), "
        'leave `image_type` unset or "COS_CONTAINERD", keep `management` auto_repair/auto_upgrade True and set '
        "`node_config.boot_disk_kms_key` to a Cloud KMS key for restricted data."
    ),
    resource_types=TYPES,
)


def _problems(pool: Pool, data_class: str | None) -> Iterator[str]:
    secure_boot = pool.get("nodeConfig.shieldedInstanceConfig.enableSecureBoot")
    if secure_boot is not True:
        found = "is not set (GKE default: false)" if secure_boot is None else f"is {secure_boot!r}"
        yield f"{pool.path('nodeConfig.shieldedInstanceConfig.enableSecureBoot')} {found}; it must be true"
    if pool.get("nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring") is False:
        yield f"{pool.path('nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring')} is false; it must be true"
    image = pool.get("nodeConfig.imageType")  # absent: COS_CONTAINERD (GKE default)
    if image is not None and not str(image).upper().startswith("COS_CONTAINERD"):
        yield f"{pool.path('nodeConfig.imageType')} is {image!r}; it must be COS_CONTAINERD (Container-Optimized OS)"
    for key in ("autoRepair", "autoUpgrade"):
        if pool.get(f"management.{key}") is False:  # absent: true (GKE default)
            yield f"{pool.path('management.' + key)} is false; it must be true"
    if data_class in (None, "restricted") and not pool.get("nodeConfig.bootDiskKmsKey"):
        yield (
            f"{pool.path('nodeConfig.bootDiskKmsKey')} is not set (GKE default: Google-managed key); data "
            f"classification {data_class or 'unset'!r} requires a customer-managed key"
        )


@resource_policy(SPEC)
def gpu_4_gke_node_hardening(r: Resource) -> Iterable[str]:
    for pool in pools(r):
        for problem in _problems(pool, classification(r, pool)):
            yield f"GKE {pool.label}: {problem}."
