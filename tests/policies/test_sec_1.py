"""SEC-1: no plaintext credentials in environment, scripts, metadata, config maps, tags and labels."""

from __future__ import annotations

import json

import pytest

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, messages, resource, set_input, unknowns
from tests.policies.programs import b64

POLICY = "sec-1-no-plaintext-credentials"

# Fake credentials in the real formats (never real keys).
OPENAI = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"
ANTHROPIC = "sk-ant-api03-Zy9xWv8uTs7rQp6oNm5lKj4i"
HF = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz12345678"
GITHUB = "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
SLACK = "xoxb-1234567890-0987654321-AbCdEfGhIjKl"
GOOGLE = "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
AWS_KEY_ID = "AKIAIOSFODNN7EXAMPL3"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


BASELINE = """
import base64, json
import pulumi
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s

TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
K8S_LABELS = {f"aiwarden.io/{k}": v for k, v in TAGS.items()}
ROLE = "arn:aws:iam::123456789012:role/inference"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai-key-AbCdEf"
SCRIPT = '''#!/bin/bash
export OPENAI_API_KEY="$(aws secretsmanager get-secret-value --secret-id openai-key --query SecretString --output text)"
export MAX_TOKENS=4096
export TOKENIZERS_PARALLELISM=false
DB_URL="postgres://app:${DB_PASSWORD}@db.internal:5432/app"
git checkout 0123456789abcdef0123456789abcdef01234567
'''

aws.sagemaker.Model("model", execution_role_arn=ROLE, tags=TAGS,
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(image="img", environment={
        "HF_TOKEN_SECRET_ARN": SECRET_ARN, "MAX_TOKENS": "4096", "SAGEMAKER_PROGRAM": "serve.py",
        # Secrets Manager names: a path under a key naming a secret, an ARN, any name under *_SECRET_ID
        "OPENAI_SECRET": "prod/openai/api-key", "HF_SECRET_ID": "hf-token",
        "ANTHROPIC_SECRET": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/anthropic/api-key-AbCdEf"}),
    containers=[aws.sagemaker.ModelContainerArgs(image="img", environment={"LOG_LEVEL": "info"})])
aws.ecs.TaskDefinition("task", family="inference", tags=TAGS, container_definitions=json.dumps([{
    "name": "api", "image": "img", "environment": [{"name": "MODEL_ID", "value": "llama"}],
    "secrets": [{"name": "OPENAI_API_KEY", "valueFrom": SECRET_ARN}]}]))
aws.lambda_.Function("fn", role=ROLE, runtime="python3.12", handler="app.handler", code=pulumi.AssetArchive({}),
    tags=TAGS, environment=aws.lambda_.FunctionEnvironmentArgs(variables={
        "API_KEY_PARAMETER": "arn:aws:ssm:us-east-1:123456789012:parameter/openai", "PASSWORD": "",
        "DB_CREDENTIALS": "MyApp/prod/db1"}))
aws.ec2.LaunchTemplate("lt", user_data=base64.b64encode(SCRIPT.encode()).decode(), tags=TAGS)
aws.ec2.Instance("vm", ami="ami-0abc", instance_type="g5.xlarge", user_data=SCRIPT, tags=TAGS)
aws.sagemaker.NotebookInstanceLifecycleConfiguration("lifecycle", tags=TAGS,
    on_create=base64.b64encode(b"pip install -r requirements.txt").decode(),
    on_start=base64.b64encode(SCRIPT.encode()).decode())
aws.s3.Bucket("bucket", tags={**TAGS, "secret-arn": SECRET_ARN})
aws.secretsmanager.SecretVersion("version", secret_id=SECRET_ARN, secret_string="sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z")

gcp.compute.Instance("gce", machine_type="g2-standard-4", zone="us-central1-a", labels=TAGS,
    boot_disk=gcp.compute.InstanceBootDiskArgs(initialize_params=gcp.compute.InstanceBootDiskInitializeParamsArgs(
        image="cos-cloud/cos-stable")),
    network_interfaces=[gcp.compute.InstanceNetworkInterfaceArgs(network="default")],
    metadata={"enable-oslogin": "TRUE", "startup-script": SCRIPT}, metadata_startup_script=SCRIPT)
gcp.compute.InstanceTemplate("template", machine_type="g2-standard-4", labels=TAGS,
    disks=[gcp.compute.InstanceTemplateDiskArgs(source_image="cos-cloud/cos-stable")],
    metadata={"enable-oslogin": "TRUE"})
gcp.workbench.Instance("workbench", location="us-central1-a", labels=TAGS,
    gce_setup=gcp.workbench.InstanceGceSetupArgs(metadata={"notebook-disable-root": "true",
                                                           "idle-timeout-seconds": "3600"}))
gcp.cloudrunv2.Service("run", location="us-central1", labels=TAGS, template=gcp.cloudrunv2.ServiceTemplateArgs(
    containers=[gcp.cloudrunv2.ServiceTemplateContainerArgs(image="img", envs=[
        gcp.cloudrunv2.ServiceTemplateContainerEnvArgs(name="MODEL", value="gemma"),
        gcp.cloudrunv2.ServiceTemplateContainerEnvArgs(name="GOOGLE_API_KEY",
            value_source=gcp.cloudrunv2.ServiceTemplateContainerEnvValueSourceArgs(
                secret_key_ref=gcp.cloudrunv2.ServiceTemplateContainerEnvValueSourceSecretKeyRefArgs(
                    secret="projects/p/secrets/google-api-key", version="latest"))),
        gcp.cloudrunv2.ServiceTemplateContainerEnvArgs(name="HF_SECRET", value="projects/p/secrets/hf/versions/3")])]))
gcp.cloudrunv2.Job("job", location="us-central1", labels=TAGS, template=gcp.cloudrunv2.JobTemplateArgs(
    template=gcp.cloudrunv2.JobTemplateTemplateArgs(containers=[gcp.cloudrunv2.JobTemplateTemplateContainerArgs(
        image="img", envs=[gcp.cloudrunv2.JobTemplateTemplateContainerEnvArgs(name="BATCH", value="64")])])))

k8s.apps.v1.Deployment("deploy", metadata=k8s.meta.v1.ObjectMetaArgs(labels=K8S_LABELS),
    spec=k8s.apps.v1.DeploymentSpecArgs(
        selector=k8s.meta.v1.LabelSelectorArgs(match_labels={"app": "llm"}),
        template=k8s.core.v1.PodTemplateSpecArgs(
            metadata=k8s.meta.v1.ObjectMetaArgs(labels={"app": "llm"}),
            spec=k8s.core.v1.PodSpecArgs(containers=[k8s.core.v1.ContainerArgs(name="llm", image="img", env=[
                k8s.core.v1.EnvVarArgs(name="MODEL", value="mistral"),
                k8s.core.v1.EnvVarArgs(name="HF_TOKEN", value_from=k8s.core.v1.EnvVarSourceArgs(
                    secret_key_ref=k8s.core.v1.SecretKeySelectorArgs(name="hf", key="token"))),
                k8s.core.v1.EnvVarArgs(name="OPENAI_SECRET", value="ml/OpenAI/api-key")])]))))
k8s.core.v1.ConfigMap("config", metadata=k8s.meta.v1.ObjectMetaArgs(labels=K8S_LABELS),
    data={"app.yaml": "model: mistral\\npassword_file: /var/run/secrets/db/password\\n", "LOG_LEVEL": "info"})
k8s.core.v1.Secret("k8s-secret", metadata=k8s.meta.v1.ObjectMetaArgs(labels=K8S_LABELS),
    string_data={"token": "hf_AbCdEfGhIjKlMnOpQrStUvWxYz12345678"})
"""


