"""SUP-1: ECR repositories scanned (repository or registry-wide), immutable, KMS; Artifact Registry hardened.

The compliant supply-chain program below (registries, SageMaker model, Vertex AI container, EC2 / GCE
start-up scripts, SageMaker lifecycle configurations, Kubernetes workload) is the baseline of every
SUP-* test; each test makes one change to it.
"""

from __future__ import annotations

from tests.harness import DELETE, capture, findings, gate, set_input
from tests.policies.test_gpu_1 import messages, set_property

SCANNING = "sup-1-ecr-image-scanning"
SETTINGS = "sup-1-ecr-repository-settings"
AR = "sup-1-artifact-registry-docker"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

SUP_BASELINE = """
import base64, json
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
K8S_LABELS = {f"aiwarden.io/{k}": v for k, v in TAGS.items()}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/serve@sha256:" + "b" * 64
KMS = "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0000-0000-0000-000000000000"
b64 = lambda text: base64.b64encode(text.encode()).decode()

# Registries: one repository scanned on push, one covered by registry-wide enhanced scanning
aws.ecr.Repository("models", name="models", image_tag_mutability="IMMUTABLE", tags=TAGS,
    image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True),
    encryption_configurations=[aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS", kms_key=KMS)])
aws.ecr.Repository("mirror", name="mirror/pytorch", image_tag_mutability="IMMUTABLE", tags=TAGS,
    encryption_configurations=[aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS", kms_key=KMS)])
aws.ecr.RegistryScanningConfiguration("registry-scanning", scan_type="ENHANCED", rules=[
    aws.ecr.RegistryScanningConfigurationRuleArgs(scan_frequency="CONTINUOUS_SCAN", repository_filters=[
        aws.ecr.RegistryScanningConfigurationRuleRepositoryFilterArgs(filter="mirror/*", filter_type="WILDCARD")])])
gcp.artifactregistry.Repository("images", format="DOCKER", location="us-central1", repository_id="images",
    labels=TAGS, kms_key_name="projects/aiwarden-offline/locations/us-central1/keyRings/ai/cryptoKeys/images",
    docker_config=gcp.artifactregistry.RepositoryDockerConfigArgs(immutable_tags=True))
gcp.artifactregistry.Repository("wheels", format="PYTHON", location="us-central1", repository_id="wheels",
    labels=TAGS)  # not a container registry: out of SUP-1 scope

# Workloads: pinned images from approved registries
role = aws.iam.Role("serve-role", tags=TAGS, assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
aws.sagemaker.Model("serve", execution_role_arn=role.arn, tags=TAGS,
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(image=IMAGE))
gcp.vertex.AiReasoningEngine("agent", display_name="agent", region="us-central1", labels=TAGS,
    spec=gcp.vertex.AiReasoningEngineSpecArgs(container_spec=gcp.vertex.AiReasoningEngineSpecContainerSpecArgs(
        image_uri="us-central1-docker.pkg.dev/aiwarden-offline/images/agent@sha256:" + "c" * 64)))
k8s.apps.v1.Deployment("server", metadata={"labels": K8S_LABELS}, spec={
    "selector": {"matchLabels": {"app": "serve"}},
    "template": {"metadata": {"labels": {"app": "serve"}}, "spec": {
        "initContainers": [{"name": "fetch-model", "image": IMAGE, "command": ["python", "-m", "fetch"]}],
        "containers": [{"name": "serve", "image": IMAGE, "command": ["python", "-m", "serve"],
                        "args": ["--port", "8080"]}]}}})

# Start-up scripts that install nothing dynamically (pinned packages from the default index only)
aws.ec2.LaunchTemplate("workers", tags=TAGS, user_data=b64("#!/bin/bash\\nset -e\\n"
    "TOKEN=$(curl -sX PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')\\n"
    "/etc/eks/bootstrap.sh ai\\n"))
aws.ec2.Instance("trainer", ami="ami-0123456789abcdef0", instance_type="g5.xlarge", tags=TAGS,
                 user_data="#!/bin/bash\\npip install torch==2.3.1\\n")
aws.sagemaker.NotebookInstanceLifecycleConfiguration("notebook-lc", tags=TAGS,
    on_start=b64("#!/bin/bash\\nsudo -u ec2-user -i pip install pandas==2.2.2\\n"))
aws.sagemaker.StudioLifecycleConfig("studio-lc", studio_lifecycle_config_name="studio-lc", tags=TAGS,
    studio_lifecycle_config_app_type="JupyterLab", studio_lifecycle_config_content=b64("#!/bin/bash\\necho ready\\n"))
gcp.workbench.Instance("workbench", location="us-central1-a", labels=TAGS,
    gce_setup=gcp.workbench.InstanceGceSetupArgs(machine_type="n1-standard-4",
        metadata={"post-startup-script": "gs://aiwarden-offline-setup/notebook.sh"}))
gcp.compute.Instance("gce-trainer", machine_type="g2-standard-8", zone="us-central1-a", labels=TAGS,
    boot_disk=gcp.compute.InstanceBootDiskArgs(initialize_params=gcp.compute.InstanceBootDiskInitializeParamsArgs(
        image="projects/cos-cloud/global/images/family/cos-stable")),
    network_interfaces=[gcp.compute.InstanceNetworkInterfaceArgs(subnetwork="private")],
    metadata_startup_script="#!/bin/bash\\necho ready\\n")
"""


