"""K8S-1: every pod template runs with the restricted security context and mounts no service account token."""

from __future__ import annotations

import pytest

from tests.harness import (
    DELETE,
    UNKNOWN,
    capture,
    findings,
    gate,
    message,
    message_list,
    set_input,
    unknowns,
)

POLICY = "k8s-1-restricted-pod-security-context"
TOKEN = "k8s-1-service-account-token-not-mounted"
DEPLOYMENT = "spec.template.spec"  # also StatefulSet, DaemonSet, ReplicaSet, Job
CRONJOB = "spec.jobTemplate.spec.template.spec"

BASELINE = """
import pulumi_kubernetes as k8s
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
LABELS = {f"aiwarden.io/{k}": v for k, v in TAGS.items()}
APP = {"app": "model"}


def container(name):
    return k8s.core.v1.ContainerArgs(
        name=name, image="registry.example.com/model@sha256:" + "0" * 64,
        security_context=k8s.core.v1.SecurityContextArgs(
            allow_privilege_escalation=False, read_only_root_filesystem=True, privileged=False,
            capabilities=k8s.core.v1.CapabilitiesArgs(drop=["ALL"], add=["NET_BIND_SERVICE"])),
        resources=k8s.core.v1.ResourceRequirementsArgs(requests={"cpu": "1", "memory": "2Gi"},
                                                       limits={"cpu": "2", "memory": "2Gi"}))


def pod(restart_policy=None, automount=False, service_account=None):
    return k8s.core.v1.PodSpecArgs(
        automount_service_account_token=automount, restart_policy=restart_policy,
        service_account_name=service_account,
        security_context=k8s.core.v1.PodSecurityContextArgs(
            run_as_non_root=True, run_as_user=10001,
            seccomp_profile=k8s.core.v1.SeccompProfileArgs(type="RuntimeDefault")),
        init_containers=[container("init")], containers=[container("model")],
        volumes=[k8s.core.v1.VolumeArgs(name="tmp", empty_dir=k8s.core.v1.EmptyDirVolumeSourceArgs())])


def template(restart_policy=None):
    return k8s.core.v1.PodTemplateSpecArgs(metadata=k8s.meta.v1.ObjectMetaArgs(labels=APP),
                                           spec=pod(restart_policy))


def meta():
    return k8s.meta.v1.ObjectMetaArgs(namespace="ml", labels=LABELS)


selector = k8s.meta.v1.LabelSelectorArgs(match_labels=APP)
k8s.core.v1.Pod("pod", metadata=meta(), spec=pod())
k8s.apps.v1.Deployment("deploy", metadata=meta(), spec=k8s.apps.v1.DeploymentSpecArgs(
    selector=selector, template=template()))
k8s.apps.v1.StatefulSet("sts", metadata=meta(), spec=k8s.apps.v1.StatefulSetSpecArgs(
    selector=selector, service_name="model", template=template()))
k8s.apps.v1.DaemonSet("ds", metadata=meta(), spec=k8s.apps.v1.DaemonSetSpecArgs(
    selector=selector, template=template()))
k8s.apps.v1.ReplicaSet("rs", metadata=meta(), spec=k8s.apps.v1.ReplicaSetSpecArgs(
    selector=selector, template=template()))
k8s.batch.v1.Job("job", metadata=meta(), spec=k8s.batch.v1.JobSpecArgs(template=template("Never")))
k8s.batch.v1.CronJob("cron", metadata=meta(), spec=k8s.batch.v1.CronJobSpecArgs(
    schedule="0 3 * * *", job_template=k8s.batch.v1.JobTemplateSpecArgs(
        spec=k8s.batch.v1.JobSpecArgs(template=template("Never")))))
k8s.core.v1.ConfigMap("config", metadata=meta(), data={"a": "b"})  # not a pod template
# The token setting inherited from the pod's ServiceAccount (same namespace, serviceAccountName).
k8s.core.v1.ServiceAccount("model-sa", metadata=k8s.meta.v1.ObjectMetaArgs(name="model", namespace="ml"),
                           automount_service_account_token=False)
k8s.apps.v1.Deployment("sa-deploy", metadata=meta(), spec=k8s.apps.v1.DeploymentSpecArgs(
    selector=selector, template=k8s.core.v1.PodTemplateSpecArgs(metadata=k8s.meta.v1.ObjectMetaArgs(labels=APP),
                                                                spec=pod(automount=None, service_account="model"))))
"""


