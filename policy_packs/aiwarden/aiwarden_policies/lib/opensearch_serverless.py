"""OpenSearch Serverless policy documents (VEC-1): security (network / encryption) and data access.

Shapes from the pulumi-aws docstrings and the AWS developer guide: a network policy is a JSON list
of ``{"Rules": [{"ResourceType": "collection" | "dashboard", "Resource": ["collection/<name>"]}],
"AllowFromPublic": bool, "SourceVPCEs": [...]}``; an encryption policy is one object ``{"Rules":
[...], "AWSOwnedKey": bool, "KmsARN": "..."}``; a data access policy is a JSON list of ``{"Rules":
[{"ResourceType": "index" | "collection", "Resource": ["index/<collection>/<index>"], "Permission":
["aoss:..."]}], "Principal": ["arn:aws:iam::<account>:role/..."]}``. Resource names may end in or
contain ``*``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from aiwarden_policies.contract.values import strings
from aiwarden_policies.framework import Readings, Stack

COLLECTION = "aws:opensearch/serverlessCollection:ServerlessCollection"
SECURITY_POLICY = "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy"
ACCESS_POLICY = "aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy"


def documents(policy: Any) -> list[Mapping[str, Any]]:
    """The policy objects of a ``policy`` input (a JSON list or a single JSON object)."""
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except json.JSONDecodeError:
            return []
    if isinstance(policy, Mapping):
        return [policy]
    return [d for d in policy or [] if isinstance(d, Mapping)]


def resources(document: Mapping[str, Any], resource_type: str | None = None) -> list[str]:
    """The ``Resource`` patterns of a document's rules (optionally of one ``ResourceType``)."""
    return [
        pattern
        for rule in document.get("Rules") or []
        if resource_type is None or rule.get("ResourceType") == resource_type
        for pattern in strings(rule.get("Resource"))
    ]


def covers(document: Mapping[str, Any], collection_name: str) -> bool:
    """Whether a security policy document has a collection rule matching ``collection/<name>``."""
    return any(fnmatchcase(f"collection/{collection_name}", p) for p in resources(document, "collection"))


def security_documents(stack: Stack, type_: str) -> Readings[list[Mapping[str, Any]]]:
    """The documents of each security policy of the stack of one ``type`` (network / encryption); another
    type reads as none. A policy whose type or document is unknown at preview is in ``unknown``: it may
    match any collection."""

    def read(policy: Any) -> list[Mapping[str, Any]]:
        return documents(policy.props.get("policy")) if policy.props.get("type") == type_ else []

    return Readings(stack.of_type(SECURITY_POLICY), read)


def matching(
    policies: Readings[list[Mapping[str, Any]]], collection_name: str
) -> list[tuple[Any, Mapping[str, Any]]]:
    """(policy, document) of the known documents that match ``collection/<name>``."""
    return [(p, d) for p, found in policies.known for d in found if covers(d, collection_name)]


def customer_managed(config: Mapping[str, Any], owned_key: str, key_arn: str) -> bool:
    """An encryption setting uses a customer-managed key: not AWS-owned and a key ARN is named."""
    return config.get(owned_key) is not True and bool(config.get(key_arn))
