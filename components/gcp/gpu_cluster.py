"""GpuCluster: a private, hardened GKE Standard cluster for GPU node pools.

Private nodes and a private control-plane endpoint, Workload Identity, Dataplane V2 (network policies
enforced), Kubernetes Secrets encrypted with a customer-managed key, Shielded Nodes, Binary Authorization
in enforce mode, the Secret Manager add-on, control-plane logs and metrics, a release channel, and a small
hardened system pool for the add-ons (GPU pools are tainted, so system pods need untainted nodes). GPU
pools join it with ``GpuNodePool(cluster=cluster.ref())``.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import assets, vocabulary as v
from components._common import (
    AssetRecord,
    CreateKey,
    GcpNetwork,
    Grant,
    KeyChoice,
    Ownership,
    PublicAccess,
    record_asset,
)
from components._common.cidrs import is_private, network
from components._common.exposure import check_public_endpoint
from components._common.inventory import asset_kind
from components._common.network import PSC_FIELDS
from components._common.ownership import Slug
from components._common.protection import check_deletion_protection, deletion_protected
from components._common.provider_fields import refuse_provider_fields
from components.gcp._gke import (
    COMPUTE_API,
    CONTAINER_API,
    GKE_AGENT,
    IAM_API,
    IMAGE_TYPE,
    MANAGEMENT,
    Cidr,
    ClusterLocation,
    ClusterNameText,
    ClusterRef,
    CreateNodeServiceAccount,
    MachineType,
    NodeIdentity,
    NodeServiceAccount,
    hardened_node_config,
    region_of,
)
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import Member, ProjectId, account_id
from components.gcp._project import KMS_API, enable_apis, enable_apis_field, lookup
from components.gcp.key import Key, KeyRole

TYPE = "aiwarden:gcp:GpuCluster"
KIND = asset_kind(assets.GPU_COMPUTE)
BINARY_AUTHORIZATION_API = "binaryauthorization.googleapis.com"
SECRET_MANAGER_API = "secretmanager.googleapis.com"
ENFORCE = "PROJECT_SINGLETON_POLICY_ENFORCE"
#: Cloud Logging sources: system and workload logs (GKE's default) plus the control plane's.
LOGGING_COMPONENTS = ("SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER")
#: Cloud Monitoring sources: system and control-plane metrics, and NVIDIA DCGM metrics of the GPU nodes.
MONITORING_COMPONENTS = ("SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "DCGM")
#: Provider switches that are not inputs here, and the input that decides them.
_REFUSED: dict[str, str] = {
    "enable_private_nodes": "nodes are always private (control GPU-2); nothing to set",
    "private_cluster_config": "nodes and the endpoint are private (GPU-2, K8S-2); a public endpoint is opted into "
    "by name: public_access=PublicAccess(cidrs=[...], justification=...)",
    "enable_private_endpoint": "the endpoint is private (K8S-2); opt into a public one by name: "
    "public_access=PublicAccess(cidrs=[...], justification=...)",
    "master_authorized_networks_config": "use authorized_networks (internal ranges) or public_access",
    "database_encryption": "Secrets are always encrypted with a customer-managed key (K8S-2); choose it with kms_key",
    "datapath_provider": "Dataplane V2 (ADVANCED_DATAPATH) is always on: NetworkPolicies need it (NET-2)",
    "workload_identity_config": "Workload Identity is always on (GPU-1); nothing to set",
    "enable_shielded_nodes": "Shielded Nodes are always on (GPU-4); nothing to set",
    "remove_default_node_pool": "the default pool is always removed; size the system pool with system_pool",
}


class ClusterRanges(BaseModel):
    """The secondary ranges of the cluster's subnetwork that Pods and Services take (VPC-native)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    pods: Slug = Field(default="pods", description="Secondary range name for Pod IPs.")
    services: Slug = Field(default="services", description="Secondary range name for Service IPs.")

    @model_validator(mode="after")
    def _distinct(self) -> ClusterRanges:
        if self.pods == self.services:
            raise ValueError(
                f"ip_ranges: pods and services both name {self.pods!r}; name two different ranges"
            )
        return self


