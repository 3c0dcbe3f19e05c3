"""PrivateNetwork (AWS): private subnets, VPC endpoints with policies, an empty default security group, flow
logs to an encrypted group; controlled egress only by name (Network Firewall allowlist or a proxy)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components._common import Ownership
from components.aws import FirewallEgress, FirewallZone, PrivateNetworkArgs, PrivateSubnet, ProxyEgress
from components.aws._egress import firewall_endpoint
from components.aws.private_network import DEFAULT_INTERFACE_ENDPOINTS
from tests.components.aws_helpers import ACCOUNT, KEY_ARN, ROOT_ARN, run, statements
from tests.components.helpers import OWNERSHIP, children, depends_on, incident_response, inputs, inventory
from tests.harness import capture, findings, gate

SUBNETS = """subnets={
    "a": PrivateSubnet(availability_zone="us-east-1a", cidr_block="10.20.0.0/20"),
    "b": PrivateSubnet(availability_zone="us-east-1b", cidr_block="10.20.16.0/20")}"""
DEFAULT = f'PrivateNetwork("net", PrivateNetworkArgs(ownership=o, cidr_block="10.20.0.0/16", {SUBNETS}))'
ZONES = """zones={
    "a": FirewallZone(availability_zone="us-east-1a", firewall_cidr="10.20.255.0/28", public_cidr="10.20.255.16/28"),
    "b": FirewallZone(availability_zone="us-east-1b", firewall_cidr="10.20.255.32/28", public_cidr="10.20.255.48/28")}"""
REASON = "Model weights from Hugging Face, approved by security in SEC-7 until 2026-12"
FIREWALL = f"""
PrivateNetwork("net", PrivateNetworkArgs(ownership=o, cidr_block="10.20.0.0/16", {SUBNETS},
    egress=FirewallEgress(allowed_domains=("huggingface.co", ".hf.co"), {ZONES}, justification="{REASON}")))
"""
PROXY = f"""
PrivateNetwork("net", PrivateNetworkArgs(ownership=o, cidr_block="10.20.0.0/16", {SUBNETS},
    egress=ProxyEgress(name="corp-proxy", cidrs=("10.100.0.0/24",), port=3128,
                       transit_gateway_id="tgw-0123456789abcdef0", justification="{REASON}")))
"""
OPTIONS = f"""
PrivateNetwork("net", PrivateNetworkArgs(ownership=o, cidr_block="10.20.0.0/16", {SUBNETS},
    interface_endpoints=("ecr.api", "ecr.dkr", "ssmmessages"), gateway_endpoints=("s3", "dynamodb"),
    endpoints_without_policy=("ssmmessages",), endpoint_policy_organization="o-a1b2c3d4e5",
    s3_anonymous_read_buckets=("al2023-repos-us-east-1-de612dc2",), endpoint_client_cidrs={{"onprem": "192.168.0.0/16"}},
    workload_ports={{"https": 443, "postgres": 5432}}, kms_key=ExistingKey(key="{KEY_ARN}"),
    flow_log_retention_days=731, deletion_protection=False))
