"""Controlled internet egress of a ``PrivateNetwork``: only by name, with a justification that lands in tags.

``FirewallEgress``: per availability zone a firewall subnet and a public subnet; the workloads' route tables
send 0.0.0.0/0 to the AWS Network Firewall endpoint of their zone, the firewall subnet sends it to a NAT
gateway, the public subnet to the internet gateway and the workload ranges back through the firewall
(symmetric routing, so the stateful engine sees both directions; "Deployment models for AWS Network Firewall
with VPC routing enhancements"). The firewall forwards TCP to the stateful engine and drops every other
protocol; the stateful engine (strict rule order) passes TLS (SNI) and HTTP (Host) to ``allowed_domains``
only and drops every other established flow (``aws:drop_established``), alerting on it. Alert and flow logs
go to CMK-encrypted log groups. The route tables of the firewall and public subnets hold no data and are
classified ``internal``, so NET-1 keeps judging the workloads' own route tables.

``ProxyEgress``: the workloads reach a named proxy on one port; routes to it through a transit gateway when
it is outside the VPC. Nothing else leaves the VPC.

Either way the workloads get the internet path only through the ``egress`` security group, attached to the
workloads that need it (the ``workloads`` group of the network never allows the internet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, field_validator

from components._common import Ownership
from components._common.cidrs import WORLD_V4, Cidr, is_private, is_world, network
from components._common.ownership import Slug, configured_vocabulary
from components.aws._cidrs import AVAILABILITY_ZONE, AvailabilityZone
from components.aws._security_groups import tcp_out
from components.aws._tags import aws_tags

#: A domain Network Firewall matches exactly, or with a leading dot the domain and its subdomains.
_DOMAIN = re.compile(r"^\.?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$")
_TGW = r"^tgw-[0-9a-f]{8,17}$"
_JUSTIFICATION = Field(
    min_length=20, description="Why the workloads need the internet, who approved it, until when."
)


class FirewallZone(BaseModel):
    """The egress subnets of one availability zone: the firewall endpoint's and the NAT gateway's."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    availability_zone: AvailabilityZone = Field(
        description="A zone of the workload subnets, e.g. `us-east-1a`."
    )
    firewall_cidr: Cidr = Field(description="Range of the firewall subnet (a /28 is enough), inside the VPC.")
    public_cidr: Cidr = Field(
        description="Range of the NAT gateway's public subnet (a /28 is enough), inside the VPC."
    )


