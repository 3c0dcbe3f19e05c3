"""Tabletop exercises: for each kind of incident, the runbook of a real example program answers the responder's
questions (who owns it and whom to call, what to revoke and the exact command, what to disable, what to
preserve and where and for how long, which request ids to correlate on, how to roll the response back).

The runbooks are built from offline previews of ``examples/`` (the mocks' ids and ARNs), and once through the
real command from a ``pulumi stack export`` of the same program; bad state files end with exit 2 and one line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from aiwarden.capture.model import Capture
from aiwarden.capture.preview import preview
from aiwarden.views.runbook import build, render
from aiwarden.views.runbook.model import AssetRunbook, Evidence, Item, Runbook
from aiwarden.views.stack import from_capture
from tests.harness import capture
from tests.state_export import write_export

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = "123456789012"
PUBLIC_BUCKET = """
from components._common import Ownership, PublicAccess, export_inventory
from components.aws import LockedBucket, LockedBucketArgs
owner = Ownership(owner="ml-platform", environment="production", data_classification="public",
                  purpose="model-cards", contact="ml-oncall@example.com")
LockedBucket("cards", LockedBucketArgs(
    ownership=owner, kms_key=None,
    public_access=PublicAccess(justification="Public model cards, approved by security in SEC-42 until 2026-12"),
    policy_statements=({"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"},)))
export_inventory()
"""

#: The program whose export is ``tests/data/stack-export.json`` (the docs' ``state.json``): the aws-key example
#: and a notebook nobody recorded.
EXPORT_PROGRAM = (
    (ROOT / "examples" / "aws-key" / "__main__.py")
    .read_text(encoding="utf-8")
    .replace(
        "export_inventory()",
        """import pulumi_aws as aws
aws.sagemaker.NotebookInstance("scratch-notebook", instance_type="ml.t3.medium",
                               role_arn="arn:aws:iam::123456789012:role/fraud-training")
export_inventory()""",
    )
)
STATE_FIXTURE = ROOT / "tests" / "data" / "stack-export.json"


@cache
def example(name: str) -> Capture:
    return preview(ROOT / "examples" / name, None, [], False)


def runbook(name: str) -> Runbook:
    return build.build(from_capture(example(name), name))


def asset(book: Runbook, name: str) -> AssetRunbook:
    [found] = [a for a in book.assets if a.name == name]
    return found


def commands(items: list[Item] | list[Evidence]) -> list[str]:
    return [step.command for item in items for step in item.steps]


def kept(found: list[Evidence]) -> dict[str, str]:
    return {e.where: e.retention for e in found}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aiwarden.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# --- leaked model-provider key (SecretWiring) -------------------------------------------------------------------


def test_leaked_provider_key_on_aws() -> None:
    a = asset(runbook("aws-secret-wiring"), "openai-api-key-secret")
    secret = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:openai-api-key-secret-2aaeca6-AbCdEf"
    read_policy = f"arn:aws:iam::{ACCOUNT}:policy/openai-api-key-read-d30f928"
    # who owns it and whom to call: no contact is recorded, so the runbook names the owner team and says so
    assert (a.owner, a.contact, a.kind, a.classification) == (
        "ml-platform",
        "ml-platform",
        "secret",
        "confidential",
    )
    assert a.contact_note.startswith("No responder contact is recorded")
    # what to revoke: the credential at its issuer (the recorded procedure), the stored value, who may read it
    assert [(i.what, i.subject) for i in a.revoke] == [
        ("Secrets Manager secret", secret),
        ("IAM managed policy", read_policy),
    ]
    assert "ml-platform rotates the key in the OpenAI console every 90 days" in a.revoke[0].note
    assert commands(a.revoke) == [
        f"aws secretsmanager put-secret-value --secret-id {secret} --region us-east-1 "
        "--secret-string file://new-credential.txt",
        "aws cloudtrail lookup-events --region us-east-1 --lookup-attributes "
        "AttributeKey=EventName,AttributeValue=GetSecretValue --output json | jq -r '.Events[].CloudTrailEvent "
        '| fromjson | select((.requestParameters.secretId // "") | contains("openai-api-key-secret-2aaeca6")) '
        "| [.eventTime, .userIdentity.arn, .sourceIPAddress, .requestID, .eventID] | @tsv'",
        f"aws iam detach-role-policy --role-name fraud-inference --policy-arn {read_policy}",
        f"aws iam list-entities-for-policy --policy-arn {read_policy}",
    ]
    # a reader role that leaked its sessions: revoke them
    assert commands(a.access)[0] == (
        "aws iam put-role-policy --role-name fraud-inference --policy-name AWSRevokeOlderSessions --policy-document "
        """"$(printf '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","""
        """"Condition":{"DateLessThan":{"aws:TokenIssueTime":"%s"}}}]}' "$(date -u +%Y-%m-%dT%H:%M:%SZ)")\""""
    )
    # nothing to disable; what to preserve, where and for how long
    assert a.disable == []
    assert kept(a.preserve) == {
        "CloudTrail event history (no trail in this stack)": "event history: management events of the last 90 days"
    }
    assert commands(a.preserve) == [
        "aws cloudtrail lookup-events --region us-east-1 --lookup-attributes "
        f"AttributeKey=ResourceName,AttributeValue={secret} --output json > cloudtrail-openai-api-key-secret.json"
    ]
    assert [r.name for r in a.request_ids] == ["requestID (CloudTrail)", "eventID (CloudTrail)"]
    assert a.rollback[0].endswith(
        "the previous value stays readable as version AWSPREVIOUS until the next rotation."
    )


