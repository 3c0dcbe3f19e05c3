"""Private network placement, one shape per cloud, under the field name ``network`` in every component.

- ``AwsNetwork``: the VPC, its private subnets and the security groups of what the component places
  there (an interface endpoint, a database cluster, nodes...).
- ``GcpNetwork``: the VPC network, optionally a subnetwork, and, for services published over Private
  Service Connect, the other consumer networks and the projects allowed to connect.

A component takes the fields it can use and refuses the others by name (``refuse_unused``; ``PSC_FIELDS`` for a
component not published over PSC), so that
nothing given here is silently ignored; limits of one service (OpenSearch endpoints take at most six
subnets, Aurora at least two) are checked by the component, naming ``network.<field>``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from components._common.ownership import Slug
from components.aws._identifiers import SecurityGroupId, SubnetId, VpcId
from components.gcp._principals import NetworkId, ProjectId, SubnetworkId

#: The ``GcpNetwork`` fields of services published over Private Service Connect, which others refuse.
PSC_FIELDS = ("psc_endpoint_project", "psc_consumers", "psc_allowed_projects")


class AwsNetwork(BaseModel):
    """Where the component's network interfaces live: private subnets of the workloads' VPC."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    vpc_id: VpcId = Field(description="VPC of the workloads (a string or an Output, passed through).")
    subnet_ids: tuple[SubnetId, ...] = Field(
        min_length=1,
        max_length=16,
        description="Private subnets, one per availability zone (strings or Outputs, passed through).",
    )
    security_group_ids: tuple[SecurityGroupId, ...] = Field(
        min_length=1,
        max_length=5,
        description="Security groups of the component's interfaces (provider default: the VPC's default "
        "security group).",
    )


class PscConsumer(BaseModel):
    """Another consumer VPC where the service creates a Private Service Connect endpoint (PSC automation)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    network: NetworkId = Field(description="Consumer VPC network.")
    project: ProjectId | None = Field(
        default=None,
        description="Project in which the forwarding rule is created; default: the network's project (name a "
        "service project to consume from a Shared VPC).",
    )

    def project_id(self) -> str:
        return self.project or network_project(self.network)


class GcpNetwork(BaseModel):
    """The VPC network of the workloads; Private Service Connect consumers for services published over PSC."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    network: NetworkId = Field(
        description="VPC network of the workloads, `projects/<project>/global/networks/<network>`: the network "
        "the component attaches to, or where a PSC-published service gets its endpoint."
    )
    subnetwork: SubnetworkId | None = Field(
        default=None, description="Subnetwork, for components that place interfaces in one."
    )
    psc_endpoint_project: ProjectId | None = Field(
        default=None,
        description="Project of the PSC endpoint a PSC-published service creates in `network`; default: the "
        "network's project (name the service project to consume from a Shared VPC).",
    )
    psc_consumers: dict[Slug, PscConsumer] = Field(
        default_factory=dict,
        description="Other consumer VPCs that get a PSC endpoint, by name (services published over PSC only).",
    )
    psc_allowed_projects: tuple[ProjectId, ...] = Field(
        default=(),
        description="Projects allowed to connect over PSC; default: only the component's own project "
        "(services published over PSC only).",
    )

    def psc_endpoints(self) -> list[tuple[str, str]]:
        """(network, project) of every PSC endpoint a PSC-published service creates: ``network``, then the
        consumers."""
        first = (self.network, self.psc_endpoint_project or network_project(self.network))
        return [first, *((c.network, c.project_id()) for c in self.psc_consumers.values())]

    def subnetwork_in(self, region: str, *, field: str = "network", needs: str, region_of: str) -> str:
        """The subnetwork, which a component that places interfaces in one requires, in ``region``.

        Raises ``ValueError`` naming ``<field>.subnetwork``: ``needs`` says why the component needs one ("the
        instance needs a private subnet"), ``region_of`` whose region ``region`` is ("the cluster's").
        """
        if self.subnetwork is None:
            raise ValueError(
                f"{field}.subnetwork: {needs}; use PrivateNetwork.placement(<subnet>) or give "
                "`projects/<p>/regions/<region>/subnetworks/<name>`"
            )
        if subnetwork_region(self.subnetwork) != region:
            raise ValueError(
                f"{field}.subnetwork: {self.subnetwork} is not in {region_of} region {region}; use a subnetwork "
                f"of {region}"
            )
        return self.subnetwork

    def refuse_unused(self, field: str, component: str, *names: str) -> None:
        """Raise ``ValueError`` naming ``<field>.<name>`` for each of ``names`` that is set."""
        for name in names:
            if getattr(self, name) not in (None, (), {}):
                raise ValueError(f"{field}.{name}: {component} does not use it; remove it")


def network_project(network: str) -> str:
    """The project of a network id (`projects/<project>/global/networks/<n>`)."""
    return network.split("/")[1]


def subnetwork_region(subnetwork: str) -> str:
    """The region of a subnetwork id (`projects/<project>/regions/<region>/subnetworks/<s>`)."""
    return subnetwork.split("/")[3]
