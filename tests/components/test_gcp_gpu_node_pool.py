"""GpuNodePool (GCP): dedicated identity, hardened nodes, managed drivers, GPU taint, capped autoscaling."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components.gcp import GpuNodePoolArgs
from components.gcp._accelerators import FIXED, N1
from tests.components.gcp_helpers import GCP_CONFIG, HEADER, PROJECT_NUMBER, run
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    incident_response,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import capture, findings, gate

CLUSTER = 'ClusterRef(name="ml-prod", location="us-central1")'
DEFAULT = (
    f'GpuNodePool("gpu", GpuNodePoolArgs(ownership=o, cluster={CLUSTER}, machine_type="g2-standard-8", '
    'accelerator=GpuAccelerator(type="nvidia-l4", count=1)))'
)
NODES_SA = "gpu-nodes@aiwarden-offline.iam.gserviceaccount.com"
KEY = "projects/sec-keys/locations/us-central1/keyRings/gke/cryptoKeys/disks"
#: The stack's Data Access audit logs, budget and GPU alert: what a GPU stack needs besides the pool (LOG-1,
#: COST-1, COST-2), so the gate judges the pool alone.
COMPANIONS = """
SpendGuard("spend", SpendGuardArgs(ownership=o, billing_account="012345-6789AB-CDEF01", amount=1000,
    scope_label="purpose", notification_channels=("projects/aiwarden-offline/notificationChannels/1",),
    alerts={"gpu-idle": MetricAlert(filter='metric.type="kubernetes.io/container/accelerator/duty_cycle"',
        threshold=10, comparison="COMPARISON_LT")}))