def test_leaked_provider_key_on_gcp() -> None:
    a = asset(runbook("gcp-secret-wiring"), "openai-secret")
    member = "serviceAccount:aiwarden-offline.svc.id.goog[rag/rag-api]"
    assert (a.owner, a.kind, a.classification) == ("ml-platform", "secret", "restricted")
    assert commands(a.revoke)[:2] == [
        "for v in $(gcloud secrets versions list openai-api-key --project=aiwarden-offline --filter='state=ENABLED' "
        "--format='value(name.basename())'); do gcloud secrets versions disable \"$v\" --secret=openai-api-key "
        "--project=aiwarden-offline; done",
        "gcloud secrets versions add openai-api-key --project=aiwarden-offline --data-file=new-credential.txt",
    ]
    # the Kubernetes workload that reads it through Workload Identity: remove its binding, exactly
    wi = next(i for i in a.access if i.subject == member)
    assert commands([wi])[0] == (
        "gcloud iam service-accounts remove-iam-policy-binding rag-api@aiwarden-offline.iam.gserviceaccount.com "
        f"--project=aiwarden-offline --member='{member}' --role=roles/iam.workloadIdentityUser"
    )
    [audit] = a.preserve
    assert audit.where == "Cloud Audit Logs of project aiwarden-offline"
    assert audit.retention == (
        "Admin Activity 400 days (_Required bucket, fixed); Data Access 30 days (_Default bucket); Data Access "
        "logs are off unless the project turns them on (this stack does not)"
    )
    assert {"protoPayload.requestMetadata", "operation.id", "insertId"} <= {r.name for r in a.request_ids}


# --- exposed notebook (ManagedNotebook) ----------------------------------------------------------------------