def test_compliant_baseline_has_no_sec1_finding() -> None:
    # References (ARNs, GCP secret names, path-shaped secret names under *_SECRET / *_CREDENTIALS keys,
    # valueFrom, valueSource, $(...) and ${...}), non-secret names that contain "token" or "secret"
    # (MAX_TOKENS, TOKENIZERS_PARALLELISM, HF_SECRET_ID), empty values, git SHAs and the secret stores
    # themselves (Kubernetes Secret data, SecretVersion.secretString) are not findings.
    assert findings(gate(capture(BASELINE)), "sec-1") == set()


def test_known_formats_in_container_environments() -> None:
    c = capture(BASELINE)
    set_input(c, "model", "primaryContainer.environment.HF_TOKEN", HF)
    set_input(c, "model", "containers.0.environment.GITHUB", GITHUB)
    definitions = json.loads(resource(c, "task").inputs["containerDefinitions"])
    definitions[0]["environment"].append({"name": "LLM_KEY", "value": OPENAI})
    set_input(c, "task", "containerDefinitions", json.dumps(definitions))
    set_input(c, "fn", "environment.variables.AWS_ACCESS_KEY_ID", AWS_KEY_ID)
    set_input(c, "run", "template.containers.0.envs.0.value", GOOGLE)
    set_input(c, "job", "template.template.containers.0.envs.0.value", SLACK)
    set_input(c, "deploy", "spec.template.spec.containers.0.env.0.value", ANTHROPIC)
    report = gate(c)
    assert findings(report, "sec-1") == {(POLICY, n) for n in ("model", "task", "fn", "run", "job", "deploy")}
    by_name = messages(report, POLICY)
    assert sorted(by_name["model"]) == [
        "aws:sagemaker/model:Model 'model': containers[0].environment.GITHUB holds a GitHub token (ghp_…); "
        "it must be a secret-manager reference.",
        "aws:sagemaker/model:Model 'model': primaryContainer.environment.HF_TOKEN holds a Hugging Face token "
        "(hf_A…); it must be a secret-manager reference.",
    ]
    assert (
        "containerDefinitions[api].environment.LLM_KEY holds an OpenAI API key (sk-p…)" in by_name["task"][0]
    )
    assert "environment.variables.AWS_ACCESS_KEY_ID holds an AWS access key id (AKIA…)" in by_name["fn"][0]
    assert "template.containers[0].envs.MODEL holds a Google API key (AIza…)" in by_name["run"][0]
    assert "holds a Slack token (xoxb…)" in by_name["job"][0]
    assert (
        "spec.template.spec.containers[llm].env.MODEL holds an Anthropic API key (sk-a…)"
        in by_name["deploy"][0]
    )
    # Never the credential itself.
    text = json.dumps([v.message for v in report.violations])
    for secret in (HF, GITHUB, OPENAI, AWS_KEY_ID, GOOGLE, SLACK, ANTHROPIC):
        assert secret not in text and secret[:8] not in text


