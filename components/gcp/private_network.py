"""PrivateNetwork: a custom-mode VPC whose workloads reach Google APIs privately and nothing else by default.

Egress is denied by a logged lowest-priority rule; what is allowed is named (Google APIs over the
restricted or private VIP, the network's own ranges, ``egress`` rules). Ingress is denied the same way,
except Google's health-check ranges and ``ingress`` rules on named target tags. The default route to
the internet is deleted at creation; the only routes to the internet gateway are the VIP's (and
0.0.0.0/0 when Cloud NAT is asked for by name, with a justification).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from components._common import AssetRecord, GcpNetwork, Ownership, record_asset
from components._common.cidrs import Cidr, first_overlap, is_private, is_world, network
from components._common.exposure import Justification
from components._common.inventory import NETWORK, asset_kind
from components._common.ownership import Slug
from components.gcp._principals import NetworkTag, ProjectId, Region
from components.gcp._project import enable_apis, enable_apis_field, lookup

TYPE = "aiwarden:gcp:PrivateNetwork"
KIND = asset_kind(NETWORK)
COMPUTE_API = "compute.googleapis.com"
DNS_API = "dns.googleapis.com"

#: The Private Google Access domains: the VIP host, its IPv4 range and the four addresses its A record holds.
#: restricted.googleapis.com serves only services VPC Service Controls supports; private.googleapis.com most APIs.
GOOGLE_APIS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "restricted": (
        "restricted.googleapis.com",
        "199.36.153.4/30",
        tuple(f"199.36.153.{i}" for i in range(4, 8)),
    ),
    "private": ("private.googleapis.com", "199.36.153.8/30", tuple(f"199.36.153.{i}" for i in range(8, 12))),
}
#: Google Cloud health checkers and proxies of external/internal Application and proxy Network Load Balancers.
HEALTH_CHECK_RANGES = ("35.191.0.0/16", "130.211.0.0/22")
#: Private zones routed to the VIP: `*.googleapis.com` (APIs), `*.pkg.dev` (Artifact Registry), `*.gcr.io`
#: (gcr.io repositories on Artifact Registry). Zone role -> DNS name.
PRIVATE_ZONES: dict[str, str] = {"googleapis": "googleapis.com.", "pkg-dev": "pkg.dev.", "gcr-io": "gcr.io."}
INTERNET_GATEWAY = "default-internet-gateway"
LOWEST_PRIORITY = 65535
_NAME = r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$"
_TTL = 300


def _subnet_range(value: str) -> str:
    """A private IPv4 range of /8 to /29 (RFC 1918 or RFC 6598)."""
    if not is_private(value):
        raise ValueError(
            f"{value} is not a private range; use a range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or "
            "100.64.0.0/10"
        )
    if not 8 <= network(value).prefixlen <= 29:
        raise ValueError(f"{value}: subnet ranges are /8 to /29")
    return value


def _port(value: str) -> str:
    low, _, high = value.partition("-")
    if not (1 <= int(low) <= 65535 and (not high or int(low) <= int(high) <= 65535)):
        raise ValueError(f"{value!r} is not a port (1-65535) or a range of ports (`8000-8080`)")
    return value


SubnetRange = Annotated[
    Cidr,
    Field(max_length=18, description="A private IPv4 range (RFC 1918, RFC 6598), /8 to /29."),
    AfterValidator(_subnet_range),
]
Port = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{1,5}(-[0-9]{1,5})?$", description="A port (`443`) or a range of ports (`8000-8080`)."
    ),
    AfterValidator(_port),
]
GcpName = Annotated[
    str,
    Field(pattern=_NAME, description="A GCP resource name: a lowercase letter, then letters, digits, `-`."),
]
Protocol = Literal["tcp", "udp"]


class FlowLogs(BaseModel):
    """VPC Flow Logs of every subnet (metadata always included)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    aggregation_interval: Literal[
        "INTERVAL_5_SEC",
        "INTERVAL_30_SEC",
        "INTERVAL_1_MIN",
        "INTERVAL_5_MIN",
        "INTERVAL_10_MIN",
        "INTERVAL_15_MIN",
    ] = Field(
        default="INTERVAL_5_SEC", description="Aggregation interval (GCP default when logging is on: 5 s)."
    )
    sampling: float = Field(
        default=1.0,
        ge=0.5,
        le=1.0,
        description="Share of flows logged, 0.5-1.0 (default 1.0: every flow; GCP default when logging is on: 0.5).",
    )


