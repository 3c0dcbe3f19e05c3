"""NET-1: sensitive workloads have no unrestricted egress (routes, security groups, GCP firewalls/subnets)."""

from __future__ import annotations

import pytest

from tests.harness import (
    DELETE,
    UNKNOWN,
    capture,
    findings,
    gate,
    message,
    resource,
    set_input,
    unknowns,
)

RT = "net-1-route-table-no-internet-route"
ROUTE = "net-1-route-no-internet-route"
SG = "net-1-security-group-no-world-egress"
SG_RULE = "net-1-security-group-rule-no-world-egress"
FW = "net-1-firewall-no-world-egress"
PGA = "net-1-subnetwork-private-google-access"

BASELINE = """
import pulumi_aws as aws, pulumi_gcp as gcp
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}
INTERNAL = {**TAGS, "data-classification": "internal"}
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", tags=TAGS)
igw = aws.ec2.InternetGateway("igw", vpc_id=vpc.id, tags=INTERNAL)
nat = aws.ec2.NatGateway("nat", subnet_id="subnet-public", tags=INTERNAL)
# The public subnet (NAT gateway) holds no data: classified internal, its internet routes are allowed.
public_rt = aws.ec2.RouteTable("public-rt", vpc_id=vpc.id, tags=INTERNAL, routes=[
    aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=igw.id)])
aws.ec2.Route("public-v6", route_table_id=public_rt.id, destination_ipv6_cidr_block="::/0", gateway_id=igw.id)
# The sensitive workload's subnet: peering and endpoints only.
private_rt = aws.ec2.RouteTable("private-rt", vpc_id=vpc.id, tags=TAGS, routes=[
    aws.ec2.RouteTableRouteArgs(cidr_block="10.1.0.0/16", vpc_peering_connection_id="pcx-1")])
aws.ec2.Route("private-peer", route_table_id=private_rt.id, destination_cidr_block="10.2.0.0/16",
              vpc_peering_connection_id="pcx-2")
# The egress proxy's subnet: a NAT default route on a route table tagged egress=proxy.
proxy_rt = aws.ec2.RouteTable("proxy-rt", vpc_id=vpc.id, tags={**TAGS, "egress": "proxy"})
aws.ec2.Route("proxy-default", route_table_id=proxy_rt.id, destination_cidr_block="0.0.0.0/0", nat_gateway_id=nat.id)
sg = aws.ec2.SecurityGroup("sg", vpc_id=vpc.id, tags=TAGS, egress=[aws.ec2.SecurityGroupEgressArgs(
    protocol="tcp", from_port=443, to_port=443, prefix_list_ids=["pl-63a5400a"])])
aws.ec2.SecurityGroup("sg-no-egress", vpc_id=vpc.id, tags=TAGS)  # no egress rule at all (provider revokes default)
aws.vpc.SecurityGroupEgressRule("egress-https", security_group_id=sg.id, ip_protocol="tcp", from_port=443,
                                to_port=443, cidr_ipv4="10.0.0.0/16", tags=TAGS)
aws.ec2.SecurityGroupRule("egress-rule", security_group_id=sg.id, type="egress", protocol="tcp", from_port=443,
                          to_port=443, cidr_blocks=["10.0.0.0/16"])
aws.ec2.SecurityGroupRule("ingress-rule", security_group_id=sg.id, type="ingress", protocol="tcp", from_port=443,
                          to_port=443, cidr_blocks=["10.0.0.0/16"])
aws.ec2.SecurityGroupRule("external-rule", security_group_id="sg-0external", type="egress", protocol="tcp",
                          from_port=443, to_port=443, cidr_blocks=["10.0.0.0/16"])
public_sg = aws.ec2.SecurityGroup("public-sg", vpc_id=vpc.id, tags=INTERNAL, egress=[
    aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0, cidr_blocks=["0.0.0.0/0"])])
aws.ec2.SecurityGroupRule("public-egress", security_group_id=public_sg.id, type="egress", protocol="-1",
                          from_port=0, to_port=0, ipv6_cidr_blocks=["::/0"])
gcp.compute.Firewall("fw-egress", network="default", direction="EGRESS", destination_ranges=["199.36.153.8/30"],
                     allows=[gcp.compute.FirewallAllowArgs(protocol="tcp", ports=["443"])])
gcp.compute.Firewall("fw-deny-all", network="default", direction="EGRESS", destination_ranges=["0.0.0.0/0"],
                     priority=65534, denies=[gcp.compute.FirewallDenyArgs(protocol="all")])
gcp.compute.Subnetwork("subnet", network="default", ip_cidr_range="10.0.0.0/24", region="us-central1",
                       private_ip_google_access=True)
gcp.compute.Subnetwork("proxy-only", network="default", ip_cidr_range="10.9.0.0/24", region="us-central1",
                       purpose="REGIONAL_MANAGED_PROXY", role="ACTIVE")
"""


