"""Property tests over every AWS Args model: random input never raises anything but ValidationError,
and whatever validates keeps the invariants the components promise."""

from __future__ import annotations

import copy
import ipaddress
import re
from fnmatch import fnmatchcase
from typing import Any

import pulumi
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import BaseModel, ValidationError

from aiwarden_policies.contract.logs import RETENTION_DAYS
from components.aws import (
    BedrockAccessArgs,
    ContainerRegistryArgs,
    GpuClusterArgs,
    GpuNodePoolArgs,
    KeyArgs,
    LockedBucketArgs,
    ManagedNotebookArgs,
    ModelEndpointArgs,
    PrivateNetworkArgs,
    SecretWiringArgs,
    VectorDatabaseArgs,
    VectorStoreArgs,
)
from components.aws._cidrs import is_private
from components.aws._documents import wildcard_allows
from components.aws._egress import FirewallEgress, ProxyEgress
from components.aws._gpu_instances import gpus
from components.aws._identifiers import ROLE_ARN
from components.aws.bedrock_access import FOUNDATION_MODEL_ARN
from components.aws.container_registry import CreateScanning
from components.aws.managed_notebook import IDLE_CEILING_MINUTES, PLATFORM

OWNERSHIP = {
    "owner": "ml-platform",
    "environment": "production",
    "data_classification": "confidential",
    "purpose": "training",
}
ROLE = "arn:aws:iam::123456789012:role/trainer"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
STATEMENT = {
    "Sid": "Read",
    "Effect": "Allow",
    "Principal": {"AWS": ROLE},
    "Action": ["s3:GetObject"],
    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
}

