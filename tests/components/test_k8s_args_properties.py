"""Property tests over every Kubernetes Args model: random input never raises anything but ValidationError,
and whatever validates keeps the invariants the components promise."""

from __future__ import annotations

import copy
import ipaddress
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import BaseModel, ValidationError

from components.k8s import ExternalSecretArgs, GpuWorkloadNamespaceArgs, InferenceServiceArgs
from components.k8s._network import CidrPeer
from components.k8s._resources import amount
from components.k8s.gpu_workload_namespace import RESERVED_NAMESPACES

OWNERSHIP = {
    "owner": "ml-platform",
    "environment": "production",
    "data_classification": "confidential",
    "purpose": "training",
}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm:1.4@sha256:" + "a" * 64
ROLE = "arn:aws:iam::123456789012:role/scorer"
#: The stack's GPU ceiling when no stack config sets one (the pack's default).
CEILING = 16

#: A valid, fully optioned input per model: mutations of it reach every nested validator.
VALID: dict[type[BaseModel], dict[str, Any]] = {
    GpuWorkloadNamespaceArgs: {
        "ownership": OWNERSHIP,
        "namespace": "team-a",
        "quota": {
            "gpus": 8,
            "requests_cpu": "32",
            "requests_memory": "128Gi",
            "limits_cpu": "64",
            "limits_memory": "256Gi",
            "pods": 40,
        },
        "container_defaults": {
            "cpu_request": "250m",
            "cpu_limit": "1",
            "memory_request": "512Mi",
            "memory_limit": "1Gi",
        },
        "allow": {
            "from-gateway": {
                "direction": "ingress",
                "pod_labels": {"app.kubernetes.io/name": "scorer"},
                "peers": [
                    {"kind": "pods", "namespace": "api-gateway", "pod_labels": {"app": "gateway"}},
                    {"kind": "pods", "namespace_labels": {"team": "fraud"}},
                ],
                "ports": [{"port": 8080}],
            },
            "to-hub": {
                "direction": "egress",
                "peers": [
                    {"kind": "cidr", "cidr": "10.0.0.0/8", "except_cidrs": ["10.1.0.0/16"]},
                    {
                        "kind": "cidr",
                        "cidr": "0.0.0.0/0",
                        "justification": "Model hub downloads until 2026-12; CISO",
                    },
                ],
                "ports": [{"port": 443}, {"port": 30000, "end_port": 30100, "protocol": "UDP"}],
            },
        },
        "dns_resolvers": ["kube-dns", "node-local-dns"],
        "pod_security_version": "v1.32",
        "service_account": {
            "name": "scorer",
            "identity": {"kind": "eks-pod-identity", "cluster_name": "ml-platform", "role_arn": ROLE},
        },
    },
    InferenceServiceArgs: {
        "ownership": OWNERSHIP,
        "namespace": "team-a",
        "name": "llm",
        "image": IMAGE,
        "container_args": ["--model", "/models/llm"],
        "port": 8000,
        "replicas": 3,
        "max_surge": 1,
        "gpus": 2,
        "node_selector": {"cloud.google.com/gke-accelerator": "nvidia-l4"},
        "resources": {"cpu_request": "2", "cpu_limit": "4", "memory_request": "16Gi", "memory_limit": "16Gi"},
        "probes": {
            "readiness": {"path": "/health", "period_seconds": 5},
            "liveness": {"path": "/health", "port": 8001},
            "startup": {"path": "/health", "failure_threshold": 90},
        },
        "run_as_user": 10001,
        "run_as_group": 10001,
        "service_account": "scorer",
        "env": {"HF_HUB_OFFLINE": "1"},
        "secret_env": {"VLLM_API_KEY": {"secret": "llm-keys", "key": "VLLM_API_KEY"}},
        "secret_files": {
            "provider": {"secret": "provider-keys", "mount_path": "/secrets", "keys": {"k": "a/b"}}
        },
        "tmp_size": "2Gi",
        "scratch": {"shm": {"mount_path": "/dev/shm", "size_limit": "8Gi", "memory": True}},
        "access": {
            "gateway": {
                "principal": {"kind": "pods", "namespace": "api-gateway", "pod_labels": {"app": "gateway"}},
                "role": "invoke",
            },
            "batch": {"principal": {"kind": "cidr", "cidr": "10.30.0.0/16"}, "role": "invoke"},
        },
        "load_balancer": {
            "cloud": "aws",
            "source_ranges": ["10.40.0.0/16"],
            "justification": "Batch scoring in the data VPC calls it; until 2026-12",
        },
        "disruption_budget": {"max_unavailable": None, "min_available": 2},
    },
    ExternalSecretArgs: {
        "ownership": OWNERSHIP,
        "namespace": "team-a",
        "target_secret": "llm-keys",
        "store": {"name": "gcp-secret-manager", "kind": "ClusterSecretStore"},
        "data": {"VLLM_API_KEY": {"key": "vllm-api-key", "version": "3", "property": "key"}},
        "refresh_interval": "15m",
    },
}