def test_exposed_notebook() -> None:
    a = asset(runbook("gcp-managed-notebook"), "fraud-research-instance")
    sa = "fraud-research-nb@aiwarden-offline.iam.gserviceaccount.com"
    instance = "fraud-research-instance-84bbc7f"
    assert (a.owner, a.kind, a.exposure) == ("ml-platform", "notebook", "private")
    # revoke: the notebook's service account (keys, then the account) and the people allowed to act as it
    revoke = commands(a.revoke)
    assert f"gcloud iam service-accounts disable {sa} --project=aiwarden-offline" in revoke
    assert (
        f"gcloud iam service-accounts keys disable <KEY_ID> --iam-account={sa} --project=aiwarden-offline"
        in revoke
    )
    assert (
        f"gcloud iam service-accounts remove-iam-policy-binding {sa} --project=aiwarden-offline "
        "--member=user:ana@example.com --role=roles/iam.serviceAccountUser"
    ) in revoke
    # disable: stop the instance (its disks stay)
    assert commands(a.disable) == [
        f"gcloud workbench instances stop {instance} --location=us-central1-a --project=aiwarden-offline"
    ]
    # preserve: the audit logs (how long, Data Access on) and snapshots of the disks, before anything is deleted
    retention = kept(a.preserve)
    assert retention["Cloud Audit Logs of project aiwarden-offline"].startswith(
        "Admin Activity 400 days (_Required bucket, fixed); Data Access 30 days (_Default bucket); Data Access logs "
        "on (allServices"
    )
    assert retention["the instance's disks"] == "until the instance is deleted"
    assert (
        f"for d in $(gcloud compute instances describe {instance} --zone=us-central1-a --project=aiwarden-offline "
        "--format='value(disks[].source.basename())' | tr ';' ' '); do gcloud compute disks snapshot \"$d\" "
        '--zone=us-central1-a --project=aiwarden-offline --snapshot-names="$d-incident-$(date -u +%Y%m%d%H%M)"; done'
    ) in commands(a.preserve)
    assert (
        'gcloud logging read \'logName:"cloudaudit.googleapis.com" AND protoPayload.authenticationInfo.principalEmail'
        f'="{sa}"\' --project=aiwarden-offline --freshness=400d --format=json > audit-fraud-research-instance.json'
    ) in commands(a.preserve)
    assert [r.name for r in a.request_ids] == ["protoPayload.requestMetadata", "operation.id", "insertId"]
    assert (
        "Vertex AI Workbench instance projects/aiwarden-offline/locations/us-central1-a/instances/"
        f"{instance}: gcloud workbench instances start {instance} --location=us-central1-a --project=aiwarden-offline"
    ) in a.rollback


def test_exposed_notebook_on_aws() -> None:
    a = asset(runbook("aws-managed-notebook"), "research")
    role = f"arn:aws:iam::{ACCOUNT}:role/research-role-618aac8"
    assert (a.owner, a.kind) == ("ml-platform", "notebook")
    assert [(i.what, i.subject) for i in a.revoke] == [
        ("IAM role", role),
        ("IAM managed policy", f"arn:aws:iam::{ACCOUNT}:policy/research-open-3a06368"),
    ]
    assert commands(a.revoke)[0].startswith(
        "aws iam put-role-policy --role-name research-role-618aac8 --policy-name AWSRevokeOlderSessions "
    )
    # disable: stop the notebook; the data buckets it reads are inspected, not re-configured
    assert commands(a.disable) == [
        "aws sagemaker describe-notebook-instance --notebook-instance-name research-notebook-6cf0dd3 --region us-east-1",
        "aws sagemaker stop-notebook-instance --notebook-instance-name research-notebook-6cf0dd3 --region us-east-1",
    ]
    assert [i.subject for i in a.inspect] == ["fraud-training-data", "fraud-research-scratch"]
    assert (
        "aws logs create-export-task --log-group-name /aws/sagemaker/NotebookInstances --log-stream-name-prefix "
        "research-notebook-6cf0dd3/ --from <START_EPOCH_MS> --to <END_EPOCH_MS> --destination <EVIDENCE_BUCKET> "
        "--destination-prefix incident/research --region us-east-1"
    ) in commands(a.preserve)
    assert kept(a.preserve)["CloudWatch Logs /aws/sagemaker/NotebookInstances"].startswith(
        "set outside this stack (a group the service creates itself never expires unless someone set it)"
    )


# --- endpoint abuse / denial of wallet (ModelEndpoint + SpendGuard) ----------------------------------------------


