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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from aiwarden.capture.model import Capture, Registration
from aiwarden.errors import AiwardenError, MissingConfig
from aiwarden.project import SECRET_PLACEHOLDER, choose_stack, load_project, load_stack_config

ORGANIZATION = "organization"
T = TypeVar("T")


class PreviewRun:
    """One program run under the mock runtime, in its own process."""

    def __init__(
        self,
        program_dir: Path,
        stack: str | None = None,
        config: list[str] | None = None,
        preview_mode: bool = True,
        on_registration: Callable[[Registration], None] | None = None,
        placeholders: Iterable[str] = (),
    ) -> None:
        project = load_project(program_dir)
        choice = choose_stack(project, stack)
        stack_name = choice.name
        self.notes = [choice.note] if choice.note else []
        stack_config = load_stack_config(project, stack_name, config)
        for key in placeholders:  # --placeholder-secrets: a required secret the stack does not set
            stack_config.config[key] = SECRET_PLACEHOLDER
            stack_config.secret_keys = sorted({*stack_config.secret_keys, key})
        if placeholders:
            self.notes.append(
                f"placeholder (redacted) values for unset secret config: {', '.join(sorted(placeholders))}"
            )
        self.stack = stack_name
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
        capture.notes = self.notes
        if capture.error is not None:
            missing = capture.error.get("missing_config")
            if missing:
                raise _missing(
                    missing["key"], bool(missing["secret"]), self.stack, capture.error["traceback"]
                )
            first = capture.error["message"].splitlines()[0]
            raise AiwardenError(
                f"program {self.main} failed: {capture.error['type']}: {first}", capture.error["traceback"]
            )
        return capture


def _missing(key: str, secret: bool, stack: str, detail: str) -> MissingConfig:
    if secret:
        how = (
            f"set it with `pulumi config set --secret {key} <value> --stack {stack}`, or check with "
            "--placeholder-secrets to use a redacted placeholder"
        )
    else:
        how = f"set it with `pulumi config set {key} <value> --stack {stack}` or pass --config {key}=<value>"
    kind = "secret config" if secret else "config"
    return MissingConfig(
        f"the program requires {kind} {key!r}, which stack {stack!r} does not set; {how}", key, secret, detail
    )


def _read(fd: int, on_registration: Callable[[Registration], None]) -> None:
    with os.fdopen(fd, "r", encoding="utf-8") as stream:
        for line in stream:
            on_registration(Registration(**json.loads(line)))


#: A program that requires more secrets than this is not asking for placeholders one at a time.
MAX_PLACEHOLDERS = 50


def with_placeholders(attempt: Callable[[frozenset[str]], T], enabled: bool) -> T:
    """Run ``attempt(placeholders)``; with ``enabled``, each required secret the stack lacks gets a redacted
    placeholder and the run starts again (a program stops at the first missing key)."""
    placeholders: frozenset[str] = frozenset()
    while True:
        try:
            return attempt(placeholders)
        except MissingConfig as exc:
            if (
                not (enabled and exc.secret)
                or exc.key in placeholders
                or len(placeholders) >= MAX_PLACEHOLDERS
            ):
                raise
            placeholders = placeholders | {exc.key}


def preview(
    program_dir: Path,
    stack: str | None = None,
    config: list[str] | None = None,
    preview_mode: bool = True,
    placeholder_secrets: bool = False,
) -> Capture:
    return with_placeholders(
        lambda extra: PreviewRun(program_dir, stack, config, preview_mode, placeholders=extra).wait(),
        placeholder_secrets,
    )
