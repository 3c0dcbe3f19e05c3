"""``aiwarden check``: offline preview, then every policy pack through the analyzer protocol."""

from __future__ import annotations

import os
import queue
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiwarden import __version__
from aiwarden.capture.model import Capture, Registration
from aiwarden.capture.preview import PreviewRun, with_placeholders
from aiwarden.errors import AiwardenError
from aiwarden.gate.config import load_config_file
from aiwarden.gate.engine import (
    Evaluation,
    PackResult,
    default_pack_dir,
    pack_environment,
    run_pack,
    start_shards,
)
from aiwarden.gate.pack_process import PackManifest, PackProcess, load_manifest
from aiwarden.report.locations import default_source_root, locate
from aiwarden.report.model import Exemption, Report, ResourceRef


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


def finish_report(report: Report, capture: Capture, source_root: Path | None) -> Report:
    """Point every finding at the code that declared its resource."""
    root = source_root or (
        default_source_root(Path(capture.program_dir)) if capture.program_dir else Path.cwd()
    )
    locate(report, capture, root)
    return report


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


def check_capture(
    capture: Capture,
    packs: list[Path],
    pack_config: Path | None,
    progress: Callable[[int, int], None] | None = None,
    source_root: Path | None = None,
) -> Report:
    user_config = load_config_file(pack_config)
    report = new_report(capture)
    for pack_dir in packs or [default_pack_dir()]:
        assemble(report, run_pack(load_manifest(pack_dir), capture, user_config, progress), user_config)
    return finish_report(report, capture, source_root)


def check(
    program_dir: Path,
    stack: str | None,
    config: list[str],
    packs: list[Path],
    pack_config: Path | None,
    preview_mode: bool = False,
    progress: Callable[[int, int], None] | None = None,
    placeholder_secrets: bool = False,
    source_root: Path | None = None,
) -> Report:
    """Run the program and, as each resource registers, analyze it with every pack (as the engine does);
    then AnalyzeStack over the finished stack. The packs start while the program starts.

    Default: update mode, every value known as ``pulumi up`` sees them, so every policy decides;
    ``preview_mode`` gives ``pulumi preview``'s unknowns. With ``placeholder_secrets`` a required secret
    the stack does not set gets a redacted placeholder (the run starts again with it)."""
    user_config = load_config_file(pack_config)
    manifests = [load_manifest(d) for d in packs or [default_pack_dir()]]
    report, capture = with_placeholders(
        lambda extra: _check_once(
            program_dir, stack, config, manifests, user_config, preview_mode, progress, extra
        ),
        placeholder_secrets,
    )
    return finish_report(report, capture, source_root)


def _check_once(
    program_dir: Path,
    stack: str | None,
    config: list[str],
    manifests: list[PackManifest],
    user_config: dict[str, Any],
    preview_mode: bool,
    progress: Callable[[int, int], None] | None,
    placeholders: frozenset[str],
) -> tuple[Report, Capture]:
    started = time.perf_counter()
    arrived: queue.Queue[Registration | None] = queue.Queue()
    run = PreviewRun(
        program_dir, stack, config, preview_mode, on_registration=arrived.put, placeholders=placeholders
    )
    env = pack_environment(run.meta)
    processes: list[PackProcess] = []
    evaluations: list[Evaluation] = []
    outcome: list[Capture | AiwardenError] = []

    def wait_for_program() -> None:
        outcome.append(_wait(run))
        arrived.put(None)

    try:
        try:
            for manifest in manifests:
                shards = start_shards(manifest, env, os.cpu_count() or 1)
                processes.extend(shards)
                evaluations.append(Evaluation(shards, env, user_config, progress))
        except BaseException:
            run.cancel()
            raise
        waiter = threading.Thread(target=wait_for_program, daemon=True)
        waiter.start()
        while (registration := arrived.get()) is not None:
            for evaluation in evaluations:
                evaluation.submit(registration)
        waiter.join()
        if isinstance(outcome[0], AiwardenError):
            raise outcome[0]
        capture = outcome[0]
        registered = time.perf_counter()
        report = new_report(capture)
        for evaluation in evaluations:
            assemble(report, evaluation.finish(capture), user_config)
    finally:
        for evaluation in evaluations:
            evaluation.close()
        for process in processes:
            process.close()
    report.timings["registration_s"] = round(registered - started, 4)
    report.timings["total_s"] = round(time.perf_counter() - started, 4)
    return report, capture


def _wait(run: PreviewRun) -> Capture | AiwardenError:
    try:
        return run.wait()
    except AiwardenError as exc:
        return exc
