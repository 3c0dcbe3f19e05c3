"""GPU-3: the node role of a GPU node group is least privilege.

A stack policy: the GPU node group's ``nodeRoleArn`` is related to its ``aws:iam/role:Role`` (property
dependency, else the role name at the end of a literal ARN), and the role to everything that grants it
permissions: ``managedPolicyArns`` and ``inlinePolicies`` of the role, ``RolePolicyAttachment``,
``PolicyAttachment``, ``RolePolicyAttachmentsExclusive`` and ``RolePolicy`` resources that name it.
Customer-managed policies are read through their ``aws:iam/policy:Policy`` resource. Service-wide AWS
managed policies (AdministratorAccess, PowerUserAccess, every ``*FullAccess`` policy) are the one list of
``lib.aws_roles.service_wide``: a node role needs none of them.

A node role that is not defined in the stack is a violation: its permissions cannot be verified
(exempt it with a justification when a platform team owns it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.aws_roles import (
    attachments,
    managed_policy_arns,
    role_of,
    role_policies,
    service_wide,
    wildcard_statements,
)
from aiwarden_policies.lib.eks import NODE_GROUP, is_gpu_node_group

SPEC = Spec(
    control="GPU-3",
    name="gpu-3-eks-node-role-least-privilege",
    description=(
        "The node role of every GPU EKS node group is defined in the stack and has no AdministratorAccess, "
        "PowerUserAccess or service-wide `*FullAccess` AWS managed policy (AmazonS3FullAccess, "
        "AmazonSageMakerFullAccess, AmazonBedrockFullAccess, ...) and no inline or customer-managed policy allowing "
        'wildcard actions on Resource "*".'
    ),
    remediation_steps=(
        "Give GPU node groups a dedicated role with only AmazonEKSWorkerNodePolicy, "
        "AmazonEC2ContainerRegistryPullOnly (or ReadOnly) and, without Pod Identity for the CNI, "
        "AmazonEKS_CNI_Policy. Workloads that need AWS access get their own role through EKS Pod Identity or "
        "IRSA, never through the node role."
    ),
)


def _wildcard(document: Any) -> str | None:
    st = next(wildcard_statements(document), None)
    return None if st is None else f'allows {st.action_text} on Resource "*"'


def _policy_arns(holder: Any, prop: str) -> Iterator[str]:
    """Problems of the managed policies ``holder.<prop>`` attaches (stack policies, then literal ARNs)."""
    policies, arns = managed_policy_arns(holder, prop)
    for policy in policies:
        found = _wildcard(policy.props.get("policy"))
        if found:
            yield f"gets customer-managed policy {policy.name!r} through {prop}, which {found}"
    for arn in arns:
        name = service_wide(arn)
        if name:
            yield f"gets the AWS managed policy {name} through {prop}"


def _problems(s: Stack, role: Any) -> Iterator[str]:
    yield from _policy_arns(role, "managedPolicyArns")
    for i, inline in enumerate(role.props.get("inlinePolicies") or []):
        found = _wildcard(inline.get("policy"))
        if found:
            yield f"has inlinePolicies[{i}] {inline.get('name')!r}, which {found}"
    for attachment, arn_prop in attachments(s, role):
        yield from (f"{p} of {attachment.name!r}" for p in _policy_arns(attachment, arn_prop))
    for role_policy in role_policies(s, role):
        found = _wildcard(role_policy.props.get("policy"))
        if found:
            yield f"has role policy {role_policy.name!r}, which {found}"


@stack_policy(SPEC)
def gpu_3_eks_node_role_least_privilege(s: Stack) -> Iterable[tuple[str, str | None]]:
    def decide(node_group: Any) -> Iterator[str]:
        if not is_gpu_node_group(node_group):
            return
        role = role_of(s, node_group, "nodeRoleArn")
        if role is None:
            yield (
                f"GPU EKS node group {node_group.name!r}: nodeRoleArn {node_group.props.get('nodeRoleArn')!r} "
                "names a role that is not defined in this stack, so its permissions cannot be verified; define "
                "the node role in the stack (or exempt the node group with a justification)."
            )
            return
        for problem in _problems(s, role):
            yield (
                f"GPU EKS node group {node_group.name!r}: node role {role.name!r} {problem}; a GPU node role "
                "carries only the node and registry-read policies."
            )

    yield from s.each(s.of_type(NODE_GROUP), decide)