"""
BASE: dict[str, Any] = {
    "ownership": {
        "owner": "ml-platform",
        "environment": "production",
        "data_classification": "confidential",
        "purpose": "training",
    },
    "cluster": {"name": "ml-prod", "location": "us-central1"},
    "machine_type": "g2-standard-8",
    "accelerator": {"type": "nvidia-l4", "count": 1},
}


def _with(**changes: str) -> str:
    extra = ", ".join(f"{k}={v}" for k, v in changes.items())
    return DEFAULT.replace("count=1))", f"count=1), {extra})")


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT, audit=True)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:GpuNodePool", "gpu"),
            ("aiwarden:gcp:Key", "gpu-cmek"),
            ("gcp:kms/keyRing:KeyRing", "gpu-cmek-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "gpu-cmek-key"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "gpu-cmek-compute-agent"),
            ("gcp:serviceaccount/account:Account", "gpu-nodes"),
            ("gcp:projects/iAMMember:IAMMember", "gpu-nodes-role"),
            ("gcp:container/nodePool:NodePool", "gpu-pool"),
        ]
    )
    assert {parent_name(c, n) for n in ("gpu-cmek", "gpu-nodes", "gpu-nodes-role", "gpu-pool")} == {"gpu"}
    key_id = inputs(c, "gpu-cmek-compute-agent")["cryptoKeyId"]
    assert inputs(c, "gpu-cmek-compute-agent")["member"] == (
        f"serviceAccount:service-{PROJECT_NUMBER}@compute-system.iam.gserviceaccount.com"
    )
    assert inputs(c, "gpu-cmek-ring")["location"] == "us-central1"
    assert inputs(c, "gpu-nodes")["accountId"] == "gpu-nodes"
    # Google's minimum node role on the project, nothing broader (never the default compute account, Editor)
    assert inputs(c, "gpu-nodes-role") == {
        "project": "aiwarden-offline",
        "role": "roles/container.defaultNodeServiceAccount",
        "member": f"serviceAccount:{NODES_SA}",
    }
    pool = inputs(c, "gpu-pool")
    assert (pool["cluster"], pool["location"]) == ("ml-prod", "us-central1")
    assert "nodeLocations" not in pool and "project" not in pool and "upgradeSettings" not in pool
    assert pool["initialNodeCount"] == 0.0
    assert pool["autoscaling"] == {
        "totalMinNodeCount": 0.0,
        "totalMaxNodeCount": 1.0,
        "locationPolicy": "ANY",
    }
    assert pool["management"] == {"autoRepair": True, "autoUpgrade": True}
    assert pool["networkConfig"] == {"enablePrivateNodes": True}
    assert pool["nodeConfig"] == {
        "machineType": "g2-standard-8",
        "imageType": "COS_CONTAINERD",
        "diskSizeGb": 100.0,
        "diskType": "pd-balanced",
        "bootDiskKmsKey": key_id,
        "serviceAccount": NODES_SA,
        "oauthScopes": ["https://www.googleapis.com/auth/cloud-platform"],
        "workloadMetadataConfig": {"mode": "GKE_METADATA"},
        "shieldedInstanceConfig": {"enableSecureBoot": True, "enableIntegrityMonitoring": True},
        "kubeletConfig": {"insecureKubeletReadonlyPortEnabled": "FALSE"},
        "metadata": {"disable-legacy-endpoints": "true"},
        "resourceLabels": OWNERSHIP,
        "spot": False,
        "guestAccelerators": [
            {
                "type": "nvidia-l4",
                "count": 1.0,
                "gpuDriverInstallationConfig": {"gpuDriverVersion": "DEFAULT"},
            }
        ],
        "taints": [{"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}],
    }
    # the boot disk key is usable and the nodes' role granted before the pool exists
    assert {"gpu-cmek-compute-agent", "gpu-nodes-role"} <= depends_on(c, "gpu-pool")


def test_default_passes_the_gate() -> None:
    assert findings(gate(run(DEFAULT + COMPANIONS, audit=True))) == set()


def test_options_one_at_a_time() -> None:
    c = run(
        _with(
            node_locations='("us-central1-a", "us-central1-c")',
            autoscaling='GpuAutoscaling(min_nodes=1, max_nodes=8, location_policy="BALANCED")',
            spot="True",
            disk_size_gb="200",
            disk_type='"pd-ssd"',
        )
    )
    pool = inputs(c, "gpu-pool")
    assert pool["nodeLocations"] == ["us-central1-a", "us-central1-c"]
    assert pool["initialNodeCount"] == 1.0  # per zone, under the autoscaler's total maximum
    assert pool["autoscaling"] == {
        "totalMinNodeCount": 1.0,
        "totalMaxNodeCount": 8.0,
        "locationPolicy": "BALANCED",
    }
    config = pool["nodeConfig"]
    assert (config["spot"], config["diskSizeGb"], config["diskType"]) == (True, 200.0, "pd-ssd")


def test_latest_driver_and_multi_gpu_machines() -> None:
    a100 = inputs(
        run(
            DEFAULT.replace('"g2-standard-8"', '"a2-highgpu-4g"').replace(
                'GpuAccelerator(type="nvidia-l4", count=1)',
                'GpuAccelerator(type="nvidia-tesla-a100", count=4, driver_version="LATEST")',
            )
        ),
        "gpu-pool",
    )
    assert a100["nodeConfig"]["guestAccelerators"] == [
        {
            "type": "nvidia-tesla-a100",
            "count": 4.0,
            "gpuDriverInstallationConfig": {"gpuDriverVersion": "LATEST"},
        }
    ]
    t4 = inputs(
        run(
            DEFAULT.replace('"g2-standard-8"', '"n1-standard-16"').replace(
                'type="nvidia-l4", count=1', 'type="nvidia-tesla-t4", count=2'
            )
        ),
        "gpu-pool",
    )
    assert (t4["nodeConfig"]["machineType"], t4["nodeConfig"]["guestAccelerators"][0]["count"]) == (
        "n1-standard-16",
        2.0,
    )


def test_existing_key_and_existing_node_account() -> None:
    c = run(
        _with(
            kms_key=f'ExistingKey(key="{KEY}")',
            service_account='ExistingNodeServiceAccount(email="gke-gpu@ml-prod-01.iam.gserviceaccount.com")',
        )
    )
    assert children(c) == sorted(
        [("aiwarden:gcp:GpuNodePool", "gpu"), ("gcp:container/nodePool:NodePool", "gpu-pool")]
    )
    config = inputs(c, "gpu-pool")["nodeConfig"]
    assert (config["bootDiskKmsKey"], config["serviceAccount"]) == (
        KEY,
        "gke-gpu@ml-prod-01.iam.gserviceaccount.com",
    )
    assert inventory(c)["gpu-pool"]["identities"] == [
        "serviceAccount:gke-gpu@ml-prod-01.iam.gserviceaccount.com"
    ]


def test_registry_reads_are_per_repository() -> None:
    repository = "projects/ml-images/locations/us-central1/repositories/inference"
    c = run(
        _with(
            service_account='CreateNodeServiceAccount(account_id="gpu-inference", '
            f'registries={{"models": "{repository}"}})'
        )
    )
    assert inputs(c, "gpu-nodes")["accountId"] == "gpu-inference"
    assert inputs(c, "gpu-nodes-pull-models") == {
        "project": "ml-images",
        "location": "us-central1",
        "repository": "inference",
        "role": "roles/artifactregistry.reader",
        "member": "serviceAccount:gpu-inference@aiwarden-offline.iam.gserviceaccount.com",
    }
    assert "gpu-nodes-pull-models" in depends_on(c, "gpu-pool")


def test_a_gpu_cluster_ref_and_its_project() -> None:
    c = run(
        'cluster = GpuCluster("ml", GpuClusterArgs(ownership=o, location="us-central1", project="ml-prod-01", '
        'network=GcpNetwork(network="projects/ml-prod-01/global/networks/n", '
        'subnetwork="projects/ml-prod-01/regions/us-central1/subnetworks/s")))\n'
        + DEFAULT.replace(CLUSTER, "cluster.ref()")
    )
    pool = inputs(c, "gpu-pool")
    assert pool["cluster"].startswith("ml-cluster-") and pool["project"] == "ml-prod-01"
    assert "ml-cluster" in depends_on(c, "gpu-pool")
    assert inputs(c, "gpu-nodes")["project"] == "ml-prod-01"
    assert inputs(c, "gpu-cmek-ring")["project"] == "ml-prod-01"


def test_enable_apis_enables_the_apis_before_every_child() -> None:
    c = run(_with(enable_apis="True"))
    apis = {"gpu-api-container", "gpu-api-compute", "gpu-api-iam", "gpu-api-cloudkms"}
    assert {n for _, n in children(c) if "-api-" in n} == apis
    for name in ("gpu-cmek-ring", "gpu-cmek-compute-agent", "gpu-nodes", "gpu-nodes-role", "gpu-pool"):
        assert apis <= depends_on(c, name), name


def test_inventory_records_the_pool_with_its_identity() -> None:
    c = run(DEFAULT)
    entry = inventory(c)["gpu-pool"]
    assert (entry["kind"], entry["exposure"], entry["identities"]) == (
        "gpu-compute",
        "private",
        [f"serviceAccount:{NODES_SA}"],
    )
    ir = incident_response(c)["gpu-pool"]
    assert ir["credentialsToRevoke"] == [f"serviceAccount:{NODES_SA}"]
    assert "autoscaling maximum to 0" in ir["containment"]


def test_the_ceiling_comes_from_stack_config() -> None:
    code = textwrap.dedent(HEADER) + _with(autoscaling="GpuAutoscaling(max_nodes=3)") + "\n"
    with pytest.raises(AiwardenError) as caught:
        capture(code, {**GCP_CONFIG, "aiwarden:maxGpuNodesPerPool": "2"})
    assert (
        "autoscaling.max_nodes=3: above the stack's GPU ceiling of 2 nodes per pool" in caught.value.message
    )
    allowed = capture(code, {**GCP_CONFIG, "aiwarden:maxGpuNodesPerPool": "16"})
    assert inputs(allowed, "gpu-pool")["autoscaling"]["totalMaxNodeCount"] == 3.0
    with pytest.raises(AiwardenError, match="aiwarden:maxGpuNodesPerPool: expected a non-negative"):
        capture(code, {**GCP_CONFIG, "aiwarden:maxGpuNodesPerPool": "-1"})


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        ({"autoscaling": {"max_nodes": 9}}, "autoscaling.max_nodes=9", "above the stack's GPU ceiling of 8"),
        ({"autoscaling": {"min_nodes": 3, "max_nodes": 2}}, "autoscaling.min_nodes=3", "above max_nodes=2"),
        (
            {"accelerator": {"type": "nvidia-h100-80gb", "count": 1}},
            "accelerator.type='nvidia-h100-80gb'",
            "nvidia-l4",
        ),
        ({"accelerator": {"type": "nvidia-l4", "count": 2}}, "accelerator.count=2", "exactly 1 nvidia-l4"),
        (
            {"machine_type": "a3-highgpu-2g", "accelerator": {"type": "nvidia-h100-80gb", "count": 2}},
            "spot=True",
            "Spot",
        ),
        (
            {"machine_type": "n1-standard-8", "accelerator": {"type": "nvidia-l4", "count": 1}},
            "accelerator.type",
            "N1",
        ),
        (
            {"machine_type": "n1-standard-8", "accelerator": {"type": "nvidia-tesla-t4", "count": 3}},
            "accelerator.count=3",
            "1, 2, 4",
        ),
        ({"machine_type": "e2-standard-8"}, "machine_type='e2-standard-8'", "not a GPU machine type"),
        (
            {"machine_type": "a4-highgpu-8g", "accelerator": {"type": "nvidia-b200", "count": 8}},
            "machine_type",
            "not a GPU machine type",
        ),
        ({"accelerator": {"type": "amd-mi300", "count": 1}}, "accelerator.type", "pattern"),
        (
            {"accelerator": {"type": "nvidia-l4", "count": 1, "driver_version": "INSTALLATION_DISABLED"}},
            "driver_version",
            "'DEFAULT' or 'LATEST'",
        ),
        ({"node_locations": ["us-east1-b"]}, "node_locations[0]", "not in the cluster's region us-central1"),
        ({"node_locations": ["us-central1-a", "us-central1-a"]}, "node_locations", "a zone twice"),
        (
            {"cluster": {"name": "Prod Cluster", "location": "us-central1"}},
            "cluster.name",
            "not a GKE cluster name",
        ),
        ({"cluster": {"name": "ml-prod", "location": "us central"}}, "cluster.location", "pattern"),
        (
            {"kms_key": {"kind": "existing", "key": KEY.replace("us-central1", "us")}},
            "kms_key",
            "must be in the data's location",
        ),
        (
            {
                "service_account": {
                    "kind": "existing",
                    "email": "123456789012-compute@developer.gserviceaccount.com",
                }
            },
            "service_account.existing.email",
            "default service account",
        ),
        (
            {"service_account": {"kind": "create", "account_id": "gpu"}},
            "service_account.create.account_id",
            "pattern",
        ),
        (
            {"service_account": {"kind": "create", "registries": {"m": "us-docker.pkg.dev/p/r"}}},
            "service_account.create.registries.m",
            "pattern",
        ),
        ({"enable_private_nodes": False}, "enable_private_nodes", "always private"),
        ({"oauth_scopes": ["x"]}, "oauth_scopes", "least-privilege service account"),
        ({"image_type": "UBUNTU_CONTAINERD"}, "image_type", "COS_CONTAINERD"),
        ({"taints": []}, "taints", "nvidia.com/gpu=present:NoSchedule"),
        (
            {"workload_metadata_config": {"mode": "GCE_METADATA"}},
            "workload_metadata_config",
            "GKE metadata server",
        ),
        ({"max_node_count": 100}, "max_node_count", "GpuAutoscaling(max_nodes=...)"),
        ({"disk_type": "pd-standard"}, "disk_type", "Input should be"),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], field: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        GpuNodePoolArgs.model_validate({**BASE, **changes})
    message = str(caught.value)
    assert field in message
    assert why in message


def test_the_accelerator_table_accepts_each_machine_with_its_gpus() -> None:
    for machine, (gpu, count) in FIXED.items():
        GpuNodePoolArgs.model_validate(
            {**BASE, "machine_type": machine, "accelerator": {"type": gpu, "count": count}, "spot": True}
        )
    for gpu, counts in N1.items():
        for count in counts:
            GpuNodePoolArgs.model_validate(
                {**BASE, "machine_type": "n1-highmem-8", "accelerator": {"type": gpu, "count": count}}
            )


def test_an_invalid_default_account_id_fails_before_anything_registers() -> None:
    with pytest.raises(AiwardenError) as caught:
        run(DEFAULT.replace('GpuNodePool("gpu"', 'GpuNodePool("gpu-pool-for-the-inference-team"'))
    assert "service_account.account_id" in caught.value.message
