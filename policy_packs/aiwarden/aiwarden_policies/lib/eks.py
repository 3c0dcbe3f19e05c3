"""EKS type tokens; for the GPU-* stack policies, a node group's launch template and whether it runs GPUs.

The launch template is found through the ``launchTemplate`` property dependency; a literal id names a
template outside the stack, which callers cannot read.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource

from aiwarden_policies.contract.assets import is_gpu
from aiwarden_policies.lib.relations import dependencies

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


def launch_template(node_group: PolicyResource) -> PolicyResource | None:
    found = dependencies(node_group, "launchTemplate", LAUNCH_TEMPLATE)
    return found[0] if found else None


def is_gpu_node_group(node_group: PolicyResource) -> bool:
    """GPU by its own AMI type / instance types, or by the instance type of its launch template."""
    if is_gpu(NODE_GROUP, node_group.props):
        return True
    template = launch_template(node_group)
    return template is not None and is_gpu(LAUNCH_TEMPLATE, template.props)
