"""`aiwarden check` end to end: exit codes, one-line errors, and every report format."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.harness import write_program

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

UNTAGGED = """
import pulumi_aws as aws
aws.s3.Bucket("data")
"""
BUCKET_URN = "urn:pulumi:test::test::aws:s3/bucket:Bucket::data"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aiwarden.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.fixture(scope="module")
def untagged() -> Path:
    return write_program(UNTAGGED, directory=Path(__file__).parent.parent / "build" / "untagged")


def test_untagged_bucket_exits_1_naming_control_urn_and_fix(untagged: Path) -> None:
    proc = run("check", str(untagged), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    inv = [v for v in report["violations"] if v["policy"] == "inv-1-ownership-metadata"]
    assert [(v["control"], v["urn"], v["enforcementLevel"]) for v in inv] == [
        ("INV-1", BUCKET_URN, "mandatory")
    ]
    assert report["summary"]["mandatory"] >= 1
    assert set(report) >= {"tool", "project", "stack", "resources", "violations", "remediations", "summary"}
    table = run("check", str(untagged))
    assert table.returncode == 1
    assert "INV-1" in table.stdout and "stamp_ownership" in table.stdout and "data" in table.stdout


def test_sarif_validates_against_the_official_schema(untagged: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    proc = run("check", str(untagged), "--format", "sarif", "--output", str(out))
    assert proc.returncode == 1
    sarif = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(sarif, SCHEMA)
    run_ = sarif["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert rules["inv-1-ownership-metadata"]["properties"]["control"] == "INV-1"
    assert "stamp_ownership" in rules["inv-1-ownership-metadata"]["help"]["text"]
    [result] = [r for r in run_["results"] if r["ruleId"] == "inv-1-ownership-metadata"]
    assert result["level"] == "error"
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == BUCKET_URN


def test_junit_has_a_testcase_per_policy_and_a_failure_per_resource(untagged: Path, tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    assert run("check", str(untagged), "--format", "junit", "--output", str(out)).returncode == 1
    root = ET.parse(out).getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    failures = cases["inv-1-ownership-metadata"].findall("failure")
    assert [f.get("message") for f in failures] == [f"[INV-1] {BUCKET_URN}"]


def test_markdown_names_the_violation_for_a_pull_request(untagged: Path) -> None:
    proc = run("check", str(untagged), "--format", "markdown")
    assert proc.returncode == 1
    assert "❌ blocked" in proc.stdout
    assert (
        "| INV-1 | `inv-1-ownership-metadata` | high | `data` (aws:s3/bucket:Bucket) | `build/untagged/__main__.py:3` |"
        in proc.stdout
    )


def test_no_pulumi_yaml(tmp_path: Path) -> None:
    assert "no Pulumi.yaml" in one_line_error(run("check", str(tmp_path)))


def test_program_that_raises_is_a_one_line_error_and_debug_shows_the_traceback() -> None:
    program = write_program("raise ValueError('boom: the model bucket name is missing')\n")
    line = one_line_error(run("check", str(program)))
    assert "ValueError: boom: the model bucket name is missing" in line
    debug = run("--debug", "check", str(program))
    assert debug.returncode == 2 and "Traceback" in debug.stderr


def test_malformed_stack_config(tmp_path: Path) -> None:
    program = write_program(UNTAGGED, directory=tmp_path / "program")
    (program / "Pulumi.broken.yaml").write_text("config: [unclosed\n", encoding="utf-8")
    assert "malformed YAML" in one_line_error(run("check", str(program), "--stack", "broken"))


def _pack(tmp_path: Path, main: str) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("name: broken\nruntime: python\n", encoding="utf-8")
    (pack / "__main__.py").write_text(main, encoding="utf-8")
    return pack


def test_pack_that_crashes_at_start(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "raise RuntimeError('no policies today')\n")
    line = one_line_error(run("check", str(write_program(UNTAGGED)), "--policy-pack", str(pack)))
    assert "exited (code 1) before serving" in line


def test_pack_that_prints_before_its_port(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "print('hello from the pack')\nimport time\ntime.sleep(60)\n")
    line = one_line_error(run("check", str(write_program(UNTAGGED)), "--policy-pack", str(pack)))
    assert "printed 'hello from the pack' before its port" in line


def test_pack_config_errors(tmp_path: Path) -> None:
    program = str(write_program(UNTAGGED))
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({"inv-1-no-such-policy": "advisory"}), encoding="utf-8")
    assert "'inv-1-no-such-policy', not a policy" in one_line_error(
        run("check", program, "--policy-pack-config", str(unknown))
    )
    malformed = tmp_path / "malformed.json"
    malformed.write_text("{not json", encoding="utf-8")
    assert "malformed" in one_line_error(run("check", program, "--policy-pack-config", str(malformed)))
    invalid = tmp_path / "invalid.json"
    invalid.write_text(
        json.dumps({"inv-1-ownership-metadata": {"exemptions": [{"resource": "data"}]}}), encoding="utf-8"
    )
    line = one_line_error(run("check", program, "--policy-pack-config", str(invalid)))
    assert "'justification' is a required property" in line and "inv-1-ownership-metadata" in line
    level = tmp_path / "level.json"
    level.write_text(json.dumps({"all": "sometimes"}), encoding="utf-8")
    assert "enforcement level 'sometimes'" in one_line_error(
        run("check", program, "--policy-pack-config", str(level))
    )


def test_pack_config_can_downgrade_a_policy_to_advisory(tmp_path: Path) -> None:
    config = tmp_path / "advisory.yaml"
    config.write_text("inv-1-ownership-metadata: advisory\n", encoding="utf-8")
    proc = run("check", str(write_program(UNTAGGED)), "--policy-pack-config", str(config), "--format", "json")
    report = json.loads(proc.stdout)
    levels = {
        v["enforcementLevel"] for v in report["violations"] if v["policy"] == "inv-1-ownership-metadata"
    }
    assert levels == {"advisory"}
