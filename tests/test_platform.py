"""The root platform program and its reference stacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STACKS = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aiwarden.cli", "check", str(ROOT), *args],
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize("stack", STACKS)
def test_reference_stack_has_no_mandatory_violation(stack: str) -> None:
    proc = check("--stack", stack)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_stack_files_reference_the_generated_schema() -> None:
    for stack in STACKS:
        first = (ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../docs/schema/stack-config.schema.json"


def test_bad_stack_config_is_refused_naming_the_key() -> None:
    proc = check("--stack", STACKS[0], "--config", "aiwarden:environment=qa")
    assert proc.returncode == 2
    assert "aiwarden:environment: 'qa' is not an environment" in proc.stderr
    proc = check("--stack", STACKS[0], "--config", "aiwarden:cloud=azure")
    assert proc.returncode == 2 and "aiwarden:cloud" in proc.stderr
