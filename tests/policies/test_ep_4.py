"""EP-4: SageMaker models run with network isolation, in private subnets."""

from __future__ import annotations

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message_list, set_input, unknowns

ISOLATION = "ep-4-sagemaker-model-network-isolation"
SUBNETS = "ep-4-sagemaker-model-private-subnets"

BASELINE = """
import pulumi_aws as aws
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
subnet = aws.ec2.Subnet("private-subnet", vpc_id="vpc-0abc", cidr_block="10.0.1.0/24", tags=TAGS)
sg = aws.ec2.SecurityGroup("model-sg", vpc_id="vpc-0abc", tags=TAGS)
aws.sagemaker.Model("model", execution_role_arn="arn:aws:iam::123456789012:role/model",
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/m"),
    vpc_config=aws.sagemaker.ModelVpcConfigArgs(subnets=[subnet.id], security_group_ids=[sg.id]),
    enable_network_isolation=True, tags=TAGS)
"""


def test_compliant_baseline_has_no_ep4_finding() -> None:
    assert findings(gate(capture(BASELINE)), "ep-4") == set()


def test_absent_network_isolation_is_aws_default_false() -> None:
    report = gate(set_input(capture(BASELINE), "model", "enableNetworkIsolation", DELETE))
    assert findings(report, "ep-4") == {(ISOLATION, "model")}
    [violation] = [v for v in report.violations if v.policy == ISOLATION]
    assert violation.message == (
        "SageMaker model 'model': enableNetworkIsolation is not set (AWS default: false), and "
        "no needs-egress tag justifies egress; it must be true."
    )
    assert (violation.control, violation.severity) == ("EP-4", "medium")


def test_needs_egress_tag_with_a_justification() -> None:
    c = set_input(capture(BASELINE), "model", "enableNetworkIsolation", False)
    set_input(c, "model", ["tags", "needs-egress"], "Calls the licensed geocoding API, approved in SEC-77.")
    assert findings(gate(c), "ep-4") == set()
    set_input(c, "model", ["tags", "needs-egress"], "yes")
    report = gate(c)
    assert findings(report, "ep-4") == {(ISOLATION, "model")}
    assert "the needs-egress tag is too short to justify egress" in message_list(report, ISOLATION)[0]


def test_public_subnet_in_vpc_config() -> None:
    report = gate(set_input(capture(BASELINE), "private-subnet", "mapPublicIpOnLaunch", True))
    assert findings(report, "ep-4") == {(SUBNETS, "model")}
    assert message_list(report, SUBNETS) == [
        "SageMaker model 'model': subnet 'private-subnet' in vpcConfig.subnets has mapPublicIpOnLaunch true (a public "
        "subnet); models must run in private subnets."
    ]


def test_sandbox_is_advisory() -> None:
    c = set_input(capture(BASELINE), "model", "enableNetworkIsolation", DELETE)
    set_input(c, "private-subnet", "mapPublicIpOnLaunch", True)
    report = gate(c, environment="sandbox")
    assert findings(report, "ep-4", level="advisory") == {(ISOLATION, "model"), (SUBNETS, "model")}
    assert findings(report, "ep-4", level="mandatory") == set()


def test_unknown_at_preview_is_advisory_not_a_pass() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "model", "enableNetworkIsolation", UNKNOWN)
    set_input(c, "private-subnet", "mapPublicIpOnLaunch", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "ep-4") == {(ISOLATION, "model", "advisory"), (SUBNETS, "model", "advisory")}
    assert findings(report, "ep-4") == set()
