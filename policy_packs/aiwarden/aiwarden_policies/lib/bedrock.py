"""Bedrock usage that makes a stack an AI stack: the identities and APIs that call Bedrock models.

The AI assets it adds (``lib.stack_assets.ai_assets``; INV-2, IR-1, LOG-1):

- ``ai-identity``: an ``aws:iam/role:Role`` of the stack allowed to invoke Bedrock models, through an
  inline policy (``inlinePolicies``), a ``RolePolicy``, or a managed policy (``managedPolicyArns``,
  ``RolePolicyAttachment``, ``PolicyAttachment``, ``RolePolicyAttachmentsExclusive``): a stack
  ``aws:iam/policy:Policy`` whose document allows it, or an AWS managed Bedrock policy
  (``BEDROCK_MANAGED_POLICIES``). When the grant reaches no role of the stack (a ``RolePolicy`` of a role
  declared elsewhere, a ``UserPolicy`` / ``GroupPolicy``, a ``Policy`` attached to users or to nothing in
  the stack, a user or group attachment of a managed Bedrock policy), the granting resource itself stands
  for the identity: the responder still needs to know who may call models.
- ``model-api``: an API Gateway API (``aws:apigateway/restApi:RestApi``, ``aws:apigatewayv2/api:Api``)
  with an integration whose ``uri`` / ``integrationUri`` targets ``bedrock-runtime`` or
  ``bedrock-agent-runtime`` (AWS service integration ``arn:aws:apigateway:<region>:bedrock-runtime:...``
  or the HTTPS endpoint). An integration whose API is not in the stack is the asset itself.

A statement allows invocation when it is an Allow naming the bedrock service in ``Action``:
``bedrock:InvokeModel``, ``bedrock:InvokeModelWithResponseStream`` (Converse uses them),
``bedrock:InvokeAgent``, ``bedrock:RetrieveAndGenerate``, or a wildcard over them (``bedrock:*``,
``bedrock:Invoke*``). A bare ``*`` or an Allow with ``NotAction`` is an administrator grant, not Bedrock
usage: NB-2, GPU-3 and SEC-3 judge those.

Values unknown at preview (a policy document built from other outputs, an integration uri) are read as
"no Bedrock usage" instead of stopping the stack policies that ask: the check runs again at update, where
they are known. Bedrock agents, knowledge bases and AgentCore runtimes are assets by type
(``assets.KIND_BY_TYPE``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UnknownValueError

from aiwarden_policies.contract import iam
from aiwarden_policies.contract.assets import AI_IDENTITY, MODEL_API
from aiwarden_policies.contract.values import strings
from aiwarden_policies.framework import Stack
from aiwarden_policies.lib.aws_roles import (
    POLICY,
    ROLE,
    ROLE_POLICY,
    attachments,
    aws_managed_name,
    customer_policies,
    managed_policy_arns,
    role_policies,
)
from aiwarden_policies.lib.relations import target

#: Actions that call a model (the Converse APIs are authorised by the InvokeModel actions).
INVOKE_ACTIONS = (
    "bedrock:InvokeModel",
    "bedrock:InvokeModelWithResponseStream",
    "bedrock:InvokeAgent",
    "bedrock:RetrieveAndGenerate",
)
#: AWS managed policies that allow model invocation.
BEDROCK_MANAGED_POLICIES = frozenset({"AmazonBedrockFullAccess", "AmazonBedrockLimitedAccess"})
BEDROCK_RUNTIME = re.compile(r"bedrock(?:-agent)?-runtime")

USER_POLICY = "aws:iam/userPolicy:UserPolicy"
GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
USER_POLICY_ATTACHMENT = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
GROUP_POLICY_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
#: Every resource that attaches managed policies, with the property holding their ARN(s).
POLICY_ARN_PROPS: dict[str, str] = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    USER_POLICY_ATTACHMENT: "policyArn",
    GROUP_POLICY_ATTACHMENT: "policyArn",
}
#: Integration type -> (property with the target uri, property naming the API, API type).
INTEGRATIONS: dict[str, tuple[str, str, str]] = {
    "aws:apigateway/integration:Integration": ("uri", "restApi", "aws:apigateway/restApi:RestApi"),
    "aws:apigatewayv2/integration:Integration": ("integrationUri", "apiId", "aws:apigatewayv2/api:Api"),
}

_ACTION_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(action: str) -> re.Pattern[str]:
    """An IAM action with ``*`` / ``?`` wildcards as a case-insensitive regex."""
    if action not in _ACTION_PATTERNS:
        body = re.escape(action).replace(r"\*", ".*").replace(r"\?", ".")
        _ACTION_PATTERNS[action] = re.compile(f"^{body}$", re.IGNORECASE)
    return _ACTION_PATTERNS[action]


def invokes_models(document: Any) -> bool:
    """Whether a policy document allows a Bedrock model invocation action (by name or ``bedrock:`` wildcard)."""
    for statement in iam.allow_statements(document):
        for action in statement.actions:
            if action.lower().startswith("bedrock:") and any(
                _pattern(action).match(wanted) for wanted in INVOKE_ACTIONS
            ):
                return True
    return False


def bedrock_managed(arn: str) -> bool:
    return aws_managed_name(arn) in BEDROCK_MANAGED_POLICIES


def _known(check: Callable[[], bool]) -> bool:
    """``check()``, with a value unknown at preview read as False (decided again at update)."""
    try:
        return check()
    except UnknownValueError:
        return False


def _role_grants(stack: Stack, role: PolicyResource, granting: set[str]) -> tuple[bool, set[str]]:
    """(whether ``role`` may invoke models, the stack resources granting it that); unknown values: (False, {})."""
    try:
        inline = any(invokes_models(p.get("policy")) for p in role.props.get("inlinePolicies") or [])
        managed = any(bedrock_managed(arn) for arn in strings(role.props.get("managedPolicyArns")))
        grants = {p.urn for p in customer_policies(role, "managedPolicyArns") if p.urn in granting}
        grants |= {p.urn for p in role_policies(stack, role) if invokes_models(p.props.get("policy"))}
        for attachment, prop in attachments(stack, role):
            policies, arns = managed_policy_arns(attachment, prop)
            through = {p.urn for p in policies if p.urn in granting}
            if through or any(bedrock_managed(arn) for arn in arns):
                grants |= {*through, attachment.urn}
    except UnknownValueError:
        return False, set()
    return inline or managed or bool(grants), grants


def _grants_document(r: PolicyResource) -> bool:
    return _known(lambda: invokes_models(r.props.get("policy")))


def _attaches_bedrock_managed(r: PolicyResource) -> bool:
    prop = POLICY_ARN_PROPS[r.resource_type]
    return _known(lambda: any(bedrock_managed(arn) for arn in managed_policy_arns(r, prop)[1]))


def bedrock_identities(stack: Stack) -> Iterator[PolicyResource]:
    """The roles of the stack that may invoke Bedrock models, then the grants that reach no stack role."""
    granting = {p.urn for p in stack.of_type(POLICY) if _grants_document(p)}
    covered: set[str] = set()
    for role in stack.of_type(ROLE):
        invokes, grants = _role_grants(stack, role, granting)
        covered |= grants
        if invokes:
            yield role
    for r in stack.of_type(ROLE_POLICY, USER_POLICY, GROUP_POLICY):
        if r.urn not in covered and _grants_document(r):
            yield r
    for r in stack.of_type(POLICY):
        if r.urn in granting and r.urn not in covered:
            yield r
    for r in stack.of_type(*POLICY_ARN_PROPS):
        if r.urn not in covered and _attaches_bedrock_managed(r):
            yield r


def _targets_bedrock(integration: PolicyResource, uri_prop: str) -> bool:
    return _known(lambda: bool(BEDROCK_RUNTIME.search(str(integration.props.get(uri_prop) or ""))))


def bedrock_apis(stack: Stack) -> Iterator[PolicyResource]:
    """The APIs (or, for an API outside the stack, the integrations) that forward to a Bedrock runtime."""
    seen: set[str] = set()
    for integration in stack.of_type(*INTEGRATIONS):
        uri_prop, api_prop, api_type = INTEGRATIONS[integration.resource_type]
        if not _targets_bedrock(integration, uri_prop):
            continue
        api = target(integration, api_prop, stack.of_type(api_type), ("id",), known_only=True)
        found = api or integration
        if found.urn not in seen:
            seen.add(found.urn)
            yield found


def bedrock_assets(stack: Stack) -> list[tuple[PolicyResource, str]]:
    """(resource, asset kind) for the Bedrock-using identities and APIs of the stack."""
    return [(r, AI_IDENTITY) for r in bedrock_identities(stack)] + [
        (r, MODEL_API) for r in bedrock_apis(stack)
    ]
