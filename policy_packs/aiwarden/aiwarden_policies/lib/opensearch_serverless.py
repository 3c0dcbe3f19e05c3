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
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import Any

from aiwarden_policies.lib.values import strings

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


def policies_of_type(resources_: Iterable[Any], type_: str) -> list[Any]:
    """Security policies (PolicyResource objects) of one ``type`` (network / encryption)."""
    return [p for p in resources_ if p.resource_type == SECURITY_POLICY and p.props.get("type") == type_]


def customer_managed(config: Mapping[str, Any], owned_key: str, key_arn: str) -> bool:
    """An encryption setting uses a customer-managed key: not AWS-owned and a key ARN is named."""
    return config.get(owned_key) is not True and bool(config.get(key_arn))