class FirewallEgress(BaseModel):
    """Internet egress through NAT gateways behind an AWS Network Firewall with a domain allowlist."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["firewall"] = "firewall"
    allowed_domains: tuple[str, ...] = Field(
        min_length=1,
        description="Domains the workloads may reach over TLS (SNI) and HTTP (Host): `api.openai.com` exactly, "
        "`.huggingface.co` with its subdomains. Every other flow is dropped.",
    )
    ports: tuple[int, ...] = Field(
        default=(443,),
        min_length=1,
        description="TCP ports the `egress` security group opens to the internet.",
    )
    zones: dict[Slug, FirewallZone] = Field(
        min_length=1,
        description="Egress subnets per availability zone, one for each zone of the workload subnets.",
    )
    rule_capacity: int = Field(
        default=200,
        ge=10,
        le=30000,
        description="Capacity of the domain rule group, fixed at creation: leave room for more domains (each "
        "domain takes about two rules).",
    )
    justification: str = _JUSTIFICATION

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for domain in value:
            if domain in ("*", ".", "") or domain.startswith("*"):
                raise ValueError(
                    f"{domain!r} would allow every domain (0.0.0.0/0 egress); list the domains the workloads "
                    "need, `.example.com` for a domain and its subdomains"
                )
            if not _DOMAIN.fullmatch(domain) or domain.count(".") < (2 if domain.startswith(".") else 1):
                raise ValueError(
                    f"{domain!r} is not a domain such as `api.openai.com` or `.huggingface.co` (lowercase, a "
                    "leading dot for subdomains, no wildcards or bare top-level domains)"
                )
        return value

    @field_validator("ports")
    @classmethod
    def _ports(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for port in value:
            if not 1 <= port <= 65535:
                raise ValueError(f"{port} is not a TCP port (1-65535)")
        return value

    def check(self, vpc_cidr: str, subnets: dict[str, Any]) -> None:
        """Every zone of the workload subnets has egress subnets, once; capacity fits the domains."""
        zones = [z.availability_zone for z in self.zones.values()]
        for az in zones:
            if zones.count(az) > 1:
                raise ValueError(
                    f"egress.zones: {az} is given twice; one firewall and NAT subnet pair per zone"
                )
        for subnet_name, subnet in subnets.items():
            if subnet.availability_zone not in zones:
                raise ValueError(
                    f"egress.zones: no egress subnets in {subnet.availability_zone} (subnet {subnet_name}); add a "
                    "zone there, so that its traffic stays in its zone"
                )
        for zone_name, zone in self.zones.items():
            if not any(s.availability_zone == zone.availability_zone for s in subnets.values()):
                raise ValueError(
                    f"egress.zones.{zone_name}: no workload subnet is in {zone.availability_zone}; remove the zone"
                )
        if self.rule_capacity < 2 * len(self.allowed_domains) + 2:
            raise ValueError(
                f"egress.rule_capacity: {self.rule_capacity} is too small for {len(self.allowed_domains)} domains; "
                f"use at least {2 * len(self.allowed_domains) + 2}"
            )


class ProxyEgress(BaseModel):
    """Egress only to a named proxy (an inspecting HTTP proxy of the platform), on one port."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["proxy"] = "proxy"
    name: Slug = Field(description="Name of the proxy, e.g. `corp-egress-proxy` (in descriptions and tags).")
    cidrs: tuple[Cidr, ...] = Field(
        min_length=1, description="Private addresses of the proxy (its load balancer or instances)."
    )
    port: int = Field(default=3128, ge=1, le=65535, description="TCP port of the proxy.")
    transit_gateway_id: str | None = Field(
        default=None,
        pattern=_TGW,
        description="Transit gateway that routes to the proxy when it is outside the VPC (`tgw-...`).",
    )
    justification: str = _JUSTIFICATION

    def check(self, vpc_cidr: str, subnets: dict[str, Any]) -> None:
        """Private proxy addresses only; a route when they are outside the VPC."""
        for i, cidr in enumerate(self.cidrs):
            if is_world(cidr):
                raise ValueError(
                    f"egress.cidrs[{i}]: {WORLD_V4} is the whole internet, not a proxy; give the proxy's private "
                    "addresses, or use FirewallEgress with allowed_domains"
                )
            if not is_private(cidr):
                raise ValueError(
                    f"egress.cidrs[{i}]: {cidr} is not a private range; a proxy is reached over private "
                    "addresses (inside the VPC, or through a transit gateway)"
                )
            inside = network(cidr).subnet_of(network(vpc_cidr))
            if inside and self.transit_gateway_id is not None:
                raise ValueError(
                    f"egress.transit_gateway_id: the proxy range {cidr} is inside the VPC, reached by its local "
                    "route; remove transit_gateway_id (or give the proxy's addresses outside the VPC)"
                )
            if not inside and self.transit_gateway_id is None:
                raise ValueError(
                    f"egress.transit_gateway_id: the proxy range {cidr} is outside the VPC; name the transit "
                    "gateway that routes to it"
                )


EgressChoice = Annotated[FirewallEgress | ProxyEgress, Field(discriminator="kind")]


@dataclass
class Egress:
    """What ``build_egress`` created: the ``egress`` security group, and the firewall's children when it has one."""

    security_group: aws.ec2.SecurityGroup
    routes: list[aws.ec2.Route] = field(default_factory=list)
    firewall: aws.networkfirewall.Firewall | None = None
    firewall_policy: aws.networkfirewall.FirewallPolicy | None = None
    rule_groups: list[aws.networkfirewall.RuleGroup] = field(default_factory=list)
    nat_gateways: dict[str, aws.ec2.NatGateway] = field(default_factory=dict)
    internet_gateway: aws.ec2.InternetGateway | None = None
    subnets: dict[str, aws.ec2.Subnet] = field(default_factory=dict)
    log_groups: list[aws.cloudwatch.LogGroup] = field(default_factory=list)