INTERESTING = [
    "",
    " ",
    "*",
    "0.0.0.0/0",
    "::/0",
    "10.0.0.0/8",
    "10.0.0.1/8",
    "169.254.169.254/32",
    "default",
    "kube-system",
    "latest",
    IMAGE,
    IMAGE.replace(":1.4@", ":latest@"),
    "docker.io/library/python:3.12",
    "nvcr.io/nvidia/tritonserver@sha256:" + "b" * 64,
    ROLE,
    "arn:aws:iam::*:role/x",
    "serviceAccount:1234-compute@developer.gserviceaccount.com",
    "eks-pod-identity",
    "gke-workload-identity",
    "pods",
    "cidr",
    "invoke",
    "ingress",
    "egress",
    "aws",
    "gcp",
    "500m",
    "512m",
    "16Gi",
    "/tmp",
    "/a/../b",
    "OPENAI_API_KEY",
    "HF_TOKEN",
    "-1",
    "0",
    "1e400",
    "\u0000",
    "é",
    "x" * 600,
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, 999, 1023, 1024, 9999, 10000, 16, 17, 65535, 65536]),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(INTERESTING),
    st.binary(max_size=8),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(st.text(max_size=12), st.sampled_from(INTERESTING)), inner, max_size=4),
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*prefix, i))
    return found


def _mutate(base: dict[str, Any], path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    data: Any = copy.deepcopy(base)
    if not path:
        return value
    target = data
    for part in path[:-1]:
        target = target[part]
    if delete and isinstance(target, dict):
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return data


def _validate(model: type[BaseModel], data: Any) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _no_unjustified_world(peers: Any) -> None:
    for peer in peers:
        if isinstance(peer, CidrPeer) and ipaddress.ip_network(peer.cidr).prefixlen == 0:
            assert peer.justification is not None and len(peer.justification) >= 20


def _invariants(args: BaseModel) -> None:
    """What every validated input guarantees, whatever else it sets."""
    if isinstance(args, GpuWorkloadNamespaceArgs):
        assert args.namespace not in RESERVED_NAMESPACES
        assert 0 <= args.quota.gpus <= CEILING
        assert args.service_account.name != "default"
        assert not {"dns", "cloud-identity"} & set(args.allow)
        d = args.container_defaults
        assert amount(d.cpu_request) <= amount(d.cpu_limit)
        assert amount(d.memory_request) <= amount(d.memory_limit)
        for rule in args.allow.values():
            assert rule.peers and rule.ports
            _no_unjustified_world(rule.peers)
    elif isinstance(args, InferenceServiceArgs):
        assert args.run_as_user >= 10000 and args.run_as_group >= 10000
        assert args.port >= 1024
        assert (args.replicas + args.max_surge) * args.gpus <= CEILING
        assert "@sha256:" in args.image and ":latest@" not in args.image
        assert args.access and all(g.role == "invoke" for g in args.access.values())
        _no_unjustified_world(g.principal for g in args.access.values())
        assert not args.gpus or args.node_selector
        if args.load_balancer is not None:
            assert len(args.load_balancer.justification) >= 20
            assert all(ipaddress.ip_network(c).prefixlen > 0 for c in args.load_balancer.source_ranges)
        budget = args.disruption_budget
        assert budget.min_available is None or budget.min_available < args.replicas
        assert not set(args.env) & set(args.secret_env)
        assert all(not isinstance(ref, str | bytes) for ref in args.secret_env.values())
    elif isinstance(args, ExternalSecretArgs):
        assert args.data
        assert all(not isinstance(ref, str | bytes) for ref in args.data.values())


MODELS = list(VALID)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_valid_baselines_validate(model: type[BaseModel]) -> None:
    args = model.model_validate(VALID[model])
    _invariants(args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_one_mutation_never_raises_anything_but_validation_error(
    model: type[BaseModel], data: st.DataObject
) -> None:
    base = VALID[model]
    path = data.draw(st.sampled_from(_paths(base)))
    mutated = _mutate(base, path, data.draw(values), data.draw(st.booleans()))
    args = _validate(model, mutated)
    if args is not None:
        _invariants(args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_random_field_values_never_raise_anything_but_validation_error(
    model: type[BaseModel], data: st.DataObject
) -> None:
    fields = list(model.model_fields)
    chosen = data.draw(st.dictionaries(st.sampled_from([*fields, "extra"]), values, max_size=len(fields) + 1))
    args = _validate(model, {"ownership": OWNERSHIP, **chosen})
    if args is not None:
        _invariants(args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@PROPERTY_SETTINGS
@given(value=values)
def test_any_top_level_value_never_raises_anything_but_validation_error(
    model: type[BaseModel], value: Any
) -> None:
    _validate(model, value)