def test_compliant_baseline_has_no_k8s1_finding() -> None:
    assert findings(gate(capture(BASELINE)), "k8s-1") == set()


@pytest.mark.parametrize(
    ("name", "path", "value", "item"),
    [
        # pod level
        ("deploy", f"{DEPLOYMENT}.hostNetwork", True, "hostNetwork is true; must be false"),
        ("sts", f"{DEPLOYMENT}.hostPID", True, "hostPID is true; must be false"),
        ("ds", f"{DEPLOYMENT}.hostIPC", True, "hostIPC is true; must be false"),
        (
            "rs",
            f"{DEPLOYMENT}.volumes.0",
            {"name": "host", "hostPath": {"path": "/var/run"}},
            "volume 'host' mounts hostPath '/var/run'; hostPath volumes are not allowed",
        ),
        (
            "deploy",
            f"{DEPLOYMENT}.securityContext.runAsNonRoot",
            DELETE,
            "container 'model': securityContext.runAsNonRoot is not set on the pod or container (Kubernetes default: the "
            "image's user); must be true",
        ),
        (
            "deploy",
            f"{DEPLOYMENT}.securityContext.runAsUser",
            0.0,
            "container 'model': securityContext.runAsUser is 0 (pod); must be a non-root uid",
        ),
        (
            "deploy",
            f"{DEPLOYMENT}.securityContext.seccompProfile",
            DELETE,
            "container 'model': securityContext.seccompProfile.type is not set on the pod or container (Kubernetes "
            "default: Unconfined); must be RuntimeDefault",
        ),
        # container level
        (
            "cron",
            f"{CRONJOB}.containers.0.securityContext.allowPrivilegeEscalation",
            DELETE,
            "container 'model': securityContext.allowPrivilegeEscalation is not set (Kubernetes default: true); must be "
            "false",
        ),
        (
            "deploy",
            f"{DEPLOYMENT}.containers.0.securityContext.privileged",
            True,
            "container 'model': securityContext.privileged is true; must be false",
        ),
        (
            "deploy",
            f"{DEPLOYMENT}.containers.0.securityContext.capabilities.drop",
            ["NET_RAW"],
            "container 'model': securityContext.capabilities.drop is ['NET_RAW']; must contain ALL",
        ),
        (
            "deploy",
            f"{DEPLOYMENT}.containers.0.securityContext.capabilities.add",
            ["SYS_ADMIN", "NET_BIND_SERVICE"],
            "container 'model': securityContext.capabilities.add is ['SYS_ADMIN']; only NET_BIND_SERVICE may be added",
        ),
        (
            "deploy",
            f"{DEPLOYMENT}.containers.0.securityContext.readOnlyRootFilesystem",
            DELETE,
            "container 'model': securityContext.readOnlyRootFilesystem is not true (Kubernetes default: false); must be "
            "true",
        ),
        (
            "deploy",
            f"{DEPLOYMENT}.containers.0.securityContext.runAsNonRoot",
            False,
            "container 'model': securityContext.runAsNonRoot is False (container); must be true",
        ),
        (
            "deploy",
            f"{DEPLOYMENT}.containers.0.securityContext.seccompProfile",
            {"type": "Unconfined"},
            "container 'model': securityContext.seccompProfile.type is 'Unconfined' (container); must be RuntimeDefault",
        ),
        (
            "deploy",
            f"{DEPLOYMENT}.containers.0.resources.limits.memory",
            DELETE,
            "container 'model': resources.limits.memory not set; cpu and memory requests and limits are required",
        ),
        (
            "pod",
            "spec.initContainers.0.resources",
            DELETE,
            "initContainer 'init': resources.requests.cpu, resources.requests.memory, resources.limits.cpu, "
            "resources.limits.memory not set; cpu and memory requests and limits are required",
        ),
    ],
)
def test_each_failed_item_is_reported(name: str, path: str, value: object, item: str) -> None:
    report = gate(set_input(capture(BASELINE), name, path, value))
    assert findings(report, "k8s-1") == {(POLICY, name)}
    kind = next(v.resource_type for v in report.violations if v.policy == POLICY)
    messages = message_list(report, POLICY)
    pod_level = "on the pod or container" in item or "(pod)" in item
    assert len(messages) == (2 if pod_level else 1)  # a pod-level value fails both containers
    assert any(m.startswith(f"{kind} {name!r}: {item}") for m in messages), messages