def test_endpoint_abuse_and_denial_of_wallet_on_aws() -> None:
    book = runbook("aws-model-endpoint")
    a = asset(book, "fraud-scorer")
    assert (a.owner, a.kind) == ("ml-platform", "model-endpoint")
    # revoke: the callers' permission to invoke
    assert commands(a.revoke)[0] == (
        "aws iam detach-role-policy --role-name fraud-scoring-service "
        f"--policy-arn arn:aws:iam::{ACCOUNT}:policy/fraud-scorer-invoke-policy-9983d56"
    )
    # disable: throttle the stage to 0 (stops the spend at once), then stop the endpoint
    assert commands(a.disable) == [
        "aws apigateway update-stage --rest-api-id 3de2072463 --stage-name v1 --region us-east-1 --patch-operations "
        "op=replace,path=/*/*/throttling/rateLimit,value=0 op=replace,path=/*/*/throttling/burstLimit,value=0",
        "aws apigateway get-stage --rest-api-id 3de2072463 --stage-name v1 --region us-east-1",
        "aws sagemaker describe-endpoint --endpoint-name aws-model-endpoint-dev-fraud-scorer --region us-east-1",
        "aws sagemaker delete-endpoint --endpoint-name aws-model-endpoint-dev-fraud-scorer --region us-east-1",
    ]
    # preserve: every log, where, and how long the stack keeps it
    assert kept(a.preserve) == {
        "CloudWatch Logs /aws/sagemaker/Endpoints/aws-model-endpoint-dev-fraud-scorer": "365 days (retentionInDays)",
        "CloudWatch Logs /aiwarden/aws-model-endpoint/dev/fraud-scorer/api-access": "365 days (retentionInDays)",
        "CloudWatch Logs API-Gateway-Execution-Logs_fraud-scorer-api-e213de7/v1": "365 days (retentionInDays)",
        "CloudWatch Logs aws-waf-logs-aws-model-endpoint-dev-fraud-scorer": "365 days (retentionInDays)",
        "s3://fraud-captures-bucketeaa4386/data-capture/": "kept until deleted (no expiration rule in the stack)",
    }
    # request ids: the API's own, read from the stage's access log format, and CloudTrail's
    ids = {r.name: r for r in a.request_ids}
    assert ids["$context.requestId"].where == (
        "CloudWatch Logs /aiwarden/aws-model-endpoint/dev/fraud-scorer/api-access, JSON key requestId"
    )
    assert "--filter-pattern '{ $.requestId = \"<REQUEST_ID>\" }'" in ids["$context.requestId"].use
    assert {
        "$context.extendedRequestId",
        "X-Amzn-Invoked-Production-Variant",
        "requestID (CloudTrail)",
    } <= set(ids)
    # rollback: the stack's own throttle, and the endpoint from its kept configuration
    assert any("value=50 op=replace,path=/*/*/throttling/burstLimit,value=100" in r for r in a.rollback)
    assert any(
        "create-endpoint --endpoint-name aws-model-endpoint-dev-fraud-scorer --region us-east-1 "
        "--endpoint-config-name fraud-scorer-config-7b41a4a" in r
        for r in a.rollback
    )
    # spend: the budget and where the money goes, the alarm on this endpoint
    spend = {i.subject: i for i in book.spend}
    budget = spend["spend-budget-71351e2"]
    assert budget.what == "AWS budget (25000 USD per month)"
    assert "80% actual -> ml-platform@example.com" in budget.note
    assert commands([budget]) == [
        f"aws budgets describe-budget --account-id {ACCOUNT} --budget-name spend-budget-71351e2",
        "aws ce get-cost-and-usage --time-period Start=<YYYY-MM-DD>,End=<YYYY-MM-DD> --granularity DAILY --metrics "
        "UnblendedCost --group-by Type=DIMENSION,Key=SERVICE "
        """--filter '{"Tags":{"Key":"purpose","Values":["fraud-scoring"]}}'""",
    ]
    assert any("EndpointName=aws-model-endpoint-dev-fraud-scorer" in i.what for i in book.spend)
    # the stack's trail: where, and that its bucket's retention is set outside the stack
    assert kept(book.stack_evidence) == {
        "CloudTrail trail aiwarden-aws-model-endpoint-dev-audit: s3://org-log-archive/AWSLogs/123456789012/CloudTrail/": "set outside this stack: aws s3api get-bucket-lifecycle-configuration --bucket org-log-archive",
        "CloudTrail trail aiwarden-aws-model-endpoint-dev-audit: CloudWatch Logs "
        "/aiwarden/cloudtrail/aiwarden-aws-model-endpoint-dev-audit": "400 days (retentionInDays)",
    }


