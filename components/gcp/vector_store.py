"""VectorStore: a Vertex AI Vector Search index behind a Private Service Connect endpoint, under CMEK.

``network`` (optional) is the workloads' VPC: Vertex AI creates the PSC endpoint there (and in the
other ``psc_consumers``). The endpoint's project allowlist is ``psc_allowed_projects`` (default: the
index's own project) plus, for every automated endpoint, the project of its network (a Shared VPC host)
and the project of its forwarding rule: Vertex AI refuses a forwarding rule from a project not on it.
PSC automation needs a service connection policy (service class ``gcp-vertexai``) in each consumer
network and region: one per network, region and class, usually the network team's; it is created here
only on request (``service_connection_policy``). ``access`` names the service accounts whose signed
JWTs may query the deployed index.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import assets
from components._common import AssetRecord, CreateKey, GcpNetwork, Grant, KeyChoice, Ownership, record_asset
from components._common.access import principals
from components._common.inventory import asset_kind
from components._common.network import network_project
from components._common.ownership import Slug
from components._common.protection import check_deletion_protection, deletion_protected
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import ProjectId, Region, ServiceAccountMember, SubnetworkId, member_email
from components.gcp._project import KMS_API, enable_apis, enable_apis_field, lookup

TYPE = "aiwarden:gcp:VectorStore"
KIND = asset_kind(assets.VECTOR_STORE)
#: The roles ``access`` accepts: ``read`` (query the deployed index: an allowed JWT issuer).
StoreRole = Literal["read"]
AIPLATFORM_API = "aiplatform.googleapis.com"
NETWORK_CONNECTIVITY_API = "networkconnectivity.googleapis.com"
#: The service class of Vertex AI in service connection policies (PSC automation).
VERTEX_SERVICE_CLASS = "gcp-vertexai"


class ConnectionPolicy(BaseModel):
    """Create the service connection policy PSC automation needs in `network.network` (service class
    `gcp-vertexai`, the store's region), in the network's project. There is one per network, region and service
    class: create it in one stack only, or leave it to the network team."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    subnetworks: tuple[SubnetworkId, ...] = Field(
        min_length=1,
        description="Subnetworks of `network.network` in the store's region that PSC endpoint addresses come from.",
    )
    limit: int | None = Field(
        default=None,
        ge=1,
        description="Most PSC connections the policy allows; default: no limit (provider default).",
    )