class Subnet(BaseModel):
    """One regional subnet of the network: Private Google Access on, flow logs on, IPv4 only."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    region: Region = Field(description="Region of the subnet.")
    cidr: SubnetRange = Field(description="Primary range of the subnet (private, /8 to /29).")
    secondary_ranges: dict[GcpName, SubnetRange] = Field(
        default_factory=dict,
        max_length=30,
        description='Secondary ranges by name, e.g. `{"pods": "10.4.0.0/14", "services": "10.8.0.0/20"}` for a '
        "GKE cluster's `ip_allocation_policy` (provider default: none).",
    )


class EgressRule(BaseModel):
    """A named egress allow rule, above the deny-all egress rule."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    destinations: tuple[Cidr, ...] = Field(
        min_length=1,
        max_length=256,
        description="Destination ranges: an allowlist. Public ranges need `nat`; 0.0.0.0/0 also needs `justification`.",
    )
    protocol: Protocol = Field(default="tcp", description="tcp or udp.")
    ports: tuple[Port, ...] = Field(
        default=("443",), min_length=1, description="Destination ports (default 443)."
    )
    target_tags: tuple[NetworkTag, ...] = Field(
        default=(),
        description="Instances the rule applies to, by network tag; empty: every instance of the network.",
    )
    priority: int = Field(
        default=1000, ge=0, le=65534, description="Priority (lower wins; GCP default 1000)."
    )
    justification: Justification | None = Field(
        default=None,
        description="Required when a destination is 0.0.0.0/0 (the whole internet, control NET-1).",
    )


class IngressRule(BaseModel):
    """A named ingress allow rule on named target tags, above the deny-all ingress rule."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    sources: tuple[Cidr, ...] = Field(
        min_length=1,
        max_length=256,
        description="Source ranges; 0.0.0.0/0 needs `justification` (control NET-3).",
    )
    protocol: Protocol = Field(default="tcp", description="tcp or udp.")
    ports: tuple[Port, ...] = Field(min_length=1, description="Destination ports.")
    target_tags: tuple[NetworkTag, ...] = Field(
        min_length=1,
        description="Instances the rule applies to, by network tag (provider default: every instance).",
    )
    priority: int = Field(
        default=1000, ge=0, le=65534, description="Priority (lower wins; GCP default 1000)."
    )
    justification: Justification | None = Field(
        default=None, description="Required when a source is 0.0.0.0/0 (anyone on the internet)."
    )


class HealthCheckRule(BaseModel):
    """Ingress from Google's health checkers (35.191.0.0/16, 130.211.0.0/22) to instances with these tags."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    target_tags: tuple[NetworkTag, ...] = Field(
        min_length=1, description="Instances that are health-checked."
    )
    ports: tuple[Port, ...] = Field(min_length=1, description="Ports the health checks probe.")