"""
SERVICES = (
    "aoss",
    "bedrock-runtime",
    "ecr-api",
    "ecr-dkr",
    "execute-api",
    "kms",
    "logs",
    "s3",
    "sagemaker-api",
    "sagemaker-runtime",
    "secretsmanager",
    "sts",
)
INTERFACE_SERVICES = DEFAULT_INTERFACE_ENDPOINTS  # the children test pins their names (SERVICES)
FLOW_GROUP = "/aiwarden/test/test/net/vpc-flow-logs"
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="x"
)
SANDBOX = Ownership(owner="ml-platform", environment="sandbox", data_classification="internal", purpose="x")
INTERNAL = {**OWNERSHIP, "data-classification": "internal"}


def _policy(c: Any, name: str) -> list[dict[str, Any]]:
    return list(json.loads(inputs(c, name)["policy"])["Statement"])


def _id(c: Any, name: str) -> str:
    [found] = [r for r in c.resources if r.name == name]
    return found.id


def test_default_children() -> None:
    c = run(DEFAULT)
    assert children(c) == sorted(
        [
            ("aiwarden:aws:Key", "net-key"),
            ("aiwarden:aws:PrivateNetwork", "net"),
            ("aws:cloudwatch/logGroup:LogGroup", "net-flow-logs"),
            ("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "net-default-sg"),
            ("aws:ec2/flowLog:FlowLog", "net-flow-log"),
            ("aws:ec2/routeTable:RouteTable", "net-a-routes"),
            ("aws:ec2/routeTable:RouteTable", "net-b-routes"),
            ("aws:ec2/routeTableAssociation:RouteTableAssociation", "net-a-routes-association"),
            ("aws:ec2/routeTableAssociation:RouteTableAssociation", "net-b-routes-association"),
            ("aws:ec2/securityGroup:SecurityGroup", "net-endpoints"),
            ("aws:ec2/securityGroup:SecurityGroup", "net-workloads"),
            ("aws:ec2/subnet:Subnet", "net-a"),
            ("aws:ec2/subnet:Subnet", "net-b"),
            ("aws:ec2/vpc:Vpc", "net-vpc"),
            *(("aws:ec2/vpcEndpoint:VpcEndpoint", f"net-endpoint-{s}") for s in SERVICES),
            ("aws:iam/role:Role", "net-flow-logs-role"),
            ("aws:iam/rolePolicy:RolePolicy", "net-flow-logs-delivery"),
            ("aws:kms/alias:Alias", "net-key-alias"),
            ("aws:kms/key:Key", "net-key-cmk"),
        ]
    )


def test_default_subnets_are_private_and_route_nowhere() -> None:
    c = run(DEFAULT)
    assert inputs(c, "net-vpc") == {
        "cidrBlock": "10.20.0.0/16",
        "enableDnsSupport": True,
        "enableDnsHostnames": True,
        "instanceTenancy": "default",
        "tags": OWNERSHIP,
    }
    vpc = inputs(c, "net-a")["vpcId"]
    for subnet, zone, cidr in (("a", "us-east-1a", "10.20.0.0/20"), ("b", "us-east-1b", "10.20.16.0/20")):
        assert inputs(c, f"net-{subnet}") == {
            "vpcId": vpc,
            "cidrBlock": cidr,
            "availabilityZone": zone,
            "mapPublicIpOnLaunch": False,
            "tags": OWNERSHIP,
        }
        assert inputs(c, f"net-{subnet}-routes") == {"vpcId": vpc, "tags": OWNERSHIP}  # local routes only
        assert {f"net-{subnet}", f"net-{subnet}-routes"} <= depends_on(c, f"net-{subnet}-routes-association")
    assert not [
        n
        for t, n in children(c)
        if t.startswith(("aws:ec2/route:", "aws:ec2/internetGateway", "aws:ec2/nat"))
    ]
    assert inputs(c, "net-default-sg") == {"vpcId": vpc, "ingress": [], "egress": [], "tags": OWNERSHIP}


def test_default_security_groups() -> None:
    c = run(DEFAULT)
    endpoints = inputs(c, "net-endpoints")
    assert (endpoints["ingress"], endpoints["egress"], endpoints["revokeRulesOnDelete"]) == (
        [
            {
                "description": "HTTPS from the VPC",
                "protocol": "tcp",
                "fromPort": 443.0,
                "toPort": 443.0,
                "cidrBlocks": ["10.20.0.0/16"],
            }
        ],
        [],
        True,
    )
    workloads = inputs(c, "net-workloads")
    assert workloads["ingress"] == [
        {
            "description": "https from the other workloads",
            "protocol": "tcp",
            "fromPort": 443.0,
            "toPort": 443.0,
            "self": True,
        }
    ]
    prefix_list = workloads["egress"][2]["prefixListIds"]
    assert workloads["egress"] == [
        {
            "description": "https to the other workloads",
            "protocol": "tcp",
            "fromPort": 443.0,
            "toPort": 443.0,
            "self": True,
        },
        {
            "description": "HTTPS to the interface endpoints and services in the VPC",
            "protocol": "tcp",
            "fromPort": 443.0,
            "toPort": 443.0,
            "cidrBlocks": ["10.20.0.0/16"],
        },
        {
            "description": "HTTPS to s3 through its gateway endpoint",
            "protocol": "tcp",
            "fromPort": 443.0,
            "toPort": 443.0,
            "prefixListIds": prefix_list,
        },
    ]
    assert "net-endpoint-s3" in depends_on(c, "net-workloads")


def test_default_endpoints_are_private_with_account_only_policies() -> None:
    c = run(DEFAULT)
    only_account = {
        "Sid": "OnlyThisAccountsPrincipals",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "*",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}},
    }
    for service in INTERFACE_SERVICES:
        endpoint = inputs(c, "net-endpoint-" + service.replace(".", "-"))
        assert endpoint["serviceName"] == f"com.amazonaws.us-east-1.{service}"
        assert (endpoint["vpcEndpointType"], endpoint["privateDnsEnabled"]) == ("Interface", True)
        assert endpoint["subnetIds"] == [_id(c, "net-a"), _id(c, "net-b")]
        assert endpoint["securityGroupIds"] == [_id(c, "net-endpoints")]
        assert _policy(c, "net-endpoint-" + service.replace(".", "-")) == [only_account]
    s3 = inputs(c, "net-endpoint-s3")
    assert (s3["serviceName"], s3["vpcEndpointType"]) == ("com.amazonaws.us-east-1.s3", "Gateway")
    assert s3["routeTableIds"] == [_id(c, "net-a-routes"), _id(c, "net-b-routes")]
    assert "privateDnsEnabled" not in s3
    assert _policy(c, "net-endpoint-s3") == [
        only_account,
        {
            "Sid": "ReadAwsOwnedBuckets",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": ["arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"],
        },
    ]


def test_default_flow_logs_go_to_an_encrypted_retained_group_only_flow_logs_write() -> None:
    c = run(DEFAULT)
    key_arn = inputs(c, "net-flow-logs")["kmsKeyId"]
    assert key_arn.startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-")
    assert inputs(c, "net-flow-logs") == {
        "name": FLOW_GROUP,
        "kmsKeyId": key_arn,
        "retentionInDays": 365.0,
        "deletionProtectionEnabled": True,
        "tags": OWNERSHIP,
    }
    flow_log = inputs(c, "net-flow-log")
    assert {k: flow_log[k] for k in ("trafficType", "logDestinationType", "maxAggregationInterval")} == {
        "trafficType": "ALL",
        "logDestinationType": "cloud-watch-logs",
        "maxAggregationInterval": 60.0,
    }
    assert flow_log["vpcId"] == inputs(c, "net-a")["vpcId"]
    assert "net-flow-logs-delivery" in depends_on(c, "net-flow-log")
    [trust] = json.loads(inputs(c, "net-flow-logs-role")["assumeRolePolicy"])["Statement"]
    assert trust["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert trust["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc-flow-log/*"},
    }
    group_arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{FLOW_GROUP}"
    [delivery] = _policy(c, "net-flow-logs-delivery")
    assert delivery["Resource"] == [group_arn, f"{group_arn}:log-stream:*"]
    key = statements(c, "net-key-cmk")
    assert key["KeyUsage"]["Principal"] == {"AWS": [ROOT_ARN]}
    assert key["KeyUsage"]["Condition"]["StringEquals"]["kms:ViaService"] == ["logs.us-east-1.amazonaws.com"]
    assert key["CloudWatchLogsEncryptsTheNetworkLogs"]["Principal"] == {
        "Service": "logs.us-east-1.amazonaws.com"
    }
    assert key["CloudWatchLogsEncryptsTheNetworkLogs"]["Condition"] == {
        "ArnEquals": {"kms:EncryptionContext:aws:logs:arn": [group_arn]}
    }


def test_default_outputs_are_the_shared_network_shape() -> None:
    c = run(DEFAULT)
    [component] = [r for r in c.resources if r.name == "net"]
    out = component.outputs
    assert out["network"] == {
        "vpcId": inputs(c, "net-a")["vpcId"],
        "subnetIds": [_id(c, "net-a"), _id(c, "net-b")],
        "securityGroupIds": [_id(c, "net-workloads")],
    }
    assert out["endpointSecurityGroupId"] == _id(c, "net-endpoints")
    assert out["flowLogGroupName"] == FLOW_GROUP
    assert out.get("egressSecurityGroupId") is None  # None outputs are dropped
    assert out["endpointIds"] == {
        service: _id(c, "net-endpoint-" + service.replace(".", "-"))
        for service in ("s3", *INTERFACE_SERVICES)
    }


def test_the_network_attribute_is_taken_by_a_component_as_is() -> None:
    c = run(
        DEFAULT.replace('PrivateNetwork("net"', 'net = PrivateNetwork("net"')
        + '\nVectorStore("rag", VectorStoreArgs(ownership=o, collection_name="rag-docs", network=net.network, '
        'access={"app": Grant(principal="arn:aws:iam::123456789012:role/app", role="read")}))\n'
    )
    endpoint = inputs(c, "rag-vpc-endpoint")
    assert endpoint["vpcId"] == inputs(c, "net-a")["vpcId"]
    assert endpoint["subnetIds"] == [_id(c, "net-a"), _id(c, "net-b")]
    assert endpoint["securityGroupIds"] == [_id(c, "net-workloads")]


def test_default_inventory_record() -> None:
    c = run(DEFAULT)
    entry = inventory(c)["net-vpc"]
    assert (entry["kind"], entry["exposure"]) == ("network", "private")
    assert entry["identities"] == [f"arn:aws:iam::{ACCOUNT}:role/" + _id(c, "net-flow-logs-role")]
    ir = incident_response(c)["net-vpc"]
    assert ir["logsToPreserve"] == [FLOW_GROUP]
    assert "no route out" in ir["containment"]


def test_default_has_no_finding_at_any_level() -> None:
    assert findings(gate(run(DEFAULT))) == set()


def test_options() -> None:
    c = run(OPTIONS)
    names = [n for _, n in children(c)]
    assert "net-key" not in names
    assert sorted(n for n in names if n.startswith("net-endpoint-")) == [
        "net-endpoint-dynamodb",
        "net-endpoint-ecr-api",
        "net-endpoint-ecr-dkr",
        "net-endpoint-s3",
        "net-endpoint-ssmmessages",
    ]
    org = {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    assert _policy(c, "net-endpoint-ecr-api")[0]["Condition"] == org
    assert _policy(c, "net-endpoint-dynamodb") == [_policy(c, "net-endpoint-ecr-api")[0]]
    assert _policy(c, "net-endpoint-s3")[1]["Resource"] == [
        "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*",
        "arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*",
    ]
    assert "policy" not in inputs(c, "net-endpoint-ssmmessages")
    assert [r["cidrBlocks"] for r in inputs(c, "net-endpoints")["ingress"]] == [
        ["10.20.0.0/16"],
        ["192.168.0.0/16"],
    ]
    assert [r["fromPort"] for r in inputs(c, "net-workloads")["ingress"]] == [443.0, 5432.0]
    assert (
        len(inputs(c, "net-workloads")["egress"]) == 5
    )  # 2 to the group, the VPC, s3 and dynamodb prefix lists
    logs = inputs(c, "net-flow-logs")
    assert (logs["kmsKeyId"], logs["retentionInDays"], logs["deletionProtectionEnabled"]) == (
        KEY_ARN,
        731.0,
        False,
    )
    assert findings(gate(c)) == set()


def test_one_zone_is_enough_outside_production() -> None:
    c = run(
        'o2 = Ownership(owner="ml-platform", environment="sandbox", data_classification="internal", purpose="x")\n'
        'PrivateNetwork("lab", PrivateNetworkArgs(ownership=o2, cidr_block="10.9.0.0/24", subnets={'
        '"a": PrivateSubnet(availability_zone="us-east-1a", cidr_block="10.9.0.0/26")}))'
    )
    assert len(inputs(c, "lab-endpoint-sts")["subnetIds"]) == 1
    assert inputs(c, "lab-flow-logs")["deletionProtectionEnabled"] is False


def test_two_subnets_in_one_zone_share_the_zones_endpoint_interface() -> None:
    c = run(
        'PrivateNetwork("net", PrivateNetworkArgs(ownership=o, cidr_block="10.20.0.0/16", subnets={'
        '"a": PrivateSubnet(availability_zone="us-east-1a", cidr_block="10.20.0.0/20"),'
        '"a2": PrivateSubnet(availability_zone="us-east-1a", cidr_block="10.20.32.0/20"),'
        '"b": PrivateSubnet(availability_zone="us-east-1b", cidr_block="10.20.16.0/20")}))'
    )
    assert inputs(c, "net-endpoint-sts")["subnetIds"] == [_id(c, "net-a"), _id(c, "net-b")]
    assert len(inputs(c, "net-endpoint-s3")["routeTableIds"]) == 3


def test_firewall_egress_children_and_routes() -> None:
    c = run(FIREWALL)
    added = sorted(set(children(c)) - set(children(run(DEFAULT))))
    assert added == sorted(
        [
            ("aws:cloudwatch/logGroup:LogGroup", "net-firewall-alerts"),
            ("aws:cloudwatch/logGroup:LogGroup", "net-firewall-flows"),
            ("aws:ec2/eip:Eip", "net-a-nat-ip"),
            ("aws:ec2/eip:Eip", "net-b-nat-ip"),
            ("aws:ec2/internetGateway:InternetGateway", "net-igw"),
            ("aws:ec2/natGateway:NatGateway", "net-a-nat"),
            ("aws:ec2/natGateway:NatGateway", "net-b-nat"),
            ("aws:ec2/route:Route", "net-a-a-return-route"),
            ("aws:ec2/route:Route", "net-a-egress-route"),
            ("aws:ec2/route:Route", "net-a-firewall-route"),
            ("aws:ec2/route:Route", "net-a-internet-route"),
            ("aws:ec2/route:Route", "net-b-b-return-route"),
            ("aws:ec2/route:Route", "net-b-egress-route"),
            ("aws:ec2/route:Route", "net-b-firewall-route"),
            ("aws:ec2/route:Route", "net-b-internet-route"),
            ("aws:ec2/routeTable:RouteTable", "net-a-firewall-routes"),
            ("aws:ec2/routeTable:RouteTable", "net-a-public-routes"),
            ("aws:ec2/routeTable:RouteTable", "net-b-firewall-routes"),
            ("aws:ec2/routeTable:RouteTable", "net-b-public-routes"),
            ("aws:ec2/routeTableAssociation:RouteTableAssociation", "net-a-firewall-routes-association"),
            ("aws:ec2/routeTableAssociation:RouteTableAssociation", "net-a-public-routes-association"),
            ("aws:ec2/routeTableAssociation:RouteTableAssociation", "net-b-firewall-routes-association"),
            ("aws:ec2/routeTableAssociation:RouteTableAssociation", "net-b-public-routes-association"),
            ("aws:ec2/securityGroup:SecurityGroup", "net-egress"),
            ("aws:ec2/subnet:Subnet", "net-a-firewall"),
            ("aws:ec2/subnet:Subnet", "net-a-public"),
            ("aws:ec2/subnet:Subnet", "net-b-firewall"),
            ("aws:ec2/subnet:Subnet", "net-b-public"),
            ("aws:networkfirewall/firewall:Firewall", "net-firewall"),
            ("aws:networkfirewall/firewallPolicy:FirewallPolicy", "net-firewall-policy"),
            ("aws:networkfirewall/loggingConfiguration:LoggingConfiguration", "net-firewall-logging"),
            ("aws:networkfirewall/ruleGroup:RuleGroup", "net-allowed-domains"),
            ("aws:networkfirewall/ruleGroup:RuleGroup", "net-tcp-only"),
        ]
    )
    assert inputs(c, "net-a-egress-route")["destinationCidrBlock"] == "0.0.0.0/0"
    assert inputs(c, "net-a-egress-route")["routeTableId"] == _id(c, "net-a-routes")
    # the target is the zone's firewall endpoint, read from the firewall's sync states (test_firewall_endpoint_*)
    assert inputs(c, "net-a-firewall-route")["natGatewayId"] == _id(c, "net-a-nat")
    assert inputs(c, "net-a-firewall-route")["routeTableId"] == _id(c, "net-a-firewall-routes")
    assert inputs(c, "net-a-internet-route")["gatewayId"] == _id(c, "net-igw")
    assert inputs(c, "net-a-a-return-route")["destinationCidrBlock"] == "10.20.0.0/20"
    assert inputs(c, "net-a-a-return-route")["routeTableId"] == _id(c, "net-a-public-routes")
    for name in ("net-a-firewall", "net-a-public"):
        assert inputs(c, name)["mapPublicIpOnLaunch"] is False
        assert inputs(c, name)["tags"] == INTERNAL
        assert inputs(c, name + "-routes")["tags"] == INTERNAL
    assert inputs(c, "net-a-nat")["connectivityType"] == "public"
    assert inputs(c, "net-a-nat-ip")["domain"] == "vpc"


STATUSES = [
    {
        "syncStates": [
            {
                "availabilityZone": "us-east-1a",
                "attachments": [{"endpointId": "vpce-0aaa", "subnetId": "subnet-1"}],
            },
            {
                "availabilityZone": "us-east-1b",
                "attachments": [{"endpointId": "vpce-0bbb", "subnetId": "subnet-2"}],
            },
        ]
    }
]


def test_firewall_endpoint_of_a_zone() -> None:
    assert firewall_endpoint(STATUSES, "us-east-1b") == "vpce-0bbb"
    assert firewall_endpoint(None, "us-east-1a") is None  # not known yet
    with pytest.raises(
        ValueError, match=r"no endpoint in us-east-1c \(it reports \['us-east-1a', 'us-east-1b'\]\)"
    ):
        firewall_endpoint(STATUSES, "us-east-1c")


def test_firewall_allows_tls_and_http_to_the_listed_domains_only() -> None:
    c = run(FIREWALL)
    domains = inputs(c, "net-allowed-domains")
    assert (domains["type"], domains["capacity"]) == ("STATEFUL", 200.0)
    assert domains["ruleGroup"] == {
        "rulesSource": {
            "rulesSourceList": {
                "generatedRulesType": "ALLOWLIST",
                "targetTypes": ["TLS_SNI", "HTTP_HOST"],
                "targets": ["huggingface.co", ".hf.co"],
            }
        },
        "statefulRuleOptions": {"ruleOrder": "STRICT_ORDER"},
    }
    tcp = inputs(c, "net-tcp-only")
    assert tcp["type"] == "STATELESS"
    [rule] = tcp["ruleGroup"]["rulesSource"]["statelessRulesAndCustomActions"]["statelessRules"]
    assert rule["ruleDefinition"] == {
        "actions": ["aws:forward_to_sfe"],
        "matchAttributes": {"protocols": [6.0]},
    }
    policy = inputs(c, "net-firewall-policy")["firewallPolicy"]
    assert {
        k: policy[k]
        for k in ("statelessDefaultActions", "statelessFragmentDefaultActions", "statefulDefaultActions")
    } == {
        "statelessDefaultActions": ["aws:drop"],
        "statelessFragmentDefaultActions": ["aws:drop"],
        "statefulDefaultActions": ["aws:drop_established", "aws:alert_established"],
    }
    assert policy["statefulEngineOptions"] == {"ruleOrder": "STRICT_ORDER"}
    firewall = inputs(c, "net-firewall")
    assert len(firewall["subnetMappings"]) == 2
    assert (firewall["deleteProtection"], firewall["subnetChangeProtection"]) == (True, True)
    assert firewall["firewallPolicyChangeProtection"] is True
    assert firewall["tags"]["aiwarden-exception"] == (
        "Model weights from Hugging Face approved by security in SEC-7 until 2026-12"
    )
    logging = inputs(c, "net-firewall-logging")["loggingConfiguration"]["logDestinationConfigs"]
    assert logging == [
        {
            "logType": "ALERT",
            "logDestinationType": "CloudWatchLogs",
            "logDestination": {"logGroup": "/aiwarden/test/test/net/firewall-alerts"},
        },
        {
            "logType": "FLOW",
            "logDestinationType": "CloudWatchLogs",
            "logDestination": {"logGroup": "/aiwarden/test/test/net/firewall-flows"},
        },
    ]
    key = statements(c, "net-key-cmk")["CloudWatchLogsEncryptsTheNetworkLogs"]
    assert key["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"] == [
        f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aiwarden/test/test/net/{g}"
        for g in ("vpc-flow-logs", "firewall-alerts", "firewall-flows")
    ]
    assert inputs(c, "net-firewall-alerts")["kmsKeyId"] == inputs(c, "net-flow-logs")["kmsKeyId"]


def test_firewall_egress_opens_the_internet_only_through_its_own_security_group() -> None:
    c = run(FIREWALL)
    egress = inputs(c, "net-egress")
    assert egress["ingress"] == []
    assert egress["egress"] == [
        {
            "description": "the internet, filtered by the Network Firewall domain allowlist",
            "protocol": "tcp",
            "fromPort": 443.0,
            "toPort": 443.0,
            "cidrBlocks": ["0.0.0.0/0"],
        }
    ]
    [component] = [r for r in c.resources if r.name == "net"]
    assert component.outputs["network"]["securityGroupIds"] == [_id(c, "net-workloads")]
    assert component.outputs["egressSecurityGroupId"] == _id(c, "net-egress")
    assert "net-egress" in incident_response(c)["net-vpc"]["containment"]
    # The pack still sees internet egress on that group: exempted per resource with the same justification.
    report = gate(c)
    assert findings(report) == {("net-1-security-group-no-world-egress", "net-egress")}
    exempt = {"exemptions": [{"resource": "net-egress", "justification": REASON}]}
    assert findings(gate(c, {"net-1-security-group-no-world-egress": exempt})) == set()


def test_proxy_egress() -> None:
    c = run(PROXY)
    added = sorted(set(children(c)) - set(children(run(DEFAULT))))
    assert added == [
        ("aws:ec2/route:Route", "net-a-proxy-route-0"),
        ("aws:ec2/route:Route", "net-b-proxy-route-0"),
        ("aws:ec2/securityGroup:SecurityGroup", "net-egress"),
    ]
    assert inputs(c, "net-egress")["egress"] == [
        {
            "description": "the corp-proxy proxy",
            "protocol": "tcp",
            "fromPort": 3128.0,
            "toPort": 3128.0,
            "cidrBlocks": ["10.100.0.0/24"],
        }
    ]
    assert inputs(c, "net-a-proxy-route-0") == {
        "routeTableId": _id(c, "net-a-routes"),
        "destinationCidrBlock": "10.100.0.0/24",
        "transitGatewayId": "tgw-0123456789abcdef0",
    }
    assert findings(gate(c)) == set()


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        PrivateNetworkArgs.model_validate(data)
    return str(caught.value)


def _subnets(*specs: tuple[str, str]) -> dict[str, Any]:
    return {f"s{i}": {"availability_zone": zone, "cidr_block": cidr} for i, (zone, cidr) in enumerate(specs)}


TWO = _subnets(("us-east-1a", "10.20.0.0/20"), ("us-east-1b", "10.20.16.0/20"))
ZONE_A = {
    "availability_zone": "us-east-1a",
    "firewall_cidr": "10.20.255.0/28",
    "public_cidr": "10.20.255.16/28",
}
ZONE_B = {
    "availability_zone": "us-east-1b",
    "firewall_cidr": "10.20.255.32/28",
    "public_cidr": "10.20.255.48/28",
}


def _firewall(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "firewall",
        "allowed_domains": ["api.openai.com"],
        "zones": {"a": ZONE_A, "b": ZONE_B},
        "justification": REASON,
        **changes,
    }


def _proxy(**changes: Any) -> dict[str, Any]:
    return {"kind": "proxy", "name": "corp", "cidrs": ["10.100.0.0/24"], "justification": REASON, **changes}


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"cidr_block": "10.20.0.1/16"}, ["cidr_block", "has host bits set; the network is 10.20.0.0/16"]),
        ({"cidr_block": "10.20.0.0"}, ["cidr_block", "give the prefix length too, e.g. 10.20.0.0/32"]),
        ({"cidr_block": "banana"}, ["cidr_block", "is not an IPv4 CIDR block"]),
        ({"cidr_block": "fd00::/8"}, ["cidr_block", "IPv6 ranges are not supported"]),
        ({"cidr_block": "8.8.0.0/16"}, ["cidr_block: 8.8.0.0/16 is not private address space"]),
        ({"cidr_block": "10.0.0.0/8"}, ["cidr_block: AWS takes /16 to /28"]),
        (
            {"subnets": _subnets(("us-east-1a", "10.20.0.0/20"), ("us-east-1b", "10.21.0.0/20"))},
            ["subnets.s1: 10.21.0.0/20 is outside the VPC's cidr_block 10.20.0.0/16"],
        ),
        (
            {"subnets": _subnets(("us-east-1a", "10.20.0.0/20"), ("us-east-1b", "10.20.8.0/21"))},
            ["subnets.s1: 10.20.8.0/21 overlaps subnets.s0 (10.20.0.0/20)"],
        ),
        (
            {"subnets": _subnets(("us-east-1a", "10.20.0.0/20"), ("us-east-1a", "10.20.16.0/20"))},
            ["subnets: production networks span at least two availability zones", "['us-east-1a']"],
        ),
        (
            {"subnets": _subnets(("us-east-1a", "10.20.0.0/29"), ("us-east-1b", "10.20.1.0/28"))},
            ["too small"],
        ),
        ({"subnets": {}}, ["subnets", "at least 1 item"]),
        (
            {"subnets": {"a": {"availability_zone": "east", "cidr_block": "10.20.0.0/20"}}},
            ["subnets.a.availability_zone"],
        ),
        (
            {"endpoint_client_cidrs": {"all": "0.0.0.0/0"}},
            ["endpoint_client_cidrs.all: 0.0.0.0/0 is not a private range"],
        ),
        (
            {"endpoint_client_cidrs": {"x": "52.0.0.0/8"}},
            ["endpoint_client_cidrs.x: 52.0.0.0/8 is not a private range"],
        ),
        ({"interface_endpoints": ["sts", "sts"]}, ["interface_endpoints", "'sts' is listed twice"]),
        ({"interface_endpoints": ["s3"]}, ["interface_endpoints", "use gateway_endpoints"]),
        ({"interface_endpoints": ["Bad Name"]}, ["interface_endpoints", "not an endpoint service suffix"]),
        (
            {"endpoints_without_policy": ["ssm"]},
            ["endpoints_without_policy: 'ssm' is not one of interface_endpoints"],
        ),
        ({"gateway_endpoints": ["sqs"]}, ["gateway_endpoints.0"]),
        ({"endpoint_policy_organization": "org-1"}, ["endpoint_policy_organization"]),
        ({"flow_log_retention_days": 100}, ["flow_log_retention_days", "not a CloudWatch Logs retention"]),
        ({"workload_ports": {"all": 0}}, ["workload_ports", "all: 0 is not a TCP port"]),
        (
            {"kms_key": {"kind": "existing", "key": "arn:aws:kms:us-east-1:123456789012:alias/x"}},
            ["kms_key.key"],
        ),
        ({"egress": _firewall(allowed_domains=[])}, ["egress.firewall.allowed_domains", "at least 1 item"]),
        ({"egress": _firewall(allowed_domains=["*"])}, ["would allow every domain (0.0.0.0/0 egress)"]),
        (
            {"egress": _firewall(allowed_domains=["*.openai.com"])},
            ["would allow every domain", "`.example.com`"],
        ),
        ({"egress": _firewall(allowed_domains=[".com"])}, ["'.com' is not a domain"]),
        (
            {"egress": _firewall(zones={"a": ZONE_A})},
            ["egress.zones: no egress subnets in us-east-1b (subnet s1)"],
        ),
        (
            {
                "egress": _firewall(
                    zones={
                        "a": ZONE_A,
                        "b": ZONE_B,
                        "c": {
                            **ZONE_B,
                            "availability_zone": "us-east-1c",
                            "firewall_cidr": "10.20.254.0/28",
                            "public_cidr": "10.20.254.16/28",
                        },
                    }
                )
            },
            ["egress.zones.c: no workload subnet is in us-east-1c; remove the zone"],
        ),
        (
            {"egress": _firewall(zones={"a": ZONE_A, "b": {**ZONE_B, "public_cidr": "10.20.0.0/28"}})},
            ["egress.zones.b.public_cidr: 10.20.0.0/28 overlaps subnets.s0"],
        ),
        (
            {"egress": _firewall(zones={"a": ZONE_A, "b": {**ZONE_B, "firewall_cidr": "10.99.0.0/28"}})},
            ["egress.zones.b.firewall_cidr: 10.99.0.0/28 is outside the VPC's cidr_block"],
        ),
        (
            {"egress": _firewall(rule_capacity=10, allowed_domains=[f"d{i}.example.com" for i in range(5)])},
            ["egress.rule_capacity"],
        ),
        (
            {"egress": _firewall(justification="because")},
            ["egress.firewall.justification", "at least 20 characters"],
        ),
        ({"egress": _firewall(ports=[0])}, ["egress.firewall.ports", "0 is not a TCP port"]),
        (
            {"egress": _proxy(cidrs=["0.0.0.0/0"])},
            ["egress.cidrs[0]: 0.0.0.0/0 is the whole internet", "FirewallEgress"],
        ),
        ({"egress": _proxy(cidrs=["52.1.0.0/16"])}, ["egress.cidrs[0]: 52.1.0.0/16 is not a private range"]),
        (
            {"egress": _proxy()},
            ["egress.transit_gateway_id: the proxy range 10.100.0.0/24 is outside the VPC"],
        ),
        ({"egress": _proxy(transit_gateway_id="tgw-x")}, ["egress.proxy.transit_gateway_id"]),
        (
            {"egress": _proxy(cidrs=["10.20.200.0/24"], transit_gateway_id="tgw-0123456789abcdef0")},
            ["egress.transit_gateway_id: the proxy range 10.20.200.0/24 is inside the VPC"],
        ),
        (
            {"egress": {"kind": "nat", "justification": REASON}},
            ["egress", "does not match any of the expected tags"],
        ),
        ({"tags": {"x": "y"}}, ["tags", "Extra inputs are not permitted"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    text = _refused({"ownership": OWN, "cidr_block": "10.20.0.0/16", "subnets": TWO, **changes})
    for fragment in fragments:
        assert fragment in text, text


def test_a_proxy_inside_the_vpc_needs_no_route_and_one_zone_is_fine_in_a_sandbox() -> None:
    args = PrivateNetworkArgs.model_validate(
        {
            "ownership": SANDBOX,
            "cidr_block": "10.20.0.0/16",
            "subnets": _subnets(("us-east-1a", "10.20.0.0/20")),
            "egress": _proxy(cidrs=["10.20.200.0/24"]),
        }
    )
    assert isinstance(args.egress, ProxyEgress) and args.egress.transit_gateway_id is None
    assert FirewallEgress.model_validate(_firewall()).zones["a"] == FirewallZone.model_validate(ZONE_A)
    assert PrivateSubnet(availability_zone="us-east-1a", cidr_block="10.0.0.0/24").cidr_block == "10.0.0.0/24"


def test_a_refused_input_stops_the_program_before_anything_registers() -> None:
    with pytest.raises(AiwardenError) as caught:
        capture(
            "from components._common import Ownership\n"
            "from components.aws import PrivateNetwork, PrivateNetworkArgs, PrivateSubnet\n"
            'o = Ownership(owner="ml-platform", environment="production", data_classification="confidential", '
            'purpose="x")\n'
            'PrivateNetwork("net", PrivateNetworkArgs(ownership=o, cidr_block="10.20.0.0/16", subnets={'
            '"a": PrivateSubnet(availability_zone="us-east-1a", cidr_block="10.20.0.0/20")}))\n'
        )
    assert "subnets: production networks span at least two availability zones" in caught.value.message