class Deployment(BaseModel):
    """Deploy the index on the endpoint; queries need a JWT signed by a service account of ``access`` (no
    anonymous access)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    deployed_index_id: str = Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_]{0,127}$",
        description="Letters, digits, underscores; starts with a letter.",
    )
    min_replicas: int = Field(default=2, ge=1, le=1000, description="Minimum replicas (provider default: 2).")
    max_replicas: int = Field(default=2, ge=1, le=1000, description="Maximum replicas (caps cost).")
    audiences: tuple[str, ...] = Field(
        min_length=1, description="JWT audiences accepted (provider default: no authentication at all)."
    )

    @model_validator(mode="after")
    def _replicas(self) -> Deployment:
        if self.max_replicas < self.min_replicas:
            raise ValueError("deployment.max_replicas is below deployment.min_replicas; raise max_replicas")
        return self


class VectorStoreArgs(BaseModel):
    """Inputs of ``VectorStore``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(
        description="Owner and classification, stamped as labels on index and endpoint."
    )
    region: Region = Field(description="Vertex AI region of the index, the endpoint and the key.")
    project: ProjectId | None = Field(default=None, description="Project; default: the provider's.")
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description="CMEK for index and endpoint (`encryption_spec`); provider default: Google-managed keys.",
    )
    dimensions: int = Field(ge=1, le=4096, description="Number of dimensions of the embeddings.")
    distance: Literal["DOT_PRODUCT_DISTANCE", "COSINE_DISTANCE", "SQUARED_L2_DISTANCE", "L1_DISTANCE"] = (
        Field(
            default="DOT_PRODUCT_DISTANCE",
            description="Distance measure (provider default: DOT_PRODUCT_DISTANCE).",
        )
    )
    approximate_neighbors: int = Field(
        default=150, ge=1, le=10000, description="Neighbors found before reordering."
    )
    shard_size: Literal["SHARD_SIZE_SMALL", "SHARD_SIZE_MEDIUM", "SHARD_SIZE_LARGE"] = Field(
        default="SHARD_SIZE_SMALL", description="Index shard size."
    )
    update_method: Literal["BATCH_UPDATE", "STREAM_UPDATE"] = Field(
        default="BATCH_UPDATE", description="How datapoints are updated (provider default: BATCH_UPDATE)."
    )
    contents_delta_uri: str | None = Field(
        default=None,
        pattern=r"^gs://[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9](/.*)?$",
        description="Optional `gs://` folder of datapoints to load (ideally a LockedBucket).",
    )
    network: GcpNetwork | None = Field(
        default=None,
        description="The workloads' VPC, where Vertex AI creates a Private Service Connect endpoint (PSC "
        "automation; also in `psc_consumers`), and the projects allowed to connect (`psc_allowed_projects`; "
        "default: only the index's own project). None: PSC on, endpoints created by the consumers. The public "
        "endpoint is always off. No `subnetwork`.",
    )
    access: dict[Slug, Grant[ServiceAccountMember, StoreRole]] = Field(
        default_factory=dict,
        description="Who may query the deployed index, by name: `read` = its signed JWTs are accepted (an allowed "
        "issuer of the deployment). User-managed service accounts (`serviceAccount:<email>`); required with "
        "`deployment`.",
    )
    deployment: Deployment | None = Field(
        default=None, description="Deploy the index on the endpoint (JWT-authenticated, access-logged)."
    )
    service_connection_policy: ConnectionPolicy | None = Field(
        default=None,
        description="Create the service connection policy (`gcp-vertexai`) PSC automation needs in "
        "`network.network`; needs `network`. Default: none, the policy is a prerequisite (the network team's: one "
        "per network, region and service class). Consumer networks of `psc_consumers` need theirs too.",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="`deletion_policy=PREVENT` on index and endpoint; None: on (provider default: DELETE); "
        "cannot be turned off in production.",
    )
    enable_apis: bool = enable_apis_field(AIPLATFORM_API, KMS_API, NETWORK_CONNECTIVITY_API)

    @model_validator(mode="after")
    def _consistent(self) -> VectorStoreArgs:
        check_key_choice(self.kms_key, self.region, self.ownership, "kms_key")
        check_deletion_protection(self.deletion_protection, self.ownership)
        if self.network is not None:
            self.network.refuse_unused("network", "a Vector Search index endpoint", "subnetwork")
        policy = self.service_connection_policy
        if policy is not None:
            if self.network is None:
                raise ValueError(
                    "service_connection_policy: it is created in `network.network`; set network, or remove it"
                )
            host = network_project(self.network.network)
            for subnetwork in policy.subnetworks:
                _, project, _, region, *_ = subnetwork.split("/")
                if (project, region) != (host, self.region):
                    raise ValueError(
                        f"service_connection_policy.subnetworks: {subnetwork!r} must be a subnetwork of project "
                        f"{host!r} (the network's) in region {self.region!r}"
                    )
        if self.deployment is not None and not self.access:
            raise ValueError(
                "access: grant `read` to at least one service account: queries of the deployed index need a JWT "
                "signed by one of them (no anonymous access)"
            )
        if self.deployment is None and self.access:
            raise ValueError(
                "access: only a deployed index checks who queries it; add `deployment=Deployment(...)` or remove "
                "access"
            )
        return self

    def callers(self) -> list[str]:
        """The service account e-mails whose JWTs the deployed index accepts (allowed issuers)."""
        return [member_email(p) for p in principals(self.access, "read")]

    def allowlist(self, own_project: str) -> list[str]:
        """The projects allowed to connect: ``psc_allowed_projects`` (default: ``own_project``), then the projects of
        every automated endpoint (its network's, e.g. a Shared VPC host, and its forwarding rule's)."""
        network = self.network
        if network is None:
            return [own_project]
        endpoints = [p for net, rule in network.psc_endpoints() for p in (network_project(net), rule)]
        return list(dict.fromkeys([*(network.psc_allowed_projects or (own_project,)), *endpoints]))