class SystemPool(BaseModel):
    """The untainted node pool of the cluster's add-ons (kube-dns, metrics, the GPU device plugin's controllers),
    hardened like the GPU pools."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    machine_type: MachineType = Field(
        default="e2-standard-4", description="Machine type of the system nodes."
    )
    min_nodes: int = Field(default=1, ge=1, le=50, description="Autoscaling minimum, total across zones.")
    max_nodes: int = Field(default=3, ge=1, le=50, description="Autoscaling maximum, total across zones.")
    disk_size_gb: int = Field(default=50, ge=20, le=1000, description="Boot disk size (GiB).")
    service_account: NodeServiceAccount = Field(
        default_factory=CreateNodeServiceAccount,
        description="The nodes' identity: a dedicated account `<name>-system` (default) or an existing one; never "
        "the default compute service account (GKE's default). It also runs the cluster's temporary default pool.",
    )

    @model_validator(mode="after")
    def _bounds(self) -> SystemPool:
        if self.min_nodes > self.max_nodes:
            raise ValueError(
                f"system_pool.min_nodes={self.min_nodes} is above max_nodes={self.max_nodes}; lower min_nodes"
            )
        return self


class GpuClusterArgs(BaseModel):
    """Inputs of ``GpuCluster``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, stamped as cluster and node labels.")
    location: ClusterLocation = Field(
        description="A region (regional cluster: control plane in three zones, recommended) or a zone."
    )
    project: ProjectId | None = Field(
        default=None, description="Project of the cluster; default: the provider's."
    )
    cluster_name: ClusterNameText | None = Field(
        default=None, description="Cluster name (project-unique per location); default: Pulumi auto-naming."
    )
    network: GcpNetwork = Field(
        description="The VPC `network` and the `subnetwork` (in the cluster's region) whose primary range the nodes "
        "take; PSC fields are refused. `PrivateNetwork.placement(<subnet>)` gives it."
    )
    ip_ranges: ClusterRanges = Field(
        default_factory=ClusterRanges,
        description="Secondary ranges of the subnetwork for Pods and Services (VPC-native cluster).",
    )
    control_plane_cidr: Cidr | None = Field(
        default=None,
        description="A private /28 for a control plane reached over VPC Network Peering "
        "(`master_ipv4_cidr_block`); default: none, GKE's Private Service Connect control plane with its private "
        "endpoint in the cluster's subnetwork.",
    )
    authorized_networks: dict[Slug, Cidr] = Field(
        default_factory=dict,
        description="Internal ranges allowed to reach the private endpoint (admin or CI subnets, VPN ranges), by "
        "name; authorized networks are enforced on the private endpoint too (Private Service Connect control "
        "plane). Default: none besides the nodes. 0.0.0.0/0 is refused.",
    )
    public_access: PublicAccess | None = Field(
        default=None,
        description="Opt-in to the public endpoint, reachable only from `cidrs` (at least one, never 0.0.0.0/0), "
        "with a justification (label `aiwarden-exception=public-endpoint`, cluster description); refused for "
        "restricted data in production. Default: private endpoint only (GKE default: a public endpoint open to "
        "any address).",
    )
    dns_endpoint: bool = Field(
        default=False,
        description="Allow the DNS-based control-plane endpoint from outside the VPC: every request is "
        "authorized by IAM (`container.clusters.connect`) before it reaches the API server; how a deployer "
        "outside the network reaches a private cluster. Default: off.",
    )
    release_channel: Literal["RAPID", "REGULAR", "STABLE", "EXTENDED"] = Field(
        default="REGULAR",
        description="GKE release channel: control plane and nodes upgraded automatically (GKE default for new "
        "clusters: REGULAR; UNSPECIFIED is not offered).",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description="CMEK for application-layer Secrets encryption (`database_encryption`, granted to the GKE "
        "service agent) and the system pool's boot disks (granted to the Compute Engine service agent): create a "
        "key (default) or an existing key in the cluster's region. Provider default: Secrets under Google-managed "
        "keys only.",
    )
    binary_authorization: bool = Field(
        default=True,
        description="Binary Authorization `PROJECT_SINGLETON_POLICY_ENFORCE`: images are admitted by the project's "
        "policy (provider default: DISABLED). Cannot be turned off in production.",
    )
    secret_manager: bool = Field(
        default=True,
        description="The Secret Manager add-on: pods mount Secret Manager secrets through the CSI driver with "
        "their Workload Identity (provider default: off).",
    )
    system_pool: SystemPool = Field(
        default_factory=SystemPool, description="The untainted, hardened pool the cluster's add-ons run on."
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="GKE `deletion_protection` (a destroy fails until it is lifted); None: on (provider default: "
        "true); cannot be turned off in production.",
    )
    enable_apis: bool = enable_apis_field(
        CONTAINER_API, COMPUTE_API, IAM_API, KMS_API, BINARY_AUTHORIZATION_API, SECRET_MANAGER_API
    )

    _refuse_provider_fields = refuse_provider_fields(_REFUSED)

    @model_validator(mode="after")
    def _consistent(self) -> GpuClusterArgs:
        self.network.refuse_unused("network", "GpuCluster", *PSC_FIELDS)
        self.network.subnetwork_in(
            self.region, needs="a cluster needs the subnetwork its nodes take", region_of="the cluster's"
        )
        cidr = self.control_plane_cidr
        if cidr is not None and (network(cidr).prefixlen != 28 or not is_private(cidr)):
            raise ValueError(
                f"control_plane_cidr={cidr}: the control plane takes a private /28 (RFC 1918 or RFC 6598), e.g. "
                "172.16.0.0/28"
            )
        check_public_endpoint(
            self.public_access, self.ownership, without_cidrs="with none, remove public_access"
        )
        check_key_choice(self.kms_key, self.region, self.ownership, "kms_key")
        check_deletion_protection(self.deletion_protection, self.ownership)
        if not self.binary_authorization and self.ownership.environment == "production":
            raise ValueError(
                "binary_authorization=False: production clusters admit images through the project's Binary "
                "Authorization policy (control SUP-2); leave it on, or use a sandbox/staging ownership"
            )
        return self

    @property
    def region(self) -> str:
        return region_of(self.location)

    def protected(self) -> bool:
        return deletion_protected(self.deletion_protection, True)

    def apis(self) -> list[str]:
        return [
            CONTAINER_API,
            COMPUTE_API,
            IAM_API,
            *([KMS_API] if isinstance(self.kms_key, CreateKey) else []),
            *([BINARY_AUTHORIZATION_API] if self.binary_authorization else []),
            *([SECRET_MANAGER_API] if self.secret_manager else []),
        ]


