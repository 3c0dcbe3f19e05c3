"""End to end: the whole pack through `aiwarden check` on an insecure program per catalog control, and on
hardened twins that must produce no finding at all.

Each program runs as CI runs it: `python -m aiwarden.cli check <dir> --format json` (the default mode: every
value known, as `pulumi up` sees them) in a subprocess, two at a time, started in the order the selected tests
need them; every program also runs with `--preview` (pulumi preview's unknowns) to compare the two modes. An insecure program
(`insecure/<control-id>.py`) is one plausible mistake; the test asserts the exit code, that its control is
among the findings and that exactly the declared policies of that control fire. Other controls may fire too
(a program with a GPU node group and no budget also has no inventory), except INV-1: every program but
INV-1's carries full ownership metadata.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aiwarden.apimodel import covers
from aiwarden_policies.contract.catalog import controls
from tests.harness import write_program

HERE = Path(__file__).parent
INSECURE = HERE / "insecure"
HARDENED = HERE / "hardened"
CLOUDS = {"aws": "aws:", "gcp": "gcp:", "kubernetes": "kubernetes:"}  # twin -> type token prefix
WORKERS = 2
TIMEOUT_S = 300

#: The policies each insecure program is designed to trigger (all of its control's findings, no more).
EXPECTED: dict[str, set[str]] = {
    "INV-1": {"inv-1-ownership-metadata"},
    "INV-2": {"inv-2-inventory-output"},
    "EP-1": {"ep-1-rest-api-private"},
    "EP-2": {"ep-2-rest-method-authorization"},
    "EP-3": {"ep-3-rest-api-rate-limited"},
    "EP-4": {"ep-4-sagemaker-model-network-isolation"},
    "SEC-1": {"sec-1-no-plaintext-credentials"},
    "SEC-2": {"sec-2-secretsmanager-secret-customer-managed-key", "sec-2-secretsmanager-secret-rotation"},
    "SEC-3": {"sec-3-iam-secret-read-not-wildcard"},
    "DATA-1": {"data-1-s3-public-access-block-all-true", "data-1-s3-no-public-bucket-policy"},
    "DATA-2": {"data-2-s3-bucket-sse-kms"},
    "DATA-3": {"data-3-s3-bucket-access-logging", "data-3-s3-bucket-noncurrent-lifecycle"},
    "DATA-4": {"data-4-gcs-uniform-bucket-level-access"},
    "VEC-1": {"vec-1-aoss-network-policy-private"},
    "NB-1": {"nb-1-sagemaker-notebook-no-direct-internet"},
    "NB-2": {"nb-2-sagemaker-notebook-role-least-privilege"},
    "NB-3": {"nb-3-workbench-disks-cmek", "nb-3-workbench-idle-shutdown"},
    "GPU-1": {"gpu-1-launch-template-imdsv2"},
    "GPU-2": {"gpu-2-eks-node-group-no-remote-access"},
    "GPU-3": {"gpu-3-gke-node-service-account"},
    "GPU-4": {"gpu-4-gke-node-hardening"},
    "GPU-5": {"gpu-5-k8s-gpu-namespace-has-quota"},
    "SUP-1": {"sup-1-ecr-image-scanning", "sup-1-ecr-repository-settings"},
    "SUP-2": {"sup-2-k8s-pod-images"},
    "SUP-3": {"sup-3-sagemaker-lifecycle-installs"},
    "NET-1": {"net-1-security-group-no-world-egress"},
    "NET-2": {"net-2-namespace-default-deny", "net-2-namespace-restricted-pod-security"},
    "NET-3": {"net-3-firewall-no-world-ingress"},
    "K8S-1": {"k8s-1-restricted-pod-security-context", "k8s-1-service-account-token-not-mounted"},
    "K8S-2": {"k8s-2-eks-private-endpoint", "k8s-2-eks-secrets-encryption", "k8s-2-eks-audit-logs"},
    "COST-1": {"cost-1-budget-with-alerts"},
    "COST-2": {"cost-2-aws-anomaly-detection", "cost-2-usage-alarms"},
    "LOG-1": {"log-1-cloudtrail-audit-trail"},
    "LOG-2": {"log-2-rest-stage-access-logs"},
    "IR-1": {"ir-1-incident-response-output"},
    "IR-2": {"ir-2-log-bucket-lock", "ir-2-production-data-deletion-protection"},
}


def insecure(control: str) -> Path:
    return INSECURE / f"{control.lower()}.py"


def hardened(cloud: str) -> Path:
    return HARDENED / f"{cloud}.py"


@dataclass(frozen=True)
class Run:
    """One `aiwarden check` run: exit code, JSON report (empty when the check failed) and stderr."""

    exit_code: int
    report: dict[str, Any]
    stderr: str

    def violations(self, control: str | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.report.get("violations", [])
        return [v for v in found if control is None or v["control"] == control]

    def describe(self, control: str | None = None) -> str:
        lines = [
            f"[{v['enforcementLevel']} {v['kind']}] {v['policy']} {v['resourceName'] or 'stack'}: {v['message']}"
            for v in self.violations(control)
        ]
        return f"exit {self.exit_code}, findings:\n" + "\n".join(lines)


#: The gate's modes: the default decides every policy; --preview keeps pulumi preview's unknowns.
MODES: dict[str, list[str]] = {"default": [], "preview": ["--preview"]}


def check(program: Path, mode: str = "default") -> Run:
    directory = write_program(program.read_text(encoding="utf-8"))
    done = subprocess.run(
        [sys.executable, "-m", "aiwarden.cli", "check", str(directory), *MODES[mode], "--format", "json"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    report = json.loads(done.stdout) if done.stdout.strip() else {}
    return Run(done.returncode, report, done.stderr)


class Checks:
    """Runs of `aiwarden check` on a thread pool, one subprocess per program, each started once."""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self._pool = pool
        self._runs: dict[tuple[Path, str], Future[Run]] = {}

    def start(self, program: Path, mode: str = "default") -> None:
        if program.exists() and (program, mode) not in self._runs:
            self._runs[program, mode] = self._pool.submit(check, program, mode)

    def __call__(self, program: Path, mode: str = "default") -> Run:
        self.start(program, mode)
        return self._runs[program, mode].result()


def _programs(item: pytest.Item) -> list[tuple[Path, str]]:
    """The programs (and modes) a selected test reads, so that they start before it asks."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "control" in params:
        return [(insecure(params["control"]), "default")]
    if "cloud" in params:
        return [(hardened(params["cloud"]), "default")]
    if "program" in params:
        return [(HERE / params["program"], mode) for mode in MODES]
    return []


