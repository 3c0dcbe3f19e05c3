"""Plausible values for the output properties a resource type declares, as a provider would return them.

Update mode must give a program every output it can read (an API Gateway ``Stage``'s ``invokeUrl``,
an EKS cluster's ``endpoint`` and ``identities[0].oidcs[0].issuer``), or programs that use them fail
offline while they would run on a real ``pulumi up``. The declared outputs are read from the
provider SDK's own resource class (the one the program constructed): its ``@pulumi.getter``
properties are the outputs, its constructor parameters the inputs. Only **output-only** properties
are synthesized: an input the program did not set stays absent, because its real value is the cloud's
default and policies decide what an absent input means.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import inspect
import sys
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pulumi

_MAX_DEPTH = 3
#: Output-only maps that are the provider's copy of an input map (provider default tags/labels merged in).
MIRRORS = {
    "tagsAll": "tags",
    "effectiveLabels": "labels",
    "pulumiLabels": "labels",
    "terraformLabels": "labels",
}


@dataclass(frozen=True)
class Context:
    """What a value may be derived from: the resource's type token, logical and physical name, cloud place."""

    type: str
    name: str
    physical: str
    region: str
    account: str
    project: str
    #: A stage name, for URLs that end with one (API Gateway ``invokeUrl``).
    stage: str = ""

    @property
    def package(self) -> str:
        return self.type.split(":", 1)[0]

    @property
    def service(self) -> str:
        return self.type.split(":")[1].split("/")[0].lower() if ":" in self.type else "resource"

    def digest(self, salt: str, size: int = 10) -> str:
        return hashlib.sha256(f"{self.type}|{self.name}|{salt}".encode()).hexdigest()[:size]


def _classes() -> dict[str, type]:
    found: dict[str, type] = {}
    pending: list[type] = [pulumi.CustomResource]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        token = cls.__dict__.get("pulumi_type")
        if isinstance(token, str):
            found.setdefault(token, cls)
    return found


_CLASSES: dict[str, type | None] = {}


def resource_class(type_token: str) -> type | None:
    """The SDK class registered for ``type_token`` (loaded by the program that registered it). The class
    table is rebuilt once per token not seen yet; a token with no class is remembered as such."""
    if type_token not in _CLASSES:
        _CLASSES.update(_classes())
        _CLASSES.setdefault(type_token, None)
    return _CLASSES[type_token]


def _getters(cls: type) -> list[tuple[str, str, Any]]:
    """(python name, wire name, annotation) of every ``@pulumi.getter`` property of ``cls``."""
    out = []
    for attr, value in vars(cls).items():
        if isinstance(value, property) and value.fget is not None:
            wire = getattr(value.fget, "_pulumi_name", None)
            if wire:
                out.append((attr, wire, value.fget.__annotations__.get("return")))
    return out


@cache
def output_only(cls: type) -> tuple[tuple[str, Any], ...]:
    """(wire name, annotation) of the outputs of a resource class that are not inputs of its constructor."""
    init = getattr(cls, "_internal_init", None)
    inputs = set(inspect.signature(init).parameters) if init is not None else set()
    return tuple((wire, ann) for attr, wire, ann in _getters(cls) if attr not in inputs and wire != "id")


def _unwrap(annotation: Any) -> Any:
    """Strip ``Output[...]``, ``Optional[...]`` / unions with None."""
    while True:
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin is pulumi.Output or (origin is typing.Union and len(args) == 1):
            annotation = args[0]
        else:
            return annotation


def _resolve(ref: Any, module: str) -> Any:
    """A forward reference (``'outputs.ClusterIdentity'``) resolved in the package of ``module``."""
    name = ref.__forward_arg__ if isinstance(ref, typing.ForwardRef) else ref
    if not isinstance(name, str):
        return ref
    owner, _, cls_name = name.rpartition(".")
    package = module.rsplit(".", 1)[0]
    try:
        target = importlib.import_module(f"{package}.{owner}") if owner else sys.modules[module]
    except ImportError:
        return None
    return getattr(target, cls_name, None)


