"""GpuCluster (GCP): private nodes and endpoint, Workload Identity, Dataplane V2, CMEK Secrets, hardened pools."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components.gcp import GpuClusterArgs
from tests.components.gcp_helpers import PROJECT_NUMBER, run
from tests.components.helpers import (
    OWNERSHIP,
    ROOT,
    children,
    depends_on,
    incident_response,
    inputs,
    inventory,
    parent_name,
    readme_example,
)
from tests.harness import findings, gate, resource

NETWORK = "projects/aiwarden-offline/global/networks/gpu"
SUBNET = "projects/aiwarden-offline/regions/us-central1/subnetworks/gpu-gke"
NET = f'GcpNetwork(network="{NETWORK}", subnetwork="{SUBNET}")'
DEFAULT = f'GpuCluster("ml", GpuClusterArgs(ownership=o, location="us-central1", network={NET}))'
SANDBOX = DEFAULT.replace("ownership=o", "ownership=sandbox")
KEY = "projects/sec-keys/locations/us-central1/keyRings/gke/cryptoKeys/secrets"
SYSTEM_SA = "ml-system@aiwarden-offline.iam.gserviceaccount.com"
CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
HARDENED_NODE = {
    "imageType": "COS_CONTAINERD",
    "oauthScopes": [CLOUD_PLATFORM],
    "workloadMetadataConfig": {"mode": "GKE_METADATA"},
    "shieldedInstanceConfig": {"enableSecureBoot": True, "enableIntegrityMonitoring": True},
    "metadata": {"disable-legacy-endpoints": "true"},
    "resourceLabels": OWNERSHIP,
}
BASE: dict[str, Any] = {
    "ownership": {
        "owner": "ml-platform",
        "environment": "production",
        "data_classification": "confidential",
        "purpose": "training",
    },
    "location": "us-central1",
    "network": {"network": NETWORK, "subnetwork": SUBNET},
}


def _with(**changes: str) -> str:
    """DEFAULT with extra GpuClusterArgs keyword arguments (Python source)."""
    extra = ", ".join(f"{k}={v}" for k, v in changes.items())
    return DEFAULT.replace(f"network={NET}", f"network={NET}, {extra}")


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT, audit=True)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:GpuCluster", "ml"),
            ("aiwarden:gcp:Key", "ml-cmek"),
            ("gcp:kms/keyRing:KeyRing", "ml-cmek-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "ml-cmek-key"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "ml-cmek-compute-agent"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "ml-cmek-grant-gke-agent"),
            ("gcp:serviceaccount/account:Account", "ml-system"),
            ("gcp:projects/iAMMember:IAMMember", "ml-system-role"),
            ("gcp:container/cluster:Cluster", "ml-cluster"),
            ("gcp:container/nodePool:NodePool", "ml-system-pool"),
        ]
    )
    assert {
        parent_name(c, n) for n in ("ml-cmek", "ml-system", "ml-system-role", "ml-cluster", "ml-system-pool")
    } == {"ml"}
    key_id = inputs(c, "ml-cmek-compute-agent")["cryptoKeyId"]
    # both service agents may use the key: Compute Engine (boot disks), GKE (Secrets)
    assert inputs(c, "ml-cmek-compute-agent")["member"] == (
        f"serviceAccount:service-{PROJECT_NUMBER}@compute-system.iam.gserviceaccount.com"
    )
    assert inputs(c, "ml-cmek-grant-gke-agent")["member"] == (
        f"serviceAccount:service-{PROJECT_NUMBER}@container-engine-robot.iam.gserviceaccount.com"
    )
    assert inputs(c, "ml-cmek-ring")["location"] == "us-central1"
    assert inputs(c, "ml-system")["accountId"] == "ml-system"
    assert inputs(c, "ml-system-role") == {
        "project": "aiwarden-offline",
        "role": "roles/container.defaultNodeServiceAccount",
        "member": f"serviceAccount:{SYSTEM_SA}",
    }

    cluster = inputs(c, "ml-cluster")
    assert cluster["privateClusterConfig"] == {"enablePrivateNodes": True, "enablePrivateEndpoint": True}
    assert cluster["masterAuthorizedNetworksConfig"] == {
        "cidrBlocks": [],
        "gcpPublicCidrsAccessEnabled": False,
        "privateEndpointEnforcementEnabled": True,
    }
    assert cluster["controlPlaneEndpointsConfig"] == {"dnsEndpointConfig": {"allowExternalTraffic": False}}
    assert cluster["masterAuth"] == {"clientCertificateConfig": {"issueClientCertificate": False}}
    assert cluster["enableLegacyAbac"] is False
    assert cluster["workloadIdentityConfig"] == {"workloadPool": "aiwarden-offline.svc.id.goog"}
    assert cluster["datapathProvider"] == "ADVANCED_DATAPATH"
    assert "networkPolicy" not in cluster  # Dataplane V2 enforces NetworkPolicies itself
    assert cluster["databaseEncryption"] == {"state": "ENCRYPTED", "keyName": key_id}
    assert cluster["enableShieldedNodes"] is True
    assert cluster["binaryAuthorization"] == {"evaluationMode": "PROJECT_SINGLETON_POLICY_ENFORCE"}
    assert cluster["releaseChannel"] == {"channel": "REGULAR"}
    assert cluster["secretManagerConfig"] == {"enabled": True}
    assert cluster["loggingConfig"] == {
        "enableComponents": ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER"]
    }
    assert cluster["monitoringConfig"] == {
        "enableComponents": ["SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "DCGM"],
        "managedPrometheus": {"enabled": True},
    }
    assert (cluster["network"], cluster["subnetwork"], cluster["networkingMode"]) == (
        NETWORK,
        SUBNET,
        "VPC_NATIVE",
    )
    assert cluster["ipAllocationPolicy"] == {
        "clusterSecondaryRangeName": "pods",
        "servicesSecondaryRangeName": "services",
        "stackType": "IPV4",
    }
    assert (cluster["removeDefaultNodePool"], cluster["initialNodeCount"]) == (True, 1.0)
    assert cluster["nodePoolDefaults"] == {
        "nodeConfigDefaults": {"insecureKubeletReadonlyPortEnabled": "FALSE"}
    }
    assert cluster["deletionProtection"] is True
    assert cluster["resourceLabels"] == OWNERSHIP
    assert "name" not in cluster and "project" not in cluster
    # the temporary default pool: the system identity (the default compute account may be disabled), hardened
    assert cluster["nodeConfig"] == {
        **HARDENED_NODE,
        "machineType": "e2-standard-4",
        "serviceAccount": SYSTEM_SA,
        "bootDiskKmsKey": key_id,
    }
    assert resource(c, "ml-cluster").options.get("ignoreChanges") == ["nodeConfig"]
    # the service agents can use the key and the nodes' account has its role before the cluster exists
    assert {"ml-cmek-compute-agent", "ml-cmek-grant-gke-agent", "ml-system-role"} <= depends_on(
        c, "ml-cluster"
    )

    pool = inputs(c, "ml-system-pool")
    assert pool["cluster"].startswith("ml-cluster-")  # the cluster's auto-generated name
    assert pool["location"] == "us-central1"
    assert pool["autoscaling"] == {"totalMinNodeCount": 1.0, "totalMaxNodeCount": 3.0}
    assert pool["management"] == {"autoRepair": True, "autoUpgrade": True}
    assert pool["networkConfig"] == {"enablePrivateNodes": True}
    assert pool["nodeConfig"] == {
        **HARDENED_NODE,
        "machineType": "e2-standard-4",
        "serviceAccount": SYSTEM_SA,
        "bootDiskKmsKey": key_id,
        "diskSizeGb": 50.0,
        "diskType": "pd-balanced",
        "kubeletConfig": {"insecureKubeletReadonlyPortEnabled": "FALSE"},
    }
    assert "taints" not in pool["nodeConfig"]  # the untainted pool the add-ons run on
    assert {"ml-cmek-compute-agent", "ml-system-role"} <= depends_on(c, "ml-system-pool")


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT, audit=True)), level="mandatory") == set()


def test_public_endpoint_is_a_named_opt_in_with_cidrs_and_a_justification() -> None:
    c = run(
        "from components._common import PublicAccess\n"
        + _with(
            public_access='PublicAccess(cidrs=("203.0.113.0/24",), justification="Partner CI until 2027-01, '
            'approved by SEC-123")',
            authorized_networks='{"ci": "10.30.0.0/24"}',
        ),
        audit=True,
    )
    cluster = inputs(c, "ml-cluster")
    assert cluster["privateClusterConfig"] == {"enablePrivateNodes": True, "enablePrivateEndpoint": False}
    assert cluster["masterAuthorizedNetworksConfig"]["cidrBlocks"] == [
        {"cidrBlock": "10.30.0.0/24", "displayName": "ci"},
        {"cidrBlock": "203.0.113.0/24", "displayName": "public-0"},
    ]
    assert cluster["resourceLabels"]["aiwarden-exception"] == "public-endpoint"
    assert "Partner CI until 2027-01" in cluster["description"]
    assert inventory(c)["ml-cluster"]["exposure"] == "public"
    # K8S-2 accepts named networks without 0.0.0.0/0
    assert findings(gate(c), "k8s-2") == set()


def test_dns_endpoint_and_authorized_networks() -> None:
    c = run(_with(dns_endpoint="True", authorized_networks='{"ci": "10.30.0.0/24", "vpn": "192.168.0.0/16"}'))
    cluster = inputs(c, "ml-cluster")
    assert cluster["controlPlaneEndpointsConfig"] == {"dnsEndpointConfig": {"allowExternalTraffic": True}}
    assert cluster["privateClusterConfig"]["enablePrivateEndpoint"] is True
    assert cluster["masterAuthorizedNetworksConfig"]["cidrBlocks"] == [
        {"cidrBlock": "10.30.0.0/24", "displayName": "ci"},
        {"cidrBlock": "192.168.0.0/16", "displayName": "vpn"},
    ]


def test_peering_control_plane_takes_its_range_and_no_private_endpoint_enforcement() -> None:
    cluster = inputs(run(_with(control_plane_cidr='"172.16.0.0/28"')), "ml-cluster")
    assert cluster["privateClusterConfig"] == {
        "enablePrivateNodes": True,
        "enablePrivateEndpoint": True,
        "masterIpv4CidrBlock": "172.16.0.0/28",
    }
    assert cluster["masterAuthorizedNetworksConfig"] == {
        "cidrBlocks": [],
        "gcpPublicCidrsAccessEnabled": False,
    }


def test_existing_key_and_existing_system_account() -> None:
    c = run(
        _with(
            kms_key=f'ExistingKey(key="{KEY}")',
            system_pool='SystemPool(service_account=ExistingNodeServiceAccount(email="gke-system@ml-prod-01.iam.'
            'gserviceaccount.com"))',
        ),
        audit=True,
    )
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:GpuCluster", "ml"),
            ("gcp:container/cluster:Cluster", "ml-cluster"),
            ("gcp:container/nodePool:NodePool", "ml-system-pool"),
        ]
    )
    cluster = inputs(c, "ml-cluster")
    assert cluster["databaseEncryption"] == {"state": "ENCRYPTED", "keyName": KEY}
    assert cluster["nodeConfig"]["serviceAccount"] == "gke-system@ml-prod-01.iam.gserviceaccount.com"
    assert inputs(c, "ml-system-pool")["nodeConfig"]["bootDiskKmsKey"] == KEY
    assert findings(gate(c), level="mandatory") == set()


def test_system_pool_size_machine_and_registry_reads() -> None:
    repository = "projects/ml-images/locations/us/repositories/system"
    c = run(
        _with(
            system_pool='SystemPool(machine_type="e2-standard-8", min_nodes=2, max_nodes=6, disk_size_gb=100, '
            f'service_account=CreateNodeServiceAccount(account_id="gke-system-01", registries={{"sys": "{repository}"}}))'
        )
    )
    assert inputs(c, "ml-system")["accountId"] == "gke-system-01"
    assert inputs(c, "ml-system-pull-sys") == {
        "project": "ml-images",
        "location": "us",
        "repository": "system",
        "role": "roles/artifactregistry.reader",
        "member": "serviceAccount:gke-system-01@aiwarden-offline.iam.gserviceaccount.com",
    }
    pool = inputs(c, "ml-system-pool")
    assert pool["autoscaling"] == {"totalMinNodeCount": 2.0, "totalMaxNodeCount": 6.0}
    assert (pool["nodeConfig"]["machineType"], pool["nodeConfig"]["diskSizeGb"]) == ("e2-standard-8", 100.0)
    assert "ml-system-pull-sys" in depends_on(c, "ml-system-pool")


def test_release_channel_name_project_and_zonal_location() -> None:
    zonal = f'GcpNetwork(network="{NETWORK}", subnetwork="projects/ml-prod-01/regions/europe-west4/subnetworks/g")'
    c = run(
        'GpuCluster("ml", GpuClusterArgs(ownership=o, location="europe-west4-a", project="ml-prod-01", '
        f'cluster_name="inference-eu", release_channel="STABLE", network={zonal}, kms_key=ExistingKey('
        'key="projects/sec-keys/locations/europe-west4/keyRings/gke/cryptoKeys/secrets")))'
    )
    cluster = inputs(c, "ml-cluster")
    assert (cluster["name"], cluster["location"], cluster["project"]) == (
        "inference-eu",
        "europe-west4-a",
        "ml-prod-01",
    )
    assert cluster["releaseChannel"] == {"channel": "STABLE"}
    assert cluster["workloadIdentityConfig"] == {"workloadPool": "ml-prod-01.svc.id.goog"}
    assert inputs(c, "ml-system-role")["project"] == "ml-prod-01"


def test_sandbox_may_turn_off_binary_authorization_secret_manager_and_deletion_protection() -> None:
    c = run(
        SANDBOX.replace(
            f"network={NET}",
            f"network={NET}, binary_authorization=False, secret_manager=False, deletion_protection=False",
        )
    )
    cluster = inputs(c, "ml-cluster")
    assert cluster["binaryAuthorization"] == {"evaluationMode": "DISABLED"}
    assert cluster["secretManagerConfig"] == {"enabled": False}
    assert cluster["deletionProtection"] is False


def test_enable_apis_enables_every_api_before_every_child() -> None:
    c = run(_with(enable_apis="True"), audit=True)
    apis = {
        "ml-api-container",
        "ml-api-compute",
        "ml-api-iam",
        "ml-api-cloudkms",
        "ml-api-binaryauthorization",
        "ml-api-secretmanager",
    }
    assert {n for _, n in children(c) if "-api-" in n} == apis
    assert inputs(c, "ml-api-binaryauthorization") == {
        "service": "binaryauthorization.googleapis.com",
        "disableOnDestroy": False,
    }
    # the GKE service agent exists once the Kubernetes Engine API is on: its key grant waits for it
    for name in ("ml-cmek-ring", "ml-cmek-grant-gke-agent", "ml-system", "ml-system-role", "ml-cluster"):
        assert apis <= depends_on(c, name), name


def test_inventory_records_the_cluster_with_its_identity_and_logs() -> None:
    c = run(DEFAULT)
    entry = inventory(c)["ml-cluster"]
    assert (entry["kind"], entry["exposure"]) == ("gpu-compute", "private")
    assert entry["identities"] == [f"serviceAccount:{SYSTEM_SA}"]
    ir = incident_response(c)["ml-cluster"]
    assert ir["credentialsToRevoke"] == [f"serviceAccount:{SYSTEM_SA}"]
    assert (
        ir["logsToPreserve"][0]
        == "Cloud Audit Logs (container.googleapis.com, k8s.io) of the provider's project"
    )


def test_ref_is_what_a_node_pool_takes() -> None:
    c = run(
        DEFAULT.replace('GpuCluster("ml"', 'cluster = GpuCluster("ml"')
        + '\nimport pulumi\npulumi.export("ref", cluster.ref().name)\npulumi.export("loc", cluster.ref().location)'
    )
    assert c.outputs["ref"].startswith("ml-cluster-")
    assert c.outputs["loc"] == "us-central1"


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        ({"network": {"network": NETWORK}}, "network.subnetwork", "needs the subnetwork"),
        (
            {"network": {"network": NETWORK, "subnetwork": SUBNET.replace("us-central1", "us-east1")}},
            "network.subnetwork",
            "not in the cluster's region us-central1",
        ),
        (
            {"network": {"network": NETWORK, "subnetwork": SUBNET, "psc_allowed_projects": ["ml-apps-01"]}},
            "network.psc_allowed_projects",
            "does not use it",
        ),
        ({"authorized_networks": {"all": "0.0.0.0/0"}}, "authorized_networks.all", "whole internet"),
        ({"authorized_networks": {"ci": "10.30.0.1/24"}}, "authorized_networks.ci", "host bits set"),
        (
            {"public_access": {"cidrs": ["0.0.0.0/0"], "justification": "Partner CI until 2027-01, SEC-123"}},
            "public_access.cidrs[0]",
            "whole internet",
        ),
        (
            {"public_access": {"cidrs": [], "justification": "Partner CI until 2027-01, SEC-123"}},
            "public_access.cidrs",
            "at least one CIDR",
        ),
        (
            {"public_access": {"cidrs": ["203.0.113.0/24"], "justification": "ci"}},
            "public_access.justification",
            "at least 20",
        ),
        ({"control_plane_cidr": "172.16.0.0/24"}, "control_plane_cidr=172.16.0.0/24", "private /28"),
        ({"control_plane_cidr": "8.8.8.0/28"}, "control_plane_cidr=8.8.8.0/28", "private /28"),
        ({"enable_private_endpoint": False}, "enable_private_endpoint", "public_access=PublicAccess"),
        (
            {"master_authorized_networks_config": {}},
            "master_authorized_networks_config",
            "authorized_networks",
        ),
        ({"database_encryption": {"state": "DECRYPTED"}}, "database_encryption", "kms_key"),
        ({"datapath_provider": "LEGACY_DATAPATH"}, "datapath_provider", "Dataplane V2"),
        ({"release_channel": "UNSPECIFIED"}, "release_channel", "Input should be"),
        (
            {"kms_key": {"kind": "existing", "key": KEY.replace("us-central1", "us-east1")}},
            "kms_key",
            "must be in the data's location",
        ),
        ({"binary_authorization": False}, "binary_authorization=False", "production clusters"),
        ({"deletion_protection": False}, "deletion_protection=False", "production data and keys"),
        (
            {
                "system_pool": {
                    "service_account": {
                        "kind": "existing",
                        "email": "123-compute@developer.gserviceaccount.com",
                    }
                }
            },
            "system_pool.service_account.existing.email",
            "default service account",
        ),
        ({"system_pool": {"min_nodes": 4, "max_nodes": 2}}, "system_pool.min_nodes=4", "above max_nodes=2"),
        ({"ip_ranges": {"pods": "gke", "services": "gke"}}, "ip_ranges", "both name 'gke'"),
        ({"location": "us-central1-ab"}, "location", "pattern"),
        ({"cluster_name": "Inference"}, "cluster_name", "pattern"),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], field: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        GpuClusterArgs.model_validate({**BASE, **changes})
    message = str(caught.value)
    assert field in message
    assert why in message


def test_restricted_production_data_is_never_public() -> None:
    restricted = {**BASE["ownership"], "data_classification": "restricted"}
    with pytest.raises(ValidationError, match="restricted data in production is never public"):
        GpuClusterArgs.model_validate(
            {
                **BASE,
                "ownership": restricted,
                "public_access": {
                    "cidrs": ["203.0.113.0/24"],
                    "justification": "Partner CI until 2027-01, SEC-123",
                },
            }
        )


def test_an_invalid_default_account_id_fails_before_anything_registers() -> None:
    with pytest.raises(AiwardenError) as caught:
        run(DEFAULT.replace('GpuCluster("ml"', 'GpuCluster("a-very-long-cluster-component-name"'))
    assert "system_pool.service_account.account_id" in caught.value.message
    assert "CreateNodeServiceAccount(account_id=...)" in caught.value.message


def test_readme_example_is_the_example_program() -> None:
    example = (ROOT / "examples" / "gcp-gpu-node-pool" / "__main__.py").read_text(encoding="utf-8")
    assert readme_example("gcp/gpu_cluster.md") == example
    assert re.search(r"GpuCluster\(", example)
