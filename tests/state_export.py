"""A ``pulumi stack export`` file of a captured program, as the Pulumi CLI writes it after ``pulumi up``.

Pulumi's deployment schema, version 3: ``{"version": 3, "deployment": {"manifest": ..., "secrets_providers":
..., "resources": [...]}}``; each resource with ``urn``, ``custom``, ``id`` (custom resources), ``type``,
``inputs``, ``outputs``, ``parent`` (all but the stack), ``provider``, ``dependencies``; the stack outputs are
the ``outputs`` of the ``pulumi:pulumi:Stack`` resource; a secret is exported as ciphertext unless
``show_secrets`` (``--show-secrets``: ``plaintext``, the JSON text of the value).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from aiwarden.capture.model import Capture
from aiwarden.capture.props import is_secret

SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"


def _exported(value: Any, show_secrets: bool) -> Any:
    if is_secret(value):
        inner = _exported(value.get("value"), show_secrets)
        if show_secrets:
            return {SECRET_SIG: SECRET_VALUE, "plaintext": json.dumps(inner)}
        return {
            SECRET_SIG: SECRET_VALUE,
            "ciphertext": "v1:" + base64.b64encode(json.dumps(inner).encode()).decode(),
        }
    if isinstance(value, dict):
        return {k: _exported(v, show_secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_exported(v, show_secrets) for v in value]
    return value


def stack_export(capture: Capture, show_secrets: bool = False) -> dict[str, Any]:
    resources = []
    for r in capture.resources:
        item: dict[str, Any] = {"urn": r.urn, "custom": r.custom, "type": r.type}
        if r.custom:
            item["id"] = r.id
        stack = r.type == "pulumi:pulumi:Stack"
        item["inputs"] = {} if stack else _exported(r.inputs, show_secrets)
        item["outputs"] = _exported(capture.outputs if stack else r.outputs, show_secrets)
        if r.parent:
            item["parent"] = r.parent
        if r.provider:
            item["provider"] = r.provider
        if r.dependencies:
            item["dependencies"] = r.dependencies
        if r.property_dependencies:
            item["propertyDependencies"] = r.property_dependencies
        item["created"] = item["modified"] = "2026-01-01T00:00:00.000000Z"
        resources.append(item)
    return {
        "version": 3,
        "deployment": {
            "manifest": {"time": "2026-01-01T00:00:00.000000Z", "magic": "0" * 64, "version": "v3.190.0"},
            "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:offline"}},
            "resources": resources,
        },
    }


def write_export(capture: Capture, path: Path, show_secrets: bool = False) -> Path:
    path.write_text(json.dumps(stack_export(capture, show_secrets), indent=4), encoding="utf-8")
    return path