def test_container_settings_can_replace_pod_settings() -> None:
    c = set_input(capture(BASELINE), "job", f"{DEPLOYMENT}.securityContext", {})
    for kind in ("containers", "initContainers"):
        set_input(c, "job", f"{DEPLOYMENT}.{kind}.0.securityContext.runAsNonRoot", True)
        set_input(
            c,
            "job",
            f"{DEPLOYMENT}.{kind}.0.securityContext.seccompProfile",
            {"type": "Localhost", "localhostProfile": "profiles/model.json"},
        )
    assert findings(gate(c), "k8s-1") == set()


def test_a_bare_pod_template_reports_every_item() -> None:
    c = set_input(capture(BASELINE), "pod", "spec", {"containers": [{"name": "model", "image": "model:1"}]})
    messages = message_list(gate(c), POLICY)
    prefix = "kubernetes:core/v1:Pod 'pod': "
    assert [m[len(prefix) :].split(";")[0] for m in messages] == [
        "container 'model': resources.requests.cpu, resources.requests.memory, resources.limits.cpu, "
        "resources.limits.memory not set",
        "container 'model': securityContext.allowPrivilegeEscalation is not set (Kubernetes default: true)",
        "container 'model': securityContext.capabilities.drop is []",
        "container 'model': securityContext.readOnlyRootFilesystem is not true (Kubernetes default: false)",
        "container 'model': securityContext.runAsNonRoot is not set on the pod or container (Kubernetes default: "
        "the image's user)",
        "container 'model': securityContext.seccompProfile.type is not set on the pod or container (Kubernetes "
        "default: Unconfined)",
    ]


def test_sandbox_is_advisory() -> None:
    c = set_input(capture(BASELINE), "deploy", f"{DEPLOYMENT}.hostNetwork", True)
    report = gate(c, environment="sandbox")
    assert findings(report, "k8s-1", level="advisory") == {(POLICY, "deploy")}
    assert findings(report, "k8s-1", level="mandatory") == set()
    production = gate(c)
    assert findings(production, "k8s-1", level="mandatory") == {(POLICY, "deploy")}
    violation = next(v for v in production.violations if v.policy == POLICY)
    assert (violation.control, violation.severity) == ("K8S-1", "high")


def test_unknown_security_context_at_preview_is_reported_not_passed() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "deploy", f"{DEPLOYMENT}.containers.0.securityContext", UNKNOWN)
    report = gate(c)
    assert unknowns(report, POLICY) == {(POLICY, "deploy", "advisory")}
    assert findings(report, "k8s-1") == set()


# ------------------------------------------------------------------------------ service account token
def test_absent_or_true_token_setting_without_a_service_account() -> None:
    c = set_input(capture(BASELINE), "job", f"{DEPLOYMENT}.automountServiceAccountToken", DELETE)
    set_input(c, "pod", "spec.automountServiceAccountToken", True)
    report = gate(c)
    assert findings(report, "k8s-1") == {(TOKEN, "job"), (TOKEN, "pod")}
    assert message(report, TOKEN, "job") == (
        "kubernetes:batch/v1:Job 'job': automountServiceAccountToken is not set and its service account ml/default "
        "is not declared in the stack (Kubernetes default: true); the pod must not mount a service account token "
        "(set it false on the pod or its ServiceAccount) unless annotated aiwarden.io/needs-kube-api with a "
        "justification."
    )
    assert message(report, TOKEN, "pod").startswith(
        "kubernetes:core/v1:Pod 'pod': automountServiceAccountToken is True; the pod must not mount"
    )


