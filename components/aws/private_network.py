"""PrivateNetwork: a VPC for AI workloads with no path to the internet unless one is asked for by name.

Children (``<name>-<role>``): ``vpc`` (DNS support and hostnames on, for private DNS of the endpoints);
``default-sg`` (the VPC's default security group, every rule removed); per private subnet ``<subnet>``
(``map_public_ip_on_launch`` false), its route table ``<subnet>-routes`` (local routes only) and
``<subnet>-routes-association``; ``endpoints`` (security group of the interface endpoints: 443 from the VPC
and ``endpoint_client_cidrs`` only); ``workloads`` (security group of what runs in the subnets: the
``workload_ports`` between its members, 443 to the VPC and the gateway endpoints' prefix lists);
``endpoint-<service>`` per gateway and interface endpoint (private DNS, an endpoint policy admitting only
this account's or organization's principals); ``flow-logs`` (log group, KMS, retention), ``flow-logs-role``
and ``flow-logs-delivery`` (may write to that group only), ``flow-log`` (ALL traffic of the VPC); ``key`` (a
``Key``) unless an existing key is given. With ``egress``: the children of ``_egress`` (an egress security
group ``egress``; an AWS Network Firewall with a domain allowlist and NAT gateways, or routes to a proxy).

The ``network`` attribute is the shared placement shape (``AwsNetwork``) that compute components take.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from components._common import AssetRecord, AwsNetwork, CreateKey, KeyChoice, Ownership, record_asset
from components._common.cidrs import Cidr, first_overlap, is_private, is_world, network, outside
from components._common.inventory import NETWORK, asset_kind
from components._common.ownership import Slug
from components._common.protection import deletion_protected
from components.aws._cidrs import AvailabilityZone
from components.aws._documents import Statement, document, logs_may_use_key
from components.aws._egress import Egress, EgressChoice, FirewallEgress, Placement, build_egress
from components.aws._identifiers import BucketName
from components.aws._key_choice import FIELD_DESCRIPTION, check_key_choice, resolve_key
from components.aws._log_groups import RetentionDays, stack_log_group
from components.aws._security_groups import tcp_in, tcp_out
from components.aws._tags import aws_tags
from components.aws._where import Where, where
from components.aws.key import Key

TYPE = "aiwarden:aws:PrivateNetwork"
KIND = asset_kind(NETWORK)

#: Interface endpoints created by default: what the platform's AI workloads call (ECR, STS, Secrets Manager,
#: KMS, CloudWatch Logs, SageMaker API and runtime, API Gateway execute-api, OpenSearch Serverless control
#: plane, Bedrock runtime).
DEFAULT_INTERFACE_ENDPOINTS: tuple[str, ...] = (
    "ecr.api",
    "ecr.dkr",
    "sts",
    "secretsmanager",
    "kms",
    "logs",
    "sagemaker.api",
    "sagemaker.runtime",
    "execute-api",
    "aoss",
    "bedrock-runtime",
)
GatewayService = Literal["s3", "dynamodb"]
#: The AWS-owned bucket ECR keeps image layers in: image pulls through the S3 gateway endpoint read it, and the
#: ECR guide's minimal S3 endpoint policy lets any principal read it ("Minimum Amazon S3 bucket permissions for
#: Amazon ECR"), so it is allowed apart from the account-only statement.
ECR_LAYER_BUCKET = "prod-{region}-starport-layer-bucket"
FLOW_LOGS = "vpc-flow-logs.amazonaws.com"
_SERVICE = re.compile(r"^[a-z0-9]+([.-][a-z0-9]+)*$")
_ORG_ID = r"^o-[a-z0-9]{10,32}$"


class PrivateSubnet(BaseModel):
    """A private subnet of the workloads in one availability zone."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    availability_zone: AvailabilityZone = Field(description="Availability zone, e.g. `us-east-1a`.")
    cidr_block: Cidr = Field(description="IPv4 range inside the VPC CIDR (AWS takes /16 to /28).")


def _endpoint_role(service: str) -> str:
    return "endpoint-" + service.replace(".", "-")


