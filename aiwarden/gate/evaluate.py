"""The gate's one pipeline: a program (or a capture) through every policy pack over the analyzer protocol,
assembled into one report whose findings point at the code."""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from aiwarden import __version__, apimodel
from aiwarden.capture.model import Capture, Registration
from aiwarden.capture.preview import PreviewRun, with_placeholders
from aiwarden.errors import AiwardenError
from aiwarden.findings import Exemption, Report, ResourceRef
from aiwarden.gate.config import load_config_file
from aiwarden.gate.engine import Evaluation, PackResult, default_pack_dir, pack_environment
from aiwarden.gate.locations import default_source_root, locate, where
from aiwarden.gate.pack_process import PackManifest, PackProcess, load_manifest


def configured_exemptions(pack: str, config: dict[str, Any], controls: dict[str, str]) -> list[Exemption]:
    """Exemptions as written in the pack config: they appear in the report even when nothing matched."""
    out = []
    for policy, value in config.items():
        if isinstance(value, dict):
            for item in value.get("exemptions") or []:
                if isinstance(item, dict):
                    out.append(
                        Exemption(
                            policy_pack=pack,
                            policy=policy,
                            control=controls.get(policy, ""),
                            urn="",
                            resource_type="",
                            resource_name=str(item.get("resource", "")),
                            justification=str(item.get("justification", "")),
                        )
                    )
    return out


def new_report(capture: Capture) -> Report:
    return Report(
        tool_version=__version__,
        project=capture.project,
        stack=capture.stack,
        preview=capture.preview,
        resources=[ResourceRef(r.urn, r.type, r.name, r.parent) for r in capture.resources],
        notes=list(capture.notes),
    )


def assemble(report: Report, result: PackResult, user_config: dict[str, Any]) -> None:
    """Add one pack's results to the report (configured exemptions that matched nothing included)."""
    manifest = result.manifest
    report.packs.append({"name": manifest.name, "version": manifest.version, "path": str(manifest.directory)})
    report.policies.extend(result.policies)
    # The SDK names itself ``<pack>@v0.0.1`` in its messages; the engine's version is PulumiPolicy.yaml's.
    sdk_version = re.compile(rf"'{re.escape(manifest.name)}@v[^']*'")
    for v in result.violations:
        v.message = sdk_version.sub(f"'{manifest.name}@v{manifest.version}'", v.message)
    report.violations.extend(result.violations)
    report.remediations.extend(result.remediations)
    report.exemptions.extend(result.exemptions)
    matched = [(x.policy, x.resource_name, x.urn) for x in result.exemptions]
    controls = {p.name: p.control for p in result.policies}
    for e in configured_exemptions(manifest.name, user_config, controls):
        if not any(p == e.policy and e.resource_name in (n, u) for p, n, u in matched):
            report.exemptions.append(e)
    report.timings[f"{manifest.name}.startup_s"] = round(result.startup_seconds, 4)
    report.timings[f"{manifest.name}.analyze_s"] = round(result.analyze_seconds, 4)
    report.timings[f"{manifest.name}.analyze_stack_s"] = round(result.stack_seconds, 4)
    report.sort()


def evaluate(
    program: Path | Capture,
    *,
    stack: str | None = None,
    config: Sequence[str] = (),
    packs: Sequence[Path] = (),
    pack_config: Path | Mapping[str, Any] | None = None,
    preview: bool = False,
    placeholder_secrets: bool = False,
    source_root: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    processes: Sequence[PackProcess] | None = None,
    api_validation: bool = True,
) -> Report:
    """The gate, the one way in for the CLI, the tests and the benchmarks.

    ``program``: a Pulumi program folder, run offline under the mock runtime while every pack analyzes each
    resource as it registers (as the engine does), then AnalyzeStack over the finished stack; or a
    ``Capture`` already taken, evaluated the same way. By default every value is known, as ``pulumi up`` sees
    them, so every policy decides; ``preview`` gives ``pulumi preview``'s unknowns. ``placeholder_secrets``:
    a required secret the stack does not set gets a redacted placeholder (the run starts again with it).
    ``pack_config``: a ``--policy-pack-config`` file or its parsed content. ``processes``: running processes
    of the single pack to use (kept alive by the caller, e.g. a test session) instead of starting shards.
    ``api_validation``: check every input against the clouds' API models first (``aiwarden.apimodel``);
    an input the API would refuse raises ``ApiModelError`` and no policy sees that resource.
    """
    user_config = dict(pack_config) if isinstance(pack_config, Mapping) else load_config_file(pack_config)
    manifests = [load_manifest(d) for d in packs or [default_pack_dir()]]
    if processes is not None and len(manifests) != 1:
        raise AiwardenError("running pack processes are given for exactly one pack")
    report, capture = with_placeholders(
        lambda extra: _evaluate_once(
            program,
            stack,
            config,
            manifests,
            user_config,
            preview,
            progress,
            extra,
            processes,
            api_validation,
            source_root,
        ),
        placeholder_secrets and not isinstance(program, Capture),
    )
    locate(report, capture, _root(capture, source_root))
    return report