#: A valid, fully optioned input per model: mutations of it reach every nested validator.
VALID: dict[type[BaseModel], dict[str, Any]] = {
    KeyArgs: {
        "ownership": OWNERSHIP,
        "description": "d",
        "alias": "ml/training",
        "deletion_window_days": 7,
        "rotation_period_days": 365,
        "access": {"trainer": {"principal": ROLE, "role": "use"}},
        "services": ["s3"],
        "service_principals": ["delivery.logs.amazonaws.com"],
        "policy_statements": [STATEMENT],
    },
    LockedBucketArgs: {
        "ownership": OWNERSHIP,
        "bucket_name": "ml-data",
        "kms_key": {"kind": "existing", "key": KEY},
        "access_logs": {"kind": "existing", "bucket": "org-logs", "prefix": "data/"},
        "noncurrent_version_days": 30,
        "abort_incomplete_upload_days": 3,
        "access": {
            "trainer": {"principal": ROLE, "role": "write"},
            "auditor": {"principal": ROLE, "role": "read"},
        },
        "allowed_vpc_endpoints": {"main": "vpce-0123456789abcdef0"},
        "object_lock": {"mode": "COMPLIANCE", "days": 30, "confirm_irreversible": True},
        "policy_statements": [STATEMENT],
        "deletion_protection": True,
    },
    SecretWiringArgs: {
        "ownership": OWNERSHIP,
        "secret_name": "ml/openai",
        "description": "d",
        "kms_key": {"kind": "create"},
        "access": {
            "inference": {
                "principal": ROLE,
                "role": "read",
                "pod_identity": {
                    "cluster_name": "ml",
                    "service_account": {"namespace": "serving", "name": "scorer"},
                },
            },
            "operator": {"principal": ROLE, "role": "write"},
        },
        "rotation": {
            "kind": "function",
            "function_arn": "arn:aws:lambda:us-east-1:123456789012:function:rotate",
            "function_role_arn": ROLE,
            "after_days": 14,
        },
        "recovery_window_days": 7,
        "policy_statements": [STATEMENT],
    },
    VectorStoreArgs: {
        "ownership": OWNERSHIP,
        "collection_name": "rag-docs",
        "description": "d",
        "kms_key": {"kind": "existing", "key": KEY},
        "network": {
            "vpc_id": "vpc-0123456789abcdef0",
            "subnet_ids": ["subnet-0123456789abcdef0"],
            "security_group_ids": ["sg-0123456789abcdef0"],
        },
        "access": {
            "inference": {"principal": ROLE, "role": "read"},
            "ingest": {"principal": ROLE, "role": "write"},
        },
        "standby_replicas": False,
    },
    VectorDatabaseArgs: {
        "ownership": OWNERSHIP,
        "cluster_identifier": "rag-pg",
        "database_name": "embeddings",
        "master_username": "rag_owner",
        "engine_version": "15.10",
        "kms_key": {"kind": "create", "rotation_period_days": 180},
        "network": {
            "vpc_id": "vpc-0123456789abcdef0",
            "subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
            "security_group_ids": ["sg-0123456789abcdef0"],
        },
        "instances": 1,
        "min_capacity": 0,
        "max_capacity": 4,
        "backup_retention_days": 35,
        "deletion_protection": True,
    },
    PrivateNetworkArgs: {
        "ownership": OWNERSHIP,
        "cidr_block": "10.20.0.0/16",
        "subnets": {
            "a": {"availability_zone": "us-east-1a", "cidr_block": "10.20.0.0/20"},
            "b": {"availability_zone": "us-east-1b", "cidr_block": "10.20.16.0/20"},
        },
        "interface_endpoints": ["ecr.api", "ecr.dkr", "sts", "ssmmessages"],
        "gateway_endpoints": ["s3", "dynamodb"],
        "endpoints_without_policy": ["ssmmessages"],
        "endpoint_policy_organization": "o-a1b2c3d4e5",
        "s3_anonymous_read_buckets": ["al2023-repos-us-east-1-de612dc2"],
        "endpoint_client_cidrs": {"onprem": "192.168.0.0/16"},
        "workload_ports": {"https": 443, "postgres": 5432},
        "egress": {
            "kind": "firewall",
            "allowed_domains": ["api.openai.com", ".huggingface.co"],
            "ports": [443],
            "zones": {
                "a": {
                    "availability_zone": "us-east-1a",
                    "firewall_cidr": "10.20.255.0/28",
                    "public_cidr": "10.20.255.16/28",
                },
                "b": {
                    "availability_zone": "us-east-1b",
                    "firewall_cidr": "10.20.255.32/28",
                    "public_cidr": "10.20.255.48/28",
                },
            },
            "rule_capacity": 100,
            "justification": "Model weights from Hugging Face, approved in SEC-7",
        },
        "kms_key": {"kind": "existing", "key": KEY},
        "flow_log_retention_days": 400,
        "deletion_protection": True,
    },
    ContainerRegistryArgs: {
        "ownership": OWNERSHIP,
        "repository_name": "fraud/scorer",
        "kms_key": {"kind": "create"},
        "access": {"ci": {"principal": ROLE, "role": "write"}, "nodes": {"principal": ROLE, "role": "read"}},
        "untagged_image_days": 7,
        "mutable_tags": {"justification": "The vendor pipeline moves the nightly tag, SEC-9"},
        "scanning": {"kind": "create", "repository_filters": ["fraud/*"]},
        "pull_through_cache": {
            "upstream_registry_url": "registry-1.docker.io",
            "repository_prefix": "docker-hub",
            "credential_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf",
        },
        "deletion_protection": False,
    },
    ModelEndpointArgs: {
        "ownership": OWNERSHIP,
        "network": {
            "vpc_id": "vpc-0123456789abcdef0",
            "subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
            "security_group_ids": ["sg-0123456789abcdef0"],
        },
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud/scorer:7.2@sha256:" + "a" * 64,
        "instance_type": "ml.g5.xlarge",
        "instance_count": 2,
        "endpoint_name": "fraud-scorer",
        "environment": {"MAX_BATCH": "16"},
        "model_artifacts": {"s3_uri": "s3://ml-models/fraud/7.2/model.tar.gz", "kms_key": KEY},
        "container_egress": {"justification": "Calls the feature store, approved in SEC-51"},
        "kms_key": {"kind": "existing", "key": KEY},
        "api": {
            "endpoint_type": "PRIVATE",
            "vpc_endpoint_ids": {"main": "vpce-0123456789abcdef0"},
            "stage_name": "prod",
            "path": "score",
            "rate_limit": 20,
            "burst_limit": 40,
            "logging_level": "INFO",
            "quota": {"limit": 100000, "period": "DAY"},
        },
        "waf": {"rate_limit": 1200, "window_seconds": 60},
        "api_logging_role": {"kind": "existing"},
        "access": {"app": {"principal": ROLE, "role": "invoke"}},
        "log_retention_days": 400,
        "deletion_protection": True,
    },
    GpuClusterArgs: {
        "ownership": OWNERSHIP,
        "cluster_name": "fraud-scoring",
        "kubernetes_version": "1.34",
        "network": {
            "vpc_id": "vpc-0123456789abcdef0",
            "subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
            "security_group_ids": ["sg-0123456789abcdef0"],
        },
        "kms_key": {"kind": "existing", "key": KEY},
        "access": {
            "platform": {"principal": ROLE, "role": "admin"},
            "audit": {"principal": "arn:aws:iam::123456789012:role/auditor", "role": "read"},
        },
        "api_access": {"vpn": "10.200.0.0/16"},
        "public_access": {
            "justification": "CI runners outside AWS deploy here, approved in SEC-12",
            "cidrs": ["203.0.113.0/24"],
        },
        "control_plane_logs": ["api", "audit", "authenticator", "controllerManager", "scheduler"],
        "log_retention_days": 731,
        "support_type": "EXTENDED",
        "system_pool": {
            "instance_types": ["m7i.large"],
            "ami_type": "BOTTLEROCKET_x86_64",
            "min_size": 2,
            "max_size": 4,
            "disk_size_gb": 80,
        },
        "create_autoscaling_service_role": True,
        "deletion_protection": True,
    },
    GpuNodePoolArgs: {
        "ownership": OWNERSHIP,
        "cluster": {
            "name": "fraud-scoring",
            "security_group_id": "sg-0123456789abcdef9",
            "autoscaling_role_arn": ROLE,
        },
        "network": {
            "vpc_id": "vpc-0123456789abcdef0",
            "subnet_ids": ["subnet-0123456789abcdef0"],
            "security_group_ids": ["sg-0123456789abcdef0"],
        },
        "instance_types": ["g6e.xlarge", "g6e.2xlarge"],
        "ami_type": "BOTTLEROCKET_x86_64_NVIDIA",
        "min_size": 1,
        "max_size": 4,
        "desired_size": 2,
        "disk_size_gb": 300,
        "capacity": {"kind": "spot"},
        "labels": {"example.com/team": "fraud"},
        "kubernetes_version": "1.34",
        "cni_policy": False,
        "auto_repair": True,
        "kms_key": {"kind": "existing", "key": KEY},
    },
    ManagedNotebookArgs: {
        "ownership": OWNERSHIP,
        "network": {
            "vpc_id": "vpc-0123456789abcdef0",
            "subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
            "security_group_ids": ["sg-0123456789abcdef0"],
        },
        "instance_type": "ml.g5.xlarge",
        "volume_size_gb": 50,
        "kms_key": {"kind": "existing", "key": KEY},
        "idle_shutdown_minutes": 120,
        "package_index": {
            "kind": "codeartifact",
            "domain": "ml",
            "domain_owner": "123456789012",
            "repository": "pypi",
        },
        "packages": ["pandas==2.2.3"],
        "buckets": {"data": {"bucket": "ml-data", "role": "write", "prefix": "curated/", "kms_key": KEY}},
        "secrets": {
            "openai": {
                "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai-AbCdEf",
                "kms_key": KEY,
            }
        },
        "access": {"scientists": {"principal": ROLE, "role": "use"}},
        "direct_internet": {"justification": "Vendor demo for the fraud team, approved in SEC-77"},
        "studio": {"domain_name": "research", "auth_mode": "SSO", "idle_shutdown_minutes": 90},
        "deletion_protection": True,
    },
    BedrockAccessArgs: {
        "ownership": OWNERSHIP,
        "models": {
            "sonnet": {
                "arn": "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-"
                "20240620-v1:0",
                "routes_to": [
                    "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"
                ],
            },
            "haiku": {
                "arn": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
            },
        },
        "access": {"app": {"principal": ROLE, "role": "invoke"}},
        "guardrail": {
            "content_filters": {"HATE": "MEDIUM", "PROMPT_ATTACK": "HIGH"},
            "sensitive_information": {"EMAIL": "ANONYMIZE"},
            "blocked_input_message": "no",
            "blocked_output_message": "no",
        },
        "kms_key": {"kind": "existing", "key": KEY},
        "manage_logging": False,
        "log_retention_days": 731,
        "log_group_name": "/ml/bedrock",
        "log_prefix": "bedrock/logs",
        "deletion_protection": True,
    },
}