def test_compliant_baseline_has_no_net1_finding() -> None:
    assert findings(gate(capture(BASELINE)), "net-1") == set()


# ------------------------------------------------------------------------------------------ routes
def test_inline_internet_gateway_route_on_sensitive_route_table() -> None:
    c = set_input(
        capture(BASELINE), "private-rt", "routes.0", {"cidrBlock": "0.0.0.0/0", "gatewayId": "igw-0abc"}
    )
    report = gate(c)
    assert findings(report, "net-1") == {(RT, "private-rt")}
    assert message(report, RT, "private-rt") == (
        "aws:ec2/routeTable:RouteTable 'private-rt' (data-classification confidential): routes[0] sends cidrBlock "
        "0.0.0.0/0 to internet gateway igw-0abc (gatewayId); subnets of sensitive workloads must not reach the "
        "internet directly (use VPC endpoints, an egress proxy route table tagged egress=proxy, or an approved "
        "destination)."
    )
    violation = next(v for v in report.violations if v.policy == RT)
    assert (violation.control, violation.severity, violation.enforcement_level) == (
        "NET-1",
        "high",
        "mandatory",
    )


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        (
            {"cidrBlock": "0.0.0.0/0", "natGatewayId": "nat-0abc"},
            "cidrBlock 0.0.0.0/0 to NAT gateway nat-0abc",
        ),
        (
            {"ipv6CidrBlock": "::/0", "egressOnlyGatewayId": "eigw-0abc"},
            "ipv6CidrBlock ::/0 to egress-only internet gateway eigw-0abc",
        ),
        (
            {"destinationPrefixListId": "pl-models", "gatewayId": "igw-0abc"},
            "destinationPrefixListId pl-models to",
        ),
    ],
)
def test_other_internet_routes_on_sensitive_route_table(route: dict[str, str], expected: str) -> None:
    report = gate(set_input(capture(BASELINE), "private-rt", "routes.0", route))
    assert findings(report, "net-1") == {(RT, "private-rt")}
    assert expected in message(report, RT, "private-rt")


def test_specific_destination_and_non_internet_targets_are_compliant() -> None:
    c = set_input(
        capture(BASELINE), "private-rt", "routes.0", {"cidrBlock": "52.94.0.0/22", "gatewayId": "igw-0abc"}
    )
    set_input(
        c, "private-peer", "destinationCidrBlock", "0.0.0.0/0"
    )  # to a peering connection: not the internet
    assert findings(gate(c), "net-1") == set()


def test_approved_prefix_list_and_cidr_config() -> None:
    c = set_input(
        capture(BASELINE),
        "private-rt",
        "routes.0",
        {"destinationPrefixListId": "pl-models", "gatewayId": "igw-0abc"},
    )
    set_input(c, "sg", "egress.0.cidrBlocks", ["0.0.0.0/0"])
    assert findings(gate(c), "net-1") == {(RT, "private-rt"), (SG, "sg")}
    config = {RT: {"approvedEgressPrefixLists": ["pl-models"]}, SG: {"approvedEgressCidrs": ["0.0.0.0/0"]}}
    assert findings(gate(c, config), "net-1") == set()
    # approval is per destination: the IPv6 world range is still flagged
    set_input(c, "sg", "egress.0.ipv6CidrBlocks", ["::/0"])
    report = gate(c, config)
    assert findings(report, "net-1") == {(SG, "sg")}
    assert "to ipv6CidrBlocks ::/0;" in message(report, SG, "sg")


