"""InferenceService (Kubernetes): a restricted GPU Deployment with a pinned image, secrets by reference, a
ClusterIP Service, a NetworkPolicy admitting only the callers of `access` and a PodDisruptionBudget."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.apimodel import validate
from components._common import Ownership
from components.k8s import InferenceServiceArgs
from tests.components.gcp_helpers import K8S_LABELS, run
from tests.components.helpers import children, depends_on, incident_response, inputs, inventory, parent_name
from tests.harness import drop, findings, gate, unknowns

IMAGE = "us-docker.pkg.dev/ml-serving/models/llm@sha256:" + "a" * 64
NAMESPACE = """
ns = GpuWorkloadNamespace("team", GpuWorkloadNamespaceArgs(ownership=o, namespace="team-a",
    quota=ComputeQuota(gpus=4, requests_cpu="16", requests_memory="64Gi")))
"""
DEFAULT = (
    NAMESPACE
    + f"""
InferenceService("llm", InferenceServiceArgs(ownership=o, namespace=ns.name, name="llm", image="{IMAGE}",
    node_selector={{"cloud.google.com/gke-accelerator": "nvidia-l4"}}, service_account=ns.service_account_name,
    access={{"api": Grant(principal=PodPeer(pod_labels={{"app": "api"}}), role="invoke")}}))
"""
)
OPTIONS = (
    NAMESPACE
    + f"""
InferenceService("llm", InferenceServiceArgs(ownership=o, namespace=ns.name, name="llm", image="{IMAGE}",
    container_args=("--model", "/models/llm"), port=8000, replicas=3, gpus=1, max_surge=1,
    node_selector={{"eks.amazonaws.com/nodegroup": "gpu"}},
    resources=ContainerResources(cpu_request="4", cpu_limit="8", memory_request="32Gi", memory_limit="32Gi"),
    probes=Probes(readiness=HttpProbe(path="/v2/health/ready", port=8002),
                  liveness=HttpProbe(path="/v2/health/live", port=8002),
                  startup=HttpProbe(path="/v2/health/ready", port=8002, period_seconds=20, failure_threshold=120)),
    run_as_user=20000, run_as_group=20001,
    env={{"HF_HUB_OFFLINE": "1", "MAX_TOKENS": "4096"}},
    secret_env={{"VLLM_API_KEY": SecretEnv(secret="llm-keys", key="VLLM_API_KEY")}},
    secret_files={{"provider": SecretFiles(secret="provider-keys", mount_path="/var/run/secrets/provider",
                                          keys={{"OPENAI_API_KEY": "openai/api-key"}})}},
    tmp_size="2Gi",
    scratch={{"shm": Scratch(mount_path="/dev/shm", size_limit="8Gi", memory=True),
              "cache": Scratch(mount_path="/cache", size_limit="20Gi")}},
    access={{"gateway": Grant(principal=PodPeer(namespace="api-gateway", pod_labels={{"app": "gateway"}}),
                             role="invoke"),
             "batch": Grant(principal=CidrPeer(cidr="10.30.0.0/16"), role="invoke")}},
    disruption_budget=DisruptionBudget(max_unavailable=None, min_available=2)))
"""
)
AWS_LB = (
    NAMESPACE
    + f"""
InferenceService("llm", InferenceServiceArgs(ownership=o, namespace=ns.name, name="llm", image="{IMAGE}",
    node_selector={{"eks.amazonaws.com/nodegroup": "gpu"}}, access={{"api": Grant(principal=PodPeer(pod_labels={{"app": "api"}}), role="invoke")}},
    load_balancer=InternalLoadBalancer(cloud="aws", source_ranges=("10.40.0.0/16", "10.41.0.0/24"),
        justification="Batch scoring in the data VPC calls it directly; ML platform lead, until 2026-12")))