class PrivateNetworkArgs(BaseModel):
    """Inputs of ``PrivateNetwork``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child.")
    cidr_block: Cidr = Field(
        description="VPC IPv4 range: private address space (RFC 1918 or 100.64.0.0/10), /16 to /28. It must not "
        "overlap the networks it will be peered or routed with."
    )
    subnets: dict[Slug, PrivateSubnet] = Field(
        min_length=1,
        max_length=16,
        description="Private subnets of the workloads by name, each in an explicit availability zone; production "
        "needs at least two zones. None gets a public IP or a route to an internet gateway.",
    )
    interface_endpoints: tuple[str, ...] = Field(
        default=DEFAULT_INTERFACE_ENDPOINTS,
        description="Interface endpoints by service suffix (`com.amazonaws.<region>.<service>`), private DNS on, "
        "in one subnet per zone; default: ECR api/dkr, STS, Secrets Manager, KMS, CloudWatch Logs, SageMaker "
        "api/runtime, execute-api, OpenSearch Serverless (`aoss`, control plane), Bedrock runtime. Provider "
        "default: none (AWS APIs only over the internet).",
    )
    gateway_endpoints: tuple[GatewayService, ...] = Field(
        default=("s3",),
        description="Gateway endpoints on every private route table (S3 also carries ECR image layers).",
    )
    endpoints_without_policy: tuple[str, ...] = Field(
        default=(),
        description="Interface endpoints whose service takes no endpoint policy: they keep AWS's full-access "
        "default. Every other endpoint gets a policy admitting only this account's (or organization's) principals.",
    )
    endpoint_policy_organization: str | None = Field(
        default=None,
        pattern=_ORG_ID,
        description="Endpoint policies admit principals of this AWS Organization (`o-...`, `aws:PrincipalOrgID`); "
        "default: principals of this account only (`aws:PrincipalAccount`). Provider default: full access for "
        "anyone.",
    )
    s3_anonymous_read_buckets: tuple[BucketName, ...] = Field(
        default=(),
        description="Buckets read without credentials through the S3 gateway endpoint, e.g. the Amazon Linux "
        "2023 package repositories (`al2023-repos-<region>-de612dc2`); the ECR layer bucket is always allowed.",
    )
    endpoint_client_cidrs: dict[Slug, Cidr] = Field(
        default_factory=dict,
        description="Private ranges outside the VPC (peered VPCs, on-premises) that may reach the interface "
        "endpoints on 443, by name; the VPC CIDR always may. 0.0.0.0/0 and public ranges are refused.",
    )
    workload_ports: dict[Slug, int] = Field(
        default_factory=lambda: {"https": 443},
        description="TCP ports the members of the `workloads` security group may open to each other, by name "
        "(e.g. `postgres: 5432` for a database placed in the network). Provider default: no rule.",
    )
    egress: EgressChoice | None = Field(
        default=None,
        description="Controlled internet egress, only by name with a justification: `FirewallEgress` (NAT "
        "gateways behind an AWS Network Firewall that lets TLS/HTTP through to `allowed_domains` only) or "
        "`ProxyEgress` (a named proxy reached on its port). Default: no route out of the VPC.",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}; encrypts the flow-log (and firewall-log) groups; an existing key must "
        "let `logs.<region>.amazonaws.com` use it for them (provider default: CloudWatch Logs service-owned "
        "encryption).",
    )
    flow_log_retention_days: RetentionDays = Field(
        default=365,
        description="Days the flow-log (and firewall-log) groups keep events; one of CloudWatch's retention "
        "values (provider default: never expire). The pack's LOG-2 wants at least 365 by default.",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="CloudWatch deletion protection on the log groups and Network Firewall delete protection; "
        "None: on in production (IR-2), else off (provider default: off).",
    )

    @field_validator("interface_endpoints", "endpoints_without_policy")
    @classmethod
    def _services(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for service in value:
            if not _SERVICE.fullmatch(service):
                raise ValueError(f"{service!r} is not an endpoint service suffix such as `ecr.api` or `sts`")
        twice = [s for s, n in Counter(value).items() if n > 1]
        if twice:
            raise ValueError(f"{twice[0]!r} is listed twice; list each service once")
        if "s3" in value:
            raise ValueError(
                "'s3' is a gateway endpoint here (free, on the route tables); use gateway_endpoints"
            )
        return value

    @field_validator("workload_ports")
    @classmethod
    def _ports(cls, value: dict[str, int]) -> dict[str, int]:
        for port_name, port in value.items():
            if not 1 <= port <= 65535:
                raise ValueError(f"{port_name}: {port} is not a TCP port (1-65535)")
        return value

    @model_validator(mode="after")
    def _safe(self) -> PrivateNetworkArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        vpc = network(self.cidr_block)
        if not is_private(self.cidr_block):
            raise ValueError(
                f"cidr_block: {self.cidr_block} is not private address space; use a range inside 10.0.0.0/8, "
                "172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10"
            )
        if not 16 <= vpc.prefixlen <= 28:
            raise ValueError(
                f"cidr_block: AWS takes /16 to /28 for a VPC; {self.cidr_block} is /{vpc.prefixlen}"
            )
        blocks = {f"subnets.{n}": s.cidr_block for n, s in self.subnets.items()}
        if isinstance(self.egress, FirewallEgress):
            for zone_name, zone in self.egress.zones.items():
                blocks[f"egress.zones.{zone_name}.firewall_cidr"] = zone.firewall_cidr
                blocks[f"egress.zones.{zone_name}.public_cidr"] = zone.public_cidr
        for field_name in outside(blocks, self.cidr_block):
            raise ValueError(
                f"{field_name}: {blocks[field_name]} is outside the VPC's cidr_block {self.cidr_block}; give a "
                "range inside it"
            )
        for field_name, cidr in blocks.items():
            if network(cidr).prefixlen > 28:
                raise ValueError(f"{field_name}: AWS subnets are /16 to /28; {cidr} is too small")
        overlap = first_overlap(blocks)
        if overlap is not None:
            a, b = overlap
            raise ValueError(f"{b}: {blocks[b]} overlaps {a} ({blocks[a]}); give each subnet its own range")
        zones = sorted({s.availability_zone for s in self.subnets.values()})
        if self.ownership.environment == "production" and len(zones) < 2:
            raise ValueError(
                f"subnets: production networks span at least two availability zones, these use only {zones}; add "
                "a subnet in a second zone (e.g. us-east-1b)"
            )
        for client_name, cidr in self.endpoint_client_cidrs.items():
            if is_world(cidr) or not is_private(cidr):
                raise ValueError(
                    f"endpoint_client_cidrs.{client_name}: {cidr} is not a private range; interface endpoints have "
                    "no public address, admit only private ranges (peered VPCs, on-premises)"
                )
        for service in self.endpoints_without_policy:
            if service not in self.interface_endpoints:
                raise ValueError(
                    f"endpoints_without_policy: {service!r} is not one of interface_endpoints; remove it"
                )
        if self.egress is not None:
            self.egress.check(self.cidr_block, self.subnets)
        return self

    def zones(self) -> dict[str, list[str]]:
        """Subnet names by availability zone, in the order given."""
        found: dict[str, list[str]] = {}
        for subnet_name, subnet in self.subnets.items():
            found.setdefault(subnet.availability_zone, []).append(subnet_name)
        return found

    def protected(self) -> bool:
        return deletion_protected(self.deletion_protection, self.ownership.environment == "production")


def endpoint_policy(args: PrivateNetworkArgs, place: Where, service: str) -> pulumi.Output[str]:
    """Every action, but only for principals of this account (or organization); for S3, also the ECR layer
    bucket and the anonymous-read buckets."""
    if args.endpoint_policy_organization:
        condition = {"StringEquals": {"aws:PrincipalOrgID": args.endpoint_policy_organization}}
        sid = "OnlyThisOrganizationsPrincipals"
    else:
        condition = {"StringEquals": {"aws:PrincipalAccount": place.account}}
        sid = "OnlyThisAccountsPrincipals"
    statements: list[Statement] = [
        {
            "Sid": sid,
            "Effect": "Allow",
            "Principal": "*",
            "Action": "*",
            "Resource": "*",
            "Condition": condition,
        }
    ]
    if service == "s3":
        buckets = [ECR_LAYER_BUCKET.format(region=place.region), *args.s3_anonymous_read_buckets]
        statements.append(
            {
                "Sid": "ReadAwsOwnedBuckets",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [f"arn:{place.partition}:s3:::{bucket}/*" for bucket in buckets],
            }
        )
    return document(statements)


def log_key_statements(place: Where, log_groups: list[str]) -> tuple[Statement, ...]:
    """What CloudWatch Logs needs on the key to encrypt these log groups (and nothing else)."""
    return (
        logs_may_use_key(
            "CloudWatchLogsEncryptsTheNetworkLogs", place, [place.log_group_arn(g) for g in log_groups]
        ),
    )


class PrivateNetwork(pulumi.ComponentResource):
    """A private VPC with endpoints, empty default security group and flow logs (see the module docstring).

    Outputs: ``network`` (``vpcId``, ``subnetIds``, ``securityGroupIds``: the shared placement shape),
    ``endpointSecurityGroupId``, ``endpointIds`` (by service), ``flowLogGroupName``, ``egressSecurityGroupId``
    (None without egress), ``kmsKeyArn``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("NET-1", "NET-3", "LOG-2", "DATA-2", "IR-2", "INV-1")

    key: Key | None
    vpc: aws.ec2.Vpc
    default_security_group: aws.ec2.DefaultSecurityGroup
    subnets: dict[str, aws.ec2.Subnet]
    route_tables: dict[str, aws.ec2.RouteTable]
    endpoint_security_group: aws.ec2.SecurityGroup
    workload_security_group: aws.ec2.SecurityGroup
    endpoints: dict[str, aws.ec2.VpcEndpoint]
    flow_log_group: aws.cloudwatch.LogGroup
    flow_log_role: aws.iam.Role
    flow_log: aws.ec2.FlowLog
    egress: Egress | None
    network: AwsNetwork

    def __init__(
        self, name: str, args: PrivateNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = aws_tags(args.ownership)
        place = where(self)
        roles = [
            "vpc-flow-logs",
            *(["firewall-alerts", "firewall-flows"] if isinstance(args.egress, FirewallEgress) else []),
        ]
        log_groups = [stack_log_group(name, role) for role in roles]

        resolved = resolve_key(
            name,
            args.kms_key,
            args.ownership,
            self,
            services=("logs",),
            description=f"aiwarden {name}: network logs ({args.ownership.purpose})",
            policy_statements=log_key_statements(place, log_groups),
        )
        self.key, key_arn = resolved.created, resolved.arn

        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.cidr_block,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            instance_tenancy="default",
            tags=tags,
            opts=child,
        )
        self.default_security_group = aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg", vpc_id=self.vpc.id, ingress=[], egress=[], tags=tags, opts=child
        )
        self.subnets, self.route_tables = {}, {}
        for subnet_name, subnet in args.subnets.items():
            self.subnets[subnet_name] = aws.ec2.Subnet(
                f"{name}-{subnet_name}",
                vpc_id=self.vpc.id,
                cidr_block=subnet.cidr_block,
                availability_zone=subnet.availability_zone,
                map_public_ip_on_launch=False,
                tags=tags,
                opts=child,
            )
            self.route_tables[subnet_name] = aws.ec2.RouteTable(
                f"{name}-{subnet_name}-routes", vpc_id=self.vpc.id, tags=tags, opts=child
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-{subnet_name}-routes-association",
                subnet_id=self.subnets[subnet_name].id,
                route_table_id=self.route_tables[subnet_name].id,
                opts=child,
            )

        self.endpoint_security_group = aws.ec2.SecurityGroup(
            f"{name}-endpoints",
            vpc_id=self.vpc.id,
            description=f"aiwarden {name}: interface endpoints, HTTPS from the VPC only",
            ingress=[
                tcp_in(f"HTTPS from {client}", 443, cidr_blocks=[cidr])
                for client, cidr in {"the VPC": args.cidr_block, **args.endpoint_client_cidrs}.items()
            ],
            egress=[],
            revoke_rules_on_delete=True,
            tags=tags,
            opts=child,
        )
        route_table_ids = [t.id for t in self.route_tables.values()]
        endpoint_subnets = [self.subnets[names[0]].id for names in args.zones().values()]
        placements: dict[str, dict[str, Any]] = {
            **{
                g: {"vpc_endpoint_type": "Gateway", "route_table_ids": route_table_ids}
                for g in args.gateway_endpoints
            },
            **{
                service: {
                    "vpc_endpoint_type": "Interface",
                    "private_dns_enabled": True,
                    "subnet_ids": endpoint_subnets,
                    "security_group_ids": [self.endpoint_security_group.id],
                }
                for service in args.interface_endpoints
            },
        }
        self.endpoints = {
            service: aws.ec2.VpcEndpoint(
                f"{name}-{_endpoint_role(service)}",
                vpc_id=self.vpc.id,
                service_name=place.service_name(service),
                policy=None
                if service in args.endpoints_without_policy
                else endpoint_policy(args, place, service),
                tags=tags,
                opts=child,
                **placement,
            )
            for service, placement in placements.items()
        }

        self.workload_security_group = aws.ec2.SecurityGroup(
            f"{name}-workloads",
            vpc_id=self.vpc.id,
            description=f"aiwarden {name}: workloads, to each other and to the VPC endpoints only",
            ingress=[
                tcp_in(f"{port_name} from the other workloads", port, self=True)
                for port_name, port in args.workload_ports.items()
            ],
            egress=self._workload_egress(args),
            revoke_rules_on_delete=True,
            tags=tags,
            opts=child,
        )

        self._flow_logs(name, args, place, log_groups[0], key_arn, tags)
        self.egress = None
        if args.egress is not None:
            self.egress = build_egress(
                name,
                args.egress,
                Placement(
                    parent=self,
                    vpc=self.vpc,
                    subnets={n: (s, args.subnets[n]) for n, s in self.subnets.items()},
                    route_tables=self.route_tables,
                    ownership=args.ownership,
                    log_groups=log_groups[1:],
                    key_arn=key_arn,
                    retention_days=args.flow_log_retention_days,
                    protected=args.protected(),
                ),
            )

        self.network = AwsNetwork(
            vpc_id=self.vpc.id,
            subnet_ids=tuple(s.id for s in self.subnets.values()),
            security_group_ids=(self.workload_security_group.id,),
        )
        egress_sg = self.egress.security_group.id if self.egress else None
        record_asset(
            AssetRecord(
                name=f"{name}-vpc",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=(self.flow_log_role.arn,),
                logs_to_preserve=tuple(log_groups),
                containment=(
                    f"Remove the {name}-egress security group from the workloads (or the egress routes of the "
                    "private route tables) to cut the internet path; the flow logs show who talked to what."
                    if args.egress is not None
                    else f"The {name} subnets have no route out; to isolate a workload, replace its security "
                    "groups with an empty one; the flow logs show who talked to what."
                ),
            )
        )
        self.register_outputs(
            {
                "network": {
                    "vpcId": self.vpc.id,
                    "subnetIds": list(self.network.subnet_ids),
                    "securityGroupIds": list(self.network.security_group_ids),
                },
                "endpointSecurityGroupId": self.endpoint_security_group.id,
                "endpointIds": {service: e.id for service, e in self.endpoints.items()},
                "flowLogGroupName": self.flow_log_group.name,
                "egressSecurityGroupId": egress_sg,
                "kmsKeyArn": key_arn,
            }
        )

    def _workload_egress(self, args: PrivateNetworkArgs) -> list[aws.ec2.SecurityGroupEgressArgs]:
        """To the other workloads on their ports, HTTPS to the VPC (interface endpoints) and to the gateway
        endpoints' prefix lists."""
        return [
            *(
                tcp_out(f"{n} to the other workloads", port, self=True)
                for n, port in args.workload_ports.items()
            ),
            tcp_out(
                "HTTPS to the interface endpoints and services in the VPC", 443, cidr_blocks=[args.cidr_block]
            ),
            *(
                tcp_out(
                    f"HTTPS to {service} through its gateway endpoint",
                    443,
                    prefix_list_ids=[self.endpoints[service].prefix_list_id],
                )
                for service in args.gateway_endpoints
            ),
        ]

    def _flow_logs(
        self,
        name: str,
        args: PrivateNetworkArgs,
        place: Where,
        log_group_name: str,
        key_arn: pulumi.Output[str],
        tags: dict[str, str],
    ) -> None:
        """The encrypted, retained log group, the role VPC Flow Logs writes with (that group only), the flow log."""
        child = pulumi.ResourceOptions(parent=self)
        self.flow_log_group = aws.cloudwatch.LogGroup(
            f"{name}-flow-logs",
            name=log_group_name,
            kms_key_id=key_arn,
            retention_in_days=args.flow_log_retention_days,
            deletion_protection_enabled=args.protected(),
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.key] if self.key else []),
        )
        group_arn = place.log_group_arn(log_group_name)
        self.flow_log_role = aws.iam.Role(
            f"{name}-flow-logs-role",
            description=f"VPC Flow Logs of {name} write to {log_group_name}",
            assume_role_policy=document(
                [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": FLOW_LOGS},
                        "Action": "sts:AssumeRole",
                        "Condition": {
                            "StringEquals": {"aws:SourceAccount": place.account},
                            "ArnLike": {"aws:SourceArn": place.arn("ec2", "vpc-flow-log/*")},
                        },
                    }
                ]
            ),
            tags=tags,
            opts=child,
        )
        delivery = aws.iam.RolePolicy(
            f"{name}-flow-logs-delivery",
            role=self.flow_log_role.id,
            policy=document(
                [
                    {
                        "Sid": "WriteToTheFlowLogGroup",
                        "Effect": "Allow",
                        "Action": [
                            "logs:CreateLogStream",
                            "logs:PutLogEvents",
                            "logs:DescribeLogGroups",
                            "logs:DescribeLogStreams",
                        ],
                        "Resource": [group_arn, f"{group_arn}:log-stream:*"],
                    }
                ]
            ),
            opts=child,
        )
        self.flow_log = aws.ec2.FlowLog(
            f"{name}-flow-log",
            vpc_id=self.vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=self.flow_log_group.arn,
            iam_role_arn=self.flow_log_role.arn,
            max_aggregation_interval=60,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[delivery]),
        )
