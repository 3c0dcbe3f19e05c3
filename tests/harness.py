"""Test harness: capture real programs under mocks, evaluate packs over the analyzer protocol.

Captures are cached per (program, config, mode) for the session; packs are started once per
environment (the pack reads the stack environment at start, as under the engine) and are
reconfigured per call, exactly as the engine's Configure does.
"""

from __future__ import annotations

import copy
import hashlib
import json
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from aiwarden.capture.model import Capture, Registration
from aiwarden.capture.preview import preview
from aiwarden.capture.props import UNKNOWN as UNKNOWN  # re-exported: the value ``set_input`` gives an unknown
from aiwarden.findings import Report
from aiwarden.gate import evaluate
from aiwarden.gate.engine import ENGINE_ADDRESS, default_pack_dir, pack_environment
from aiwarden.gate.pack_process import PackProcess, load_manifest

PROJECT = "test"
PACK_DIR = default_pack_dir()
_ROOT = Path(tempfile.mkdtemp(prefix="aiwarden-tests-"))
_CAPTURES: dict[str, Capture] = {}
_PACKS: dict[str, PackProcess] = {}


def write_program(
    code: str, config: dict[str, Any] | None = None, stack: str = "test", directory: Path | None = None
) -> Path:
    """A Pulumi project with ``code`` as ``__main__.py`` and ``config`` as its stack config."""
    body = textwrap.dedent(code)
    key = hashlib.sha256(json.dumps([body, config, stack], sort_keys=True).encode()).hexdigest()[:16]
    target = directory or (_ROOT / key)
    target.mkdir(parents=True, exist_ok=True)
    (target / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\n", encoding="utf-8")
    stack_config = {
        "config": {"aws:region": "us-east-1", "gcp:project": "aiwarden-offline", **(config or {})}
    }
    (target / f"Pulumi.{stack}.yaml").write_text(json.dumps(stack_config), encoding="utf-8")
    (target / "__main__.py").write_text(body, encoding="utf-8")
    return target


def capture(code: str, config: dict[str, Any] | None = None, preview_mode: bool = False) -> Capture:
    """Capture a program (cached); update mode by default so ids are known."""
    key = json.dumps([textwrap.dedent(code), config, preview_mode], sort_keys=True)
    if key not in _CAPTURES:
        _CAPTURES[key] = preview(write_program(code, config), None, [], preview_mode)
    return copy.deepcopy(_CAPTURES[key])


def resource(c: Capture, name: str) -> Registration:
    found = [r for r in c.resources if r.name == name]
    assert len(found) == 1, f"{name}: {len(found)} resources of that name in the capture"
    return found[0]


def set_input(c: Capture, name: str, path: str | list[str], value: Any) -> Capture:
    """One change to a resource as the program would make it (dotted path or list of keys; ``DELETE``
    removes the key, and a removed top-level key loses its property dependencies too, as if never set):
    inputs change, and so do the outputs of a custom resource, which echo its inputs (AnalyzeStack
    policies read outputs)."""
    r = resource(c, name)
    parts = path.split(".") if isinstance(path, str) else list(path)
    _set(r.inputs, parts, value)
    if r.custom:
        _set(r.outputs, parts, value if value is DELETE else copy.deepcopy(value))
    if value is DELETE and len(parts) == 1:
        r.property_dependencies.pop(parts[0], None)
    return c


def drop(c: Capture, *names: str) -> Capture:
    """The capture without the named resources (as if the program never registered them)."""
    for name in names:
        resource(c, name)
    c.resources = [r for r in c.resources if r.name not in names]
    return c


def exports(c: Capture, **outputs: Any) -> dict[str, Any]:
    """The stack outputs as AnalyzeStack sees them (the Stack resource's outputs), editable; ``outputs``
    are set first (``exports(c, inventory=UNKNOWN)``)."""
    [stack] = [r for r in c.resources if r.type == "pulumi:pulumi:Stack"]
    stack.outputs.update(outputs)
    return stack.outputs


def _set(target: Any, parts: list[str], value: Any) -> None:
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
    if value is DELETE:
        if isinstance(target, list):
            del target[int(parts[-1])]
        else:
            target.pop(parts[-1], None)
    elif isinstance(target, list):
        target[int(parts[-1])] = value
    else:
        target[parts[-1]] = value


DELETE = object()


def _pack(environment: str, stack_config: dict[str, str] | None = None) -> PackProcess:
    config = {"aiwarden:environment": environment, **(stack_config or {})}
    key = json.dumps(config, sort_keys=True)
    if key not in _PACKS:
        env = pack_environment(
            Capture(
                project=PROJECT,
                stack="test",
                organization="organization",
                preview=False,
                config=config,
                secret_keys=[],
            )
        )
        _PACKS[key] = PackProcess(load_manifest(PACK_DIR), env, ENGINE_ADDRESS)
    return _PACKS[key]


def gate(
    c: Capture,
    pack_config: dict[str, Any] | None = None,
    environment: str = "production",
    stack_config: dict[str, str] | None = None,
    api_validation: bool = True,
) -> Report:
    """Evaluate the aiwarden pack over a capture, as `aiwarden check` does, and return the report
    (``api_validation=False``: as ``pulumi preview --policy-pack`` does, with no API-model check first).

    The pack sees the stack config ``aiwarden:environment`` plus ``stack_config`` (``PULUMI_CONFIG`` of the
    pack process, as the engine passes it), not the capture's own config: one pack process per combination."""
    return evaluate(
        c,
        pack_config=pack_config or {},
        processes=[_pack(environment, stack_config)],
        api_validation=api_validation,
    )


def findings(report: Report, policy_prefix: str = "", level: str | None = None) -> set[tuple[str, str]]:
    """{(policy, resource name or 'stack')} of the violations (optionally one policy family / level)."""
    return {
        (v.policy, v.resource_name or "stack")
        for v in report.violations
        if v.policy.startswith(policy_prefix)
        and (level is None or v.enforcement_level == level)
        and v.kind == "violation"
    }


def messages(report: Report, policy: str) -> dict[str, list[str]]:
    """{resource name or 'stack': [messages]} of one policy's violations."""
    found: dict[str, list[str]] = {}
    for v in report.violations:
        if v.policy == policy and v.kind == "violation":
            found.setdefault(v.resource_name or "stack", []).append(v.message)
    return found


def message(report: Report, policy: str, name: str = "stack") -> str:
    """The one violation message of a policy on a resource (``stack``: the stack-level one)."""
    [found] = messages(report, policy)[name]
    return found


def message_list(report: Report, policy: str) -> list[str]:
    """Every violation message of one policy, sorted."""
    return sorted(m for found in messages(report, policy).values() for m in found)


def unknowns(report: Report, policy_prefix: str) -> set[tuple[str, str, str]]:
    """{(policy, resource name or 'stack', enforcement level)} of the checks a value unknown at preview stopped."""
    return {
        (v.policy, v.resource_name or "stack", v.enforcement_level)
        for v in report.violations
        if v.policy.startswith(policy_prefix) and v.kind == "unknown-at-preview"
    }


def undecided(report: Report, policy: str) -> dict[str, tuple[str, str]]:
    """{resource name or 'stack': (URN, message)} of one policy's unknown-at-preview findings."""
    return {
        v.resource_name or "stack": (v.urn, v.message)
        for v in report.violations
        if v.policy == policy and v.kind == "unknown-at-preview"
    }


def cannot_run(policy: str) -> str:
    """The start of the SDK's advisory for a policy that met a value unknown at preview."""
    manifest = load_manifest(PACK_DIR)
    return (
        f"can't run policy '{policy}' from policy pack '{manifest.name}@v{manifest.version}' during preview: "
    )


def close_all() -> None:
    for pack in _PACKS.values():
        pack.close()
    _PACKS.clear()
