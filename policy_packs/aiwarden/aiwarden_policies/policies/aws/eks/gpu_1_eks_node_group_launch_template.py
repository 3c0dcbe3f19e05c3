"""GPU-1: EKS managed node groups use a launch template (the only place to harden their IMDS).

Applied to every node group: without a launch template EKS launches nodes with IMDSv1 allowed and a
hop limit of 2, which pods can use to read the node role's credentials.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

SPEC = Spec(
    control="GPU-1",
    name="gpu-1-eks-node-group-launch-template",
    description=(
        "EKS managed node groups name a launch template (launchTemplate), so that their instance metadata "
        "options can require IMDSv2 with a hop limit of 1; EKS's own template allows IMDSv1 with hop limit 2."
    ),
    remediation_steps=(
        'Create an `aws.ec2.LaunchTemplate` with `metadata_options` http_tokens="required" and '
        "http_put_response_hop_limit=1 and pass it as `launch_template=aws.eks.NodeGroupLaunchTemplateArgs(id=..., "
        "version=...)`; move `remote_access` / `disk_size` settings into the template."
    ),
    resource_types=("aws:eks/nodeGroup:NodeGroup",),
)


@resource_policy(SPEC)
def gpu_1_eks_node_group_launch_template(r: Resource) -> Iterable[str]:
    if not r.get("launchTemplate"):
        yield (
            f"EKS node group {r.name!r}: launchTemplate is not set (EKS default template: IMDSv1 allowed, "
            "hop limit 2); it must use a launch template requiring IMDSv2 with hop limit 1."
        )