def _no_data(ownership: Ownership) -> dict[str, str]:
    """Tags of a child that holds no data (a firewall or NAT subnet, its route table): classified ``internal``
    (else ``public``) when the vocabulary allows it, so NET-1 judges the workloads' route tables, not these."""
    allowed = configured_vocabulary().allowed_classifications()
    for word in ("internal", "public"):
        if word in allowed:
            return aws_tags(ownership.model_copy(update={"data_classification": word}))
    return aws_tags(ownership)


def firewall_endpoint(statuses: Any, zone: str) -> str | None:
    """The firewall endpoint (``vpce-...``) in ``zone`` among a firewall's ``firewall_statuses``.

    A firewall that reports real zones but not ``zone`` is an error (its route would have no target); no zone
    at all (statuses not known yet, or not a real firewall's) gives None."""
    seen = []
    for status in statuses or []:
        for state in _get(status, "sync_states") or []:
            seen.append(str(_get(state, "availability_zone")))
            if seen[-1] == zone:
                for attachment in _get(state, "attachments") or []:
                    endpoint: str | None = _get(attachment, "endpoint_id")
                    if endpoint:
                        return endpoint
    if any(re.fullmatch(AVAILABILITY_ZONE, z) for z in seen):
        raise ValueError(f"the Network Firewall has no endpoint in {zone} (it reports {sorted(seen)})")
    return None


def _endpoint_of(statuses: Any, zone: str) -> str | None:
    return firewall_endpoint(statuses, zone)


def _get(value: Any, name: str) -> Any:
    """An attribute of an SDK output object, or the key of the same data as a dict (snake or camel case)."""
    if isinstance(value, dict):
        camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)
        return value.get(name, value.get(camel))
    return getattr(value, name, None)


@dataclass(frozen=True)
class Placement:
    """Where an egress path is built: the network component, its VPC, workload subnets (with their settings) and
    route tables; ownership, and the names, key and retention of the log groups the firewall writes to."""

    parent: pulumi.Resource
    vpc: aws.ec2.Vpc
    subnets: dict[str, tuple[aws.ec2.Subnet, Any]]
    route_tables: dict[str, aws.ec2.RouteTable]
    ownership: Ownership
    log_groups: list[str]
    key_arn: pulumi.Output[str]
    retention_days: int
    protected: bool


def build_egress(name: str, choice: FirewallEgress | ProxyEgress, at: Placement) -> Egress:
    """The ``egress`` security group and the path behind it (see the module docstring)."""
    child = pulumi.ResourceOptions(parent=at.parent)
    if isinstance(choice, ProxyEgress):
        description = f"egress to the {choice.name} proxy only"
        rules = [tcp_out(f"the {choice.name} proxy", choice.port, cidr_blocks=list(choice.cidrs))]
    else:
        description = "internet egress through the firewall's domain allowlist"
        rules = [
            tcp_out(
                "the internet, filtered by the Network Firewall domain allowlist",
                port,
                cidr_blocks=[WORLD_V4],
            )
            for port in choice.ports
        ]
    group = aws.ec2.SecurityGroup(
        f"{name}-egress",
        vpc_id=at.vpc.id,
        description=f"aiwarden {name}: {description}",
        ingress=[],
        egress=rules,
        revoke_rules_on_delete=True,
        tags=aws_tags(at.ownership, choice.justification),
        opts=child,
    )
    built = Egress(security_group=group)
    if isinstance(choice, FirewallEgress):
        _firewall(name, choice, at, built)
    elif choice.transit_gateway_id is not None:
        for subnet_name, table in at.route_tables.items():
            for i, cidr in enumerate(choice.cidrs):
                built.routes.append(
                    aws.ec2.Route(
                        f"{name}-{subnet_name}-proxy-route-{i}",
                        route_table_id=table.id,
                        destination_cidr_block=cidr,
                        transit_gateway_id=choice.transit_gateway_id,
                        opts=child,
                    )
                )
    return built