def test_secret_named_keys_with_literal_values() -> None:
    c = capture(BASELINE)
    set_input(c, "model", "primaryContainer.environment.DB_PASSWORD", "correct-horse-battery")
    set_input(c, "fn", "environment.variables.openaiApiKey", "not-a-known-format-but-literal")
    set_input(c, "deploy", "spec.template.spec.containers.0.env.0.name", "CLIENT_SECRET")
    set_input(c, "workbench", "gceSetup.metadata.jupyter-token", "letmein-please")
    set_input(c, "config", "data.db_password", "hunter2-hunter2")
    report = gate(c)
    assert findings(report, "sec-1") == {
        (POLICY, n) for n in ("model", "fn", "deploy", "workbench", "config")
    }
    by_name = messages(report, POLICY)
    assert by_name["model"] == [
        "aws:sagemaker/model:Model 'model': primaryContainer.environment.DB_PASSWORD holds a literal value for a "
        "secret-named key (corr…); it must be a secret-manager reference."
    ]
    assert "gceSetup.metadata.jupyter-token holds a literal value" in by_name["workbench"][0]
    assert "data.db_password holds a literal value" in by_name["config"][0]


@pytest.mark.parametrize(
    ("name", "path", "value", "where"),
    [
        # a name without a path cannot be told from a passphrase
        (
            "model",
            "primaryContainer.environment.OPENAI_SECRET",
            "openai-api-key",
            "primaryContainer.environment.OPENAI_SECRET",
        ),
        # generated values with "/" (base64) and passwords are not path names
        (
            "model",
            "primaryContainer.environment.OPENAI_SECRET",
            AWS_SECRET,
            "primaryContainer.environment.OPENAI_SECRET",
        ),
        ("fn", "environment.variables.DB_CREDENTIALS", "Tr0ub4dor/3", "environment.variables.DB_CREDENTIALS"),
        # a key that holds the credential itself: a path-shaped value is the credential
        ("fn", "environment.variables.DB_PASSWORD", "hunter2/hunter3", "environment.variables.DB_PASSWORD"),
        (
            "deploy",
            "spec.template.spec.containers.0.env.2.name",
            "HF_TOKEN",
            "spec.template.spec.containers[llm].env.HF_TOKEN",
        ),
    ],
)
def test_secret_name_shapes_that_are_still_literals(name: str, path: str, value: str, where: str) -> None:
    report = gate(set_input(capture(BASELINE), name, path, value))
    assert findings(report, "sec-1") == {(POLICY, name)}
    [text] = messages(report, POLICY)[name]
    assert f"{where} holds a literal value for a secret-named key" in text


def test_aws_secret_key_needs_aws_context() -> None:
    c = capture(BASELINE)
    set_input(c, "fn", "environment.variables.AWS_SECRET_ACCESS_KEY", AWS_SECRET)
    set_input(c, "model", "primaryContainer.environment.CHECKSUM", AWS_SECRET)  # 40 chars, no AWS context
    report = gate(c)
    assert findings(report, "sec-1") == {(POLICY, "fn")}
    assert "holds an AWS secret access key (wJal…)" in messages(report, POLICY)["fn"][0]


