"""NB-2: a SageMaker notebook's role carries no administrator, service-wide or wildcard permissions.

Stack policy: the notebook's ``roleArn`` is related to its ``aws:iam/role:Role`` through the property
dependency (or, for a literal ARN, the role name), then to the role's policies: managed policies
(``managedPolicyArns``; ``RolePolicyAttachment``, ``PolicyAttachment``, ``RolePolicyAttachmentsExclusive``
naming the role), inline policies (``RolePolicy``, ``inlinePolicies``) and customer-managed
``aws:iam/policy:Policy`` documents attached to it. Service-wide AWS managed policies (AdministratorAccess,
PowerUserAccess, every ``*FullAccess`` policy such as AmazonSageMakerFullAccess or AmazonS3FullAccess) are
the one list of ``lib.aws_roles.service_wide``. A role declared outside the stack cannot be inspected; only
the console's default execution role (``AmazonSageMaker-ExecutionRole-*``, AmazonSageMakerFullAccess) is
recognised by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.aws_roles import (
    ATTACHMENT_TYPES,
    POLICY,
    ROLE,
    ROLE_POLICY,
    attachments,
    managed_policy_arns,
    role_of,
    role_policies,
    service_wide,
    wildcard_statements,
)

NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"

CONSOLE_DEFAULT_ROLE = re.compile(r":role/(service-role/)?AmazonSageMaker-ExecutionRole-")

SPEC = Spec(
    control="NB-2",
    name="nb-2-sagemaker-notebook-role-least-privilege",
    description=(
        "The IAM role of a SageMaker notebook instance is dedicated and least privilege: no AdministratorAccess, "
        "PowerUserAccess or service-wide `*FullAccess` AWS managed policy (AmazonSageMakerFullAccess, "
        "AmazonS3FullAccess, AmazonBedrockFullAccess, ...), no policy statement allowing wildcard actions on "
        "wildcard resources, and not the console's default AmazonSageMaker-ExecutionRole."
    ),
    remediation_steps=(
        "Give each notebook its own role with only the actions it needs on named resources (its dataset bucket "
        "prefixes, its KMS key, its ECR repository); detach AdministratorAccess, PowerUserAccess and `*FullAccess` "
        "managed policies and replace `*` actions on `*` resources with explicit ones."
    ),
    resource_types=(NOTEBOOK, ROLE, ROLE_POLICY, POLICY, *ATTACHMENT_TYPES),
)


def _wildcards(document: Any, where: str) -> Iterator[str]:
    for st in wildcard_statements(document):
        yield f"allows {st.action_text} on Resource * ({where})"


def _managed(holder: Any, prop: str, where: str) -> Iterator[str]:
    policies, arns = managed_policy_arns(holder, prop)
    for policy in policies:
        yield from _wildcards(policy.props.get("policy"), f"policy {policy.name!r}")
    for arn in arns:
        if service_wide(arn):
            yield f"has {arn} attached ({where})"


def _role_problems(s: Stack, role: Any) -> Iterator[str]:
    yield from _managed(role, "managedPolicyArns", "managedPolicyArns")
    for inline in role.props.get("inlinePolicies") or []:
        yield from _wildcards(inline.get("policy"), f"inline policy {inline.get('name')!r}")
    for att, arn_prop in attachments(s, role):
        yield from _managed(att, arn_prop, f"{att.resource_type.rsplit(':', 1)[-1]} {att.name!r}")
    for inline in role_policies(s, role):
        yield from _wildcards(inline.props.get("policy"), f"RolePolicy {inline.name!r}")


@stack_policy(SPEC)
def nb_2_sagemaker_notebook_role_least_privilege(s: Stack) -> Iterable[tuple[str, str | None]]:
    def decide(nb: Any) -> Iterator[str]:
        role = role_of(s, nb, "roleArn")
        if role is None:
            arn = str(nb.props.get("roleArn") or "")
            if CONSOLE_DEFAULT_ROLE.search(arn):
                yield (
                    f"SageMaker notebook instance {nb.name!r}: roleArn {arn} is the console's default SageMaker "
                    "execution role (AmazonSageMakerFullAccess); use a dedicated least-privilege role."
                )
            return
        for problem in _role_problems(s, role):
            yield (
                f"SageMaker notebook instance {nb.name!r}: its role {role.name!r} {problem}; a notebook role "
                "must be least privilege."
            )

    yield from s.each(s.of_type(NOTEBOOK), decide)
