"""EP-4: SageMaker models run with network isolation, in private subnets."""

from __future__ import annotations

from typing import Any

from aiwarden.capture.model import Capture
from tests.harness import DELETE, capture, findings, gate, resource, set_input

ISOLATION = "ep-4-sagemaker-model-network-isolation"
SUBNETS = "ep-4-sagemaker-model-private-subnets"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

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


def set_property(c: Capture, name: str, path: str | list[str], value: Any) -> Capture:
    """One change to a resource's inputs and to its outputs: stack policies read the outputs."""
    set_input(c, name, path, value)
    reg = resource(c, name)
    reg.inputs, reg.outputs = reg.outputs, reg.inputs
    try:
        set_input(c, name, path, value)
    finally:
        reg.inputs, reg.outputs = reg.outputs, reg.inputs
    return c


def _messages(report: object, policy: str) -> list[str]:
    return [v.message for v in report.violations if v.policy == policy]  # type: ignore[attr-defined]


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
    assert "the needs-egress tag is too short to justify egress" in _messages(report, ISOLATION)[0]


def test_public_subnet_in_vpc_config() -> None:
    report = gate(set_property(capture(BASELINE), "private-subnet", "mapPublicIpOnLaunch", True))
    assert findings(report, "ep-4") == {(SUBNETS, "model")}
    assert _messages(report, SUBNETS) == [
        "SageMaker model 'model': subnet 'private-subnet' in vpcConfig.subnets has mapPublicIpOnLaunch true (a public "
        "subnet); models must run in private subnets."
    ]


def test_sandbox_is_advisory() -> None:
    c = set_input(capture(BASELINE), "model", "enableNetworkIsolation", DELETE)
    set_property(c, "private-subnet", "mapPublicIpOnLaunch", True)
    report = gate(c, environment="sandbox")
    assert findings(report, "ep-4", level="advisory") == {(ISOLATION, "model"), (SUBNETS, "model")}
    assert findings(report, "ep-4", level="mandatory") == set()


def test_unknown_at_preview_is_advisory_not_a_pass() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "model", "enableNetworkIsolation", UNKNOWN)
    set_property(c, "private-subnet", "mapPublicIpOnLaunch", UNKNOWN)
    report = gate(c)
    unknown = {
        (v.policy, v.resource_name, v.enforcement_level)
        for v in report.violations
        if v.policy.startswith("ep-4") and v.kind == "unknown-at-preview"
    }
    assert unknown == {(ISOLATION, "model", "advisory"), (SUBNETS, "", "advisory")}
    assert findings(report, "ep-4") == set()
