"""NET-3: no security group, firewall rule or LoadBalancer Service accepts ingress from anywhere."""

from __future__ import annotations

import pytest

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message, set_input, unknowns

SG = "net-3-security-group-no-world-ingress"
FW = "net-3-firewall-no-world-ingress"
SVC = "net-3-service-no-world-ingress"

BASELINE = """
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
LABELS = {f"aiwarden.io/{k}": v for k, v in TAGS.items()}
sg = aws.ec2.SecurityGroup("sg", vpc_id="vpc-1", tags=TAGS, ingress=[aws.ec2.SecurityGroupIngressArgs(
    protocol="tcp", from_port=443, to_port=443, cidr_blocks=["10.0.0.0/16"], ipv6_cidr_blocks=["fd00::/8"])])
aws.vpc.SecurityGroupIngressRule("ingress", security_group_id=sg.id, ip_protocol="tcp", from_port=443, to_port=443,
                                 cidr_ipv4="10.0.0.0/16", tags=TAGS)
aws.ec2.SecurityGroupRule("rule", security_group_id=sg.id, type="ingress", protocol="tcp", from_port=8080,
                          to_port=8081, cidr_blocks=["10.0.0.0/16"])
aws.ec2.SecurityGroupRule("egress", security_group_id=sg.id, type="egress", protocol="tcp", from_port=443,
                          to_port=443, cidr_blocks=["10.0.0.0/16"])
gcp.compute.Firewall("fw", network="default", source_ranges=["10.0.0.0/8"],
                     allows=[gcp.compute.FirewallAllowArgs(protocol="tcp", ports=["443", "8000-8100"])])
gcp.compute.Firewall("fw-all", network="default", source_ranges=["10.0.0.0/8"],
                     allows=[gcp.compute.FirewallAllowArgs(protocol="all")])
gcp.compute.Firewall("fw-tags", network="default", source_tags=["inference-lb"],
                     allows=[gcp.compute.FirewallAllowArgs(protocol="tcp", ports=["8080"])])
gcp.compute.Firewall("fw-deny", network="default", source_ranges=["0.0.0.0/0"], priority=65000,
                     denies=[gcp.compute.FirewallDenyArgs(protocol="all")])
gcp.compute.Firewall("fw-egress", network="default", direction="EGRESS", destination_ranges=["10.0.0.0/8"],
                     allows=[gcp.compute.FirewallAllowArgs(protocol="tcp", ports=["443"])])
k8s.core.v1.Service("svc", metadata=k8s.meta.v1.ObjectMetaArgs(namespace="ml", labels=LABELS),
                    spec=k8s.core.v1.ServiceSpecArgs(type="LoadBalancer", load_balancer_source_ranges=["10.0.0.0/8"],
                                                     ports=[k8s.core.v1.ServicePortArgs(port=443)]))
k8s.core.v1.Service("internal", metadata=k8s.meta.v1.ObjectMetaArgs(namespace="ml", labels=LABELS, annotations={
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"}),
                    spec=k8s.core.v1.ServiceSpecArgs(type="LoadBalancer", ports=[k8s.core.v1.ServicePortArgs(port=443)]))
k8s.core.v1.Service("cluster", metadata=k8s.meta.v1.ObjectMetaArgs(namespace="ml", labels=LABELS),
                    spec=k8s.core.v1.ServiceSpecArgs(ports=[k8s.core.v1.ServicePortArgs(port=8080)]))
"""


def test_compliant_baseline_has_no_net3_finding() -> None:
    assert findings(gate(capture(BASELINE)), "net-3") == set()


def test_world_ingress_on_each_security_group_shape() -> None:
    c = set_input(capture(BASELINE), "sg", "ingress.0.cidrBlocks", ["10.0.0.0/16", "0.0.0.0/0"])
    set_input(c, "ingress", "cidrIpv6", "::/0")
    set_input(c, "ingress", "cidrIpv4", DELETE)
    set_input(c, "rule", "cidrBlocks", ["0.0.0.0/0"])
    report = gate(c)
    assert findings(report, "net-3") == {(SG, "sg"), (SG, "ingress"), (SG, "rule")}
    assert message(report, SG, "sg") == (
        "aws:ec2/securityGroup:SecurityGroup 'sg' ingress[0] accepts ingress from anywhere (cidrBlocks 0.0.0.0/0) "
        "on tcp 443; AI workloads must accept ingress only from known sources."
    )
    assert "(cidrIpv6 ::/0) on tcp 443" in message(report, SG, "ingress")
    assert "(cidrBlocks 0.0.0.0/0) on tcp 8080-8081" in message(report, SG, "rule")
    violation = next(v for v in report.violations if v.policy == SG)
    assert (violation.control, violation.severity, violation.enforcement_level) == (
        "NET-3",
        "critical",
        "mandatory",
    )


def test_ipv6_world_and_all_traffic() -> None:
    c = set_input(capture(BASELINE), "sg", "ingress.0.ipv6CidrBlocks", ["::/0"])
    set_input(c, "sg", "ingress.0.protocol", "-1")
    report = gate(c)
    assert findings(report, "net-3") == {(SG, "sg")}
    assert "(ipv6CidrBlocks ::/0) on all traffic (protocol -1)" in message(report, SG, "sg")


