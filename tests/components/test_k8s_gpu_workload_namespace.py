"""GpuWorkloadNamespace (Kubernetes): restricted Pod Security, default-deny traffic, a GPU quota within the
stack's ceiling, container defaults and a token-less workload ServiceAccount with an optional cloud identity."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.apimodel import validate
from aiwarden.errors import AiwardenError
from components._common import Ownership
from components.k8s import GpuWorkloadNamespaceArgs
from tests.components.gcp_helpers import K8S_LABELS, run
from tests.components.helpers import children, depends_on, incident_response, inputs, inventory, parent_name
from tests.harness import capture, findings, gate, set_input, unknowns

DEFAULT = """
GpuWorkloadNamespace("team", GpuWorkloadNamespaceArgs(ownership=o, namespace="team-a",
    quota=ComputeQuota(gpus=4, requests_cpu="16", requests_memory="64Gi")))
"""
RULES = """
GpuWorkloadNamespace("team", GpuWorkloadNamespaceArgs(ownership=o, namespace="team-a",
    quota=ComputeQuota(gpus=16, requests_cpu="32", requests_memory="128Gi", limits_cpu="64", limits_memory="256Gi",
                       pods=20),
    container_defaults=ContainerDefaults(cpu_request="500m", cpu_limit="2", memory_request="1Gi", memory_limit="4Gi"),
    dns_resolvers=("kube-dns", "node-local-dns", "gke-cloud-dns"),
    pod_security_version="v1.32",
    allow={
        "from-gateway": AllowRule(direction="ingress", pod_labels={"app.kubernetes.io/name": "scorer"},
            peers=(PodPeer(namespace="api-gateway", pod_labels={"app": "gateway"}),
                   PodPeer(namespace_labels={"team": "fraud"}),
                   PodPeer(pod_labels={"app": "batch"})),
            ports=(Port(port=8080),)),
        "to-endpoints": AllowRule(direction="egress",
            peers=(CidrPeer(cidr="10.20.0.0/16", except_cidrs=("10.20.5.0/24",)),),
            ports=(Port(port=443), Port(port=30000, end_port=30100, protocol="UDP"))),
        "to-hub": AllowRule(direction="egress",
            peers=(CidrPeer(cidr="0.0.0.0/0", justification="Model downloads from the hub until the mirror exists; CISO 2026-03"),),
            ports=(Port(port=443),)),
    }))
"""
EKS = """
GpuWorkloadNamespace("team", GpuWorkloadNamespaceArgs(ownership=o, namespace="team-a",
    quota=ComputeQuota(gpus=4, requests_cpu="16", requests_memory="64Gi"),
    service_account=WorkloadServiceAccount(name="scorer", identity=EksPodIdentity(
        cluster_name="ml-platform", role_arn="arn:aws:iam::123456789012:role/scorer"))))
"""
GKE = """
GpuWorkloadNamespace("team", GpuWorkloadNamespaceArgs(ownership=o, namespace="team-a",
    quota=ComputeQuota(gpus=4, requests_cpu="16", requests_memory="64Gi"),
    service_account=WorkloadServiceAccount(name="scorer", identity=GkeWorkloadIdentity(
        service_account="serviceAccount:scorer@ml-serving.iam.gserviceaccount.com", cluster_project="ml-cluster"))))
