"""IAM / resource policy documents: the mandatory statements components share, and the user's extra ones.

User statements are plain JSON (IAM grammar, PascalCase keys) and are appended after the mandatory
statements, never replacing them. Their shape is checked here, before anything registers; whether
a statement is public is decided by the policy pack's own reading of documents
(``aiwarden_policies.contract.iam``), so components and policies agree.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from aiwarden_policies.contract import iam
from components._common.json_document import json_document
from components.aws._where import Where

VERSION = "2012-10-17"
_KEYS = frozenset(
    {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "Condition"}
)
_PRINCIPAL_KINDS = frozenset({"AWS", "Service", "Federated", "CanonicalUser"})

Statement = dict[str, Any]


def document(statements: Sequence[Mapping[str, Any]]) -> pulumi.Output[str]:
    """A policy document as a JSON string; statements may hold Outputs (ARNs of other resources)."""
    return json_document({"Version": VERSION, "Statement": [dict(s) for s in statements]})


def deny_insecure_transport(resources: list[Any], service_prefix: str) -> Statement:
    """Deny every request that does not use TLS (DATA-4), to every principal."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": f"{service_prefix}:*",
        "Resource": resources,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def logs_may_use_key(sid: str, place: Where, log_group_arns: str | list[str]) -> Statement:
    """Key policy: CloudWatch Logs of ``place``'s region may use the key for these log groups and nothing else
    (``kms:EncryptionContext:aws:logs:arn``). ``log_group_arns`` lands as given (one ARN or a list); ARN patterns
    (``*``, ``?``: API Gateway's execution log group is named after the API id) are compared with ``ArnLike``.
    """
    arns = [log_group_arns] if isinstance(log_group_arns, str) else log_group_arns
    operator = "ArnLike" if any("*" in a or "?" in a for a in arns) else "ArnEquals"
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": place.logs_principal()},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*",
        "Condition": {operator: {"kms:EncryptionContext:aws:logs:arn": log_group_arns}},
    }


def _strings(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value)
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def _shape_error(statement: Any) -> str | None:
    """What is wrong with one statement's shape, or None."""
    if not isinstance(statement, dict) or not all(isinstance(k, str) for k in statement):
        return "must be a JSON object with IAM keys (Effect, Action, Resource, Principal, Condition)"
    unknown = sorted(set(statement) - _KEYS)
    if "NotPrincipal" in statement:
        return (
            "NotPrincipal is refused (it grants everyone else); use a Deny with an aws:PrincipalArn condition"
        )
    if unknown:
        return f"unknown keys {unknown}; use {sorted(_KEYS)}"
    if statement.get("Effect") not in ("Allow", "Deny"):
        return "Effect must be 'Allow' or 'Deny'"
    if ("Action" in statement) == ("NotAction" in statement):
        return "give exactly one of Action or NotAction"
    for key in ("Action", "NotAction", "Resource", "NotResource"):
        if key in statement and not _strings(statement[key]):
            return f"{key} must be a non-empty string or list of non-empty strings"
    principal = statement.get("Principal")
    if (
        principal is not None
        and principal != "*"
        and not (
            isinstance(principal, dict)
            and principal
            and all(k in _PRINCIPAL_KINDS and _strings(ids) for k, ids in principal.items())
        )
    ):
        return "Principal must be '*' or an object like {'AWS': ['arn:aws:iam::123456789012:role/x']}"
    condition = statement.get("Condition")
    if condition is not None and not (
        isinstance(condition, dict)
        and all(isinstance(k, str) and isinstance(c, dict) for k, c in condition.items())
    ):
        return (
            "Condition must map operators to objects, e.g. {'StringEquals': {'aws:SourceVpce': 'vpce-...'}}"
        )
    if statement["Effect"] == "Allow" and "NotAction" in statement:
        return "Allow with NotAction grants every other action; list the actions instead"
    if statement["Effect"] == "Allow" and "*" in _list(statement.get("Action")):
        return "Allow of every action ('*') is refused; list the actions"
    try:
        json.dumps(statement)
    except (TypeError, ValueError):
        return "must hold JSON values only (strings, numbers, booleans, lists, objects)"
    return None


def _list(value: Any) -> list[Any]:
    return [value] if isinstance(value, str) else list(value or [])


def check_statements(field: str, statements: tuple[Any, ...]) -> tuple[Statement, ...]:
    """Refuse malformed user statements, naming ``field[i]`` and the fix."""
    for i, statement in enumerate(statements):
        error = _shape_error(statement)
        if error is not None:
            raise ValueError(f"{field}[{i}]: {error}")
    return statements


def wildcard_allows(statements: Sequence[Statement], conditions_narrow: bool = True) -> list[int]:
    """Indexes of statements that allow a wildcard principal (public), unless a condition narrows it.

    With ``conditions_narrow=False`` every wildcard Allow counts (secrets and keys take named principals only).
    """
    found = []
    for i, raw in enumerate(statements):
        if any(
            s.allows and s.wildcard_principal and not (conditions_narrow and iam.restricting_condition(s))
            for s in iam.statements({"Statement": [raw]})
        ):
            found.append(i)
    return found
