"""AWS API models: the service models that ship in botocore (enums, patterns, lengths, ranges)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from botocore.loaders import Loader
from botocore.model import ServiceModel

from aiwarden.apimodel.spec import Spec

_KINDS = {
    "string": "string",
    "integer": "integer",
    "long": "integer",
    "float": "number",
    "double": "number",
    "boolean": "boolean",
    "structure": "structure",
    "list": "list",
    "map": "map",
}


@cache
def _loader() -> Loader:
    return Loader()


@cache
def service(name: str) -> ServiceModel:
    """The botocore service model ``name`` (e.g. ``logs``, ``opensearchserverless``)."""
    return ServiceModel(_loader().load_service_model(name, "service-2"), name)


def members(service_name: str, shape: str) -> list[str]:
    """The member names of a structure shape, in model order ([] for a shape that is not a structure)."""
    return list(getattr(service(service_name).shape_for(shape), "members", {}))


def spec(service_name: str, path: str) -> Spec:
    """The Spec at ``Shape.member.member...`` of a service (``PutRetentionPolicyRequest.retentionInDays``)."""
    shape_name, *steps = path.split(".")
    for step in steps:
        shape_name = service(service_name).shape_for(shape_name).members[step].name
    return _spec(service_name, shape_name)


@cache
def _spec(service_name: str, shape_name: str) -> Spec:
    shape = service(service_name).shape_for(shape_name)
    meta = shape.metadata
    kind = _KINDS.get(shape.type_name, "any")
    found = Spec(
        kind=kind,
        enum=tuple(getattr(shape, "enum", None) or ()),
        pattern=meta.get("pattern", ""),
        minimum=meta.get("min"),
        maximum=meta.get("max"),
    )
    if kind == "structure":
        found.members = {name: _lazy(service_name, member.name) for name, member in shape.members.items()}
    elif kind == "list":
        found.item = _lazy(service_name, shape.member.name)
    elif kind == "map":
        found.item = _lazy(service_name, shape.value.name)
    return found


def _lazy(service_name: str, shape_name: str) -> Callable[[], Spec]:
    return lambda: _spec(service_name, shape_name)