INTERESTING = [
    "",
    " ",
    "*",
    "arn:aws:iam::*:root",
    "arn:aws:iam::123456789012:root",
    ROLE,
    KEY,
    "arn:aws:kms:us-east-1:123456789012:alias/x",
    "alias/aws/s3",
    "vpce-123",
    "vpc-0123456789abcdef0",
    "restricted",
    "public",
    "sandbox",
    "GOVERNANCE",
    "COMPLIANCE",
    "create",
    "existing",
    "manual",
    "function",
    "read",
    "write",
    "use",
    "admin",
    "Allow",
    "Deny",
    "s3:*",
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


def _invariants(args: BaseModel) -> None:
    """What every validated input guarantees, whatever else it sets."""
    ownership = args.ownership  # type: ignore[attr-defined]
    if hasattr(args, "kms_key") and ownership.sensitive:
        assert args.kms_key is not None
    statements = getattr(args, "policy_statements", ())
    if isinstance(args, LockedBucketArgs):
        assert args.public_access is not None or not wildcard_allows(statements)
    else:
        assert not wildcard_allows(statements, conditions_narrow=False)
    if isinstance(args, PrivateNetworkArgs):
        _network_invariants(args)
    if isinstance(args, ContainerRegistryArgs) and isinstance(args.scanning, CreateScanning):
        assert any(fnmatchcase(args.repository_name, f) for f in args.scan_filters())
    if isinstance(args, ModelEndpointArgs):
        _endpoint_invariants(args)
    if isinstance(args, GpuClusterArgs):
        _cluster_invariants(args)
    if isinstance(args, GpuNodePoolArgs):
        counts = {gpus(t) for t in args.instance_types}
        assert None not in counts and len(counts) == 1
        assert args.min_size <= args.desired() <= args.max_size <= 8
    if isinstance(args, ManagedNotebookArgs):
        _notebook_invariants(args)
    if isinstance(args, BedrockAccessArgs):
        _bedrock_invariants(args)
    if isinstance(args, SecretWiringArgs):
        assert args.value is None or isinstance(args.value, pulumi.Output)
        assert args.value is None or any(g.role == "write" for g in args.access.values())
        assert args.access


def _notebook_invariants(args: ManagedNotebookArgs) -> None:
    """No root opt-in, a current platform, an idle stop under the ceiling, installs only from a mirror, pinned;
    direct internet only by name and never for restricted production data."""
    assert args.platform_identifier == PLATFORM
    assert args.idle_shutdown_minutes <= IDLE_CEILING_MINUTES
    assert args.studio is None or 60 <= args.studio.idle_shutdown_minutes <= IDLE_CEILING_MINUTES
    assert not args.packages or args.package_index is not None
    assert all("==" in p and "://" not in p for p in args.packages)
    if args.direct_internet is not None:
        o = args.ownership
        assert not (o.environment == "production" and o.data_classification == "restricted")
        assert not args.direct_internet.cidrs
    assert not (args.ownership.environment == "production" and args.deletion_protection is False)


def _bedrock_invariants(args: BedrockAccessArgs) -> None:
    """Named models and callers only, no wildcards; an inference profile names what it routes to."""
    assert args.models and args.access
    for model in args.models.values():
        assert not isinstance(model.arn, str) or "*" not in model.arn
        assert all(re.fullmatch(FOUNDATION_MODEL_ARN, r) for r in model.routes_to if isinstance(r, str))
        if isinstance(model.arn, str) and "inference-profile/" in model.arn:
            assert model.routes_to
    assert all(
        not isinstance(g.principal, str) or re.fullmatch(ROLE_ARN, g.principal) for g in args.access.values()
    )
    assert args.log_retention_days in RETENTION_DAYS


def _endpoint_invariants(args: ModelEndpointArgs) -> None:
    """Private unless asked for by name (never restricted data in production), pinned images, named invokers."""
    api = args.api
    if api.endpoint_type == "PRIVATE":
        assert api.vpc_endpoint_ids and api.public_access is None
    else:
        assert api.public_access is not None and not api.vpc_endpoint_ids
        o = args.ownership
        assert not (o.environment == "production" and o.data_classification == "restricted")
    assert not isinstance(args.image, str) or "@sha256:" in args.image
    assert all(
        not isinstance(g.principal, str) or ("*" not in g.principal and re.fullmatch(ROLE_ARN, g.principal))
        for g in args.access.values()
    )
    assert args.container_egress is None or len(args.container_egress.justification) >= 20
    assert args.log_retention_days in RETENTION_DAYS


def _cluster_invariants(args: GpuClusterArgs) -> None:
    """A created cluster: an administrator, the required logs, no internet-wide or public API range."""
    if args.existing is not None:
        assert args.network is None and not args.access
        return
    assert any(g.role == "admin" for g in args.access.values())
    assert {"api", "audit", "authenticator"} <= set(args.control_plane_logs)
    assert all(is_private(c) for c in args.api_access.values())
    if args.public_access is not None:
        assert args.public_access.cidrs
        assert all(ipaddress.ip_network(c).prefixlen > 0 for c in args.public_access.cidrs)


def _network_invariants(args: PrivateNetworkArgs) -> None:
    """Subnets inside the VPC and apart; two zones in production; no internet-wide egress or endpoint client."""
    vpc = ipaddress.ip_network(args.cidr_block)
    nets = [ipaddress.ip_network(s.cidr_block) for s in args.subnets.values()]
    if isinstance(args.egress, FirewallEgress):
        nets += [
            ipaddress.ip_network(c)
            for z in args.egress.zones.values()
            for c in (z.firewall_cidr, z.public_cidr)
        ]
        assert args.egress.allowed_domains and "*" not in "".join(args.egress.allowed_domains)
    assert all(n.subnet_of(vpc) for n in nets)
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :])
    if args.ownership.environment == "production":
        assert len({s.availability_zone for s in args.subnets.values()}) >= 2
    assert all(ipaddress.ip_network(c).prefixlen > 0 for c in args.endpoint_client_cidrs.values())
    if isinstance(args.egress, ProxyEgress):
        assert all(ipaddress.ip_network(c).prefixlen > 0 for c in args.egress.cidrs)


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