def test_compliant_baseline_has_no_sup_finding() -> None:
    c = capture(SUP_BASELINE)
    assert c.error is None
    assert findings(gate(c), "sup-") == set()


def test_repository_without_scan_on_push_and_not_covered() -> None:
    c = set_property(capture(SUP_BASELINE), "models", "imageScanningConfiguration", DELETE)
    report = gate(c)
    assert findings(report, "sup-1") == {(SCANNING, "models")}
    assert messages(report, SCANNING) == [
        "ECR repository 'models': imageScanningConfiguration.scanOnPush is not set (AWS default: false) and no "
        "registry scanning rule (SCAN_ON_PUSH / CONTINUOUS_SCAN) covers it; images must be scanned."
    ]


def test_registry_scanning_rule_covers_matching_repositories_only() -> None:
    c = set_property(
        capture(SUP_BASELINE), "registry-scanning", "rules.0.repositoryFilters.0.filter", "models"
    )
    assert findings(gate(c), "sup-1") == {(SCANNING, "mirror")}
    c = set_property(capture(SUP_BASELINE), "registry-scanning", "rules.0.scanFrequency", "MANUAL")
    assert findings(gate(c), "sup-1") == {(SCANNING, "mirror")}
    c = set_property(capture(SUP_BASELINE), "registry-scanning", "rules.0.repositoryFilters.0.filter", "*")
    set_property(c, "models", "imageScanningConfiguration.scanOnPush", False)  # registry-wide scanning wins
    assert findings(gate(c), "sup-1") == set()


def test_missing_registry_scanning_configuration_is_a_violation() -> None:
    c = capture(SUP_BASELINE)
    c.resources = [r for r in c.resources if r.name != "registry-scanning"]
    assert findings(gate(c), "sup-1") == {(SCANNING, "mirror")}


def test_mutable_tags_and_aes256_defaults() -> None:
    c = set_input(capture(SUP_BASELINE), "models", "imageTagMutability", DELETE)
    set_input(c, "models", "encryptionConfigurations", DELETE)
    report = gate(c)
    assert findings(report, "sup-1") == {(SETTINGS, "models")}
    assert messages(report, SETTINGS) == [
        "ECR repository 'models': encryptionConfigurations is not set (AWS default: AES256); encryptionType must "
        "be KMS.",
        "ECR repository 'models': imageTagMutability is not set (AWS default: MUTABLE); it must be IMMUTABLE.",
    ]
    c = set_input(capture(SUP_BASELINE), "models", "imageTagMutability", "IMMUTABLE_WITH_EXCLUSION")
    assert findings(gate(c), "sup-1") == {(SETTINGS, "models")}
    c = set_input(capture(SUP_BASELINE), "models", "encryptionConfigurations.0.encryptionType", "AES256")
    assert findings(gate(c), "sup-1") == {(SETTINGS, "models")}


