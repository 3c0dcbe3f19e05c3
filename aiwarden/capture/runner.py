"""Subprocess entry point: run one Pulumi Python program under the mock runtime, write a Capture.

Run as ``python -m aiwarden.capture.runner SPEC.json``. One process per run: Pulumi's
config and settings are process-global. The program runs the way the language host runs
it: ``run_in_stack(lambda: runpy.run_path(main, run_name="__main__"))``, which waits until
every RPC and Output has resolved.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import runpy
import sys
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Any

from google.protobuf import empty_pb2
from pulumi.config import ConfigMissingError
from pulumi.runtime import set_all_config
from pulumi.runtime.mocks import MockSettings
from pulumi.runtime.settings import configure
from pulumi.runtime.stack import run_in_stack

from aiwarden.capture.mocks import RealisticMocks
from aiwarden.capture.model import Capture, Registration
from aiwarden.capture.monitor import CaptureMonitor


class _LogCollector(logging.Handler):
    def __init__(self, capture: Capture) -> None:
        super().__init__(logging.INFO)
        self.capture = capture

    def emit(self, record: logging.LogRecord) -> None:
        self.capture.logs.append({"severity": record.levelname.lower(), "message": record.getMessage()})


class _Engine:
    """The engine's Log service, as the program's ``pulumi.log`` calls it."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger

    def Log(self, request: Any) -> None:
        levels = {0: logging.DEBUG, 1: logging.INFO, 2: logging.WARNING, 3: logging.ERROR}
        self.logger.log(levels.get(request.severity, logging.INFO), request.message)


def _provider_config(config: dict[str, str]) -> dict[str, dict[str, str]]:
    providers: dict[str, dict[str, str]] = {}
    for key, value in config.items():
        namespace, _, name = key.partition(":")
        if namespace in ("aws", "gcp", "kubernetes"):
            providers.setdefault(namespace, {})[name] = value
    return providers


def _error(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, ConfigMissingError):
        return {
            "type": type(exc).__name__,
            "message": str(exc).splitlines()[0],
            "traceback": traceback.format_exc(),
            "missing_config": {"key": exc.key, "secret": bool(exc.secret)},
        }
    errors = getattr(exc, "errors", None)
    if callable(errors) and hasattr(exc, "title"):  # pydantic.ValidationError: name each field and its fix
        parts = [f"{exc.title}.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors()]
        message = "; ".join(parts)
    else:
        message = str(exc).strip() or type(exc).__name__
    return {"type": type(exc).__name__, "message": message, "traceback": traceback.format_exc()}


def run(spec: dict[str, Any]) -> Capture:
    capture = Capture(
        project=spec["project"],
        stack=spec["stack"],
        organization=spec["organization"],
        preview=spec["preview"],
        config=spec["config"],
        secret_keys=spec["secret_keys"],
    )
    program_dir = Path(spec["program_dir"])
    capture.program_dir = str(program_dir)
    capture.main = spec["main"]
    os.chdir(program_dir)
    sys.path.insert(0, str(program_dir))
    set_all_config(capture.config, capture.secret_keys)

    logger = logging.getLogger("aiwarden.program")
    logger.propagate = False
    logger.addHandler(_LogCollector(capture))
    monitor = CaptureMonitor(RealisticMocks(capture.preview), _provider_config(capture.config), program_dir)
    if spec.get("stream_fd") is not None:
        stream = os.fdopen(int(spec["stream_fd"]), "w", buffering=1, encoding="utf-8")

        def send(registration: Registration) -> None:
            stream.write(json.dumps(asdict(registration)) + "\n")

        monitor.on_record = send
    features = monitor.GetDeploymentInfo(empty_pb2.Empty()).supportedFeatures  # type: ignore[no-untyped-call]
    settings = MockSettings(  # type: ignore[no-untyped-call]
        monitor=monitor,
        monitor_features=set(features),
        engine=_Engine(logger),
        project=capture.project,
        stack=capture.stack,
        dry_run=capture.preview,
        organization=capture.organization,
        callbacks=None,
    )
    configure(settings)
    main = str(program_dir / spec["main"])

    def program() -> None:
        runpy.run_path(main, run_name="__main__")

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(run_in_stack(program))
    except BaseException as exc:
        capture.error = _error(exc)
    capture.resources = monitor.registrations
    capture.outputs = monitor.stack_outputs
    return capture


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    # A Pulumi program allocates Outputs, futures and typed-input classes by the hundred thousand and frees
    # few of them before it ends: with the default thresholds the collector rescans that growing heap a few
    # hundred times (a third of the CPU of the platform program). As in the pack: what is loaded is frozen
    # out of collection and young collections run less often; the process ends with the program.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    capture = run(spec)
    capture.write(Path(spec["out"]))
    # Skip interpreter teardown: gRPC threads of the SDK can delay a clean exit.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
