"""GPU-4: EKS node groups run an EKS-managed, updatable AMI release.

A stack policy: a node group with ``amiType`` CUSTOM, or whose launch template (property dependency)
sets ``imageId``, runs an AMI pinned outside the EKS managed releases — EKS cannot patch it with a
node group version update, so it is a violation (exempt it with a justification naming the AMI
pipeline that patches it). An absent ``amiType`` is EKS's default managed AMI for the cluster version;
``releaseVersion`` pins a managed release that stays updatable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Spec, Stack, reading, stack_policy
from aiwarden_policies.lib.eks import NODE_GROUP, launch_template

SPEC = Spec(
    control="GPU-4",
    name="gpu-4-eks-node-group-managed-ami",
    description=(
        "EKS node groups use an EKS-managed AMI type (e.g. AL2023_x86_64_NVIDIA), not amiType CUSTOM or a "
        "launch template imageId, so node group version updates deliver patched AMIs."
    ),
    remediation_steps=(
        "Remove `image_id` from the node group's launch template and set `ami_type` to a managed GPU type "
        "(AL2023_x86_64_NVIDIA, AL2023_ARM_64_NVIDIA, AL2023_x86_64_NEURON, BOTTLEROCKET_x86_64_NVIDIA); keep "
        "`version` / `release_version` current. A custom AMI needs an exemption naming its patch pipeline."
    ),
)


@stack_policy(SPEC)
def gpu_4_eks_node_group_managed_ami(s: Stack) -> Iterable[tuple[str, str | None]]:
    def decide(node_group: Any) -> Iterator[str]:
        if str(node_group.props.get("amiType") or "").upper() == "CUSTOM":
            yield (
                f"EKS node group {node_group.name!r}: amiType is 'CUSTOM'; the AMI is pinned outside EKS managed "
                "releases and is not patched by node group updates. It must use a managed AMI type."
            )
            return
        template = launch_template(node_group)
        if template is None:
            return
        with reading(template):
            image = template.props.get("imageId")
        if image:
            yield (
                f"EKS node group {node_group.name!r}: launch template {template.name!r} sets imageId {image!r}; the "
                "AMI is pinned outside EKS managed releases and is not patched by node group updates. Remove "
                "imageId and use a managed amiType."
            )

    yield from s.each(s.of_type(NODE_GROUP), decide)