def test_unclassified_route_table_is_held_to_the_sensitive_standard() -> None:
    c = set_input(capture(BASELINE), "public-rt", "tags.data-classification", DELETE)
    report = gate(c)
    assert findings(report, "net-1") == {(RT, "public-rt"), (ROUTE, "public-v6")}
    assert "(no data-classification: sensitive)" in message(report, RT, "public-rt")
    assert message(report, ROUTE, "public-v6").startswith(
        "aws:ec2/route:Route 'public-v6' in route table 'public-rt' (no data-classification: sensitive) sends "
        "destinationIpv6CidrBlock ::/0 to internet gateway 'igw' (gatewayId)"
    )


def test_nat_route_needs_the_proxy_tag_on_its_route_table() -> None:
    c = set_input(capture(BASELINE), "proxy-rt", "tags.egress", DELETE)
    report = gate(c)
    assert findings(report, "net-1") == {(ROUTE, "proxy-default")}
    assert "sends destinationCidrBlock 0.0.0.0/0 to NAT gateway 'nat' (natGatewayId)" in message(
        report, ROUTE, "proxy-default"
    )


def test_proxy_tag_does_not_allow_an_internet_gateway_route() -> None:
    c = set_input(
        capture(BASELINE), "proxy-rt", "routes", [{"cidrBlock": "0.0.0.0/0", "gatewayId": "igw-0abc"}]
    )
    assert findings(gate(c), "net-1") == {(RT, "proxy-rt")}


def test_standalone_route_to_a_route_table_outside_the_stack() -> None:
    c = set_input(capture(BASELINE), "private-peer", "destinationCidrBlock", "0.0.0.0/0")
    set_input(c, "private-peer", "vpcPeeringConnectionId", DELETE)
    set_input(c, "private-peer", "gatewayId", "igw-0abc")
    report = gate(c)
    assert findings(report, "net-1") == {(ROUTE, "private-peer")}
    assert (
        "in route table 'private-rt' (data-classification confidential) sends destinationCidrBlock 0.0.0.0/0 "
        "to internet gateway igw-0abc (gatewayId)" in message(report, ROUTE, "private-peer")
    )


# ------------------------------------------------------------------------------- security groups
def test_inline_world_egress_on_sensitive_security_group() -> None:
    c = set_input(capture(BASELINE), "sg", "egress.0.cidrBlocks", ["0.0.0.0/0"])
    report = gate(c)
    assert findings(report, "net-1") == {(SG, "sg")}
    assert message(report, SG, "sg") == (
        "aws:ec2/securityGroup:SecurityGroup 'sg' (data-classification confidential): egress[0] allows tcp 443 to "
        "cidrBlocks 0.0.0.0/0; sensitive workloads may egress only to VPC endpoints, security groups, private "
        "ranges or approvedEgressCidrs."
    )


def test_standalone_egress_rules_take_their_security_groups_classification() -> None:
    c = set_input(capture(BASELINE), "egress-https", "cidrIpv4", "0.0.0.0/0")
    set_input(c, "egress-rule", "ipv6CidrBlocks", ["::/0"])
    set_input(c, "ingress-rule", "cidrBlocks", ["0.0.0.0/0"])  # ingress: NET-3's, not NET-1's
    report = gate(c)
    assert findings(report, "net-1") == {(SG_RULE, "egress-https"), (SG_RULE, "egress-rule")}
    assert message(report, SG_RULE, "egress-https") == (
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule 'egress-https' (security group 'sg', "
        "data-classification confidential) allows tcp 443 egress to cidrIpv4 0.0.0.0/0; sensitive workloads may "
        "egress only to VPC endpoints, security groups, private ranges or approvedEgressCidrs."
    )
    assert "allows tcp 443 egress to ipv6CidrBlocks ::/0" in message(report, SG_RULE, "egress-rule")


def test_public_security_group_turns_sensitive() -> None:
    c = set_input(capture(BASELINE), "public-sg", "tags.data-classification", "restricted")
    report = gate(c)
    assert findings(report, "net-1") == {(SG, "public-sg"), (SG_RULE, "public-egress")}
    assert "allows all traffic (protocol -1) egress to ipv6CidrBlocks ::/0" in message(
        report, SG_RULE, "public-egress"
    )


def test_rule_of_a_security_group_outside_the_stack_is_held_sensitive() -> None:
    c = set_input(capture(BASELINE), "external-rule", "cidrBlocks", ["0.0.0.0/0"])
    report = gate(c)
    assert findings(report, "net-1") == {(SG_RULE, "external-rule")}
    assert "(a security group outside the stack, no data-classification: sensitive)" in message(
        report, SG_RULE, "external-rule"
    )


def test_security_group_without_egress_is_compliant() -> None:
    assert "egress" not in resource(capture(BASELINE), "sg-no-egress").inputs
    c = set_input(capture(BASELINE), "sg", "egress", DELETE)
    assert findings(gate(c), "net-1") == set()


# ------------------------------------------------------------------------------------------ GCP
@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            "destinationRanges",
            ["10.0.0.0/8", "0.0.0.0/0"],
            "EGRESS allows tcp:443 to destinationRanges 0.0.0.0/0;",
        ),
        (
            "destinationRanges",
            DELETE,
            "EGRESS allows tcp:443 to destinationRanges not set (GCP default: 0.0.0.0/0);",
        ),
    ],
)
def test_firewall_world_egress(path: str, value: object, expected: str) -> None:
    report = gate(set_input(capture(BASELINE), "fw-egress", path, value))
    assert findings(report, "net-1") == {(FW, "fw-egress")}
    assert message(report, FW, "fw-egress").startswith(
        f"gcp:compute/firewall:Firewall 'fw-egress': {expected}"
    )


