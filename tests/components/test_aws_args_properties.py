"""Property tests over every AWS Args model: random input never raises anything but ValidationError,
and whatever validates keeps the invariants the components promise."""

from __future__ import annotations

import copy
import ipaddress
from fnmatch import fnmatchcase
from typing import Any

import pulumi
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import BaseModel, ValidationError

from components.aws import (
    ContainerRegistryArgs,
    KeyArgs,
    LockedBucketArgs,
    PrivateNetworkArgs,
    SecretWiringArgs,
    VectorDatabaseArgs,
    VectorStoreArgs,
)
from components.aws._documents import wildcard_allows
from components.aws._egress import FirewallEgress, ProxyEgress
from components.aws.container_registry import CreateScanning

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
    if isinstance(args, SecretWiringArgs):
        assert args.value is None or isinstance(args.value, pulumi.Output)
        assert args.value is None or any(g.role == "write" for g in args.access.values())
        assert args.access


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