"""
)
SELECTOR = {"app.kubernetes.io/name": "llm", "app.kubernetes.io/component": "inference"}
LABELS = {**K8S_LABELS, **SELECTOR}
CHILDREN = [
    ("aiwarden:k8s:InferenceService", "llm"),
    ("kubernetes:apps/v1:Deployment", "llm-deployment"),
    ("kubernetes:core/v1:Service", "llm-service"),
    ("kubernetes:networking.k8s.io/v1:NetworkPolicy", "llm-ingress"),
    ("kubernetes:policy/v1:PodDisruptionBudget", "llm-pdb"),
]
RESTRICTED_CONTAINER = {
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "privileged": False,
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
}


def probe(path: str, period: float, failures: float, port: Any = "http") -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": port},
        "periodSeconds": period,
        "timeoutSeconds": 5.0,
        "failureThreshold": failures,
    }


def service_children(c: Any) -> list[tuple[str, str]]:
    return [child for child in children(c) if child[1] == "llm" or child[1].startswith("llm-")]


def test_default_deployment_is_restricted_pinned_and_on_gpu_nodes() -> None:
    c = run(DEFAULT)
    assert service_children(c) == CHILDREN
    assert {parent_name(c, name) for _, name in CHILDREN[1:]} == {"llm"}
    deployment = inputs(c, "llm-deployment")
    assert deployment["metadata"] == {
        "name": "llm",
        "namespace": "team-a",
        "labels": LABELS,
        "annotations": {"pulumi.com/timeoutSeconds": "1200"},
    }
    spec = deployment["spec"]
    assert {k: v for k, v in spec.items() if k != "template"} == {
        "replicas": 2.0,
        "selector": {"matchLabels": SELECTOR},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0.0, "maxUnavailable": 1.0}},
        "progressDeadlineSeconds": 1200.0,
    }
    assert spec["template"]["metadata"] == {"labels": LABELS}
    pod = spec["template"]["spec"]
    assert pod == {
        "automountServiceAccountToken": False,
        "serviceAccountName": "workload",
        "enableServiceLinks": False,
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": 10001.0,
            "runAsGroup": 10001.0,
            "fsGroup": 10001.0,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "nodeSelector": {"cloud.google.com/gke-accelerator": "nvidia-l4"},
        "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
        "containers": [
            {
                "name": "server",
                "image": IMAGE,
                "ports": [{"name": "http", "containerPort": 8080.0, "protocol": "TCP"}],
                "resources": {
                    "requests": {"cpu": "2", "memory": "16Gi", "nvidia.com/gpu": "1"},
                    "limits": {"cpu": "4", "memory": "16Gi", "nvidia.com/gpu": "1"},
                },
                "securityContext": RESTRICTED_CONTAINER,
                "readinessProbe": probe("/health", 5.0, 3.0),
                "livenessProbe": probe("/health", 10.0, 3.0),
                "startupProbe": probe("/health", 10.0, 90.0),
                "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
            }
        ],
        "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}}],
    }
    # the namespace's name output waits for every child: no pod starts before the default deny, quota and account
    assert depends_on(c, "llm-deployment") == {
        "team-namespace",
        "team-default-deny",
        "team-allow-dns",
        "team-quota",
        "team-limits",
        "team-service-account",
    }


def test_default_service_policy_and_budget() -> None:
    c = run(DEFAULT)
    assert inputs(c, "llm-service") == {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "llm", "namespace": "team-a", "labels": LABELS},
        "spec": {
            "type": "ClusterIP",
            "selector": SELECTOR,
            "ports": [{"name": "http", "port": 8080.0, "targetPort": "http", "protocol": "TCP"}],
        },
    }
    assert inputs(c, "llm-ingress")["metadata"] == {
        "name": "llm-ingress",
        "namespace": "team-a",
        "labels": LABELS,
    }
    assert inputs(c, "llm-ingress")["spec"] == {
        "podSelector": {"matchLabels": SELECTOR},
        "policyTypes": ["Ingress"],
        "ingress": [
            {
                "from": [{"podSelector": {"matchLabels": {"app": "api"}}}],
                "ports": [{"port": 8080.0, "protocol": "TCP"}],
            }
        ],
    }
    assert inputs(c, "llm-pdb")["spec"] == {
        "selector": {"matchLabels": SELECTOR},
        "maxUnavailable": 1.0,
        "unhealthyPodEvictionPolicy": "AlwaysAllow",
    }


def test_default_passes_every_policy_and_the_kubernetes_schemas() -> None:
    c = run(DEFAULT)
    assert findings(gate(c)) == set()
    assert validate(c.resources) == []
    report = gate(run(DEFAULT, preview_mode=True))
    assert findings(report) == set()
    assert unknowns(report, "") == set()


def test_without_a_gpu_quota_in_its_namespace_the_pack_flags_the_service() -> None:
    c = drop(run(DEFAULT), "team-quota")
    assert findings(gate(c), "gpu-5") == {("gpu-5-k8s-gpu-namespace-has-quota", "llm-deployment")}


def test_inventory_names_the_endpoint_identity_and_secrets() -> None:
    c = run(OPTIONS)
    entry = inventory(c)["llm"]
    assert (entry["kind"], entry["exposure"], entry["identities"]) == (
        "model-endpoint",
        "private",
        ["system:serviceaccount:team-a:default"],
    )
    ir = incident_response(c)["llm"]
    assert ir["endpointsToDisable"] == ["llm.team-a.svc:8000"]
    assert ir["credentialsToRevoke"] == [
        "Kubernetes Secret team-a/llm-keys (rotate at the cloud secret manager)",
        "Kubernetes Secret team-a/provider-keys (rotate at the cloud secret manager)",
    ]
    assert "kubectl scale deployment llm --replicas=0" in ir["containment"]


def test_options_secrets_scratch_probes_ids_and_budget() -> None:
    c = run(OPTIONS)
    deployment = inputs(c, "llm-deployment")
    spec = deployment["spec"]
    # startup budget 20 s x 120 = 2400 s, plus 300 s
    assert deployment["metadata"]["annotations"] == {"pulumi.com/timeoutSeconds": "2700"}
    assert spec["progressDeadlineSeconds"] == 2700.0
    assert spec["replicas"] == 3.0
    assert spec["strategy"]["rollingUpdate"] == {"maxSurge": 1.0, "maxUnavailable": 1.0}
    pod = spec["template"]["spec"]
    assert "serviceAccountName" not in pod
    assert pod["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 20000.0,
        "runAsGroup": 20001.0,
        "fsGroup": 20001.0,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    [container] = pod["containers"]
    assert container["args"] == ["--model", "/models/llm"]
    assert container["ports"] == [{"name": "http", "containerPort": 8000.0, "protocol": "TCP"}]
    assert container["env"] == [
        {"name": "HF_HUB_OFFLINE", "value": "1"},
        {"name": "MAX_TOKENS", "value": "4096"},
        {"name": "VLLM_API_KEY", "valueFrom": {"secretKeyRef": {"name": "llm-keys", "key": "VLLM_API_KEY"}}},
    ]
    assert container["resources"] == {
        "requests": {"cpu": "4", "memory": "32Gi", "nvidia.com/gpu": "1"},
        "limits": {"cpu": "8", "memory": "32Gi", "nvidia.com/gpu": "1"},
    }
    assert container["readinessProbe"] == probe("/v2/health/ready", 10.0, 3.0, 8002.0)
    assert container["livenessProbe"] == probe("/v2/health/live", 10.0, 3.0, 8002.0)
    assert container["startupProbe"] == probe("/v2/health/ready", 20.0, 120.0, 8002.0)
    assert container["securityContext"] == RESTRICTED_CONTAINER
    assert container["volumeMounts"] == [
        {"name": "tmp", "mountPath": "/tmp"},
        {"name": "shm", "mountPath": "/dev/shm"},
        {"name": "cache", "mountPath": "/cache"},
        {"name": "provider", "mountPath": "/var/run/secrets/provider", "readOnly": True},
    ]
    assert pod["volumes"] == [
        {"name": "tmp", "emptyDir": {"sizeLimit": "2Gi"}},
        {"name": "shm", "emptyDir": {"sizeLimit": "8Gi", "medium": "Memory"}},
        {"name": "cache", "emptyDir": {"sizeLimit": "20Gi"}},
        {
            "name": "provider",
            "secret": {
                "secretName": "provider-keys",
                "defaultMode": 288.0,
                "items": [{"key": "OPENAI_API_KEY", "path": "openai/api-key"}],
            },
        },
    ]
    assert inputs(c, "llm-ingress")["spec"]["ingress"] == [
        {
            "from": [
                {
                    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "api-gateway"}},
                    "podSelector": {"matchLabels": {"app": "gateway"}},
                },
                {"ipBlock": {"cidr": "10.30.0.0/16"}},
            ],
            "ports": [{"port": 8000.0, "protocol": "TCP"}],
        }
    ]
    assert inputs(c, "llm-pdb")["spec"] == {
        "selector": {"matchLabels": SELECTOR},
        "minAvailable": 2.0,
        "unhealthyPodEvictionPolicy": "AlwaysAllow",
    }
    assert validate(c.resources) == []
    assert findings(gate(c)) == set()


def test_cpu_only_service_has_no_gpu_resources_toleration_or_node_selector() -> None:
    c = run(DEFAULT.replace('node_selector={"cloud.google.com/gke-accelerator": "nvidia-l4"}', "gpus=0"))
    pod = inputs(c, "llm-deployment")["spec"]["template"]["spec"]
    assert "tolerations" not in pod
    assert "nodeSelector" not in pod
    assert pod["containers"][0]["resources"] == {
        "requests": {"cpu": "2", "memory": "16Gi"},
        "limits": {"cpu": "4", "memory": "16Gi"},
    }
    assert findings(gate(c)) == set()


def test_aws_internal_load_balancer_by_name_with_justification() -> None:
    c = run(AWS_LB)
    service = inputs(c, "llm-service")
    assert service["metadata"]["annotations"] == {
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "preserve_client_ip.enabled=true",
        "aiwarden.io/aiwarden-exception": "internal load balancer: Batch scoring in the data VPC calls it directly; "
        "ML platform lead, until 2026-12",
    }
    assert service["spec"] == {
        "type": "LoadBalancer",
        "loadBalancerClass": "service.k8s.aws/nlb",
        "loadBalancerSourceRanges": ["10.40.0.0/16", "10.41.0.0/24"],
        "externalTrafficPolicy": "Local",
        "selector": SELECTOR,
        "ports": [{"name": "http", "port": 8080.0, "targetPort": "http", "protocol": "TCP"}],
    }
    assert inputs(c, "llm-ingress")["spec"]["ingress"][0]["from"] == [
        {"podSelector": {"matchLabels": {"app": "api"}}},
        {"ipBlock": {"cidr": "10.40.0.0/16"}},
        {"ipBlock": {"cidr": "10.41.0.0/24"}},
    ]
    assert inventory(c)["llm"]["exposure"] == "internal"
    assert validate(c.resources) == []
    assert findings(gate(c)) == set()


def test_gcp_internal_load_balancer() -> None:
    c = run(AWS_LB.replace('cloud="aws"', 'cloud="gcp"'))
    service = inputs(c, "llm-service")
    assert service["metadata"]["annotations"]["networking.gke.io/load-balancer-type"] == "Internal"
    assert not [k for k in service["metadata"]["annotations"] if k.startswith("service.beta.kubernetes.io/")]
    assert "loadBalancerClass" not in service["spec"]
    assert service["spec"]["type"] == "LoadBalancer"
    assert validate(c.resources) == []
    assert findings(gate(c)) == set()


OWNER = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
BASE: dict[str, Any] = {
    "ownership": OWNER,
    "namespace": "team-a",
    "name": "llm",
    "image": IMAGE,
    "node_selector": {"cloud.google.com/gke-accelerator": "nvidia-l4"},
    "access": {"api": {"principal": {"kind": "pods", "pod_labels": {"app": "api"}}, "role": "invoke"}},
}
LB = {
    "cloud": "aws",
    "source_ranges": ["10.0.0.0/16"],
    "justification": "Batch scoring in the data VPC; until 2026",
}
ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm"


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        ({"image": f"{ECR}:latest"}, "image", "the tag 'latest' names whatever was pushed last"),
        ({"image": f"{ECR}:latest@sha256:" + "b" * 64}, "image", "the tag 'latest'"),
        ({"image": f"{ECR}:1.4"}, "image", "has the mutable tag '1.4'; pin it by digest"),
        ({"image": ECR}, "image", "no tag or digest"),
        (
            {"image": "docker.io/vllm/vllm-openai@sha256:" + "c" * 64},
            "image",
            "not one of the stack's approved",
        ),
        ({"gpus": 9}, "gpus: (replicas + max_surge) x gpus is 18 GPUs", "above the stack's ceiling of 16"),
        (
            {"gpus": 4, "replicas": 3, "max_surge": 2},
            "gpus: (replicas + max_surge) x gpus is 20 GPUs",
            "ceiling",
        ),
        ({"gpus": -1}, "gpus", "greater than or equal to 0"),
        ({"node_selector": {}}, "node_selector: a GPU service names the GPU nodes", "gke-accelerator"),
        ({"run_as_user": 1000}, "run_as_user 1000 is below 10000", "use a dedicated ID ≥ 10000"),
        ({"run_as_user": 0}, "run_as_user 0 is below 10000", "0 is root"),
        ({"run_as_group": 999}, "run_as_group 999 is below 10000", "e.g. 10001"),
        ({"port": 80}, "port", "80 is a privileged port"),
        ({"port": 70000}, "port", "less than or equal to 65535"),
        ({"access": {}}, "access", "at least 1 item"),
        (
            {"access": {"api": {"principal": {"kind": "pods"}, "role": "read"}}},
            "access.api.role",
            "Input should be 'invoke'",
        ),
        (
            {"access": {"world": {"principal": {"kind": "cidr", "cidr": "0.0.0.0/0"}, "role": "invoke"}}},
            "access.world.principal.cidr",
            "cidr 0.0.0.0/0 is every address",
        ),
        (
            {"load_balancer": {**LB, "source_ranges": ["0.0.0.0/0"]}},
            "load_balancer.source_ranges",
            "every address",
        ),
        ({"load_balancer": {**LB, "source_ranges": []}}, "load_balancer.source_ranges", "at least 1 item"),
        (
            {"load_balancer": {k: v for k, v in LB.items() if k != "justification"}},
            "load_balancer.justification",
            "Field required",
        ),
        (
            {"load_balancer": {**LB, "justification": "needed"}},
            "load_balancer.justification",
            "at least 20 characters",
        ),
        ({"load_balancer": {**LB, "cloud": "azure"}}, "load_balancer.cloud", "'aws' or 'gcp'"),
        ({"service_type": "LoadBalancer"}, "service_type", "Extra inputs are not permitted"),
        (
            {"env": {"OPENAI_API_KEY": "sk-proj-123"}},
            "env['OPENAI_API_KEY'] names a credential",
            "secret_env=",
        ),
        ({"env": {"HF_TOKEN": "hf_abc"}}, "env['HF_TOKEN'] names a credential", "control SEC-1"),
        ({"env": {"dbPassword": "x"}}, "env['dbPassword'] names a credential", "ExternalSecret"),
        (
            {"secret_env": {"API_KEY": "sk-proj-123"}},
            "secret_env['API_KEY'] is a literal value",
            "SecretEnv(",
        ),
        (
            {"secret_env": {"API_KEY": {"secret": "keys", "key": "k", "value": "x"}}},
            "secret_env.API_KEY.value",
            "Extra inputs",
        ),
        (
            {"env": {"A": "1"}, "secret_env": {"A": {"secret": "keys", "key": "a"}}},
            "env and secret_env both set ['A']",
            "keep one",
        ),
        ({"env": {"1BAD": "x"}}, "env.1BAD.[key]", "pattern"),
        (
            {"secret_files": {"tmp": {"secret": "s", "mount_path": "/secrets"}}},
            "volume names ['tmp']",
            "used twice",
        ),
        (
            {"scratch": {"a": {"mount_path": "/tmp"}}},
            "mount paths ['/tmp'] are used twice",
            "give each its own",
        ),
        (
            {"secret_files": {"s": {"secret": "s", "mount_path": "/a/../etc"}}},
            "secret_files.s.mount_path",
            "not an absolute path",
        ),
        (
            {"secret_files": {"s": {"secret": "s", "mount_path": "relative"}}},
            "secret_files.s.mount_path",
            "not an absolute path",
        ),
        (
            {"secret_files": {"s": {"secret": "s", "mount_path": "/s", "keys": {"k": "/etc/passwd"}}}},
            "secret_files.s.keys.k",
            "not a relative file path",
        ),
        (
            {"scratch": {"s": {"mount_path": "/s", "size_limit": "512m"}}},
            "scratch.s.size_limit",
            "did you mean 512Mi",
        ),
        (
            {"resources": {"cpu_request": "8", "cpu_limit": "4"}},
            "resources.cpu_request 8 is above cpu_limit 4",
            "lower it",
        ),
        (
            {"replicas": 2, "disruption_budget": {"max_unavailable": None, "min_available": 2}},
            "disruption_budget.min_available 2 is not below replicas 2",
            "drains",
        ),
        ({"disruption_budget": {"max_unavailable": None}}, "disruption_budget", "exactly one"),
        (
            {"disruption_budget": {"max_unavailable": 0}},
            "disruption_budget.max_unavailable",
            "greater than or equal to 1",
        ),
        ({"namespace": "Team_A"}, "namespace", "not a namespace name"),
        ({"namespace": 7}, "namespace", "not a namespace name"),
        ({"name": "1llm"}, "name", "pattern"),
        ({"probes": {"readiness": {"path": "health"}}}, "probes.readiness.path", "pattern"),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], field: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        InferenceServiceArgs.model_validate({**BASE, **changes})
    message = str(caught.value)
    assert field in message
    assert why in message
