"""Kubernetes API models: the OpenAPI schemas of ``kubernetes-validate`` for the supported Kubernetes
versions, and the CRD schemas of the operators the components use (vendored with provenance in
``data/crds``). Strict schemas: a field the API server does not know is an error, as ``kubectl
apply --validate=strict`` and server-side apply make it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import referencing
from kubernetes_validate.utils import schema_contents

from aiwarden.apimodel.spec import SECRET_SIG, UNKNOWN, Rejection

#: The Kubernetes minor versions the platform supports (EKS and GKE standard support, December 2026).
SUPPORTED_VERSIONS = ("1.32", "1.35")
_CRDS = resources.files("aiwarden.apimodel") / "data" / "crds"


def api_version(type_token: str) -> tuple[str, str]:
    """``kubernetes:apps/v1:Deployment`` -> (``apps/v1``, ``Deployment``); the core group is ``v1``."""
    _, group_version, kind = type_token.split(":", 2)
    return (group_version.removeprefix("core/"), kind)


@cache
def crd(group: str, kind: str) -> dict[str, Any] | None:
    """The vendored CRD of ``group``/``kind`` (versions served, schemas, provenance), if any."""
    path = _CRDS / f"{group}_{kind}.json"
    if not path.is_file():
        return None
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def covers(type_token: str) -> bool:
    """Whether a schema exists for the type (built-in kinds of the supported versions, or a vendored CRD)."""
    version, kind = api_version(type_token)
    return _is_builtin(version, kind) or crd(_group(version), kind) is not None


def _group(version: str) -> str:
    return version.split("/")[0] if "/" in version else ""


def _is_builtin(version: str, kind: str) -> bool:
    return any(_builtin(release, version, kind) is not None for release in SUPPORTED_VERSIONS)


def check(type_token: str, inputs: dict[str, Any]) -> Iterator[Rejection]:
    """What the API server of every supported version would refuse in the object ``inputs`` describe."""
    version, kind = api_version(type_token)
    document = {"apiVersion": version, "kind": kind, **_known(inputs)}
    group = _group(version)
    if not _is_builtin(version, kind):
        definition = crd(group, kind)
        if definition is None:
            return
        served = {v: d for v, d in definition["versions"].items() if d["served"]}
        wanted = version.split("/")[1]
        if wanted not in served:
            release = definition["provenance"]["release"]
            yield Rejection(
                "apiVersion",
                version,
                f"a served version of {kind} ({', '.join(f'{group}/{v}' for v in sorted(served))}; "
                f"{definition['provenance']['project']} {release})",
            )
            return
        yield from _errors(jsonschema.Draft202012Validator(served[wanted]["schema"]), document, "")
        return
    seen: set[str] = set()
    for release in SUPPORTED_VERSIONS:
        validator = _builtin(release, version, kind)
        if validator is None:
            yield Rejection("apiVersion", version, f"an apiVersion Kubernetes {release} serves for {kind}")
            continue
        for rejection in _errors(validator, document, f" (Kubernetes {release})"):
            if rejection.path not in seen:
                seen.add(rejection.path)
                yield rejection


def _errors(
    validator: jsonschema.protocols.Validator, document: dict[str, Any], where: str
) -> Iterator[Rejection]:
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = sorted((error.schema.get("properties") or {}).keys())
            for extra in sorted(set(error.instance) - set(known)):
                field = f"{path}.{extra}" if path else extra
                yield Rejection(
                    field,
                    _short(error.instance[extra]),
                    f"no field {extra!r} here{where}; known: " + ", ".join(known),
                )
            continue
        yield Rejection(path or "(object)", _short(error.instance), _accepts(error) + where)


def _accepts(error: jsonschema.ValidationError) -> str:
    if error.validator == "enum":
        return "one of " + ", ".join(map(str, error.validator_value))
    if error.validator == "required":
        return f"the required field(s) {', '.join(map(str, error.validator_value))}"
    if error.validator == "type":
        return f"a value of type {error.validator_value}"
    return f"{error.validator} {error.validator_value!r}"


def _short(value: Any) -> Any:
    text = json.dumps(value, sort_keys=True, default=str)
    return value if len(text) <= 120 else text[:117] + "..."


def _known(value: Any) -> Any:
    """Secrets unwrapped, unknowns dropped (preview: a value not known cannot be refused)."""
    if isinstance(value, dict):
        if SECRET_SIG in value:
            return _known(value.get("value"))
        return {k: _known(v) for k, v in value.items() if v != UNKNOWN}
    if isinstance(value, list):
        return [_known(v) for v in value if v != UNKNOWN]
    return value


@cache
def _builtin(release: str, version: str, kind: str) -> jsonschema.protocols.Validator | None:
    """kubernetes-validate's strict schema for ``kind`` at ``version`` in Kubernetes ``release``."""
    api = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", version)
    folder = f"kubernetes-json-schema/v{release}.0-local-strict"
    try:
        schema = schema_contents(f"{folder}/{kind.lower()}-{api}.json", release)
    except FileNotFoundError:
        return None
    definitions = _definitions(folder, release)
    registry: referencing.Registry[Any] = referencing.Resource.from_contents(schema) @ referencing.Registry()
    registry = definitions @ registry
    return jsonschema.Draft202012Validator(schema, registry=registry)


@cache
def _definitions(folder: str, release: str) -> referencing.Resource[Any]:
    return referencing.Resource.from_contents(schema_contents(f"{folder}/_definitions.json", release))