class GpuCluster(pulumi.ComponentResource):
    """A private, hardened GKE Standard cluster; GPU pools join it with ``GpuNodePool(cluster=cluster.ref())``.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``key`` (`<name>-cmek`, a ``Key`` when
    ``CreateKey``, granted to the Compute Engine service agent and, as grant `gke-agent`, to the GKE service
    agent), ``system_identity`` (`<name>-system` service account, `<name>-system-role`, `<name>-system-pull-<repo>`
    with ``CreateNodeServiceAccount``), ``cluster`` (`<name>-cluster`), ``system_pool`` (`<name>-system-pool`).
    Outputs: ``clusterName``, ``location``, ``workloadPool``, ``endpoint``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = (
        "K8S-2",
        "GPU-1",
        "GPU-2",
        "GPU-3",
        "GPU-4",
        "NET-2",
        "INV-1",
        "IR-2",
    )

    def __init__(self, name: str, args: GpuClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        system = args.system_pool.service_account
        system_id = (
            account_id(system, name, "system", "system_pool.service_account")
            if isinstance(system, CreateNodeServiceAccount)
            else None
        )
        super().__init__(TYPE, name, None, opts)
        self._args = args
        project = lookup(args.project)
        self.apis = enable_apis(name, args.apis(), args.project, self) if args.enable_apis else []
        key_id, key_deps = self._key(name, args, project.number)
        self.system_identity = NodeIdentity(
            f"{name}-system", system, system_id, project.id, f"{name} system nodes", self, list(self.apis)
        )
        self.workload_pool = f"{project.id}.svc.id.goog"
        labels = args.ownership.gcp_labels()
        if args.public_access is not None:
            labels[v.EXCEPTION] = "public-endpoint"
        self.cluster = gcp.container.Cluster(
            f"{name}-cluster",
            name=args.cluster_name,
            location=args.location,
            project=args.project,
            description=_description(args),
            network=args.network.network,
            subnetwork=args.network.subnetwork,
            networking_mode="VPC_NATIVE",
            ip_allocation_policy=gcp.container.ClusterIpAllocationPolicyArgs(
                cluster_secondary_range_name=args.ip_ranges.pods,
                services_secondary_range_name=args.ip_ranges.services,
                stack_type="IPV4",
            ),
            remove_default_node_pool=True,
            initial_node_count=1,
            node_config=self._default_pool_config(args, key_id),
            node_pool_defaults=gcp.container.ClusterNodePoolDefaultsArgs(
                node_config_defaults=gcp.container.ClusterNodePoolDefaultsNodeConfigDefaultsArgs(
                    insecure_kubelet_readonly_port_enabled="FALSE"
                )
            ),
            private_cluster_config=gcp.container.ClusterPrivateClusterConfigArgs(
                enable_private_nodes=True,
                enable_private_endpoint=args.public_access is None,
                master_ipv4_cidr_block=args.control_plane_cidr,
            ),
            master_authorized_networks_config=self._authorized_networks(args),
            control_plane_endpoints_config=gcp.container.ClusterControlPlaneEndpointsConfigArgs(
                dns_endpoint_config=gcp.container.ClusterControlPlaneEndpointsConfigDnsEndpointConfigArgs(
                    allow_external_traffic=args.dns_endpoint
                )
            ),
            master_auth=gcp.container.ClusterMasterAuthArgs(
                client_certificate_config=gcp.container.ClusterMasterAuthClientCertificateConfigArgs(
                    issue_client_certificate=False
                )
            ),
            enable_legacy_abac=False,
            workload_identity_config=gcp.container.ClusterWorkloadIdentityConfigArgs(
                workload_pool=self.workload_pool
            ),
            datapath_provider="ADVANCED_DATAPATH",
            database_encryption=gcp.container.ClusterDatabaseEncryptionArgs(
                state="ENCRYPTED", key_name=key_id
            ),
            enable_shielded_nodes=True,
            binary_authorization=gcp.container.ClusterBinaryAuthorizationArgs(
                evaluation_mode=ENFORCE if args.binary_authorization else "DISABLED"
            ),
            release_channel=gcp.container.ClusterReleaseChannelArgs(channel=args.release_channel),
            secret_manager_config=gcp.container.ClusterSecretManagerConfigArgs(enabled=args.secret_manager),
            logging_config=gcp.container.ClusterLoggingConfigArgs(enable_components=list(LOGGING_COMPONENTS)),
            monitoring_config=gcp.container.ClusterMonitoringConfigArgs(
                enable_components=list(MONITORING_COMPONENTS),
                managed_prometheus=gcp.container.ClusterMonitoringConfigManagedPrometheusArgs(enabled=True),
            ),
            deletion_protection=args.protected(),
            resource_labels=labels,
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[*self.apis, *key_deps, *self.system_identity.depends_on],
                # The default pool's settings only matter while GKE creates and removes it (Fabric does the same).
                ignore_changes=["nodeConfig"],
            ),
        )
        pool = args.system_pool
        self.system_pool = gcp.container.NodePool(
            f"{name}-system-pool",
            cluster=self.cluster.name,
            location=args.location,
            project=args.project,
            initial_node_count=1,
            autoscaling=gcp.container.NodePoolAutoscalingArgs(
                total_min_node_count=pool.min_nodes, total_max_node_count=pool.max_nodes
            ),
            management=gcp.container.NodePoolManagementArgs(**MANAGEMENT),
            network_config=gcp.container.NodePoolNetworkConfigArgs(enable_private_nodes=True),
            node_config=hardened_node_config(
                ownership=args.ownership,
                machine_type=pool.machine_type,
                service_account=self.system_identity.email,
                boot_disk_kms_key=key_id,
                disk_size_gb=pool.disk_size_gb,
                disk_type="pd-balanced",
            ),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[*key_deps, *self.system_identity.depends_on]
            ),
        )
        self.key_id = key_id
        self._record(name, args)
        self.register_outputs(
            {
                "clusterName": self.cluster.name,
                "location": args.location,
                "workloadPool": self.workload_pool,
                "endpoint": self.cluster.endpoint,
            }
        )

    def ref(self) -> ClusterRef:
        """The cluster as a ``GpuNodePool`` takes it (its name is an Output: pools wait for the cluster)."""
        return ClusterRef(name=self.cluster.name, location=self._args.location, project=self._args.project)

    def _key(
        self, name: str, args: GpuClusterArgs, number: str
    ) -> tuple[pulumi.Input[str], list[pulumi.Resource]]:
        """The CMEK: an existing key passed through, or a ``Key`` for the Compute Engine agent (boot disks) and
        the GKE agent (Secrets), whose grants the cluster waits for."""
        resolved = resolve_key(
            f"{name}-cmek",
            args.kms_key,
            ownership=args.ownership,
            location=args.region,
            project=args.project,
            agents=("compute",),
            parent=self,
            after=self.apis,
            # The GKE service agent is not a `ServiceAgent` of `_project` (yet): granted by name.
            access={
                "gke-agent": Grant[Member, KeyRole](
                    principal=f"serviceAccount:{GKE_AGENT.format(number=number)}", role="use"
                )
            },
        )
        self.key: Key | None = resolved.key
        return resolved.id, resolved.depends_on

    def _default_pool_config(
        self, args: GpuClusterArgs, key_id: pulumi.Input[str]
    ) -> gcp.container.ClusterNodeConfigArgs:
        """The temporary default pool GKE creates before removing it: the system identity (the default compute
        account may be disabled by organization policy), hardened like every pool."""
        return gcp.container.ClusterNodeConfigArgs(
            machine_type=args.system_pool.machine_type,
            image_type=IMAGE_TYPE,
            service_account=self.system_identity.email,
            oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
            boot_disk_kms_key=key_id,
            shielded_instance_config=gcp.container.ClusterNodeConfigShieldedInstanceConfigArgs(
                enable_secure_boot=True, enable_integrity_monitoring=True
            ),
            workload_metadata_config=gcp.container.ClusterNodeConfigWorkloadMetadataConfigArgs(
                mode="GKE_METADATA"
            ),
            metadata={"disable-legacy-endpoints": "true"},
            resource_labels=args.ownership.gcp_labels(),
        )

    @staticmethod
    def _authorized_networks(args: GpuClusterArgs) -> gcp.container.ClusterMasterAuthorizedNetworksConfigArgs:
        blocks = [
            gcp.container.ClusterMasterAuthorizedNetworksConfigCidrBlockArgs(
                cidr_block=cidr, display_name=key
            )
            for key, cidr in args.authorized_networks.items()
        ]
        if args.public_access is not None:
            blocks += [
                gcp.container.ClusterMasterAuthorizedNetworksConfigCidrBlockArgs(
                    cidr_block=cidr, display_name=f"public-{i}"
                )
                for i, cidr in enumerate(args.public_access.cidrs)
            ]
        return gcp.container.ClusterMasterAuthorizedNetworksConfigArgs(
            cidr_blocks=blocks,
            gcp_public_cidrs_access_enabled=False,
            # Authorized networks on the private endpoint too: a Private Service Connect control plane only.
            private_endpoint_enforcement_enabled=True if args.control_plane_cidr is None else None,
        )

    def _record(self, name: str, args: GpuClusterArgs) -> None:
        identities = (self.system_identity.member,)
        project = args.project or "the provider's project"
        record_asset(
            AssetRecord(
                name=f"{name}-cluster",
                kind=KIND,
                ownership=args.ownership,
                exposure="public" if args.public_access is not None else "private",
                identities=identities,
                credentials_to_revoke=identities,
                endpoints_to_disable=(self.cluster.endpoint,),
                logs_to_preserve=(
                    f"Cloud Audit Logs (container.googleapis.com, k8s.io) of {project}",
                    "Cloud Logging: GKE control plane (APISERVER, CONTROLLER_MANAGER, SCHEDULER), system and workload "
                    f"logs of cluster {name}-cluster",
                ),
                containment="Scale the GPU node pools to zero, remove the authorized networks and the DNS endpoint's "
                "external access, revoke the node service accounts' roles; disabling the CMEK key version makes the "
                "cluster's Secrets unreadable.",
            )
        )


def _description(args: GpuClusterArgs) -> str:
    text = "aiwarden GpuCluster: private nodes and endpoint, Workload Identity, CMEK Secrets"
    if args.public_access is not None:
        text += f"; public endpoint ({args.public_access.justification})"
    return text