def test_firewall_deny_disabled_and_approved_are_compliant() -> None:
    c = set_input(capture(BASELINE), "fw-egress", "destinationRanges", ["0.0.0.0/0"])
    assert findings(gate(c, {FW: {"approvedEgressCidrs": ["0.0.0.0/0"]}}), "net-1") == set()
    assert findings(gate(set_input(c, "fw-egress", "disabled", True)), "net-1") == set()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (DELETE, "privateIpGoogleAccess is not set (GCP default: false); must be true."),
        (False, "privateIpGoogleAccess is False; must be true."),
    ],
)
def test_subnetwork_needs_private_google_access(value: object, expected: str) -> None:
    report = gate(set_input(capture(BASELINE), "subnet", "privateIpGoogleAccess", value))
    assert findings(report, "net-1") == {(PGA, "subnet")}
    assert message(report, PGA, "subnet") == f"gcp:compute/subnetwork:Subnetwork 'subnet': {expected}"


def test_subnetwork_remediation_enables_private_google_access() -> None:
    c = set_input(capture(BASELINE), "subnet", "privateIpGoogleAccess", DELETE)
    set_input(c, "proxy-only", "privateIpGoogleAccess", False)  # not a workload subnet: left alone
    report = gate(c, {PGA: {"enforcementLevel": "remediate"}})
    assert findings(report, "net-1") == set()
    assert [(r.resource_name, r.before, r.after) for r in report.remediations if r.policy == PGA] == [
        ("subnet", {"privateIpGoogleAccess": None}, {"privateIpGoogleAccess": True})
    ]


# ---------------------------------------------------------------------- environments and preview
def test_sandbox_is_advisory() -> None:
    c = set_input(capture(BASELINE), "sg", "egress.0.cidrBlocks", ["0.0.0.0/0"])
    set_input(c, "proxy-rt", "tags.egress", DELETE)
    report = gate(c, environment="sandbox")
    assert findings(report, "net-1", level="advisory") == {(SG, "sg"), (ROUTE, "proxy-default")}
    assert findings(report, "net-1", level="mandatory") == set()


def test_unknown_gateway_at_preview_is_reported_not_passed() -> None:
    report = gate(capture(BASELINE, preview_mode=True))
    # the inline route's igw id is unknown until the gateway exists; nothing else is read unknown
    assert unknowns(report, "net-1") == {(RT, "public-rt", "advisory")}
    assert findings(report, "net-1") == set()


def test_standalone_route_is_judged_by_its_dependency_at_preview() -> None:
    c = set_input(capture(BASELINE, preview_mode=True), "public-rt", "tags.data-classification", "restricted")
    report = gate(c)
    assert resource(c, "public-v6").inputs["gatewayId"] == UNKNOWN
    assert findings(report, "net-1") == {(ROUTE, "public-v6")}


def test_unknown_egress_cidrs_at_preview() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "sg", "egress.0.cidrBlocks", UNKNOWN)
    set_input(c, "fw-egress", "destinationRanges", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "net-1") == {
        (RT, "public-rt", "advisory"),
        (SG, "sg", "advisory"),
        (FW, "fw-egress", "advisory"),
    }
