"""Run a program offline in a fresh subprocess and return what it registered.

``PreviewRun`` starts the runner and (optionally) streams each registration to a callback as it
happens, over a pipe of its own (the program's own stdout stays the program's), so a caller can
analyze resources while the program is still registering them, as the engine does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from aiwarden.capture.model import Capture, Registration
from aiwarden.errors import AiwardenError
from aiwarden.project import choose_stack, load_project, load_stack_config

ORGANIZATION = "organization"


class PreviewRun:
    """One program run under the mock runtime, in its own process."""

    def __init__(
        self,
        program_dir: Path,
        stack: str | None = None,
        config: list[str] | None = None,
        preview_mode: bool = True,
        on_registration: Callable[[Registration], None] | None = None,
    ) -> None:
        project = load_project(program_dir)
        stack_name = choose_stack(project, stack)
        stack_config = load_stack_config(project, stack_name, config)
        self.main = project.main
        self.meta = Capture(
            project=project.name,
            stack=stack_name,
            organization=ORGANIZATION,
            preview=preview_mode,
            config=stack_config.config,
            secret_keys=stack_config.secret_keys,
        )
        self._tmp = tempfile.TemporaryDirectory(prefix="aiwarden-")
        self._out = Path(self._tmp.name) / "capture.json"
        spec = {
            "program_dir": str(project.directory),
            "main": project.main,
            "project": project.name,
            "stack": stack_name,
            "organization": ORGANIZATION,
            "preview": preview_mode,
            "config": stack_config.config,
            "secret_keys": stack_config.secret_keys,
            "out": str(self._out),
        }
        read_fd = write_fd = None
        if on_registration is not None:
            read_fd, write_fd = os.pipe()
            spec["stream_fd"] = write_fd
        spec_path = Path(self._tmp.name) / "spec.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        env = dict(os.environ)
        env.pop("PULUMI_CONFIG", None)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "aiwarden.capture.runner", str(spec_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=project.directory,
            pass_fds=(write_fd,) if write_fd is not None else (),
        )
        self._reader: threading.Thread | None = None
        if read_fd is not None and write_fd is not None and on_registration is not None:
            os.close(write_fd)
            self._reader = threading.Thread(target=_read, args=(read_fd, on_registration), daemon=True)
            self._reader.start()

    def cancel(self) -> None:
        """Stop the program (the caller gave up on it) and clean up."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.communicate()
        self._tmp.cleanup()

    def wait(self) -> Capture:
        """Wait for the program; the whole capture, or an AiwardenError naming what failed."""
        try:
            stdout, stderr = self._proc.communicate()
            if self._reader is not None:
                self._reader.join()
            if not self._out.exists():
                tail = (stderr or stdout).strip().splitlines()[-1:] or ["no output"]
                raise AiwardenError(
                    f"the program runner died (exit {self._proc.returncode}): {tail[0]}", stderr
                )
            capture = Capture.read(self._out)
        finally:
            self._tmp.cleanup()
        if capture.error is not None:
            first = capture.error["message"].splitlines()[0]
            raise AiwardenError(
                f"program {self.main} failed: {capture.error['type']}: {first}", capture.error["traceback"]
            )
        return capture


def _read(fd: int, on_registration: Callable[[Registration], None]) -> None:
    with os.fdopen(fd, "r", encoding="utf-8") as stream:
        for line in stream:
            on_registration(Registration(**json.loads(line)))


def preview(
    program_dir: Path, stack: str | None = None, config: list[str] | None = None, preview_mode: bool = True
) -> Capture:
    return PreviewRun(program_dir, stack, config, preview_mode).wait()
