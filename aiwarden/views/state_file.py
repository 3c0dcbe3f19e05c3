"""Read a ``pulumi stack export`` file into a ``StackView``; refuse anything else with one clear line.

The format (Pulumi's "deployment" schema, versions 3 and 4, which share the V3 shape):
``{"version": 3, "deployment": {"manifest": {...}, "secrets_providers": {...}, "resources": [...],
"pending_operations": [...]}}``. Each resource has ``urn``, ``type``, ``custom``, ``id``, ``parent``,
``inputs`` and ``outputs``; the stack outputs are the ``outputs`` of the ``pulumi:pulumi:Stack`` resource.
A secret is ``{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": ...}``,
or ``"plaintext": <JSON text>`` with ``--show-secrets``. A stack with no resources is exported without the
``resources`` key (Pulumi omits empty lists).

Refused (``AiwardenError``, exit 2): an empty file, a truncated one (JSON that ends early), one that is
not JSON, JSON that is not an export (with a hint when it is an ``aiwarden preview`` capture or a
``pulumi stack output --json``), an unknown version, and an export that holds no resources.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aiwarden.errors import AiwardenError
from aiwarden.views.stack import STACK_TYPE, Resource, StackView

VERSIONS = (3, 4)
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"
#: What a secret exported without ``--show-secrets`` reads as.
REDACTED = "[secret]"
EXPORT_HINT = "export it with `pulumi stack export --file state.json`"


def _fail(path: Path, problem: str) -> AiwardenError:
    return AiwardenError(f"state file {path}: {problem}")


def _decode(value: Any) -> Any:
    """Secrets unwrapped (plaintext) or redacted (ciphertext); everything else as is."""
    if isinstance(value, dict):
        if value.get(SECRET_SIG) == SECRET_VALUE:
            if "plaintext" in value:
                try:
                    return _decode(json.loads(value["plaintext"]))
                except (TypeError, json.JSONDecodeError):
                    return REDACTED
            return REDACTED
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _parse(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise _fail(path, f"is a folder; {EXPORT_HINT}") from None
    except FileNotFoundError:
        raise _fail(path, f"does not exist; {EXPORT_HINT}") from None
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror})") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(path, f"is not a text file, so not a Pulumi state export; {EXPORT_HINT}") from None
    if not content.strip():
        raise _fail(path, f"is empty; {EXPORT_HINT}")
    try:
        return json.loads(content)
    except json.JSONDecodeError as exc:
        body = content.rstrip()
        ends_early = exc.pos >= len(body) - 1 or exc.msg.startswith("Unterminated string")
        if body[:1] in "{[" and ends_early:
            raise _fail(
                path,
                f"is truncated: the JSON ends before it is complete (line {exc.lineno}, column {exc.colno}); "
                f"export it again with `pulumi stack export --file {path.name}`",
            ) from None
        raise _fail(
            path,
            f"is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}), so not a Pulumi state export; "
            f"{EXPORT_HINT}",
        ) from None


def _foreign(path: Path, data: Any) -> AiwardenError:
    if isinstance(data, Mapping):
        if {"project", "stack", "resources", "outputs"} <= set(data):
            return _fail(
                path,
                "is an `aiwarden preview` capture, not a Pulumi state export; pass the program folder instead of "
                f"--state, or {EXPORT_HINT}",
            )
        if "inventory" in data or "incidentResponse" in data:
            return _fail(
                path,
                "holds stack outputs only (`pulumi stack output --json`?); the views need the resources too: "
                f"{EXPORT_HINT}",
            )
        keys = ", ".join(sorted(map(str, data))[:6]) or "none"
        return _fail(
            path,
            f'is not a Pulumi state export (expected {{"version": 3, "deployment": {{...}}}}; its keys: {keys}); '
            f"{EXPORT_HINT}",
        )
    return _fail(
        path,
        f"is not a Pulumi state export (a JSON {type(data).__name__}, expected an object with version and "
        f"deployment); {EXPORT_HINT}",
    )


def _urn_parts(urn: str) -> tuple[str, str, str]:
    """(stack, project, name) of ``urn:pulumi:<stack>::<project>::<type>::<name>``."""
    parts = urn.split("::")
    if len(parts) < 4 or not parts[0].startswith("urn:pulumi:"):
        return "", "", ""
    return parts[0][len("urn:pulumi:") :], parts[1], "::".join(parts[3:])


def _resources(path: Path, raw: list[Any]) -> list[Resource]:
    found = []
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping) or not isinstance(item.get("urn"), str) or not item.get("type"):
            raise _fail(
                path,
                f"resource #{i + 1} has no urn or type, so the file is damaged or not a Pulumi export; {EXPORT_HINT}",
            )
        urn = str(item["urn"])
        outputs = item.get("outputs")
        props = outputs if isinstance(outputs, Mapping) and outputs else item.get("inputs")
        found.append(
            Resource(
                urn=urn,
                type=str(item["type"]),
                name=_urn_parts(urn)[2],
                custom=bool(item.get("custom")),
                parent=str(item.get("parent") or ""),
                id=str(item.get("id") or ""),
                props=_decode(dict(props)) if isinstance(props, Mapping) else {},
            )
        )
    return found


def load(path: Path) -> StackView:
    """The stack in a ``pulumi stack export`` file; ``AiwardenError`` naming the problem otherwise."""
    data = _parse(path)
    if not isinstance(data, Mapping) or "deployment" not in data or "version" not in data:
        raise _foreign(path, data)
    version = data.get("version")
    if version not in VERSIONS:
        raise _fail(
            path,
            f"is a Pulumi state export of version {version!r}; this reads versions "
            f"{' and '.join(map(str, VERSIONS))} (what `pulumi stack export` writes today)",
        )
    deployment = data.get("deployment")
    if not isinstance(deployment, Mapping):
        raise _fail(path, f"has no deployment object, so it is damaged or not a Pulumi export; {EXPORT_HINT}")
    raw = deployment.get("resources")
    if raw is None or raw == []:
        raise _fail(
            path,
            "holds no resources: the stack was never deployed, or was destroyed (an empty state); "
            "export the stack that runs the workloads",
        )
    if not isinstance(raw, list):
        raise _fail(path, f"deployment.resources is not a list, so the file is damaged; {EXPORT_HINT}")
    resources = _resources(path, raw)
    root = next((r for r in resources if r.type == STACK_TYPE), None)
    if root is None:
        raise _fail(
            path,
            "has no pulumi:pulumi:Stack resource, which holds the stack outputs; the file is damaged or "
            f"hand-edited: {EXPORT_HINT}",
        )
    stack, project, _ = _urn_parts(root.urn)
    notes = []
    pending = deployment.get("pending_operations")
    if isinstance(pending, list) and pending:
        notes.append(
            f"the export lists {len(pending)} pending operation(s): an update was interrupted, so resources may "
            "be missing or stale (`pulumi refresh`, then export again)"
        )
    manifest = deployment.get("manifest")
    when = manifest.get("time") if isinstance(manifest, Mapping) else None
    return StackView(
        project=project,
        stack=stack,
        source=f"state file {path}" + (f" (deployment of {when})" if isinstance(when, str) and when else ""),
        synthetic=False,
        resources=resources,
        outputs=dict(root.props),
        notes=notes,
    )
