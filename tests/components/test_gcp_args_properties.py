"""Property tests over every GCP/Kubernetes Args model: random input never raises anything but ValidationError."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import BaseModel, ValidationError

from components.gcp import (
    ContainerRegistryArgs,
    GpuClusterArgs,
    GpuNodePoolArgs,
    KeyArgs,
    LockedBucketArgs,
    ManagedNotebookArgs,
    ModelEndpointArgs,
    PgVectorStoreArgs,
    PrivateNetworkArgs,
    SecretWiringArgs,
    VectorStoreArgs,
)
from components.k8s import ExternalSecretArgs

OWNERSHIP = {
    "owner": "ml-platform",
    "environment": "production",
    "data_classification": "confidential",
    "purpose": "training",
}
SA = "rag-api@ml-apps-prod.iam.gserviceaccount.com"
KEY = "projects/sec-keys/locations/us-central1/keyRings/r/cryptoKeys/k"

SANDBOX = {**OWNERSHIP, "environment": "sandbox"}

#: A valid, fully optioned input per model: mutations of it reach every nested validator.
VALID: dict[type[BaseModel], dict[str, Any]] = {
    KeyArgs: {
        "ownership": SANDBOX,
        "location": "us-central1",
        "project": "ml-data-prod",
        "settings": {"kind": "create", "rotation_period_days": 30, "deletion_window_days": 30},
        "protection_level": "HSM",
        "service_agents": ["storage", "aiplatform"],
        "access": {"etl": {"principal": f"serviceAccount:{SA}", "role": "use"}},
        "deletion_protection": False,
    },
    LockedBucketArgs: {
        "ownership": OWNERSHIP,
        "location": "us-central1",
        "project": "ml-data-prod",
        "bucket_name": "ml-data",
        "kms_key": {"kind": "existing", "key": KEY},
        "noncurrent_version_days": 30,
        "soft_delete_days": 14,
        "retention": {"days": 30, "lock": True, "confirm_irreversible_lock": True},
        "access_logs": {"kind": "create", "retention": {"days": 90}},
        "access": {
            "trainer": {"principal": f"serviceAccount:{SA}", "role": "read"},
            "curators": {"principal": "group:curators@example.com", "role": "write"},
        },
        "deletion_protection": True,
    },
    SecretWiringArgs: {
        "ownership": OWNERSHIP,
        "secret_id": "openai-api-key",
        "project": "ml-data-prod",
        "replicas": {"us-central1": {"kind": "existing", "key": KEY}, "us-east1": {"kind": "create"}},
        "access": {
            "rag": {
                "principal": f"serviceAccount:{SA}",
                "role": "read",
                "kubernetes": {
                    "rag": {
                        "service_account": {"namespace": "rag", "name": "rag-api"},
                        "cluster_project": "gke-prod-01",
                    }
                },
            }
        },
        "rotation": {
            "topic": "projects/ml-data-prod/topics/rotation",
            "period_days": 30,
            "first_rotation": "2030-01-01T00:00:00Z",
        },
        "version_destroy_ttl_days": 7,
        "deletion_protection": True,
    },
    VectorStoreArgs: {
        "ownership": SANDBOX,
        "region": "us-central1",
        "project": "ml-rag-prod",
        "kms_key": {"kind": "create"},
        "dimensions": 768,
        "distance": "COSINE_DISTANCE",
        "approximate_neighbors": 100,
        "shard_size": "SHARD_SIZE_SMALL",
        "update_method": "STREAM_UPDATE",
        "contents_delta_uri": "gs://ml-rag/batch",
        "network": {
            "network": "projects/net/global/networks/apps",
            "psc_endpoint_project": "ml-apps-prod",
            "psc_consumers": {"other": {"network": "projects/net/global/networks/other"}},
            "psc_allowed_projects": ["ml-rag-prod"],
        },
        "access": {"rag": {"principal": f"serviceAccount:{SA}", "role": "read"}},
        "deployment": {
            "deployed_index_id": "emb_v1",
            "min_replicas": 1,
            "max_replicas": 2,
            "audiences": ["vector-search"],
        },
        "deletion_protection": False,
    },
    PgVectorStoreArgs: {
        "ownership": OWNERSHIP,
        "region": "us-central1",
        "project": "ml-rag-prod",
        "kms_key": {"kind": "existing", "key": KEY},
        "network": {"network": "projects/net/global/networks/apps"},
        "allocated_ip_range": "psa-range",
        "database_version": "POSTGRES_17",
        "tier": "db-custom-2-8192",
        "availability": "ZONAL",
        "ssl_mode": "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
        "database": "vectors",
        "access": {"rag": {"principal": f"serviceAccount:{SA}", "role": "use"}},
        "backup_retention_count": 7,
        "deletion_protection": True,
    },
    PrivateNetworkArgs: {
        "ownership": OWNERSHIP,
        "network_name": "ml-prod",
        "project": "ml-net-prod",
        "subnets": {
            "gke": {
                "region": "us-central1",
                "cidr": "10.0.0.0/20",
                "secondary_ranges": {"pods": "10.4.0.0/14", "services": "10.8.0.0/20"},
            },
            "batch": {"region": "europe-west4", "cidr": "10.1.0.0/20"},
        },
        "google_apis": "private",
        "flow_logs": {"aggregation_interval": "INTERVAL_1_MIN", "sampling": 0.5},
        "allow_internal_egress": False,
        "egress": {
            "models": {
                "destinations": ["203.0.113.0/24", "0.0.0.0/0"],
                "protocol": "tcp",
                "ports": ["443", "8000-8080"],
                "target_tags": ["agents"],
                "priority": 900,
                "justification": "model provider API, approved by security until 2026-12",
            }
        },
        "ingress": {
            "iap": {
                "sources": ["35.235.240.0/20"],
                "ports": ["22"],
                "target_tags": ["bastion"],
                "priority": 1000,
            }
        },
        "health_checks": {"inference": {"target_tags": ["inference"], "ports": ["8080"]}},
        "nat": {
            "justification": "agents call the model provider API, approved until 2026-12",
            "subnets": ["gke", "batch"],
            "log_filter": "ERRORS_ONLY",
        },
        "dns_query_logging": True,
        "enable_apis": True,
    },
    ContainerRegistryArgs: {
        "ownership": SANDBOX,
        "location": "us-central1",
        "repository_id": "ml-images",
        "project": "ml-images-prod",
        "kms_key": {"kind": "existing", "key": KEY},
        "cleanup": {"delete_untagged_after_days": 7, "keep_most_recent": 3},
        "remotes": {
            "dockerhub": {
                "upstream": "docker-hub",
                "credentials": {
                    "username": "mlplatform",
                    "password_secret_version": "projects/ml-images-prod/secrets/hub/versions/2",
                },
            },
            "pypi": {"upstream": "pypi"},
        },
        "access": {
            "nodes": {"principal": f"serviceAccount:{SA}", "role": "read"},
            "ci": {"principal": "group:builders@example.com", "role": "write"},
        },
        "mutable_tags": {"justification": "vendor base image re-tags nightly, until 2026-12"},
        "scanning_off": {"justification": "vendor base image re-tags nightly, until 2026-12"},
        "deletion_protection": False,
        "enable_apis": True,
    },
    GpuClusterArgs: {
        "ownership": SANDBOX,
        "location": "us-central1",
        "project": "ml-gke-prod",
        "cluster_name": "inference",
        "network": {
            "network": "projects/net/global/networks/apps",
            "subnetwork": "projects/net/regions/us-central1/subnetworks/gke",
        },
        "ip_ranges": {"pods": "gke-pods", "services": "gke-services"},
        "control_plane_cidr": "172.16.0.0/28",
        "authorized_networks": {"ci": "10.30.0.0/24"},
        "public_access": {"cidrs": ["203.0.113.0/24"], "justification": "Partner CI until 2027-01, SEC-123"},
        "dns_endpoint": True,
        "release_channel": "STABLE",
        "kms_key": {"kind": "existing", "key": KEY},
        "binary_authorization": False,
        "secret_manager": False,
        "system_pool": {
            "machine_type": "e2-standard-8",
            "min_nodes": 1,
            "max_nodes": 4,
            "disk_size_gb": 100,
            "service_account": {
                "kind": "create",
                "account_id": "gke-system",
                "registries": {"sys": "projects/ml-images/locations/us/repositories/system"},
            },
        },
        "deletion_protection": False,
        "enable_apis": True,
    },
    GpuNodePoolArgs: {
        "ownership": OWNERSHIP,
        "cluster": {"name": "inference", "location": "us-central1", "project": "ml-gke-prod"},
        "machine_type": "a3-highgpu-2g",
        "accelerator": {"type": "nvidia-h100-80gb", "count": 2, "driver_version": "LATEST"},
        "node_locations": ["us-central1-a", "us-central1-c"],
        "autoscaling": {"min_nodes": 0, "max_nodes": 4, "location_policy": "BALANCED"},
        "spot": True,
        "disk_size_gb": 200,
        "disk_type": "pd-ssd",
        "service_account": {"kind": "existing", "email": SA},
        "kms_key": {"kind": "create", "rotation_period_days": 30},
        "enable_apis": True,
    },
    ModelEndpointArgs: {
        "ownership": SANDBOX,
        "region": "us-central1",
        "project": "ml-serving-prod",
        "image": "us-central1-docker.pkg.dev/ml-images-prod/inference/fraud:1.4@sha256:" + "3f" * 32,
        "endpoint_id": "123456789",
        "display_name": "fraud scoring",
        "connectivity": "private-service-connect",
        "network": {
            "network": "projects/net/global/networks/apps",
            "psc_endpoint_project": "ml-apps-prod",
            "psc_consumers": {"other": {"network": "projects/net/global/networks/other"}},
            "psc_allowed_projects": ["ml-serving-prod"],
        },
        "kms_key": {"kind": "existing", "key": KEY},
        "request_logging": {
            "sampling_rate": 0.5,
            "destination": {"kind": "create", "dataset_id": "fraud_logs"},
        },
        "access": {"api": {"principal": f"serviceAccount:{SA}", "role": "invoke"}},
        "invoker_role": "custom",
        "custom_role_id": "fraudInvoker",
        "deletion_protection": False,
        "enable_apis": True,
    },
    ManagedNotebookArgs: {
        "ownership": SANDBOX,
        "zone": "us-central1-a",
        "project": "ml-research-prod",
        "instance_name": "ana-research",
        "network": {
            "network": "projects/net/global/networks/ml",
            "subnetwork": "projects/net/regions/us-central1/subnetworks/notebooks",
        },
        "machine_type": "g2-standard-8",
        "gpu": {"type": "NVIDIA_L4", "count": 1},
        "boot_disk_gb": 200,
        "data_disk_gb": 500,
        "disk_type": "PD_SSD",
        "network_tags": ["notebooks"],
        "kms_key": {"kind": "existing", "key": KEY},
        "service_account": {"kind": "create", "account_id": "ana-research"},
        "access_mode": "service-account",
        "access": {
            "ana": {"principal": "user:ana@example.com", "role": "use"},
            "leads": {"principal": "group:ml-leads@example.com", "role": "admin"},
        },
        "downloads": False,
        "terminal": True,
        "idle_shutdown_minutes": 120,
        "upgrade_schedule": "0 3 * * SUN",
        "disable_proxy_access": True,
        "public_ip": {"justification": "vendor licence server by public IP, until 2026-12"},
        "deletion_protection": False,
        "enable_apis": True,
    },
    ExternalSecretArgs: {
        "ownership": OWNERSHIP,
        "namespace": "rag",
        "target_secret": "llm-keys",
        "store": {"name": "gcp-sm", "kind": "ClusterSecretStore"},
        "refresh_interval": "15m",
        "data": {"OPENAI_API_KEY": {"key": "openai-api-key", "version": "3", "property": "key"}},
    },
}

INTERESTING = [
    "",
    " ",
    "*",
    "allUsers",
    "allAuthenticatedUsers",
    "user:*",
    "domain:example.com",
    f"serviceAccount:{SA}",
    SA,
    "123-compute@developer.gserviceaccount.com",
    "user:bob@example.com",
    "roles/owner",
    "roles/storage.admin",
    KEY,
    "projects/x/locations/eu/keyRings/r/cryptoKeys/k",
    "arn:aws:kms:us-east-1:123456789012:key/abc",
    "us-central1",
    "US",
    "NAM4",
    "global",
    "create",
    "existing",
    "read",
    "write",
    "use",
    "admin",
    "SecretStore",
    "HSM",
    "storage",
    "2030-01-01T00:00:00Z",
    "2030-01-01T00:00:00",
    "not-a-date",
    "gs://b/x",
    "sk-proj-abc123",
    "\x00",
    "ü",
    "1h",
    "a" * 300,
    "10.0.0.0/20",
    "10.0.0.1/24",
    "0.0.0.0/0",
    "8.8.8.0/24",
    "10.0.0.0/33",
    "::/0",
    "65535",
    "1-70000",
    "docker-hub",
    "pypi",
    "g2-standard-8",
    "nvidia-l4",
    "us-central1-a",
]
SCALARS = (
    st.sampled_from(INTERESTING)
    | st.text(max_size=40)
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=True)
    | st.booleans()
    | st.none()
    | st.binary(max_size=8)
)


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


KEYS = st.sampled_from(sorted({k for base in VALID.values() for k in _keys(base)})) | st.text(max_size=12)
JUNK = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` with a few paths replaced by junk, deleted, or given an extra key."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "extra"]))
        if action == "replace" or isinstance(parent, list):
            parent[path[-1]] = draw(JUNK)
        elif action == "delete":
            del parent[path[-1]]
        else:
            parent[draw(KEYS)] = draw(JUNK)
    return data


def _validate_or_validation_error(model: type[BaseModel], data: Any) -> None:
    with contextlib.suppress(ValidationError):
        model.model_validate(data)


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
def test_valid_base_validates(model: type[BaseModel]) -> None:
    model.model_validate(VALID[model])


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_input_raises_only_validation_errors(model: type[BaseModel], data: st.DataObject) -> None:
    _validate_or_validation_error(model, data.draw(mutated(VALID[model])))


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_random_input_raises_only_validation_errors(model: type[BaseModel], data: st.DataObject) -> None:
    _validate_or_validation_error(model, data.draw(JUNK | st.dictionaries(KEYS, JUNK, max_size=8)))