def test_service_account_setting_is_inherited() -> None:
    assert findings(gate(capture(BASELINE)), TOKEN) == set()  # 'sa-deploy' sets nothing, its account false
    report = gate(set_input(capture(BASELINE), "model-sa", "automountServiceAccountToken", DELETE))
    assert findings(report, "k8s-1") == {(TOKEN, "sa-deploy")}
    assert message(report, TOKEN, "sa-deploy").startswith(
        "kubernetes:apps/v1:Deployment 'sa-deploy': automountServiceAccountToken is not set and its ServiceAccount "
        "'model-sa' (ml/model) does not set it (Kubernetes default: true); "
    )
    report = gate(set_input(capture(BASELINE), "model-sa", "automountServiceAccountToken", True))
    assert "its ServiceAccount 'model-sa' (ml/model) sets it to True" in message(report, TOKEN, "sa-deploy")


def test_the_pod_setting_wins_over_the_service_account() -> None:
    c = set_input(capture(BASELINE), "sa-deploy", f"{DEPLOYMENT}.automountServiceAccountToken", True)
    assert findings(gate(c), "k8s-1") == {(TOKEN, "sa-deploy")}
    c = set_input(capture(BASELINE), "model-sa", "automountServiceAccountToken", True)
    set_input(c, "sa-deploy", f"{DEPLOYMENT}.automountServiceAccountToken", False)
    assert findings(gate(c), "k8s-1") == set()


@pytest.mark.parametrize(
    ("path", "value", "account"),
    [
        ("metadata.namespace", "serving", "ml/model"),  # the account lives in another namespace
        ("metadata.name", "other", "ml/model"),  # the pod names another account
    ],
)
def test_service_account_matched_by_namespace_and_name(path: str, value: str, account: str) -> None:
    report = gate(set_input(capture(BASELINE), "model-sa", path, value))
    assert findings(report, "k8s-1") == {(TOKEN, "sa-deploy")}
    assert f"its service account {account} is not declared in the stack" in message(
        report, TOKEN, "sa-deploy"
    )


def test_absent_service_account_name_is_the_default_account() -> None:
    c = set_input(capture(BASELINE), "sa-deploy", f"{DEPLOYMENT}.serviceAccountName", DELETE)
    assert findings(gate(c), "k8s-1") == {(TOKEN, "sa-deploy")}
    set_input(c, "model-sa", "metadata.name", "default")
    assert findings(gate(c), "k8s-1") == set()


def test_annotation_justifies_the_service_account_token() -> None:
    c = set_input(capture(BASELINE), "deploy", f"{DEPLOYMENT}.automountServiceAccountToken", DELETE)
    set_input(
        c,
        "deploy",
        "spec.template.metadata.annotations",
        {"aiwarden.io/needs-kube-api": "leader election through the coordination API"},
    )
    assert findings(gate(c), "k8s-1") == set()
    set_input(c, "deploy", "spec.template.metadata.annotations", {"aiwarden.io/needs-kube-api": " "})
    assert findings(gate(c), "k8s-1") == {(TOKEN, "deploy")}


def test_token_exemption_and_sandbox() -> None:
    c = set_input(capture(BASELINE), "job", f"{DEPLOYMENT}.automountServiceAccountToken", DELETE)
    reason = "Batch controller reads its own Job status; narrow Role, reviewed in PLAT-12."
    assert (
        findings(gate(c, {TOKEN: {"exemptions": [{"resource": "job", "justification": reason}]}}), "k8s-1")
        == set()
    )
    report = gate(c, environment="sandbox")
    assert findings(report, "k8s-1", level="advisory") == {(TOKEN, "job")}
    assert findings(report, "k8s-1", level="mandatory") == set()


def test_unknown_service_account_at_preview_is_reported_not_passed() -> None:
    c = set_input(capture(BASELINE, preview_mode=True), "model-sa", "automountServiceAccountToken", UNKNOWN)
    report = gate(c)
    assert unknowns(report, TOKEN) == {(TOKEN, "sa-deploy", "advisory")}
    assert findings(report, "k8s-1") == set()