def _root(capture: Capture, source_root: Path | None) -> Path:
    return source_root or (
        default_source_root(Path(capture.program_dir)) if capture.program_dir else Path.cwd()
    )


def _refuse(invalid: list[apimodel.Invalid], capture: Capture, source_root: Path | None) -> None:
    if invalid:
        lines = where(capture, _root(capture, source_root).resolve())
        raise apimodel.ApiModelError(
            [apimodel.Invalid(i.type, i.name, i.urn, i.rejection, lines.get(i.urn, "")) for i in invalid]
        )


def _evaluate_once(
    program: Path | Capture,
    stack: str | None,
    config: Sequence[str],
    manifests: list[PackManifest],
    user_config: dict[str, Any],
    preview: bool,
    progress: Callable[[int, int], None] | None,
    placeholders: frozenset[str],
    processes: Sequence[PackProcess] | None,
    api_validation: bool,
    source_root: Path | None,
) -> tuple[Report, Capture]:
    started = time.perf_counter()
    invalid: list[apimodel.Invalid] = []
    validating = 0.0
    arrived: queue.Queue[Registration | None] = queue.Queue()
    run: PreviewRun | None = None
    if isinstance(program, Capture):
        if api_validation:
            validating = time.perf_counter()
            _refuse(apimodel.validate(program.resources), program, source_root)
            validating = time.perf_counter() - validating
        env = pack_environment(program)
    else:
        run = PreviewRun(
            program, stack, list(config), preview, on_registration=arrived.put, placeholders=placeholders
        )
        env = pack_environment(run.meta)
    evaluations: list[Evaluation] = []
    outcome: list[Capture | AiwardenError] = []

    def wait_for_program(current: PreviewRun) -> None:
        outcome.append(_wait(current))
        arrived.put(None)

    try:
        try:
            for manifest in manifests:
                given = list(processes) if processes is not None else None
                evaluations.append(Evaluation(manifest, env, user_config, progress, given))
        except BaseException:
            if run is not None:
                run.cancel()
            raise
        if run is None:
            assert isinstance(program, Capture)
            capture = program
        else:
            waiter = threading.Thread(target=wait_for_program, args=(run,), daemon=True)
            waiter.start()
            while (registration := arrived.get()) is not None:
                began = time.perf_counter()
                refused = apimodel.validate([registration]) if api_validation else []
                validating += time.perf_counter() - began
                invalid.extend(refused)
                if refused or invalid:
                    continue  # no policy sees what the API would refuse; the run ends with the API errors
                for evaluation in evaluations:
                    evaluation.submit(registration)
            waiter.join()
            if isinstance(outcome[0], AiwardenError):
                raise outcome[0]
            capture = outcome[0]
            _refuse(invalid, capture, source_root)
        registered = time.perf_counter()
        report = new_report(capture)
        for evaluation in evaluations:
            assemble(report, evaluation.finish(capture), user_config)
    finally:
        for evaluation in evaluations:
            evaluation.close()
    if run is not None:
        report.timings["registration_s"] = round(registered - started, 4)
    report.timings["api_validation_s"] = round(validating, 4)
    report.timings["total_s"] = round(time.perf_counter() - started, 4)
    return report, capture


def _wait(run: PreviewRun) -> Capture | AiwardenError:
    try:
        return run.wait()
    except AiwardenError as exc:
        return exc