def _string(wire: str, ctx: Context) -> str:
    lower = wire.lower()
    host = f"{ctx.physical}-{ctx.digest(wire, 6)}"
    if ctx.package == "aws":
        if lower.endswith("arn"):
            return (
                f"arn:aws:{ctx.service}:{ctx.region}:{ctx.account}:{wire[:-3] or 'resource'}/{ctx.physical}"
            )
        if lower == "invokeurl":
            return f"https://{ctx.digest('api')}.execute-api.{ctx.region}.amazonaws.com/{ctx.stage or ctx.physical}"
        if lower == "issuer":
            return f"https://oidc.{ctx.service}.{ctx.region}.amazonaws.com/id/{ctx.digest(wire, 32).upper()}"
        if lower.endswith(("url", "uri", "endpoint")) or lower in ("dnsname", "hostname", "domainname"):
            return f"https://{host}.{ctx.service}.{ctx.region}.amazonaws.com"
        if lower in ("ownerid", "accountid"):
            return ctx.account
    if ctx.package == "gcp":
        if lower in ("email", "serviceaccountemail"):
            return f"{ctx.physical[:30]}@{ctx.project}.iam.gserviceaccount.com"
        if lower.endswith(("url", "uri", "link")):
            return f"https://{host}.{ctx.region}.googleapis.com"
        if lower == "endpoint":
            return "10.0.0.2"
    if lower.endswith(("url", "uri")):
        return f"https://{host}.example.internal"
    if lower.endswith("endpoint") or lower.endswith(("hostname", "dnsname")):
        return f"{host}.internal"
    if lower.endswith(("cidr", "cidrblock")):
        return "10.96.0.0/20"
    if lower.endswith("version"):
        return "1.0.0"
    if lower.endswith(("ip", "ipaddress", "address")):
        return "10.0.0.10"
    if lower.endswith(("time", "date", "timestamp")) or lower.startswith(("create", "update")):
        return "2026-01-01T00:00:00Z"
    if lower == "data":
        return base64.b64encode(f"offline {ctx.type} {ctx.name}".encode()).decode()
    if lower in ("status", "state"):
        return "ACTIVE"
    if lower.endswith("name"):
        return ctx.physical
    if lower.endswith("securitygroupid"):
        return f"sg-{ctx.digest(wire, 17)}"
    if lower == "vpcid":
        return f"vpc-{ctx.digest(wire, 17)}"
    if lower.endswith("id"):
        return f"{wire[:-2].lower() or 'id'}-{ctx.digest(wire, 17)}"
    return f"{ctx.physical}-{ctx.digest(wire)}"


def value_for(annotation: Any, wire: str, ctx: Context, module: str, depth: int = 0) -> Any:
    """A plausible value of the declared type: strings shaped by name, objects of output types filled in."""
    annotation = _resolve(_unwrap(annotation), module)
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if annotation is str:
        return _string(wire, ctx)
    if annotation is bool:
        return False
    if annotation in (int, float):
        return 1
    if origin in (Sequence, list, typing.Sequence) or annotation in (list,):
        (item,) = typing.get_args(annotation) or (str,)
        item = _unwrap(_resolve(_unwrap(item), module))
        if isinstance(item, type) and item not in (str, int, float, bool) and depth < _MAX_DEPTH:
            return [_object(item, ctx, depth + 1)]
        return []
    if origin in (Mapping, dict, typing.Mapping) or annotation is dict:
        return {}
    if isinstance(annotation, type) and depth < _MAX_DEPTH:
        return _object(annotation, ctx, depth + 1)
    return None


def _object(cls: type, ctx: Context, depth: int) -> dict[str, Any]:
    return {
        wire: value
        for _, wire, ann in _getters(cls)
        if (value := value_for(ann, wire, ctx, cls.__module__, depth)) is not None
    }


#: Output-only fields nested in an input object, which the SDK's input types cannot tell apart from inputs
#: (``ClusterVpcConfigArgs`` takes ``cluster_security_group_id`` although EKS creates it): type -> dotted paths.
NESTED_OUTPUTS: dict[str, tuple[str, ...]] = {
    "aws:eks/cluster:Cluster": ("vpcConfig.clusterSecurityGroupId", "vpcConfig.vpcId"),
}


def _fill_nested(state: dict[str, Any], ctx: Context) -> None:
    for path in NESTED_OUTPUTS.get(ctx.type, ()):
        *parents, leaf = path.split(".")
        node: Any = state
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and node.get(leaf) in (None, ""):
            node[leaf] = _string(leaf, ctx)


def fill_outputs(state: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """``state`` with every declared output-only property it lacks given a plausible value."""
    cls = resource_class(ctx.type)
    if cls is None:
        return state
    _fill_nested(state, ctx)
    for wire, annotation in output_only(cls):
        if wire in state:
            continue
        if wire in MIRRORS:
            state[wire] = dict(state.get(MIRRORS[wire]) or {})
            continue
        value = value_for(annotation, wire, ctx, cls.__module__)
        if value is not None:
            state[wire] = value
    return state