def test_world_egress_rule_is_not_ingress() -> None:
    c = set_input(capture(BASELINE), "egress", "cidrBlocks", ["0.0.0.0/0"])
    assert findings(gate(c), "net-3") == set()


@pytest.mark.parametrize(
    ("name", "path", "value", "expected"),
    [
        ("fw", "sourceRanges", ["0.0.0.0/0"], "(sourceRanges 0.0.0.0/0) on tcp:443,8000-8100"),
        (
            "fw",
            "sourceRanges",
            DELETE,
            "(sourceRanges, sourceTags and sourceServiceAccounts not set (GCP default: 0.0.0.0/0)) on tcp:443,8000-8100",
        ),
        ("fw-tags", "sourceTags", DELETE, "(GCP default: 0.0.0.0/0)) on tcp:8080"),
        ("fw-all", "sourceRanges", ["10.0.0.0/8", "::/0"], "(sourceRanges ::/0) on all protocols"),
    ],
)
def test_firewall_world_ingress(name: str, path: str, value: object, expected: str) -> None:
    report = gate(set_input(capture(BASELINE), name, path, value))
    assert findings(report, "net-3") == {(FW, name)}
    assert expected in message(report, FW, name)
    assert message(report, FW, name).startswith(
        f"gcp:compute/firewall:Firewall {name!r} accepts ingress from anywhere"
    )


@pytest.mark.parametrize(
    ("name", "path", "value"),
    [
        ("fw-deny", "priority", 100.0),  # a deny rule opens nothing, whatever its source
        ("fw-egress", "destinationRanges", ["0.0.0.0/0"]),  # EGRESS is NET-1's
    ],
)
def test_firewall_rules_that_open_no_ingress(name: str, path: str, value: object) -> None:
    assert findings(gate(set_input(capture(BASELINE), name, path, value)), "net-3") == set()


def test_disabled_firewall_rule_is_compliant() -> None:
    c = set_input(capture(BASELINE), "fw", "sourceRanges", ["0.0.0.0/0"])
    set_input(c, "fw", "disabled", True)
    assert findings(gate(c), "net-3") == set()


@pytest.mark.parametrize(
    ("name", "path", "value", "expected"),
    [
        (
            "svc",
            "spec.loadBalancerSourceRanges",
            ["10.0.0.0/8", "0.0.0.0/0"],
            "(spec.loadBalancerSourceRanges 0.0.0.0/0)",
        ),
        (
            "svc",
            "spec.loadBalancerSourceRanges",
            DELETE,
            "loadBalancerSourceRanges not set and no internal load balancer",
        ),
        ("svc", "spec.loadBalancerSourceRanges", [], "loadBalancerSourceRanges not set"),
        (
            "internal",
            "metadata.annotations",
            {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"},
            "open to 0.0.0.0/0",
        ),
        (
            "internal",
            "metadata.annotations",
            {"service.beta.kubernetes.io/load-balancer-source-ranges": "10.0.0.0/8, ::/0"},
            "(service.beta.kubernetes.io/load-balancer-source-ranges ::/0)",
        ),
    ],
)
def test_load_balancer_service_open_to_world(name: str, path: str, value: object, expected: str) -> None:
    report = gate(set_input(capture(BASELINE), name, path, value))
    assert findings(report, "net-3") == {(SVC, name)}
    text = message(report, SVC, name)
    assert text.startswith(
        f"kubernetes:core/v1:Service {name!r} (LoadBalancer, 443/TCP) accepts ingress from anywhere"
    )
    assert expected in text


def test_internal_annotations_and_cluster_ip_are_compliant() -> None:
    c = set_input(
        capture(BASELINE),
        "internal",
        "metadata.annotations",
        {"networking.gke.io/load-balancer-type": "Internal"},
    )
    set_input(c, "cluster", "spec.loadBalancerSourceRanges", ["0.0.0.0/0"])  # ignored: not a load balancer
    assert findings(gate(c), "net-3") == set()


def test_sandbox_is_mandatory_too() -> None:
    c = set_input(capture(BASELINE), "rule", "cidrBlocks", ["0.0.0.0/0"])
    set_input(c, "svc", "spec.loadBalancerSourceRanges", DELETE)
    report = gate(c, environment="sandbox")
    assert findings(report, "net-3", level="mandatory") == {(SG, "rule"), (SVC, "svc")}


def test_exemption_by_name() -> None:
    c = set_input(capture(BASELINE), "fw", "sourceRanges", ["0.0.0.0/0"])
    reason = "Public health-check endpoint approved in SEC-481 until 2026-12-31."
    report = gate(c, {FW: {"exemptions": [{"resource": "fw", "justification": reason}]}})
    assert findings(report, "net-3") == set()
    assert [(e.policy, e.resource_name) for e in report.exemptions] == [(FW, "fw")]


def test_unknown_sources_at_preview_are_reported_not_passed() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "sg", "ingress.0.cidrBlocks", UNKNOWN)
    set_input(c, "fw", "sourceRanges", UNKNOWN)
    set_input(c, "svc", "spec.loadBalancerSourceRanges", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "net-3") == {
        (SG, "sg", "advisory"),
        (FW, "fw", "advisory"),
        (SVC, "svc", "advisory"),
    }
    assert findings(report, "net-3") == set()