def test_scripts_user_data_and_metadata() -> None:
    c = capture(BASELINE)
    set_input(c, "lt", "userData", b64(f"#!/bin/bash\nexport ANTHROPIC_API_KEY={ANTHROPIC}\n"))
    set_input(c, "vm", "userData", "#!/bin/bash\npsql postgres://admin:S3cretPass@db.internal:5432/app\n")
    set_input(
        c,
        "lifecycle",
        "onStart",
        b64("cat > /home/ec2-user/.ssh/id_rsa <<EOF\n-----BEGIN RSA PRIVATE KEY-----\n"),
    )
    set_input(c, "gce", "metadata.startup-script", "export HF_TOKEN=plainvalue123\n")
    set_input(c, "gce", "metadataStartupScript", f"git clone https://x:{GITHUB}@github.com/org/repo\n")
    set_input(c, "template", "metadataStartupScript", "DB_PASSWORD='hunter2-hunter2' ./serve\n")
    report = gate(c)
    assert findings(report, "sec-1") == {(POLICY, n) for n in ("lt", "vm", "lifecycle", "gce", "template")}
    by_name = messages(report, POLICY)
    assert by_name["lt"] == [
        "aws:ec2/launchTemplate:LaunchTemplate 'lt': userData (base64-decoded) holds an Anthropic API key (sk-a…); "
        "it must be a secret-manager reference."
    ]
    assert "userData holds a connection string with a password (post…)" in by_name["vm"][0]
    assert "onStart (base64-decoded) holds a PEM private key" in by_name["lifecycle"][0]
    assert sorted(m.split(": ", 1)[1].split(" holds")[0] for m in by_name["gce"]) == [
        "metadata.startup-script: HF_TOKEN",
        "metadataStartupScript",
        "metadataStartupScript",
    ]
    assert (
        "metadataStartupScript (DB_PASSWORD) holds a literal value for a secret-named key"
        in by_name["template"][0]
    )


def test_tags_and_labels() -> None:
    c = capture(BASELINE)
    set_input(c, "bucket", "tags.api-key", "literal-key-value")
    set_input(c, "gce", "labels.token", "abcdef123456")
    set_input(c, "deploy", ["metadata", "labels", "aiwarden.io/access-token"], "abcdef123456")
    # The labels of a Secret are still plaintext (its data is SEC-2's business).
    set_input(c, "k8s-secret", ["metadata", "labels", "slack"], SLACK)
    report = gate(c)
    assert findings(report, "sec-1") == {(POLICY, n) for n in ("bucket", "gce", "deploy", "k8s-secret")}
    by_name = messages(report, POLICY)
    assert "tags.api-key holds a literal value" in by_name["bucket"][0]
    assert "labels.token holds a literal value" in by_name["gce"][0]
    assert "metadata.labels.aiwarden.io/access-token holds a literal value" in by_name["deploy"][0]


def test_pulumi_secret_in_a_plaintext_field_is_a_finding() -> None:
    code = (
        BASELINE
        + """
cfg = pulumi.Config()
aws.sagemaker.Model("secret-model", execution_role_arn=ROLE, tags=TAGS,
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(image="img", environment={
        "HF_TOKEN": cfg.require_secret("hfToken")}))
"""
    )
    report = gate(capture(code, {"test:hfToken": {"secure": "AAABAKxyz"}}))
    assert findings(report, "sec-1") == {(POLICY, "secret-model")}
    assert messages(report, POLICY)["secret-model"] == [
        "aws:sagemaker/model:Model 'secret-model': primaryContainer.environment.HF_TOKEN holds a Pulumi secret "
        "value (stored in plain text by the cloud); it must be a secret-manager reference."
    ]


def test_mandatory_in_sandbox_too() -> None:
    c = set_input(capture(BASELINE), "fn", "environment.variables.HF_TOKEN", HF)
    report = gate(c, environment="sandbox")
    assert findings(report, "sec-1", level="mandatory") == {(POLICY, "fn")}


def test_removing_the_literal_clears_the_finding() -> None:
    c = set_input(capture(BASELINE), "fn", "environment.variables.HF_TOKEN", HF)
    set_input(c, "fn", "environment.variables.HF_TOKEN", DELETE)
    assert findings(gate(c), "sec-1") == set()


def test_unknown_environment_at_preview_is_reported_not_passed() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "fn", "environment.variables.DB_HOST", UNKNOWN)
    report = gate(c)
    assert findings(report, "sec-1") == set()
    assert unknowns(report, POLICY) == {(POLICY, "fn", "advisory")}