class CloudNat(BaseModel):
    """Internet egress through Cloud NAT for the named subnets, asked for by name with a justification.

    Only destinations of ``egress`` rules are reachable: the deny-all egress rule stays in place.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    justification: Justification = Field(
        description="Why these workloads need the internet, who approved it, until when (lands in the "
        "descriptions of the 0.0.0.0/0 route and the routers)."
    )
    subnets: tuple[Slug, ...] = Field(
        min_length=1, description="Subnets (keys of `subnets`) whose ranges are NATed."
    )
    log_filter: Literal["ALL", "ERRORS_ONLY"] = Field(
        default="ALL",
        description="NAT logging: every translation and error (default) or errors only (provider "
        "default: logging off).",
    )


class PrivateNetworkArgs(BaseModel):
    """Inputs of ``PrivateNetwork``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, stamped as labels on the DNS zones.")
    network_name: GcpName = Field(
        max_length=40,
        description="Name of the VPC network, also the prefix of its subnets, firewall rules, routes and zones (no "
        "auto-naming: the network and subnetwork ids that compute components take are built from it).",
    )
    project: ProjectId | None = Field(
        default=None, description="Project of the network; default: the provider's."
    )
    subnets: dict[Slug, Subnet] = Field(
        min_length=1,
        max_length=50,
        description="Subnets by name (`<network_name>-<name>`), each with Private Google Access and flow logs "
        "(provider defaults: off, off). Ranges may not overlap.",
    )
    google_apis: Literal["restricted", "private"] = Field(
        default="restricted",
        description="How Google APIs are reached: `restricted.googleapis.com` (199.36.153.4/30, only services VPC "
        "Service Controls supports) or `private.googleapis.com` (199.36.153.8/30). Private zones route "
        "`*.googleapis.com`, `*.pkg.dev` and `*.gcr.io` there (provider default: public IPs, no zones).",
    )
    flow_logs: FlowLogs = Field(
        default_factory=FlowLogs, description="VPC Flow Logs of every subnet (provider default: off)."
    )
    allow_internal_egress: bool = Field(
        default=True,
        description="Allow egress to the network's own ranges (primary and secondary); ingress stays denied unless "
        "a rule allows it. False: every flow, even internal, needs an `egress` rule.",
    )
    egress: dict[Slug, EgressRule] = Field(
        default_factory=dict,
        description="Named egress allow rules (`<network_name>-egress-<name>`); everything else is denied (provider "
        "default: all egress allowed).",
    )
    ingress: dict[Slug, IngressRule] = Field(
        default_factory=dict,
        description="Named ingress allow rules on target tags (`<network_name>-ingress-<name>`); everything else is "
        "denied, logged.",
    )
    health_checks: dict[Slug, HealthCheckRule] = Field(
        default_factory=dict,
        description="Ingress from Google's health-check ranges to tagged instances (`<network_name>-ingress-hc-<name>`).",
    )
    nat: CloudNat | None = Field(
        default=None,
        description="Cloud NAT with logging for the named subnets, opt-in with a justification; adds the 0.0.0.0/0 "
        "route to the internet gateway. Default: none (no route to the internet at all).",
    )
    dns_query_logging: bool = Field(
        default=True,
        description="Log the network's DNS queries (a Cloud DNS server policy; provider default: off).",
    )
    enable_apis: bool = enable_apis_field(COMPUTE_API, DNS_API)

    @model_validator(mode="after")
    def _consistent(self) -> PrivateNetworkArgs:
        self._check_ranges()
        self._check_rules()
        if self.nat is not None:
            unknown = [s for s in self.nat.subnets if s not in self.subnets]
            if unknown:
                raise ValueError(
                    f"nat.subnets: {unknown[0]!r} is not a subnet of this network; use one of {sorted(self.subnets)}"
                )
            if len(set(self.nat.subnets)) != len(self.nat.subnets):
                raise ValueError("nat.subnets names a subnet twice; name each subnet once")
        names: dict[str, str] = {}
        for field, name in self.physical_names():
            if not _fits(name):
                raise ValueError(
                    f"{field}: the resource name {name!r} is not a valid GCP name (63 characters at most, ending in a "
                    "letter or digit); shorten network_name or the key"
                )
            if name in names:
                raise ValueError(
                    f"{field}: the resource name {name!r} is also the name of {names[name]}; rename one"
                )
            names[name] = field
        return self

    def _check_ranges(self) -> None:
        ranges: dict[str, str] = {}
        for key, subnet in self.subnets.items():
            ranges[f"subnets.{key}.cidr"] = subnet.cidr
            ranges |= {f"subnets.{key}.secondary_ranges.{n}": r for n, r in subnet.secondary_ranges.items()}
        overlap = first_overlap(ranges)
        if overlap is not None:
            other, field = overlap
            raise ValueError(
                f"{field}: {ranges[field]} overlaps {other} ({ranges[other]}); ranges of one network (primary and "
                "secondary) may not overlap: choose a non-overlapping range"
            )

    def _check_rules(self) -> None:
        for key, rule in self.egress.items():
            for cidr in rule.destinations:
                if is_world(cidr) and rule.justification is None:
                    raise ValueError(
                        f"egress.{key}.destinations: {cidr} allows egress to the whole internet (control NET-1); "
                        "list the destinations the workloads need (an allowlist), or give egress."
                        f"{key}.justification (the pack still flags it until exempted by name)"
                    )
                if not is_private(cidr) and self.nat is None:
                    raise ValueError(
                        f"egress.{key}.destinations: {cidr} is on the internet, which this network has no route to; "
                        "opt in to Cloud NAT with nat=CloudNat(justification=..., subnets=[...]), or reach it through "
                        "a proxy in a private range"
                    )
        for key, ingress in self.ingress.items():
            for cidr in ingress.sources:
                if is_world(cidr) and ingress.justification is None:
                    raise ValueError(
                        f"ingress.{key}.sources: {cidr} accepts traffic from anyone on the internet (control NET-3); "
                        f"list the callers' ranges, or give ingress.{key}.justification (the pack still flags it "
                        "until exempted by name)"
                    )

    def physical_names(self) -> Iterator[tuple[str, str]]:
        """(field, GCP name) of every named resource the component creates."""
        net = self.network_name
        yield "network_name", net
        for key in self.subnets:
            yield f"subnets.{key}", f"{net}-{key}"
        for suffix in _fixed_rule_suffixes(self):
            yield "network_name", f"{net}-{suffix}"
        for key in self.egress:
            yield f"egress.{key}", f"{net}-egress-{key}"
        for key in self.ingress:
            yield f"ingress.{key}", f"{net}-ingress-{key}"
        for key in self.health_checks:
            yield f"health_checks.{key}", f"{net}-ingress-hc-{key}"
        for region in self.nat_regions():
            yield "nat.subnets", f"{net}-router-{region}"
            yield "nat.subnets", f"{net}-nat-{region}"

    def nat_regions(self) -> list[str]:
        """The regions of the NATed subnets, each once, in order."""
        if self.nat is None:
            return []
        regions = [self.subnets[s].region for s in self.nat.subnets if s in self.subnets]
        return list(dict.fromkeys(regions))


