"""The IAM role a resource runs as, and the resources that grant that role permissions (GPU-3, NB-2).

A resource names its role by ARN (``nodeRoleArn``, ``roleArn``); attachments and role policies name it
(``role``, ``roles``, ``roleName``), usually by name. Both are related through property dependencies
first, else by the role name (an ARN's last segment). Customer-managed policies are read through their
``aws:iam/policy:Policy`` resource. A role defined outside the stack cannot be inspected.

Service-wide AWS managed policies (``service_wide``), the one list for every least-privilege check:
AdministratorAccess (and its ``AdministratorAccess-*`` variants), PowerUserAccess, and every AWS managed
policy whose name says ``FullAccess`` (AmazonSageMakerFullAccess, AmazonS3FullAccess,
AmazonBedrockFullAccess, AWSLambda_FullAccess, CloudWatchFullAccessV2, ...): each grants a whole service,
or all of them, on every resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pulumi_policy import PolicyResource

from aiwarden_policies.contract import iam
from aiwarden_policies.contract.values import strings
from aiwarden_policies.framework import Stack
from aiwarden_policies.lib.relations import dependencies, referenced, target

ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/policy:Policy"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
#: (type, property naming the role(s), property naming the policy ARN(s))
ATTACHMENTS: tuple[tuple[str, str, str], ...] = (
    (ROLE_POLICY_ATTACHMENT, "role", "policyArn"),
    ("aws:iam/policyAttachment:PolicyAttachment", "roles", "policyArn"),
    ("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "roleName", "policyArns"),
)
ATTACHMENT_TYPES = tuple(type_ for type_, _, _ in ATTACHMENTS)

#: AWS managed policies that grant everything (by name, after ``arn:<partition>:iam::aws:policy/[path/]``).
ADMIN_POLICIES = ("AdministratorAccess", "PowerUserAccess")
_AWS_MANAGED = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]+)$")


def aws_managed_name(arn: str) -> str | None:
    """The name of an AWS managed policy ARN (``arn:aws:iam::aws:policy/job-function/X`` -> ``X``), or None."""
    match = _AWS_MANAGED.match(arn)
    return match.group("name") if match else None


def service_wide(arn: str) -> str | None:
    """The name of a service-wide AWS managed policy ARN (``AmazonS3FullAccess``), or None."""
    name = aws_managed_name(arn)
    if name is None:
        return None
    if name in ADMIN_POLICIES or name.startswith("AdministratorAccess-") or "FullAccess" in name:
        return name
    return None


def managed_policy_arns(holder: PolicyResource, prop: str) -> tuple[list[PolicyResource], list[str]]:
    """What ``holder.<prop>`` attaches: (the stack's customer-managed policies, the literal ARNs).

    A single ``policyArn`` known to be a stack policy is not read (its ARN is unknown at preview); lists
    are read, so an unknown element stops the calling policy at preview.
    """
    policies = customer_policies(holder, prop)
    if policies and prop == "policyArn":
        return policies, []
    return policies, strings(holder.props.get(prop))


def role_name(value: str) -> str:
    """The role name of a role ARN (``arn:aws:iam::123:role/path/name`` -> ``name``); a name stays itself."""
    return value.rsplit("/", 1)[-1]


def _roles(stack: Stack, holder: PolicyResource, prop: str) -> list[PolicyResource]:
    return referenced(holder, prop, stack.of_type(ROLE), ("name",), transform=role_name)


def role_of(stack: Stack, resource: PolicyResource, prop: str) -> PolicyResource | None:
    """The stack role that ``resource``'s ``prop`` (a role ARN) names, or None when it is not in the stack."""
    return target(resource, prop, stack.of_type(ROLE), ("name",), transform=role_name)


def attachments(
    stack: Stack, role: PolicyResource, types: tuple[str, ...] = ATTACHMENT_TYPES
) -> Iterator[tuple[PolicyResource, str]]:
    """(attachment, the property naming its policy ARN(s)) for each attachment of ``types`` naming ``role``."""
    for type_, role_prop, arn_prop in ATTACHMENTS:
        if type_ not in types:
            continue
        for attachment in stack.of_type(type_):
            if any(r.urn == role.urn for r in _roles(stack, attachment, role_prop)):
                yield attachment, arn_prop


def role_policies(stack: Stack, role: PolicyResource) -> Iterator[PolicyResource]:
    """The ``aws:iam/rolePolicy:RolePolicy`` resources (inline policies) of ``role``."""
    for policy in stack.of_type(ROLE_POLICY):
        if any(r.urn == role.urn for r in _roles(stack, policy, "role")):
            yield policy


def customer_policies(holder: PolicyResource, prop: str) -> list[PolicyResource]:
    """The customer-managed policies of the stack that ``holder``'s ``prop`` (policy ARNs) attaches."""
    return dependencies(holder, prop, POLICY)


def wildcard_statements(document: Any) -> Iterator[iam.Statement]:
    """The Allow statements of a policy document that allow wildcard actions on every resource."""
    return (st for st in iam.allow_statements(document) if st.wildcard_action and st.wildcard_resource)
