"""EKS node groups and what they point at, for the GPU-* stack policies (shared logic, no policy here).

Relations follow Pulumi property dependencies: a node group's ``launchTemplate``, ``subnetIds`` and
``nodeRoleArn`` inputs depend on the launch template, subnets and role resources of the stack they
were built from. A literal id/ARN names a resource outside the stack; callers decide what that means.
"""

from __future__ import annotations

from typing import Any

from aiwarden_policies.assets import is_gpu

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


def related(resource: Any, prop: str, type_: str) -> list[Any]:
    """The stack resources of ``type_`` that ``resource``'s input ``prop`` depends on."""
    return [d for d in resource.property_dependencies.get(prop) or [] if d.resource_type == type_]


def launch_template(node_group: Any) -> Any | None:
    found = related(node_group, "launchTemplate", LAUNCH_TEMPLATE)
    return found[0] if found else None


def is_gpu_node_group(node_group: Any) -> bool:
    """GPU by its own AMI type / instance types, or by the instance type of its launch template."""
    if is_gpu(NODE_GROUP, node_group.props):
        return True
    template = launch_template(node_group)
    return template is not None and is_gpu(LAUNCH_TEMPLATE, template.props)