def _firewall(name: str, choice: FirewallEgress, at: Placement, built: Egress) -> None:
    """Internet gateway, per zone the firewall and public subnets, NAT gateway and routes; the firewall, its
    policy, rule groups and logs."""
    parent, vpc, ownership, protected = at.parent, at.vpc, at.ownership, at.protected
    child = pulumi.ResourceOptions(parent=parent)
    tags = aws_tags(ownership, choice.justification)
    plain = _no_data(ownership)
    built.internet_gateway = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, tags=plain, opts=child)
    firewall_subnets: dict[str, aws.ec2.Subnet] = {}
    public_tables: dict[str, aws.ec2.RouteTable] = {}
    firewall_tables: dict[str, aws.ec2.RouteTable] = {}
    for zone_name, zone in choice.zones.items():
        for role, cidr, tables in (
            ("firewall", zone.firewall_cidr, firewall_tables),
            ("public", zone.public_cidr, public_tables),
        ):
            subnet = aws.ec2.Subnet(
                f"{name}-{zone_name}-{role}",
                vpc_id=vpc.id,
                cidr_block=cidr,
                availability_zone=zone.availability_zone,
                map_public_ip_on_launch=False,
                tags=plain,
                opts=child,
            )
            built.subnets[f"{zone_name}-{role}"] = subnet
            if role == "firewall":
                firewall_subnets[zone_name] = subnet
            tables[zone_name] = aws.ec2.RouteTable(
                f"{name}-{zone_name}-{role}-routes", vpc_id=vpc.id, tags=plain, opts=child
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-{zone_name}-{role}-routes-association",
                subnet_id=subnet.id,
                route_table_id=tables[zone_name].id,
                opts=child,
            )
        address = aws.ec2.Eip(f"{name}-{zone_name}-nat-ip", domain="vpc", tags=plain, opts=child)
        built.nat_gateways[zone_name] = aws.ec2.NatGateway(
            f"{name}-{zone_name}-nat",
            allocation_id=address.id,
            subnet_id=built.subnets[f"{zone_name}-public"].id,
            connectivity_type="public",
            tags=plain,
            opts=pulumi.ResourceOptions(parent=parent, depends_on=[built.internet_gateway]),
        )

    domains = aws.networkfirewall.RuleGroup(
        f"{name}-allowed-domains",
        type="STATEFUL",
        capacity=choice.rule_capacity,
        description=f"aiwarden {name}: domains the workloads may reach",
        rule_group=aws.networkfirewall.RuleGroupRuleGroupArgs(
            rules_source=aws.networkfirewall.RuleGroupRuleGroupRulesSourceArgs(
                rules_source_list=aws.networkfirewall.RuleGroupRuleGroupRulesSourceRulesSourceListArgs(
                    generated_rules_type="ALLOWLIST",
                    target_types=["TLS_SNI", "HTTP_HOST"],
                    targets=list(choice.allowed_domains),
                )
            ),
            stateful_rule_options=aws.networkfirewall.RuleGroupRuleGroupStatefulRuleOptionsArgs(
                rule_order="STRICT_ORDER"
            ),
        ),
        tags=tags,
        opts=child,
    )
    match = aws.networkfirewall.RuleGroupRuleGroupRulesSourceStatelessRulesAndCustomActionsStatelessRuleRuleDefinitionMatchAttributesArgs
    tcp_only = aws.networkfirewall.RuleGroup(
        f"{name}-tcp-only",
        type="STATELESS",
        capacity=10,
        description=f"aiwarden {name}: TCP goes to the stateful engine, every other protocol is dropped",
        rule_group=aws.networkfirewall.RuleGroupRuleGroupArgs(
            rules_source=aws.networkfirewall.RuleGroupRuleGroupRulesSourceArgs(
                stateless_rules_and_custom_actions=aws.networkfirewall.RuleGroupRuleGroupRulesSourceStatelessRulesAndCustomActionsArgs(
                    stateless_rules=[
                        aws.networkfirewall.RuleGroupRuleGroupRulesSourceStatelessRulesAndCustomActionsStatelessRuleArgs(
                            priority=10,
                            rule_definition=aws.networkfirewall.RuleGroupRuleGroupRulesSourceStatelessRulesAndCustomActionsStatelessRuleRuleDefinitionArgs(
                                actions=["aws:forward_to_sfe"],
                                match_attributes=match(protocols=[6]),
                            ),
                        )
                    ]
                )
            )
        ),
        tags=tags,
        opts=child,
    )
    built.rule_groups = [domains, tcp_only]
    built.firewall_policy = aws.networkfirewall.FirewallPolicy(
        f"{name}-firewall-policy",
        description=f"aiwarden {name}: TCP to allowed domains only",
        firewall_policy=aws.networkfirewall.FirewallPolicyFirewallPolicyArgs(
            stateless_default_actions=["aws:drop"],
            stateless_fragment_default_actions=["aws:drop"],
            stateless_rule_group_references=[
                aws.networkfirewall.FirewallPolicyFirewallPolicyStatelessRuleGroupReferenceArgs(
                    priority=10, resource_arn=tcp_only.arn
                )
            ],
            stateful_engine_options=aws.networkfirewall.FirewallPolicyFirewallPolicyStatefulEngineOptionsArgs(
                rule_order="STRICT_ORDER"
            ),
            stateful_default_actions=["aws:drop_established", "aws:alert_established"],
            stateful_rule_group_references=[
                aws.networkfirewall.FirewallPolicyFirewallPolicyStatefulRuleGroupReferenceArgs(
                    priority=10, resource_arn=domains.arn
                )
            ],
        ),
        tags=tags,
        opts=child,
    )
    built.firewall = aws.networkfirewall.Firewall(
        f"{name}-firewall",
        vpc_id=vpc.id,
        firewall_policy_arn=built.firewall_policy.arn,
        subnet_mappings=[
            aws.networkfirewall.FirewallSubnetMappingArgs(subnet_id=s.id) for s in firewall_subnets.values()
        ],
        delete_protection=protected,
        subnet_change_protection=protected,
        firewall_policy_change_protection=protected,
        description=f"aiwarden {name}: egress allowlist",
        tags=tags,
        opts=child,
    )
    for log_type, group_name in zip(("ALERT", "FLOW"), at.log_groups, strict=True):
        built.log_groups.append(
            aws.cloudwatch.LogGroup(
                f"{name}-firewall-{log_type.lower()}s",
                name=group_name,
                kms_key_id=at.key_arn,
                retention_in_days=at.retention_days,
                deletion_protection_enabled=protected,
                tags=aws_tags(ownership),
                opts=child,
            )
        )
    aws.networkfirewall.LoggingConfiguration(
        f"{name}-firewall-logging",
        firewall_arn=built.firewall.arn,
        logging_configuration=aws.networkfirewall.LoggingConfigurationLoggingConfigurationArgs(
            log_destination_configs=[
                aws.networkfirewall.LoggingConfigurationLoggingConfigurationLogDestinationConfigArgs(
                    log_destination={"logGroup": group.name},
                    log_destination_type="CloudWatchLogs",
                    log_type=log_type,
                )
                for log_type, group in zip(("ALERT", "FLOW"), built.log_groups, strict=True)
            ]
        ),
        opts=child,
    )

    for zone_name, zone in choice.zones.items():
        endpoint = built.firewall.firewall_statuses.apply(partial(_endpoint_of, zone=zone.availability_zone))
        built.routes.append(
            aws.ec2.Route(
                f"{name}-{zone_name}-firewall-route",
                route_table_id=firewall_tables[zone_name].id,
                destination_cidr_block=WORLD_V4,
                nat_gateway_id=built.nat_gateways[zone_name].id,
                opts=child,
            )
        )
        built.routes.append(
            aws.ec2.Route(
                f"{name}-{zone_name}-internet-route",
                route_table_id=public_tables[zone_name].id,
                destination_cidr_block=WORLD_V4,
                gateway_id=built.internet_gateway.id,
                opts=child,
            )
        )
        for subnet_name, (_, spec) in at.subnets.items():
            if spec.availability_zone != zone.availability_zone:
                continue
            built.routes.append(
                aws.ec2.Route(
                    f"{name}-{subnet_name}-egress-route",
                    route_table_id=at.route_tables[subnet_name].id,
                    destination_cidr_block=WORLD_V4,
                    vpc_endpoint_id=endpoint,
                    opts=child,
                )
            )
            built.routes.append(
                aws.ec2.Route(
                    f"{name}-{zone_name}-{subnet_name}-return-route",
                    route_table_id=public_tables[zone_name].id,
                    destination_cidr_block=spec.cidr_block,
                    vpc_endpoint_id=endpoint,
                    opts=child,
                )
            )