"""
PSA = {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/warn-version": "latest",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/audit-version": "latest",
}
NS_CHILDREN = [
    ("aiwarden:k8s:GpuWorkloadNamespace", "team"),
    ("kubernetes:core/v1:LimitRange", "team-limits"),
    ("kubernetes:core/v1:Namespace", "team-namespace"),
    ("kubernetes:core/v1:ResourceQuota", "team-quota"),
    ("kubernetes:core/v1:ServiceAccount", "team-service-account"),
    ("kubernetes:networking.k8s.io/v1:NetworkPolicy", "team-allow-dns"),
    ("kubernetes:networking.k8s.io/v1:NetworkPolicy", "team-default-deny"),
]
KUBE_DNS = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
}
DNS_PORTS = [{"port": 53.0, "protocol": "UDP"}, {"port": 53.0, "protocol": "TCP"}]


def meta(name: str, **extra: Any) -> dict[str, Any]:
    return {"labels": K8S_LABELS, "name": name, "namespace": "team-a", **extra}


def test_default_children_and_settings() -> None:
    c = run(DEFAULT)
    assert children(c) == NS_CHILDREN
    assert {parent_name(c, name) for _, name in NS_CHILDREN[1:]} == {"team"}
    assert inputs(c, "team-namespace") == {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "team-a", "labels": {**K8S_LABELS, **PSA}},
    }
    assert inputs(c, "team-default-deny")["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    assert inputs(c, "team-default-deny")["metadata"] == meta("default-deny")
    assert inputs(c, "team-allow-dns")["spec"] == {
        "podSelector": {},
        "policyTypes": ["Egress"],
        "egress": [{"to": [KUBE_DNS], "ports": DNS_PORTS}],
    }
    assert inputs(c, "team-quota")["spec"] == {
        "hard": {
            "requests.nvidia.com/gpu": "4",
            "requests.cpu": "16",
            "requests.memory": "64Gi",
            "limits.cpu": "16",
            "limits.memory": "64Gi",
        }
    }
    assert inputs(c, "team-quota")["metadata"] == meta("compute")
    assert inputs(c, "team-limits")["spec"] == {
        "limits": [
            {
                "type": "Container",
                "default": {"cpu": "1", "memory": "1Gi"},
                "defaultRequest": {"cpu": "250m", "memory": "512Mi"},
            }
        ]
    }
    assert inputs(c, "team-service-account") == {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": meta("workload"),
        "automountServiceAccountToken": False,
    }
    # every namespaced object waits for the namespace (its metadata.namespace is the Namespace's output)
    for _, name in NS_CHILDREN[1:]:
        if name != "team-namespace":
            assert depends_on(c, name) == {"team-namespace"}, name


def test_default_passes_every_policy_and_the_kubernetes_schemas() -> None:
    c = run(DEFAULT)
    assert findings(gate(c)) == set()
    assert validate(c.resources) == []
    preview = run(DEFAULT, preview_mode=True)
    report = gate(preview)
    assert findings(report) == set()
    assert unknowns(report, "") == set()


def test_inventory_names_the_namespace_identity_and_containment() -> None:
    c = run(DEFAULT)
    entry = inventory(c)["team"]
    assert (entry["kind"], entry["exposure"], entry["identities"]) == (
        "gpu-compute",
        "private",
        ["system:serviceaccount:team-a:workload"],
    )
    ir = incident_response(c)["team"]
    assert ir["credentialsToRevoke"] == ["system:serviceaccount:team-a:workload"]
    assert "requests.nvidia.com/gpu to 0" in ir["containment"]
    assert "kubectl scale deployment --all --replicas=0 -n team-a" in ir["containment"]


def test_allow_rules_dns_resolvers_quota_and_defaults() -> None:
    c = run(RULES)
    assert children(c) == sorted(
        [
            *NS_CHILDREN,
            ("kubernetes:networking.k8s.io/v1:NetworkPolicy", "team-allow-from-gateway"),
            ("kubernetes:networking.k8s.io/v1:NetworkPolicy", "team-allow-to-endpoints"),
            ("kubernetes:networking.k8s.io/v1:NetworkPolicy", "team-allow-to-hub"),
        ]
    )
    assert inputs(c, "team-namespace")["metadata"]["labels"][
        "pod-security.kubernetes.io/enforce-version"
    ] == ("v1.32")
    assert inputs(c, "team-allow-dns")["spec"]["egress"] == [
        {
            "to": [
                KUBE_DNS,
                {"ipBlock": {"cidr": "169.254.20.10/32"}},
                {"ipBlock": {"cidr": "169.254.169.254/32"}},
            ],
            "ports": DNS_PORTS,
        }
    ]
    assert inputs(c, "team-allow-from-gateway")["spec"] == {
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "scorer"}},
        "policyTypes": ["Ingress"],
        "ingress": [
            {
                "from": [
                    {
                        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "api-gateway"}},
                        "podSelector": {"matchLabels": {"app": "gateway"}},
                    },
                    {"namespaceSelector": {"matchLabels": {"team": "fraud"}}},
                    {"podSelector": {"matchLabels": {"app": "batch"}}},
                ],
                "ports": [{"port": 8080.0, "protocol": "TCP"}],
            }
        ],
    }
    assert inputs(c, "team-allow-from-gateway")["metadata"] == meta("allow-from-gateway")
    assert inputs(c, "team-allow-to-endpoints")["spec"] == {
        "podSelector": {},
        "policyTypes": ["Egress"],
        "egress": [
            {
                "to": [{"ipBlock": {"cidr": "10.20.0.0/16", "except": ["10.20.5.0/24"]}}],
                "ports": [
                    {"port": 443.0, "protocol": "TCP"},
                    {"port": 30000.0, "endPort": 30100.0, "protocol": "UDP"},
                ],
            }
        ],
    }
    hub = inputs(c, "team-allow-to-hub")
    assert hub["spec"]["egress"][0]["to"] == [{"ipBlock": {"cidr": "0.0.0.0/0"}}]
    assert hub["metadata"]["annotations"] == {
        "aiwarden.io/aiwarden-exception": "0.0.0.0/0: Model downloads from the hub until the mirror exists; CISO 2026-03"
    }
    assert inputs(c, "team-quota")["spec"]["hard"] == {
        "requests.nvidia.com/gpu": "16",
        "requests.cpu": "32",
        "requests.memory": "128Gi",
        "limits.cpu": "64",
        "limits.memory": "256Gi",
        "pods": "20",
    }
    assert inputs(c, "team-limits")["spec"]["limits"][0] == {
        "type": "Container",
        "default": {"cpu": "2", "memory": "4Gi"},
        "defaultRequest": {"cpu": "500m", "memory": "1Gi"},
    }
    assert validate(c.resources) == []
    assert findings(gate(c), level="mandatory") == set()


def test_eks_pod_identity_binds_the_service_account_to_the_role() -> None:
    c = run(EKS)
    assert children(c) == sorted(
        [
            *NS_CHILDREN,
            ("aws:eks/podIdentityAssociation:PodIdentityAssociation", "team-pod-identity"),
            ("kubernetes:networking.k8s.io/v1:NetworkPolicy", "team-allow-cloud-identity"),
        ]
    )
    association = inputs(c, "team-pod-identity")
    assert {k: association[k] for k in ("clusterName", "namespace", "serviceAccount", "roleArn")} == {
        "clusterName": "ml-platform",
        "namespace": "team-a",
        "serviceAccount": "scorer",
        "roleArn": "arn:aws:iam::123456789012:role/scorer",
    }
    assert association["tags"] == {
        "owner": "ml-platform",
        "environment": "production",
        "data-classification": "confidential",
        "purpose": "training",
    }
    assert "team-service-account" in depends_on(c, "team-pod-identity")
    assert inputs(c, "team-service-account")["metadata"] == meta("scorer")
    assert inputs(c, "team-allow-cloud-identity")["spec"] == {
        "podSelector": {},
        "policyTypes": ["Egress"],
        "egress": [
            {"to": [{"ipBlock": {"cidr": "169.254.170.23/32"}}], "ports": [{"port": 80.0, "protocol": "TCP"}]}
        ],
    }
    entry = inventory(c)["team"]
    assert entry["identities"] == [
        "system:serviceaccount:team-a:scorer",
        "arn:aws:iam::123456789012:role/scorer",
    ]
    ir = incident_response(c)["team"]
    assert ir["credentialsToRevoke"] == ["arn:aws:iam::123456789012:role/scorer"]
    assert "team-pod-identity" in ir["containment"]
    assert validate(c.resources) == []
    assert findings(gate(c)) == set()


def test_gke_workload_identity_annotates_the_service_account_and_grants_workload_identity_user() -> None:
    c = run(GKE)
    assert children(c) == sorted(
        [
            *NS_CHILDREN,
            ("gcp:serviceaccount/iAMMember:IAMMember", "team-workload-identity"),
            ("kubernetes:networking.k8s.io/v1:NetworkPolicy", "team-allow-cloud-identity"),
        ]
    )
    assert inputs(c, "team-service-account")["metadata"] == meta(
        "scorer", annotations={"iam.gke.io/gcp-service-account": "scorer@ml-serving.iam.gserviceaccount.com"}
    )
    assert inputs(c, "team-workload-identity") == {
        "serviceAccountId": "projects/ml-serving/serviceAccounts/scorer@ml-serving.iam.gserviceaccount.com",
        "role": "roles/iam.workloadIdentityUser",
        "member": "serviceAccount:ml-cluster.svc.id.goog[team-a/scorer]",
    }
    assert inputs(c, "team-allow-cloud-identity")["spec"]["egress"] == [
        {"to": [{"ipBlock": {"cidr": "169.254.169.254/32"}}], "ports": [{"port": 80.0, "protocol": "TCP"}]},
        {"to": [{"ipBlock": {"cidr": "169.254.169.252/32"}}], "ports": [{"port": 988.0, "protocol": "TCP"}]},
    ]
    assert inventory(c)["team"]["identities"] == [
        "system:serviceaccount:team-a:scorer",
        "serviceAccount:scorer@ml-serving.iam.gserviceaccount.com",
    ]
    assert validate(c.resources) == []
    assert findings(gate(c)) == set()


def test_the_ceiling_is_the_packs_and_stack_config_raises_it() -> None:
    at_ceiling = run(DEFAULT.replace("gpus=4", "gpus=16"))
    assert findings(gate(at_ceiling), "gpu-5") == set()
    # one more than the component's default ceiling is what the pack's default ceiling refuses
    assert findings(
        gate(set_input(at_ceiling, "team-quota", ["spec", "hard", "requests.nvidia.com/gpu"], "17")), "gpu-5"
    ) == {("gpu-5-k8s-gpu-quota-cap", "team-quota")}
    header = "from components._common import Ownership\nfrom components.k8s import *\n" + (
        'o = Ownership(owner="ml-platform", environment="production", data_classification="confidential", '
        'purpose="training")\n'
    )
    raised = capture(header + DEFAULT.replace("gpus=4", "gpus=20"), {"aiwarden:maxGpusPerNamespace": "20"})
    assert raised.error is None
    assert inputs(raised, "team-quota")["spec"]["hard"]["requests.nvidia.com/gpu"] == "20"
    with pytest.raises(
        AiwardenError,
        match=r"quota\.gpus: the namespace quota allows 17 GPUs, above the stack's ceiling of 16",
    ):
        capture(header + DEFAULT.replace("gpus=4", "gpus=17"))
    with pytest.raises(AiwardenError, match=r"aiwarden:maxGpusPerNamespace: expected a non-negative"):
        capture(header + DEFAULT, {"aiwarden:maxGpusPerNamespace": "lots"})


OWNER = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
BASE: dict[str, Any] = {
    "ownership": OWNER,
    "namespace": "team-a",
    "quota": {"gpus": 4, "requests_cpu": "16", "requests_memory": "64Gi"},
}
QUOTA = BASE["quota"]
RULE = {"direction": "egress", "peers": [{"kind": "cidr", "cidr": "10.0.0.0/16"}], "ports": [{"port": 443}]}


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        ({"namespace": "default"}, "namespace", "belongs to the cluster"),
        ({"namespace": "kube-system"}, "namespace", "belongs to the cluster"),
        ({"namespace": "Team_A"}, "namespace", "pattern"),
        ({"quota": {**QUOTA, "gpus": 17}}, "quota.gpus", "above the stack's ceiling of 16"),
        ({"quota": {**QUOTA, "gpus": -1}}, "quota.gpus", "greater than or equal to 0"),
        ({"quota": {**QUOTA, "requests_cpu": "lots"}}, "quota.requests_cpu", "not a CPU quantity"),
        ({"quota": {**QUOTA, "requests_cpu": "2Gi"}}, "quota.requests_cpu", "not a CPU quantity"),
        ({"quota": {**QUOTA, "requests_memory": "512m"}}, "quota.requests_memory", "did you mean 512Mi"),
        (
            {"quota": {**QUOTA, "limits_cpu": "8"}},
            "quota.requests_cpu 16 is above quota.limits_cpu 8",
            "lower it",
        ),
        ({"quota": {**QUOTA, "limits.nvidia.com/gpu": 4}}, "quota.`limits.nvidia.com/gpu`", "Extra inputs"),
        (
            {"container_defaults": {"cpu_request": "2", "cpu_limit": "1"}},
            "container_defaults.cpu_request 2 is above cpu_limit 1",
            "refuses a LimitRange",
        ),
        (
            {"container_defaults": {"memory_limit": "128Gi", "memory_request": "1Gi"}},
            "container_defaults.memory_limit 128Gi is above the namespace quota limits.memory 64Gi",
            "could never start",
        ),
        ({"allow": {"dns": RULE}}, "allow.dns", "taken by the component's own NetworkPolicy allow-dns"),
        ({"allow": {"cloud-identity": RULE}}, "allow.cloud-identity", "taken"),
        ({"allow": {"Bad Name": RULE}}, "allow.Bad Name", "pattern"),
        (
            {"allow": {"web": {**RULE, "peers": [{"kind": "cidr", "cidr": "0.0.0.0/0"}]}}},
            "allow.web.peers.0.cidr",
            "cidr 0.0.0.0/0 is every address",
        ),
        (
            {"allow": {"web": {**RULE, "peers": [{"kind": "cidr", "cidr": "::/0"}]}}},
            "allow.web.peers.0.cidr",
            "give `justification`",
        ),
        (
            {
                "allow": {
                    "web": {
                        **RULE,
                        "peers": [{"kind": "cidr", "cidr": "0.0.0.0/0", "justification": "because"}],
                    }
                }
            },
            "allow.web.peers.0.cidr.justification",
            "at least 20 characters",
        ),
        (
            {"allow": {"web": {**RULE, "peers": [{"kind": "cidr", "cidr": "10.0.0.1/16"}]}}},
            "allow.web.peers.0.cidr.cidr",
            "host bits set; the network is 10.0.0.0/16",
        ),
        (
            {"allow": {"web": {**RULE, "peers": [{"kind": "cidr", "cidr": "10.0.0.0"}]}}},
            "allow.web.peers.0.cidr.cidr",
            "give the prefix length",
        ),
        (
            {
                "allow": {
                    "web": {
                        **RULE,
                        "peers": [{"kind": "cidr", "cidr": "10.0.0.0/16", "except_cidrs": ["10.1.0.0/24"]}],
                    }
                }
            },
            "allow.web.peers.0.cidr",
            "10.1.0.0/24 is not a block strictly inside 10.0.0.0/16",
        ),
        (
            {
                "allow": {
                    "web": {
                        **RULE,
                        "peers": [{"kind": "pods", "namespace": "a", "namespace_labels": {"x": "y"}}],
                    }
                }
            },
            "allow.web.peers.0.pods",
            "not both",
        ),
        (
            {"allow": {"web": {**RULE, "peers": [{"kind": "pods", "pod_labels": {"-bad": "x"}}]}}},
            "allow.web.peers.0.pods.pod_labels",
            "not a Kubernetes label key",
        ),
        (
            {"allow": {"web": {**RULE, "peers": [{"kind": "everyone"}]}}},
            "allow.web.peers.0",
            "does not match any of the expected tags",
        ),
        ({"allow": {"web": {**RULE, "peers": []}}}, "allow.web.peers", "at least 1 item"),
        ({"allow": {"web": {**RULE, "ports": []}}}, "allow.web.ports", "at least 1 item"),
        (
            {"allow": {"web": {**RULE, "ports": [{"port": 0}]}}},
            "allow.web.ports.0.port",
            "greater than or equal to 1",
        ),
        (
            {"allow": {"web": {**RULE, "ports": [{"port": 443, "end_port": 80}]}}},
            "allow.web.ports.0",
            "end_port 80 is below port 443",
        ),
        ({"dns_resolvers": ()}, "dns_resolvers", "at least 1 item"),
        ({"dns_resolvers": ("8.8.8.8",)}, "dns_resolvers.0", "kube-dns"),
        ({"pod_security_version": "v2"}, "pod_security_version", "pattern"),
        (
            {"service_account": {"name": "default"}},
            "service_account.name: 'default'",
            "give the workload its own",
        ),
        (
            {
                "service_account": {
                    "identity": {
                        "kind": "eks-pod-identity",
                        "cluster_name": "ml",
                        "role_arn": "arn:aws:iam::*:role/x",
                    }
                }
            },
            "service_account.identity.eks-pod-identity.role_arn",
            "wildcards are refused",
        ),
        (
            {
                "service_account": {
                    "identity": {
                        "kind": "gke-workload-identity",
                        "service_account": "serviceAccount:123456789-compute@developer.gserviceaccount.com",
                        "cluster_project": "ml-cluster",
                    }
                }
            },
            "service_account.identity.gke-workload-identity.service_account",
            "default service account",
        ),
        ({"network_policy": False}, "network_policy", "Extra inputs are not permitted"),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], field: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        GpuWorkloadNamespaceArgs.model_validate({**BASE, **changes})
    message = str(caught.value)
    assert field in message
    assert why in message
