"""Start a policy pack the way the Pulumi engine does and connect to its Analyzer service.

``python -u -m pulumi.policy <engine-address> <pack-dir>`` in the pack's directory, with
``PULUMI_PROJECT``, ``PULUMI_STACK``, ``PULUMI_DRY_RUN``, ``PULUMI_ORGANIZATION`` and
``PULUMI_CONFIG``; the first stdout line is the port of the Analyzer gRPC server.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import grpc
import yaml
from pulumi.runtime.proto import analyzer_pb2_grpc

from aiwarden.errors import AiwardenError

START_TIMEOUT_S = 60.0
_GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.max_send_message_length", 400 * 1024 * 1024),
]


@dataclass
class PackManifest:
    directory: Path
    name: str
    version: str
    python: str
    description: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


def load_manifest(directory: Path) -> PackManifest:
    directory = directory.resolve()
    path = directory / "PulumiPolicy.yaml"
    if not path.exists():
        raise AiwardenError(f"no PulumiPolicy.yaml in {directory}; --policy-pack takes a policy pack folder")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise AiwardenError(f"{path}: malformed YAML ({str(exc).splitlines()[0]})") from exc
    runtime = data.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise AiwardenError(
            f"{path}: runtime {runtime_name!r} is not supported offline; aiwarden runs Python packs"
        )
    python = sys.executable
    options = runtime.get("options", {}) if isinstance(runtime, dict) else {}
    venv = options.get("virtualenv") if isinstance(options, dict) else None
    if venv:
        candidate = directory / venv / "bin" / "python"
        if candidate.exists():
            python = str(candidate)
    return PackManifest(
        directory=directory,
        name=str(data.get("name") or directory.name),
        version=str(data.get("version") or "0.0.1"),
        python=python,
        description=str(data.get("description") or ""),
        raw=data,
    )


@dataclass
class PackEnvironment:
    project: str
    stack: str
    organization: str
    dry_run: bool
    config: dict[str, str]
    secret_keys: list[str]


def _drain(stream: IO[str], sink: list[str]) -> None:
    for line in stream:
        sink.append(line.rstrip("\n"))


class PackProcess:
    """A running policy pack; use as a context manager."""

    def __init__(self, manifest: PackManifest, env: PackEnvironment, engine_address: str) -> None:
        self.manifest = manifest
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.startup_seconds = 0.0
        environ = dict(os.environ)
        environ.update(
            {
                "PULUMI_PROJECT": env.project,
                "PULUMI_STACK": env.stack,
                "PULUMI_DRY_RUN": "true" if env.dry_run else "false",
                "PULUMI_ORGANIZATION": env.organization,
                "PULUMI_CONFIG": json.dumps(env.config),
                "PULUMI_CONFIG_SECRET_KEYS": json.dumps(env.secret_keys),
            }
        )
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [manifest.python, "-u", "-m", "pulumi.policy", engine_address, "."],
            cwd=manifest.directory,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None and self.proc.stderr is not None
        threading.Thread(target=_drain, args=(self.proc.stderr, self.stderr), daemon=True).start()
        first: queue.Queue[str | None] = queue.Queue()

        def read_port(stream: IO[str]) -> None:
            line = stream.readline()
            first.put(line if line else None)
            _drain(stream, self.stdout)

        threading.Thread(target=read_port, args=(self.proc.stdout,), daemon=True).start()
        try:
            line = first.get(timeout=START_TIMEOUT_S)
        except queue.Empty:
            self.close()
            raise AiwardenError(
                f"policy pack {manifest.name} did not print its port within {START_TIMEOUT_S:.0f} s"
            ) from None
        if line is None:
            self.proc.wait(timeout=10)
            raise AiwardenError(
                f"policy pack {manifest.name} exited (code {self.proc.returncode}) before serving: {self._stderr_tail()}"
            )
        try:
            port = int(line.strip())
        except ValueError:
            self.close()
            raise AiwardenError(
                f"policy pack {manifest.name} printed {line.strip()[:80]!r} before its port; "
                "a pack must not write to stdout at import time"
            ) from None
        self.startup_seconds = time.perf_counter() - started
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=_GRPC_OPTIONS)
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)

    def _stderr_tail(self) -> str:
        time.sleep(0.05)
        lines = [line for line in self.stderr if line.strip()]
        return lines[-1].strip() if lines else "no output"

    def error(self, exc: grpc.RpcError, call: str) -> AiwardenError:
        details = exc.details() if hasattr(exc, "details") else str(exc)
        first = (details or "").strip().splitlines()
        return AiwardenError(
            f"policy pack {self.manifest.name} failed in {call}: {first[-1] if first else exc}", details
        )

    def close(self) -> None:
        if getattr(self, "channel", None) is not None:
            self.channel.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def __enter__(self) -> PackProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
