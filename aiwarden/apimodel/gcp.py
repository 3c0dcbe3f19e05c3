"""Google API models: the discovery documents that ship in google-api-python-client (enums, types, ranges)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from aiwarden.apimodel.spec import Spec

_KINDS = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


@cache
def document(api: str) -> dict[str, Any]:
    """The discovery document ``api`` (``sqladmin.v1``) as shipped in google-api-python-client."""
    path = resources.files("googleapiclient") / "discovery_cache" / "documents" / f"{api}.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def members(api: str, schema: str) -> list[str]:
    """The property names of a schema, in document order."""
    return list(document(api)["schemas"][schema].get("properties", {}))


def spec(api: str, path: str) -> Spec:
    """The Spec at ``Schema.property.property...`` of a discovery document."""
    schema_name, *steps = path.split(".")
    node: dict[str, Any] = document(api)["schemas"][schema_name]
    for step in steps:
        node = _resolve(api, node)["properties"][step]
    return _node(api, node)


def _resolve(api: str, node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = document(api)["schemas"][node["$ref"]]
    return node


@cache
def _named(api: str, name: str) -> Spec:
    return _convert(api, document(api)["schemas"][name])


def _node(api: str, node: dict[str, Any]) -> Spec:
    return _named(api, node["$ref"]) if "$ref" in node else _convert(api, node)


def _lazy(api: str, node: dict[str, Any]) -> Callable[[], Spec]:
    return lambda: _node(api, node)


def _number(text: Any) -> float | None:
    try:
        return float(text) if text is not None else None
    except (TypeError, ValueError):
        return None


def _convert(api: str, node: dict[str, Any]) -> Spec:
    kind = node.get("type", "any")
    # int64/uint64/fixed64 travel as JSON strings in Google APIs; Pulumi gives them as numbers or strings.
    if kind == "string" and node.get("format") in ("int64", "uint64"):
        return Spec(kind="any")
    if kind == "object" and "properties" in node:
        return Spec(kind="structure", members={k: _lazy(api, v) for k, v in node["properties"].items()})
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return Spec(kind="map", item=_lazy(api, node["additionalProperties"]))
    if kind == "array" and "items" in node:
        return Spec(kind="list", item=_lazy(api, node["items"]))
    return Spec(
        kind=_KINDS.get(kind, "any"),
        enum=tuple(node.get("enum", ())),
        pattern=node.get("pattern", ""),
        minimum=_number(node.get("minimum")),
        maximum=_number(node.get("maximum")),
    )