def test_remediation_turns_on_scan_on_push_in_place() -> None:
    c = set_property(capture(SUP_BASELINE), "models", "imageScanningConfiguration", DELETE)
    report = gate(c, {SETTINGS: "remediate"})
    [rem] = [r for r in report.remediations if r.resource_name == "models"]
    assert rem.policy == SETTINGS
    assert rem.before == {"imageScanningConfiguration": None}
    assert rem.after == {"imageScanningConfiguration": {"scanOnPush": True}}
    assert findings(report, "sup-1") == set()  # the stack policy sees the remediated repository
    # "mirror" is remediated too: a resource policy cannot see registry scanning; scanOnPush is a no-op there
    assert sorted(r.resource_name for r in report.remediations if r.policy == SETTINGS) == [
        "mirror",
        "models",
    ]


def test_artifact_registry_defaults() -> None:
    c = set_input(capture(SUP_BASELINE), "images", "kmsKeyName", DELETE)
    set_input(c, "images", "dockerConfig", DELETE)
    report = gate(c)
    assert findings(report, "sup-1") == {(AR, "images")}
    assert messages(report, AR) == [
        "Artifact Registry repository 'images': dockerConfig.immutableTags is not set (Google default: false); it "
        "must be true.",
        "Artifact Registry repository 'images': kmsKeyName is not set (Google default: Google-managed key); it "
        "must name a Cloud KMS key.",
    ]
    c = set_input(
        capture(SUP_BASELINE), "images", "vulnerabilityScanningConfig", {"enablementConfig": "DISABLED"}
    )
    assert findings(gate(c), "sup-1") == {(AR, "images")}
    c = set_input(
        capture(SUP_BASELINE), "images", "vulnerabilityScanningConfig", {"enablementConfig": "INHERITED"}
    )
    assert findings(gate(c), "sup-1") == set()


def test_remote_repository_needs_no_immutable_tags() -> None:
    c = set_input(capture(SUP_BASELINE), "images", "dockerConfig", DELETE)
    set_input(c, "images", "mode", "REMOTE_REPOSITORY")
    assert findings(gate(c), "sup-1") == set()


def test_advisory_in_sandbox_mandatory_in_production() -> None:
    c = set_property(capture(SUP_BASELINE), "models", "imageScanningConfiguration", DELETE)
    set_input(c, "models", "imageTagMutability", "MUTABLE")
    set_input(c, "images", "kmsKeyName", DELETE)
    expected = {(SCANNING, "models"), (SETTINGS, "models"), (AR, "images")}
    assert findings(gate(c, environment="sandbox"), "sup-1", level="advisory") == expected
    assert findings(gate(c), "sup-1", level="mandatory") == expected


def test_unknowns_at_preview_are_reported_not_passed() -> None:
    c = capture(SUP_BASELINE, preview_mode=True)
    set_property(c, "models", "imageScanningConfiguration.scanOnPush", UNKNOWN)
    set_input(c, "models", "imageTagMutability", UNKNOWN)
    set_input(c, "images", "kmsKeyName", UNKNOWN)
    report = gate(c)
    unknown = {
        (v.policy, v.resource_name or "stack")
        for v in report.violations
        if v.kind == "unknown-at-preview" and v.policy.startswith("sup-1")
    }
    assert unknown == {(SCANNING, "stack"), (SETTINGS, "models"), (AR, "images")}
    assert findings(report, "sup-1") == set()
