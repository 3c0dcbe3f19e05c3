"""GPU-2: EKS node groups define no SSH/RDP remote access."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

SPEC = Spec(
    control="GPU-2",
    name="gpu-2-eks-node-group-no-remote-access",
    description=(
        "EKS managed node groups set no remoteAccess block: it installs an SSH key on every node and, without "
        "sourceSecurityGroupIds, opens port 22 (3389 on Windows) to 0.0.0.0/0."
    ),
    remediation_steps=(
        "Remove `remote_access` from the node group. For break-glass access use AWS Systems Manager Session "
        "Manager (the node role's AmazonSSMManagedInstanceCore policy), which needs no inbound port or key."
    ),
    resource_types=("aws:eks/nodeGroup:NodeGroup",),
)


@resource_policy(SPEC)
def gpu_2_eks_node_group_no_remote_access(r: Resource) -> Iterable[str]:
    remote = r.get("remoteAccess")
    if not remote:
        return
    key = remote.get("ec2SshKey")
    sources = remote.get("sourceSecurityGroupIds")
    detail = f"ec2SshKey {key!r}" if key else "no ec2SshKey"
    exposure = "" if sources else " and no sourceSecurityGroupIds, so the SSH port is open to 0.0.0.0/0"
    yield f"EKS node group {r.name!r}: remoteAccess is set ({detail}{exposure}); it must not be set."