class VectorStore(pulumi.ComponentResource):
    """A Vector Search index and its private (PSC-only, public endpoint disabled) index endpoint, under CMEK.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``key`` (`<name>-cmek`, a ``Key`` when
    ``CreateKey``), ``connection_policy`` (`<name>-psc-policy`, with ``service_connection_policy``), ``index``
    (`<name>-index`), ``endpoint`` (`<name>-endpoint`), ``deployed_index`` (`<name>-deployed`, when
    ``deployment``). Outputs: ``indexId``, ``endpointId``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("VEC-1", "DATA-2", "INV-1")

    def __init__(self, name: str, args: VectorStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        project = lookup(args.project)
        apis = [AIPLATFORM_API, *([KMS_API] if isinstance(args.kms_key, CreateKey) else [])]
        self.apis = enable_apis(name, apis, args.project, self) if args.enable_apis else []
        resolved = resolve_key(
            f"{name}-cmek",
            args.kms_key,
            ownership=args.ownership,
            location=args.region,
            project=args.project,
            agents=("aiplatform",),
            parent=self,
            after=self.apis,
        )
        self.key = resolved.key
        self.connection_policy = self._connection_policy(name, args)
        policy = [self.connection_policy] if self.connection_policy else []
        after_key = pulumi.ResourceOptions(parent=self, depends_on=[*self.apis, *resolved.depends_on])
        deletion_policy = "PREVENT" if deletion_protected(args.deletion_protection, True) else "DELETE"
        network = args.network
        self.index = gcp.vertex.AiIndex(
            f"{name}-index",
            display_name=name,
            region=args.region,
            project=args.project,
            index_update_method=args.update_method,
            metadata=gcp.vertex.AiIndexMetadataArgs(
                contents_delta_uri=args.contents_delta_uri,
                config=gcp.vertex.AiIndexMetadataConfigArgs(
                    dimensions=args.dimensions,
                    approximate_neighbors_count=args.approximate_neighbors,
                    distance_measure_type=args.distance,
                    shard_size=args.shard_size,
                    algorithm_config=gcp.vertex.AiIndexMetadataConfigAlgorithmConfigArgs(
                        tree_ah_config=gcp.vertex.AiIndexMetadataConfigAlgorithmConfigTreeAhConfigArgs()
                    ),
                ),
            ),
            encryption_spec=gcp.vertex.AiIndexEncryptionSpecArgs(kms_key_name=resolved.id),
            deletion_policy=deletion_policy,
            labels=args.ownership.gcp_labels(),
            opts=after_key,
        )
        self.endpoint = gcp.vertex.AiIndexEndpoint(
            f"{name}-endpoint",
            display_name=name,
            region=args.region,
            project=args.project,
            public_endpoint_enabled=False,
            private_service_connect_config=gcp.vertex.AiIndexEndpointPrivateServiceConnectConfigArgs(
                enable_private_service_connect=True,
                project_allowlists=args.allowlist(project.id),
                psc_automation_configs=[
                    gcp.vertex.AiIndexEndpointPrivateServiceConnectConfigPscAutomationConfigArgs(
                        network=consumer_network, project_id=consumer_project
                    )
                    for consumer_network, consumer_project in (network.psc_endpoints() if network else [])
                ]
                or None,
            ),
            encryption_spec=gcp.vertex.AiIndexEndpointEncryptionSpecArgs(kms_key_name=resolved.id),
            deletion_policy=deletion_policy,
            labels=args.ownership.gcp_labels(),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*self.apis, *resolved.depends_on, *policy]),
        )
        self.deployed_index: gcp.vertex.AiIndexEndpointDeployedIndex | None = None
        if args.deployment is not None:
            d = args.deployment
            self.deployed_index = gcp.vertex.AiIndexEndpointDeployedIndex(
                f"{name}-deployed",
                index_endpoint=self.endpoint.id,
                index=self.index.id,
                deployed_index_id=d.deployed_index_id,
                display_name=name,
                region=args.region,
                automatic_resources=gcp.vertex.AiIndexEndpointDeployedIndexAutomaticResourcesArgs(
                    min_replica_count=d.min_replicas, max_replica_count=d.max_replicas
                ),
                deployed_index_auth_config=gcp.vertex.AiIndexEndpointDeployedIndexDeployedIndexAuthConfigArgs(
                    auth_provider=gcp.vertex.AiIndexEndpointDeployedIndexDeployedIndexAuthConfigAuthProviderArgs(
                        allowed_issuers=args.callers(), audiences=list(d.audiences)
                    )
                ),
                enable_access_logging=True,
                opts=pulumi.ResourceOptions(parent=self, depends_on=policy),
            )
        self._record(name, args)
        self.register_outputs({"indexId": self.index.id, "endpointId": self.endpoint.id})

    def _connection_policy(
        self, name: str, args: VectorStoreArgs
    ) -> gcp.networkconnectivity.ServiceConnectionPolicy | None:
        """The `gcp-vertexai` service connection policy of ``network.network`` in the region, on request."""
        spec, network = args.service_connection_policy, args.network
        if spec is None or network is None:
            return None
        host = network_project(network.network)
        apis = enable_apis(name, [NETWORK_CONNECTIVITY_API], host, self) if args.enable_apis else []
        return gcp.networkconnectivity.ServiceConnectionPolicy(
            f"{name}-psc-policy",
            project=host,
            location=args.region,
            network=network.network,
            service_class=VERTEX_SERVICE_CLASS,
            description=f"aiwarden {name}: Private Service Connect automation of Vertex AI in this network",
            psc_config=gcp.networkconnectivity.ServiceConnectionPolicyPscConfigArgs(
                subnetworks=list(spec.subnetworks), limit=None if spec.limit is None else str(spec.limit)
            ),
            labels=args.ownership.gcp_labels(),
            opts=pulumi.ResourceOptions(parent=self, depends_on=apis),
        )

    def _record(self, name: str, args: VectorStoreArgs) -> None:
        """One record named after the component: it covers both the index and the endpoint."""
        callers = tuple(principals(args.access, "read"))
        record_asset(
            AssetRecord(
                name=name,
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=callers,
                credentials_to_revoke=callers,
                endpoints_to_disable=(self.endpoint.id,),
                logs_to_preserve=(
                    "Cloud Logging: Vector Search private endpoint access logs of the deployed index",
                    "Cloud Audit Logs (aiplatform.googleapis.com) of the project",
                ),
                containment="Undeploy the index from the endpoint (or remove the callers from the JWT issuers); "
                "disable the CMEK key version to make the index unreadable.",
            )
        )
