"""`aiwarden check` as a gate: every policy decides by default, any Pulumi program can be checked, findings
point at the declaring line, bad input is a one-line error. Each case through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
REPO = Path(__file__).resolve().parents[1]

#: The way nearly every real program writes a bucket policy: built from the bucket's ARN in an apply.
PUBLIC_POLICY = """\
import json
import pulumi_aws as aws

bucket = aws.s3.Bucket("data")
aws.s3.BucketPolicy(
    "data-policy",
    bucket=bucket.id,
    policy=bucket.arn.apply(lambda arn: json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{arn}/*"}],
    })),
)
"""
POLICY_URN = "urn:pulumi:{stack}::newbie::aws:s3/bucketPolicy:BucketPolicy::data-policy"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aiwarden.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **(env or {})},
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


def program(root: Path, code: str, name: str = "newbie", stacks: dict[str, str] | None = None) -> Path:
    """A newcomer's project: Pulumi.yaml and a program, stack files only when given."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n", encoding="utf-8")
    (root / "__main__.py").write_text(code, encoding="utf-8")
    for stack, text in (stacks or {}).items():
        (root / f"Pulumi.{stack}.yaml").write_text(text, encoding="utf-8")
    return root


def report(proc: subprocess.CompletedProcess[str]) -> dict:
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def policy_findings(data: dict, policy: str) -> list[tuple[str, str, str]]:
    return [(v["urn"], v["enforcementLevel"], v["kind"]) for v in data["violations"] if v["policy"] == policy]


@pytest.fixture(scope="module")
def newbie(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return program(tmp_path_factory.mktemp("newbie") / "app", PUBLIC_POLICY)


# -- every policy decides by default ---------------------------------------------------------------------


def test_apply_built_public_bucket_policy_is_mandatory_by_default(newbie: Path) -> None:
    data = report(run("check", str(newbie), "--format", "json"))
    assert data["mode"] == "update" and data["preview"] is False
    assert policy_findings(data, "data-1-s3-no-public-bucket-policy") == [
        (POLICY_URN.format(stack="dev"), "mandatory", "violation")
    ]
    assert data["summary"]["undecided"] == 0
    assert not [v for v in data["violations"] if v["kind"] == "unknown-at-preview"]


def test_preview_flag_keeps_pulumi_preview_semantics(newbie: Path) -> None:
    data = report(run("check", str(newbie), "--preview", "--format", "json"))
    assert data["mode"] == "preview" and data["preview"] is True
    [(urn, level, kind)] = policy_findings(data, "data-1-s3-no-public-bucket-policy")
    assert (urn, level, kind) == (POLICY_URN.format(stack="dev"), "advisory", "unknown-at-preview")
    assert data["summary"]["undecided"] >= 1
    message = next(
        v["message"] for v in data["violations"] if v["policy"] == "data-1-s3-no-public-bucket-policy"
    )
    assert "aiwarden@v0.1.0" in message and "v0.0.1" not in message  # the pack's real version


def test_the_verdict_line_names_the_mode(newbie: Path) -> None:
    assert "(update mode)" in run("check", str(newbie)).stdout
    assert "(preview mode)" in run("check", str(newbie), "--preview").stdout
    assert "contradict" in one_line_error(run("check", str(newbie), "--preview", "--update"))


def test_update_mode_mocks_give_every_declared_output(tmp_path: Path) -> None:
    code = """\
import pulumi
import pulumi_aws as aws

api = aws.apigateway.RestApi("api")
stage = aws.apigateway.Stage("stage", rest_api=api.id, deployment="d", stage_name="prod")
cluster = aws.eks.Cluster("c", role_arn="arn:aws:iam::123456789012:role/eks", vpc_config={"subnet_ids": ["s"]})
pulumi.export("url", stage.invoke_url)
pulumi.export("endpoint", cluster.endpoint)
pulumi.export("issuer", cluster.identities[0].oidcs[0].issuer)
pulumi.export("ca", cluster.certificate_authority.data)
pulumi.export("arn", stage.arn)
"""
    proc = run("preview", str(program(tmp_path / "outputs", code)))
    assert proc.returncode == 0, proc.stderr
    outputs = json.loads(proc.stdout)["outputs"]
    assert outputs["url"].startswith("https://") and outputs["url"].endswith(
        ".execute-api.us-east-1.amazonaws.com/prod"
    )
    assert outputs["endpoint"].startswith("https://") and outputs["endpoint"].endswith(
        ".eks.us-east-1.amazonaws.com"
    )
    assert outputs["issuer"].startswith("https://oidc.eks.us-east-1.amazonaws.com/id/")
    assert outputs["ca"] and outputs["arn"].startswith("arn:aws:apigateway:us-east-1:123456789012:")


# -- stacks as Pulumi has them ---------------------------------------------------------------------------


def test_no_stack_file_checks_dev_and_says_so(newbie: Path) -> None:
    proc = run("check", str(newbie), "--format", "json")
    data = report(proc)
    assert data["stack"] == "dev"
    assert any("checking stack 'dev'" in note for note in data["notes"])
    assert "checking stack 'dev'" in run("check", str(newbie)).stdout


def test_a_named_stack_without_a_file_runs_with_empty_config(newbie: Path) -> None:
    data = report(run("check", str(newbie), "--stack", "prod", "--format", "json"))
    assert data["stack"] == "prod"
    assert policy_findings(data, "data-1-s3-no-public-bucket-policy") == [
        (POLICY_URN.format(stack="prod"), "mandatory", "violation")
    ]
    assert any("Pulumi.prod.yaml" in note and "empty config" in note for note in data["notes"])


REQUIRES_SECRET = """\
import pulumi
import pulumi_aws as aws

token = pulumi.Config().require_secret("modelToken")
aws.secretsmanager.Secret("token")
pulumi.export("length", token.apply(len))
"""


def test_missing_required_secret_is_a_clear_error(tmp_path: Path) -> None:
    prog = program(tmp_path / "secret", REQUIRES_SECRET)
    line = one_line_error(run("check", str(prog)))
    assert "'newbie:modelToken'" in line
    assert "pulumi config set --secret newbie:modelToken <value> --stack dev" in line
    assert "--placeholder-secrets" in line


def test_placeholder_secrets_run_the_program_with_a_redacted_value(tmp_path: Path) -> None:
    prog = program(tmp_path / "secret", REQUIRES_SECRET)
    data = report(run("check", str(prog), "--placeholder-secrets", "--format", "json"))
    assert any("placeholder" in note and "newbie:modelToken" in note for note in data["notes"])
    assert [r["name"] for r in data["resources"] if r["type"] == "aws:secretsmanager/secret:Secret"] == [
        "token"
    ]


# -- findings point at code ------------------------------------------------------------------------------


def test_findings_carry_the_declaring_line_and_sarif_regions(newbie: Path, tmp_path: Path) -> None:
    data = report(run("check", str(newbie), "--format", "json"))
    [policy] = [v for v in data["violations"] if v["policy"] == "data-1-s3-no-public-bucket-policy"]
    assert (policy["file"], policy["line"]) == ("__main__.py", 5)
    # A stack policy's finding about one bucket carries the bucket's URN, name and location.
    [tls] = [v for v in data["violations"] if v["policy"] == "data-4-s3-bucket-tls-only"]
    assert (tls["urn"], tls["resourceName"], tls["file"], tls["line"]) == (
        "urn:pulumi:dev::newbie::aws:s3/bucket:Bucket::data",
        "data",
        "__main__.py",
        4,
    )
    out = tmp_path / "out.sarif"
    assert run("check", str(newbie), "--format", "sarif", "-o", str(out)).returncode == 1
    sarif = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(sarif, SCHEMA)
    run_ = sarif["runs"][0]
    assert run_["originalUriBaseIds"]["SRCROOT"]["uri"] == newbie.resolve().as_uri() + "/"
    [result] = [r for r in run_["results"] if r["ruleId"] == "data-1-s3-no-public-bucket-policy"]
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "__main__.py", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 5},
    }
    resource_results = [r for r in run_["results"] if r["properties"]["urn"]]
    assert resource_results and all(
        "region" in r["locations"][0]["physicalLocation"] for r in resource_results
    )
    stack_results = [r for r in run_["results"] if not r["properties"]["urn"]]
    assert all(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Pulumi.yaml"
        for r in stack_results
    )


def test_paths_are_relative_to_the_repository_or_source_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    prog = program(repo / "infra" / "app", PUBLIC_POLICY)
    data = report(run("check", str(prog), "--format", "json"))
    [policy] = [v for v in data["violations"] if v["policy"] == "data-1-s3-no-public-bucket-policy"]
    assert policy["file"] == "infra/app/__main__.py" and data["sourceRoot"] == str(repo.resolve())
    data = report(run("check", str(prog), "--format", "json", "--source-root", str(repo / "infra")))
    [policy] = [v for v in data["violations"] if v["policy"] == "data-1-s3-no-public-bucket-policy"]
    assert policy["file"] == "app/__main__.py"


def test_a_component_child_points_at_the_line_that_declared_the_component(tmp_path: Path) -> None:
    code = """\
from components._common import Ownership
from components.aws import LockedBucket, LockedBucketArgs

ownership = Ownership(owner="ml", environment="sandbox", data_classification="internal", purpose="demo")
LockedBucket("docs", LockedBucketArgs(ownership=ownership))
"""
    proc = run("preview", str(program(tmp_path / "component", code)))
    assert proc.returncode == 0, proc.stderr
    capture = json.loads(proc.stdout)
    children = [r for r in capture["resources"] if r["type"] == "aws:s3/bucket:Bucket"]
    assert children
    for child in children:
        assert [(Path(f["file"]).name, f["line"]) for f in child["frames"]][:1] == [("__main__.py", 5)]


# -- clean errors ----------------------------------------------------------------------------------------


def test_output_into_a_missing_folder_or_onto_a_folder(newbie: Path, tmp_path: Path) -> None:
    assert "does not exist" in one_line_error(
        run("check", str(newbie), "-o", str(tmp_path / "no" / "r.json"))
    )
    assert "is a folder" in one_line_error(run("check", str(newbie), "-o", str(tmp_path)))


def test_table_format_writes_the_table_to_the_output_file(newbie: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    proc = run("check", str(newbie), "-f", "table", "-o", str(out))
    assert proc.returncode == 1
    text = out.read_text(encoding="utf-8")
    assert "data-1-s3-no-public-bucket-policy" in text and "at: __main__.py:5" in text
    assert "FAILED newbie/dev (update mode)" in text and "\x1b[" not in text


def test_unknown_aiwarden_key_names_the_closest_valid_key(tmp_path: Path) -> None:
    prog = program(
        tmp_path / "typo", PUBLIC_POLICY, stacks={"dev": "config:\n  aiwarden:enviroment: production\n"}
    )
    line = one_line_error(run("check", str(prog)))
    assert "'aiwarden:enviroment'" in line and "did you mean aiwarden:environment?" in line
    assert "Pulumi.dev.yaml" in line
    line = one_line_error(run("check", str(REPO), "--stack", "aws-production", "-c", "aiwarden:datasetz={}"))
    assert "'aiwarden:datasetz'" in line and "did you mean aiwarden:datasets?" in line and "--config" in line


def test_invalid_environment_is_refused(newbie: Path) -> None:
    line = one_line_error(run("check", str(newbie), "-c", "aiwarden:environment=prodution"))
    assert "aiwarden:environment" in line and "production, staging, sandbox" in line


@pytest.mark.parametrize(("key", "unit"), [("maxGpuNodesPerPool", "nodes"), ("maxGpusPerNamespace", "GPUs")])
def test_a_malformed_gpu_ceiling_is_refused_before_the_program_runs(
    newbie: Path, key: str, unit: str
) -> None:
    line = one_line_error(run("check", str(newbie), "-c", f"aiwarden:{key}=lots"))
    assert f"aiwarden:{key}: expected a non-negative whole number of {unit}" in line


def test_policies_lists_whole_names_and_refuses_an_unknown_environment() -> None:
    proc = run("policies", env={"COLUMNS": "60"})
    assert proc.returncode == 0, proc.stderr
    longest = "sec-2-secretsmanager-secret-customer-managed-key"
    assert longest in proc.stdout and "aiwarden 0.1.0 policies (production)" in proc.stdout
    assert "…" not in proc.stdout
    assert "--environment 'prodd'" in one_line_error(run("policies", "--environment", "prodd"))
    assert "(sandbox)" in run("policies", "--environment", "dev").stdout