def test_endpoint_abuse_on_gcp() -> None:
    a = asset(runbook("gcp-model-endpoint"), "fraud-scoring-endpoint")
    where = "--region=us-central1 --project=aiwarden-offline"
    assert commands(a.disable)[1] == (
        f"for m in $(gcloud ai endpoints describe 827764528 {where} --format='value(deployedModels[].id)' "
        f"| tr ';' ' '); do gcloud ai endpoints undeploy-model 827764528 {where} --deployed-model-id=\"$m\"; done"
    )
    assert (
        "bq cp aiwarden-offline:fraud_scoring_predictions.request_response_logging "
        '"aiwarden-offline:fraud_scoring_predictions.request_response_logging_incident_$(date -u +%Y%m%d)"'
    ) in commands(a.preserve)
    assert (
        "gcloud iam service-accounts disable scoring-api@aiwarden-offline.iam.gserviceaccount.com "
        "--project=aiwarden-offline" in commands(a.revoke)
    )


# --- public bucket (LockedBucket) ----------------------------------------------------------------------------


def test_public_bucket_on_aws() -> None:
    a = asset(runbook("aws-locked-bucket"), "training-data-bucket")
    bucket = "training-data-bucket47febf0"
    assert (a.owner, a.kind, a.exposure) == ("ml-platform", "dataset-bucket", "private")
    assert commands(a.disable) == [
        f"aws s3api put-public-access-block --bucket {bucket} --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
    ]
    assert a.disable[0].rollback == "`pulumi up` re-applies all four settings on."
    assert commands(a.inspect)[:3] == [
        f"aws s3api get-bucket-policy-status --bucket {bucket}",
        f"aws s3api get-public-access-block --bucket {bucket}",
        f"aws s3api get-bucket-policy --bucket {bucket} --query Policy --output text",
    ]
    assert kept(a.preserve) == {
        "s3://training-data-access-logsda55d54/s3-access/": (
            "objects expire 400 days after they are written (lifecycle rule expire-old-versions)"
        )
    }
    # the roles that can read it: what to run if one of them leaked
    assert [i.subject for i in a.access] == [
        f"arn:aws:iam::{ACCOUNT}:role/fraud-training",
        f"arn:aws:iam::{ACCOUNT}:role/fraud-evaluation",
    ]
    assert "requestID (CloudTrail)" in {r.name for r in a.request_ids}


def test_public_bucket_on_gcp() -> None:
    a = asset(runbook("gcp-locked-bucket"), "training-data-bucket")
    assert commands(a.disable)[0] == (
        "gcloud storage buckets update gs://training-data-bucket-47febf0 --public-access-prevention"
    )
    assert kept(a.preserve)["gs://training-data-logs-bb8b1a1/training-data"] == (
        "kept at least 365 days (retention policy, not locked); deleted 365 days after they are written (lifecycle)"
    )
    assert (
        "gcloud storage buckets remove-iam-policy-binding gs://training-data-bucket-47febf0 "
        "--member=serviceAccount:fraud-trainer@aiwarden-offline.iam.gserviceaccount.com --role=roles/storage.objectViewer"
    ) in commands(a.revoke)


def test_a_justified_public_bucket_names_its_contact_and_exception() -> None:
    a = asset(build.build(from_capture(capture(PUBLIC_BUCKET), "cards")), "cards-bucket")
    assert (a.exposure, a.contact, a.contact_note) == ("public", "ml-oncall@example.com", "")
    assert a.exception == "Public model cards approved by security in SEC-42 until 2026-12"
    assert (
        a.disable[0].rollback
        == "`pulumi up` re-applies the stack's settings (a justified public exception, if it declares one)."
    )


# --- through the command, from a state export -------------------------------------------------------------------


def test_runbook_from_a_state_export_through_the_command(tmp_path: Path) -> None:
    state = write_export(example("aws-model-endpoint"), tmp_path / "state.json")
    proc = cli("runbook", "--state", str(state), "--asset", "fraud-scorer")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.startswith("# Incident runbook · aws-model-endpoint/dev\n\nSource: state file ")
    assert "(deployment of 2026-01-01T00:00:00.000000Z)" in text
    assert "Values come from an offline preview" not in text
    assert "aws apigateway update-stage --rest-api-id 3de2072463 --stage-name v1 --region us-east-1" in text
    assert (
        "| `CloudWatch Logs /aiwarden/aws-model-endpoint/dev/fraud-scorer/api-access` | log events | 365 days"
        in text
    )
    # the same answers as the preview, asset for asset
    preview_book = build.build(from_capture(example("aws-model-endpoint"), "x"), "fraud-scorer")
    assert (
        text.split("## fraud-scorer", 1)[1]
        == render.render_markdown(preview_book).split("## fraud-scorer", 1)[1]
    )
    page = cli("runbook", "--state", str(state), "--format", "html")
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("<!DOCTYPE html>") and 'id="asset-fraud-scorer"' in page.stdout
    data = json.loads(cli("runbook", "--state", str(state), "--format", "json").stdout)
    assert [a["name"] for a in data["assets"]] == [
        "fraud-captures-bucket",
        "fraud-scorer",
        "fraud-captures-key-cmk",
        "fraud-scorer-key-cmk",
    ]