def _fixed_rule_suffixes(args: PrivateNetworkArgs) -> list[str]:
    """Names (after `<network_name>-`) of the rules, routes, zones and policy every network gets."""
    suffixes = ["egress-deny-all", "ingress-deny-all", "egress-google-apis", "google-apis", *PRIVATE_ZONES]
    if args.allow_internal_egress:
        suffixes.append("egress-internal")
    if args.dns_query_logging:
        suffixes.append("dns")
    if args.nat is not None:
        suffixes.append("internet")
    return suffixes


def _fits(name: str) -> bool:
    return len(name) <= 63 and re.match(_NAME, name) is not None


class PrivateNetwork(pulumi.ComponentResource):
    """A custom-mode VPC with private access to Google APIs, deny-all egress and ingress, logged.

    Children (Pulumi names; GCP names are `<network_name>-<suffix>`): ``apis`` (`<name>-api-<service>`, with
    ``enable_apis``), ``network`` (`<name>-network`);
    ``subnetworks`` (`<name>-subnet-<key>`); ``routes``: `<name>-google-apis` (the VIP range to the
    internet gateway) and, with ``nat``, `<name>-internet` (0.0.0.0/0); ``firewalls``:
    `<name>-egress-deny-all`, `<name>-ingress-deny-all`, `<name>-egress-google-apis`,
    `<name>-egress-internal` (``allow_internal_egress``), `<name>-egress-<key>`, `<name>-ingress-<key>`,
    `<name>-ingress-hc-<key>`; ``zones`` `<name>-googleapis`, `<name>-pkg-dev`, `<name>-gcr-io` and their
    ``records`` (`<name>-<zone>-a`, `<name>-<zone>-cname`); ``dns_policy`` (`<name>-dns`, query logging);
    with ``nat``, ``routers`` (`<name>-router-<region>`) and ``nats`` (`<name>-nat-<region>`).
    Outputs: ``networkId``, ``networkSelfLink``, ``subnetworks`` (key -> id), ``firewallRules``, ``dnsZones``.
    ``placement(subnet)`` returns the shared ``GcpNetwork`` shape that compute components take.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("NET-1", "NET-3", "INV-1")

    def __init__(
        self, name: str, args: PrivateNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        self.apis = enable_apis(name, [COMPUTE_API, DNS_API], args.project, self) if args.enable_apis else []
        child = self._child()
        net = args.network_name
        project = args.project or lookup(None).id
        self.network_id = f"projects/{project}/global/networks/{net}"
        self.subnetwork_ids = {
            key: f"projects/{project}/regions/{s.region}/subnetworks/{net}-{key}"
            for key, s in args.subnets.items()
        }
        self.network = gcp.compute.Network(
            f"{name}-network",
            name=net,
            project=args.project,
            auto_create_subnetworks=False,
            delete_default_routes_on_create=True,
            description="aiwarden PrivateNetwork: private Google access, deny-all egress and ingress",
            opts=child,
        )
        self.subnetworks = {key: self._subnet(name, key, s, args) for key, s in args.subnets.items()}
        vip_host, vip_range, vip_addresses = GOOGLE_APIS[args.google_apis]
        self.routes = {
            "google-apis": gcp.compute.Route(
                f"{name}-google-apis",
                name=f"{net}-google-apis",
                project=args.project,
                network=self.network.id,
                dest_range=vip_range,
                next_hop_gateway=INTERNET_GATEWAY,
                description=f"{vip_host} through the internet gateway (traffic stays on Google's network)",
                opts=child,
            )
        }
        self.firewalls = self._firewalls(name, args, vip_range)
        self.zones: dict[str, gcp.dns.ManagedZone] = {}
        self.records: dict[str, gcp.dns.RecordSet] = {}
        for role, dns_name in PRIVATE_ZONES.items():
            self._zone(name, role, dns_name, args, vip_host, vip_addresses)
        self.dns_policy: gcp.dns.Policy | None = None
        if args.dns_query_logging:
            self.dns_policy = gcp.dns.Policy(
                f"{name}-dns",
                name=f"{net}-dns",
                project=args.project,
                enable_logging=True,
                enable_inbound_forwarding=False,
                networks=[gcp.dns.PolicyNetworkArgs(network_url=self.network.id)],
                description="aiwarden PrivateNetwork: DNS query logging",
                opts=child,
            )
        self.routers: dict[str, gcp.compute.Router] = {}
        self.nats: dict[str, gcp.compute.RouterNat] = {}
        if args.nat is not None:
            self._nat(name, args, args.nat)
        self._record(name, args)
        self.register_outputs(
            {
                "networkId": self.network_id,
                "networkSelfLink": self.network.self_link,
                "subnetworks": dict(self.subnetwork_ids),
                "firewallRules": sorted(f"{net}-{suffix}" for suffix in self.firewalls),
                "dnsZones": [f"{net}-{role}" for role in PRIVATE_ZONES],
            }
        )

    def _child(self) -> pulumi.ResourceOptions:
        """Options of every child: parented here, after the enabled APIs."""
        return pulumi.ResourceOptions(parent=self, depends_on=self.apis)

    def placement(self, subnet: str | None = None) -> GcpNetwork:
        """The shared network shape: this network and, when named, one of its subnets (a ``subnets`` key)."""
        if subnet is not None and subnet not in self.subnetwork_ids:
            raise ValueError(
                f"{subnet!r} is not a subnet of this network; use one of {sorted(self.subnetwork_ids)}"
            )
        return GcpNetwork(
            network=self.network_id, subnetwork=None if subnet is None else self.subnetwork_ids[subnet]
        )

    def _subnet(
        self, name: str, key: str, subnet: Subnet, args: PrivateNetworkArgs
    ) -> gcp.compute.Subnetwork:
        return gcp.compute.Subnetwork(
            f"{name}-subnet-{key}",
            name=f"{args.network_name}-{key}",
            project=args.project,
            network=self.network.id,
            region=subnet.region,
            ip_cidr_range=subnet.cidr,
            purpose="PRIVATE",
            stack_type="IPV4_ONLY",
            private_ip_google_access=True,
            secondary_ip_ranges=[
                gcp.compute.SubnetworkSecondaryIpRangeArgs(range_name=range_name, ip_cidr_range=cidr)
                for range_name, cidr in subnet.secondary_ranges.items()
            ],
            log_config=gcp.compute.SubnetworkLogConfigArgs(
                aggregation_interval=args.flow_logs.aggregation_interval,
                flow_sampling=args.flow_logs.sampling,
                metadata="INCLUDE_ALL_METADATA",
            ),
            opts=self._child(),
        )

    def _firewalls(
        self, name: str, args: PrivateNetworkArgs, vip_range: str
    ) -> dict[str, gcp.compute.Firewall]:
        rules: dict[str, gcp.compute.Firewall] = {}

        def rule(suffix: str, **kwargs: Any) -> None:
            rules[suffix] = gcp.compute.Firewall(
                f"{name}-{suffix}",
                name=f"{args.network_name}-{suffix}",
                project=args.project,
                network=self.network.id,
                log_config=gcp.compute.FirewallLogConfigArgs(metadata="INCLUDE_ALL_METADATA"),
                opts=self._child(),
                **kwargs,
            )

        every = [gcp.compute.FirewallDenyArgs(protocol="all")]
        rule(
            "egress-deny-all",
            direction="EGRESS",
            priority=LOWEST_PRIORITY,
            denies=every,
            destination_ranges=["0.0.0.0/0"],
            description="Deny (and log) every egress no named rule allows; overrides the implied allow-all egress",
        )
        rule(
            "ingress-deny-all",
            direction="INGRESS",
            priority=LOWEST_PRIORITY,
            denies=every,
            source_ranges=["0.0.0.0/0"],
            description="Deny (and log) every ingress no named rule allows (the implied deny is not logged)",
        )
        rule(
            "egress-google-apis",
            direction="EGRESS",
            priority=1000,
            allows=[gcp.compute.FirewallAllowArgs(protocol="tcp", ports=["443"])],
            destination_ranges=[vip_range],
            description=f"HTTPS to Google APIs through {GOOGLE_APIS[args.google_apis][0]}",
        )
        if args.allow_internal_egress:
            ranges = [s.cidr for s in args.subnets.values()] + [
                r for s in args.subnets.values() for r in s.secondary_ranges.values()
            ]
            rule(
                "egress-internal",
                direction="EGRESS",
                priority=1000,
                allows=[gcp.compute.FirewallAllowArgs(protocol="all")],
                destination_ranges=ranges,
                description="Egress to the network's own ranges (the receiving side's ingress rules still apply)",
            )
        for key, egress in args.egress.items():
            rule(
                f"egress-{key}",
                direction="EGRESS",
                priority=egress.priority,
                allows=[gcp.compute.FirewallAllowArgs(protocol=egress.protocol, ports=list(egress.ports))],
                destination_ranges=list(egress.destinations),
                target_tags=list(egress.target_tags) or None,
                description=_description(f"egress {key}", egress.justification),
            )
        for key, ingress in args.ingress.items():
            rule(
                f"ingress-{key}",
                direction="INGRESS",
                priority=ingress.priority,
                allows=[gcp.compute.FirewallAllowArgs(protocol=ingress.protocol, ports=list(ingress.ports))],
                source_ranges=list(ingress.sources),
                target_tags=list(ingress.target_tags),
                description=_description(f"ingress {key}", ingress.justification),
            )
        for key, hc in args.health_checks.items():
            rule(
                f"ingress-hc-{key}",
                direction="INGRESS",
                priority=1000,
                allows=[gcp.compute.FirewallAllowArgs(protocol="tcp", ports=list(hc.ports))],
                source_ranges=list(HEALTH_CHECK_RANGES),
                target_tags=list(hc.target_tags),
                description=f"Google Cloud health checks ({key})",
            )
        return rules

    def _zone(
        self,
        name: str,
        role: str,
        dns_name: str,
        args: PrivateNetworkArgs,
        vip_host: str,
        vip_addresses: tuple[str, ...],
    ) -> None:
        child = self._child()
        zone = gcp.dns.ManagedZone(
            f"{name}-{role}",
            name=f"{args.network_name}-{role}",
            project=args.project,
            dns_name=dns_name,
            visibility="private",
            private_visibility_config=gcp.dns.ManagedZonePrivateVisibilityConfigArgs(
                networks=[gcp.dns.ManagedZonePrivateVisibilityConfigNetworkArgs(network_url=self.network.id)]
            ),
            description=f"aiwarden PrivateNetwork: {dns_name} through {vip_host}",
            force_destroy=False,
            labels=args.ownership.gcp_labels(),
            opts=child,
        )
        # googleapis.com: *.googleapis.com -> the VIP host, whose A record holds the VIP addresses;
        # pkg.dev / gcr.io: *.<domain> -> <domain>, whose A record holds the VIP addresses.
        target = f"{vip_host}." if role == "googleapis" else dns_name
        self.zones[role] = zone
        self.records[f"{role}-a"] = gcp.dns.RecordSet(
            f"{name}-{role}-a",
            project=args.project,
            managed_zone=zone.name,
            name=target,
            type="A",
            ttl=_TTL,
            rrdatas=list(vip_addresses),
            opts=child,
        )
        self.records[f"{role}-cname"] = gcp.dns.RecordSet(
            f"{name}-{role}-cname",
            project=args.project,
            managed_zone=zone.name,
            name=f"*.{dns_name}",
            type="CNAME",
            ttl=_TTL,
            rrdatas=[target],
            opts=child,
        )

    def _nat(self, name: str, args: PrivateNetworkArgs, nat: CloudNat) -> None:
        child = self._child()
        net = args.network_name
        self.routes["internet"] = gcp.compute.Route(
            f"{name}-internet",
            name=f"{net}-internet",
            project=args.project,
            network=self.network.id,
            dest_range="0.0.0.0/0",
            next_hop_gateway=INTERNET_GATEWAY,
            description=_description(
                "Cloud NAT egress (firewall rules still deny what they do not allow)", nat.justification
            ),
            opts=child,
        )
        for region in args.nat_regions():
            router = gcp.compute.Router(
                f"{name}-router-{region}",
                name=f"{net}-router-{region}",
                project=args.project,
                region=region,
                network=self.network.id,
                description=_description("Cloud NAT", nat.justification),
                opts=child,
            )
            self.routers[region] = router
            self.nats[region] = gcp.compute.RouterNat(
                f"{name}-nat-{region}",
                name=f"{net}-nat-{region}",
                project=args.project,
                region=region,
                router=router.name,
                nat_ip_allocate_option="AUTO_ONLY",
                source_subnetwork_ip_ranges_to_nat="LIST_OF_SUBNETWORKS",
                subnetworks=[
                    gcp.compute.RouterNatSubnetworkArgs(
                        name=self.subnetworks[key].id, source_ip_ranges_to_nats=["ALL_IP_RANGES"]
                    )
                    for key in nat.subnets
                    if args.subnets[key].region == region
                ],
                log_config=gcp.compute.RouterNatLogConfigArgs(enable=True, filter=nat.log_filter),
                opts=child,
            )

    def _record(self, name: str, args: PrivateNetworkArgs) -> None:
        world_ingress = any(is_world(c) for rule in args.ingress.values() for c in rule.sources)
        logs = [
            "Cloud Logging: compute.googleapis.com/vpc_flows (VPC Flow Logs of the subnets)",
            "Cloud Logging: compute.googleapis.com/firewall (every rule of the network logs)",
        ]
        if args.dns_query_logging:
            logs.append("Cloud Logging: dns.googleapis.com/dns_queries (DNS queries of the network)")
        if args.nat is not None:
            logs.append("Cloud Logging: compute.googleapis.com/nat_flows (Cloud NAT translations)")
        containment = (
            "Add an EGRESS deny-all firewall rule at priority 0 on the network (optionally by target tag) to cut "
            "workloads off; delete the NAT (and the 0.0.0.0/0 route) to stop internet egress."
            if args.nat is not None
            else "Add an EGRESS deny-all firewall rule at priority 0 on the network (optionally by target tag) to cut "
            "workloads off from Google APIs and each other."
        )
        record_asset(
            AssetRecord(
                name=f"{name}-network",
                kind=KIND,
                ownership=args.ownership,
                exposure="public" if world_ingress else "private",
                logs_to_preserve=tuple(logs),
                containment=containment,
            )
        )


def _description(what: str, justification: str | None) -> str:
    """A firewall/route/router description; the justification of an insecure choice lands here."""
    return (
        f"aiwarden: {what}"
        if justification is None
        else f"aiwarden exception: {what}. Justification: {justification}"
    )
