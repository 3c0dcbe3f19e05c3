"""Run a program offline in a fresh subprocess and return what it registered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from aiwarden.capture.model import Capture
from aiwarden.errors import AiwardenError
from aiwarden.project import StackConfig, choose_stack, load_project, load_stack_config

ORGANIZATION = "organization"


def preview(
    program_dir: Path, stack: str | None = None, config: list[str] | None = None, preview_mode: bool = True
) -> Capture:
    project = load_project(program_dir)
    stack_name = choose_stack(project, stack)
    stack_config: StackConfig = load_stack_config(project, stack_name, config)
    with tempfile.TemporaryDirectory(prefix="aiwarden-") as tmp:
        out = Path(tmp) / "capture.json"
        spec = {
            "program_dir": str(project.directory),
            "main": project.main,
            "project": project.name,
            "stack": stack_name,
            "organization": ORGANIZATION,
            "preview": preview_mode,
            "config": stack_config.config,
            "secret_keys": stack_config.secret_keys,
            "out": str(out),
        }
        spec_path = Path(tmp) / "spec.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        env = dict(os.environ)
        env.pop("PULUMI_CONFIG", None)
        proc = subprocess.run(
            [sys.executable, "-m", "aiwarden.capture.runner", str(spec_path)],
            capture_output=True,
            text=True,
            env=env,
            cwd=project.directory,
            check=False,
        )
        if not out.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            raise AiwardenError(f"the program runner died (exit {proc.returncode}): {tail[0]}", proc.stderr)
        capture = Capture.read(out)
    if capture.error is not None:
        first = capture.error["message"].splitlines()[0]
        raise AiwardenError(
            f"program {project.main} failed: {capture.error['type']}: {first}", capture.error["traceback"]
        )
    return capture