def test_an_unknown_asset_is_refused_with_the_closest_names() -> None:
    proc = cli("runbook", str(ROOT / "examples" / "aws-secret-wiring"), "--asset", "openai-secret")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "error: --asset openai-secret: no asset of that name is recorded in aws-secret-wiring/dev; did you mean "
        "openai-api-key-secret?"
    )


# --- bad input ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bad_states(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("states")
    full = json.dumps(
        json.loads(write_export(example("aws-secret-wiring"), root / "full.json").read_text()), indent=2
    )
    files = {
        "empty.json": "",
        "truncated.json": full[: len(full) // 2],
        "foreign.json": json.dumps({"apiVersion": "v1", "kind": "ConfigMap"}),
        "foreign.yaml": "config:\n  aws:region: us-east-1\n",
        "destroyed.json": json.dumps(
            {"version": 3, "deployment": {"manifest": {"time": "2026-01-01T00:00:00Z"}}}
        ),
        "capture.json": json.dumps(example("aws-secret-wiring").to_json()),
    }
    for name, content in files.items():
        (root / name).write_text(content, encoding="utf-8")
    return {name: root / name for name in files}


EXPECTED = {
    "empty.json": "is empty; export it with `pulumi stack export --file state.json`",
    "truncated.json": "is truncated: the JSON ends before it is complete",
    "foreign.json": 'is not a Pulumi state export (expected {"version": 3, "deployment": {...}}; its keys: apiVersion, '
    "kind)",
    "foreign.yaml": "is not JSON (Expecting value at line 1, column 1), so not a Pulumi state export",
    "destroyed.json": "holds no resources: the stack was never deployed, or was destroyed (an empty state)",
    "capture.json": "is an `aiwarden preview` capture, not a Pulumi state export",
}


@pytest.mark.parametrize("command", ["inventory", "runbook"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bad_state_file_exits_2_with_one_line_saying_so(
    command: str, name: str, bad_states: dict[str, Path]
) -> None:
    proc = cli(command, "--state", str(bad_states[name]))
    assert proc.returncode == 2
    assert proc.stdout == ""
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith(f"error: state file {bad_states[name]}: {EXPECTED[name]}")


def test_a_program_and_a_state_file_together_are_refused(bad_states: dict[str, Path]) -> None:
    proc = cli(
        "inventory", str(ROOT / "examples" / "aws-secret-wiring"), "--state", str(bad_states["empty.json"])
    )
    assert proc.returncode == 2
    assert "not both" in proc.stderr


def test_the_documented_state_export_is_the_export_of_its_program(tmp_path: Path) -> None:
    """``tests/data/stack-export.json`` (README, docs) is what the converter writes for ``EXPORT_PROGRAM``."""
    fresh = write_export(capture(EXPORT_PROGRAM), tmp_path / "state.json")

    def by_urn(
        path: Path,
    ) -> dict[str, object]:  # registration order varies between runs; the resources do not
        data = json.loads(path.read_text(encoding="utf-8"))
        resources = data["deployment"].pop("resources")
        return {**data, "resources": {r["urn"]: r for r in resources}}

    assert by_urn(STATE_FIXTURE) == by_urn(fresh)
    proc = cli("inventory", "--state", str(STATE_FIXTURE), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [a["name"] for a in data["assets"]] == ["training-data-cmk"]
    assert [(u["name"], u["kind"]) for u in data["unmanaged"]] == [("scratch-notebook", "notebook")]