@pytest.fixture(scope="module")
def checks(request: pytest.FixtureRequest) -> Iterator[Checks]:
    pool = ThreadPoolExecutor(max_workers=WORKERS)
    runs = Checks(pool)
    for item in request.session.items:
        if item.path == Path(__file__):
            for program, mode in _programs(item):
                runs.start(program, mode)
    try:
        yield runs
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def api_covered(type_token: str) -> bool:
    """Provider resources need an API-model seed; the stack, providers and components do not."""
    return type_token.startswith(("pulumi:", "aiwarden:")) or covers(type_token)


def test_programs_and_expectations_name_catalog_controls() -> None:
    catalog = set(controls())
    assert set(EXPECTED) <= catalog
    programs = sorted(INSECURE.glob("*.py"))
    assert {p.stem.upper() for p in programs} <= catalog, "an insecure program names no catalog control"
    for program in programs:  # the docs show the docstring above the program as "example violation"
        docstring = ast.get_docstring(ast.parse(program.read_text(encoding="utf-8"))) or ""
        assert 1 <= len(docstring.splitlines()) <= 3, f"{program.name}: say what is wrong in 1-3 lines"


@pytest.mark.parametrize("control", list(controls()))
def test_insecure_program_triggers_its_control(checks: Checks, control: str) -> None:
    program = insecure(control)
    assert program.exists(), f"{control} has no insecure program: add {program.relative_to(HERE.parents[1])}"
    assert control in EXPECTED, f"declare the policies {program.name} triggers in EXPECTED"
    run = checks(program)
    assert run.report, f"aiwarden check failed (exit {run.exit_code}):\n{run.stderr}"
    found = run.violations(control)
    assert found, f"{program.name} triggers no {control} finding; {run.describe()}"
    assert {v["policy"] for v in found} == EXPECTED[control], run.describe(control)
    level = controls()[control].production  # production: the default environment
    assert {(v["enforcementLevel"], v["kind"]) for v in found} == {(level, "violation")}, run.describe(
        control
    )
    if control != "INV-1":
        assert not run.violations("INV-1"), (
            f"{program.name} lacks ownership metadata; {run.describe('INV-1')}"
        )
    blocked = level == "mandatory" or any(v["enforcementLevel"] == "mandatory" for v in run.violations())
    assert run.exit_code == (1 if blocked else 0), run.describe()


@pytest.mark.parametrize("cloud", list(CLOUDS))
def test_hardened_twin_has_no_finding(checks: Checks, cloud: str) -> None:
    run = checks(hardened(cloud))
    assert run.report, f"aiwarden check failed (exit {run.exit_code}):\n{run.stderr}"
    assert run.violations() == [], run.describe()
    assert run.exit_code == 0, run.stderr


@pytest.mark.parametrize("cloud", list(CLOUDS))
def test_hardened_twin_covers_the_misused_types(checks: Checks, cloud: str) -> None:
    def types(run: Run) -> set[str]:
        return {r["type"] for r in run.report.get("resources", []) if r["type"].startswith(CLOUDS[cloud])}

    misused = set().union(*(types(checks(insecure(c))) for c in controls() if insecure(c).exists()))
    assert misused - types(checks(hardened(cloud))) == set()


ALL_PROGRAMS = sorted(str(p.relative_to(HERE)) for p in (*INSECURE.glob("*.py"), *HARDENED.glob("*.py")))


@pytest.mark.parametrize("program", ALL_PROGRAMS)
def test_default_mode_decides_every_policy_and_preview_only_defers(checks: Checks, program: str) -> None:
    """The default mode leaves nothing undecided; --preview reports no violation the default mode does not
    have: what it cannot decide is an advisory unknown-at-preview finding instead."""
    default, preview = checks(HERE / program, "default"), checks(HERE / program, "preview")
    assert default.report and preview.report, default.stderr + preview.stderr
    assert (default.report["mode"], preview.report["mode"]) == ("update", "preview")
    undecided = [v for v in default.violations() if v["kind"] == "unknown-at-preview"]
    assert not undecided, default.describe()
    assert default.report["summary"]["undecided"] == 0
    # Every program passed the API-model validation (or `check` would have exited 2 with no report), and
    # every type it registers is one the validation covers: a new type needs its seed.
    uncovered = {r["type"] for r in default.report["resources"] if not api_covered(r["type"])}
    assert not uncovered, f"add seeds in aiwarden/apimodel/targets.py for {sorted(uncovered)}"
    decided = {(v["policy"], v["urn"]) for v in default.violations()}
    for v in preview.violations():
        if v["kind"] == "violation":
            assert (v["policy"], v["urn"]) in decided, preview.describe()
        else:
            assert v["enforcementLevel"] == "advisory", preview.describe()
