"""SEC-3: IAM identity policies grant secret reads on named secrets, never on every secret.

Documents read: ``policy`` of ``aws:iam/policy:Policy``, ``aws:iam/rolePolicy:RolePolicy``,
``aws:iam/userPolicy:UserPolicy``, ``aws:iam/groupPolicy:GroupPolicy`` and each
``inlinePolicies[].policy`` of ``aws:iam/role:Role``. An Allow statement whose actions cover
``secretsmanager:GetSecretValue`` (the action itself, ``secretsmanager:Get*``, ``secretsmanager:*``,
``*``, or NotAction) is a violation when a resource is ``*``, a Secrets Manager ARN with a wildcard
secret name (``...:secret:*``), a wildcard service, or when the statement has no ``Resource``
(NotResource allows every other secret) — unless a condition scopes it to tagged or named secrets
(``secretsmanager:ResourceTag/<key>``, ``aws:ResourceTag/<key>``, ``secretsmanager:SecretId``) or the
same document denies the read on ``*`` without condition (``Allow *`` + ``Deny secretsmanager:*``).
A named prefix (``...:secret:prod/inference/*``) is a scope, not a wildcard.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from aiwarden_policies.contract import iam
from aiwarden_policies.framework import Resource, Spec, resource_policy

READ = "secretsmanager:GetSecretValue"
POLICY_DOCUMENT_TYPES = (
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
)
ROLE = "aws:iam/role:Role"
_SCOPING_CONDITION_PREFIXES = ("secretsmanager:resourcetag/", "aws:resourcetag/", "secretsmanager:secretid")

SPEC = Spec(
    control="SEC-3",
    name="sec-3-iam-secret-read-not-wildcard",
    description=(
        'IAM policies allow secretsmanager:GetSecretValue only on named secrets: not on Resource "*", a '
        "wildcard secret ARN (...:secret:*) or NotResource, unless a resource-tag or secret-id condition "
        "scopes it."
    ),
    remediation_steps=(
        "Grant `secretsmanager:GetSecretValue` (and `kms:Decrypt` on the secret's key) on the ARNs of the "
        "secrets the workload needs, e.g. `Resource: [secret.arn]` or a named prefix "
        "`arn:aws:secretsmanager:<region>:<account>:secret:<app>/*`, in a policy attached to that workload's "
        "role only; or scope a wildcard with `secretsmanager:ResourceTag/<key>` (ABAC)."
    ),
    resource_types=(*POLICY_DOCUMENT_TYPES, ROLE),
)


def wildcard_secret_resource(resource: str) -> bool:
    """``*``, or a Secrets Manager ARN (or any-service ARN) whose secret name is a wildcard."""
    if resource == "*":
        return True
    parts = resource.split(":", 6)
    if len(parts) < 6 or parts[0] != "arn":
        return False
    service = parts[2]
    if service != "secretsmanager" and "*" not in service and "?" not in service:
        return False
    if len(parts) == 6:  # "arn:aws:secretsmanager:region:account:*"
        return "*" in parts[5] or "?" in parts[5]
    return parts[5] != "secret" or not parts[6] or parts[6][0] in "*?"


def _scoped(st: iam.Statement) -> bool:
    keys = (
        k.lower() for variables in st.conditions.values() if isinstance(variables, Mapping) for k in variables
    )
    return any(k.startswith(_SCOPING_CONDITION_PREFIXES) for k in keys)


def _documents(r: Resource) -> Iterator[tuple[str, Any]]:
    if r.type != ROLE:
        yield "policy", r.get("policy")
        return
    for i, inline in enumerate(r.get("inlinePolicies") or []):
        if isinstance(inline, Mapping):
            yield f"inlinePolicies[{inline.get('name') or i}].policy", inline.get("policy")


def _denied_everywhere(document: Any) -> bool:
    """An unconditional Deny of the read on every resource in the same document cancels the Allows."""
    return any(
        st.effect == "Deny" and st.actions and st.grants(READ) and st.wildcard_resource and not st.conditions
        for st in iam.statements(document)
    )


def problems(document: Any) -> Iterator[str]:
    """One line per Allow statement that lets its holder read every (or any unnamed) secret."""
    if _denied_everywhere(document):
        return
    for i, st in enumerate(iam.allow_statements(document)):
        if not st.grants(READ) or _scoped(st):
            continue
        if not st.resources:
            wide = ["NotResource (every other secret)"]
        else:
            wide = [res for res in st.resources if wildcard_secret_resource(res)]
        if wide:
            yield f"statement {st.sid or i} allows {st.action_text} on {', '.join(wide)}"


@resource_policy(SPEC)
def sec_3_iam_secret_read_not_wildcard(r: Resource) -> Iterable[str]:
    for where, document in _documents(r):
        for problem in problems(document):
            yield (
                f"{r.type} {r.name!r}: {where} {problem}: {READ} on every secret; grant it on named secret ARNs."
            )
