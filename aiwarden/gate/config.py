"""Policy pack configuration, reconciled and validated as the engine does before ``Configure``.

The file is Pulumi's ``--policy-pack-config`` format: a JSON (or YAML) object keyed by policy
name (or ``all``) whose values are an enforcement level or an object with an optional
``enforcementLevel`` and the policy's properties. Order: the policy's own level, the pack's
``initialConfig``, ``all``, then the named policy. Properties get the schema's defaults and
are validated against the policy's ``configSchema``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2

from aiwarden.errors import AiwardenError

LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "remediate": analyzer_pb2.REMEDIATE,
    "disabled": analyzer_pb2.DISABLED,
}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}


@dataclass
class PolicySettings:
    level: str
    properties: dict[str, Any] = field(default_factory=dict)


def load_config_file(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    if not path.exists():
        raise AiwardenError(f"--policy-pack-config {path}: no such file")
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise AiwardenError(f"--policy-pack-config {path}: malformed ({str(exc).splitlines()[0]})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise AiwardenError(f"--policy-pack-config {path}: expected an object keyed by policy name")
    return data


def _split(policy: str, value: Any) -> tuple[str | None, dict[str, Any]]:
    if isinstance(value, str):
        if value not in LEVELS:
            raise AiwardenError(
                f"policy config {policy!r}: enforcement level {value!r} is not one of {', '.join(LEVELS)}"
            )
        return value, {}
    if isinstance(value, dict):
        props = {k: v for k, v in value.items() if k != "enforcementLevel"}
        level = value.get("enforcementLevel")
        if level is not None:
            _split(policy, level)
        return level, props
    raise AiwardenError(
        f"policy config {policy!r}: expected an enforcement level or an object, got {value!r}"
    )


def _defaults(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v["default"]
        for k, v in (schema.get("properties") or {}).items()
        if isinstance(v, dict) and "default" in v
    }


def reconcile(info: analyzer_pb2.AnalyzerInfo, user: dict[str, Any]) -> dict[str, PolicySettings]:
    policies = {p.name: p for p in info.policies}
    unknown = sorted(set(user) - set(policies) - {"all"})
    if unknown:
        raise AiwardenError(
            f"policy config names {', '.join(repr(u) for u in unknown)}, not a policy of pack {info.name}; "
            "check the spelling against `aiwarden policies`"
        )
    settings: dict[str, PolicySettings] = {}
    initial = {
        k: json_format.MessageToDict(v, preserving_proto_field_name=True)
        for k, v in info.initialConfig.items()
    }
    for name, policy in policies.items():
        schema = json_format.MessageToDict(policy.configSchema) if policy.HasField("configSchema") else {}
        level = LEVEL_NAMES[policy.enforcementLevel]
        props = _defaults(schema)
        for source in (initial.get("all"), initial.get(name)):
            if source:
                if source.get("enforcementLevel") is not None:
                    level = str(source["enforcementLevel"]).lower()
                props.update(source.get("properties") or {})
        for key in ("all", name):
            if key in user:
                new_level, new_props = _split(key, user[key])
                level = new_level or level
                if key == name:
                    props.update(new_props)
        if schema.get("properties"):
            full = {"type": "object", **schema}
            full.setdefault("additionalProperties", False)
            # ``jsonschema.validate`` would check the schema against its metaschema first: ~2 ms a policy.
            validator = jsonschema.validators.validator_for(full)(full)
            error = jsonschema.exceptions.best_match(validator.iter_errors(props))
            if error is not None:
                where = ".".join(str(p) for p in error.absolute_path) or "(config)"
                raise AiwardenError(f"policy config for {name!r} is invalid at {where}: {error.message}")
        elif props:
            raise AiwardenError(f"policy {name!r} takes no configuration properties, got {sorted(props)}")
        settings[name] = PolicySettings(level=level, properties=props)
    return settings


def configure_request(settings: dict[str, PolicySettings]) -> analyzer_pb2.ConfigureAnalyzerRequest:
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, s in settings.items():
        config = analyzer_pb2.PolicyConfig(enforcementLevel=LEVELS[s.level])
        if s.properties:
            config.properties.update(s.properties)
        request.policyConfig[name].CopyFrom(config)
    return request
