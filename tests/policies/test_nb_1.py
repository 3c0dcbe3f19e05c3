"""NB-1: notebooks have no direct internet access or public IP (SageMaker notebooks/domains, Workbench)."""

from __future__ import annotations

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message, set_input, unknowns

NOTEBOOK = "nb-1-sagemaker-notebook-no-direct-internet"
DOMAIN = "nb-1-sagemaker-domain-vpc-only"
WORKBENCH = "nb-1-workbench-no-public-ip"

BASELINE = """
import pulumi_aws as aws, pulumi_gcp as gcp
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "research-notebooks"}
subnet = aws.ec2.Subnet("subnet", vpc_id="vpc-0abc", cidr_block="10.0.1.0/24", tags=TAGS)
sg = aws.ec2.SecurityGroup("sg", vpc_id="vpc-0abc", tags=TAGS)
aws.sagemaker.NotebookInstance("notebook", instance_type="ml.t3.medium",
    role_arn="arn:aws:iam::123456789012:role/notebook", direct_internet_access="Disabled",
    subnet_id=subnet.id, security_groups=[sg.id], tags=TAGS)
aws.sagemaker.Domain("studio", domain_name="studio", auth_mode="IAM", vpc_id="vpc-0abc", subnet_ids=[subnet.id],
    app_network_access_type="VpcOnly",
    default_user_settings=aws.sagemaker.DomainDefaultUserSettingsArgs(
        execution_role="arn:aws:iam::123456789012:role/studio"), tags=TAGS)
gcp.workbench.Instance("workbench", location="us-central1-a", labels=TAGS,
    gce_setup=gcp.workbench.InstanceGceSetupArgs(
        disable_public_ip=True,
        network_interfaces=[gcp.workbench.InstanceGceSetupNetworkInterfaceArgs(
            network="projects/aiwarden-offline/global/networks/platform",
            subnet="projects/aiwarden-offline/regions/us-central1/subnetworks/notebooks")]))
"""


def test_compliant_baseline_has_no_nb1_finding() -> None:
    assert findings(gate(capture(BASELINE)), "nb-1") == set()


def test_absent_direct_internet_access_is_aws_default_enabled() -> None:
    # The headline case: checkov passes a notebook without the field; AWS enables internet access.
    report = gate(set_input(capture(BASELINE), "notebook", "directInternetAccess", DELETE))
    assert findings(report, "nb-1") == {(NOTEBOOK, "notebook")}
    [violation] = [v for v in report.violations if v.policy == NOTEBOOK]
    assert "directInternetAccess is not set (AWS default: Enabled)" in violation.message
    assert violation.control == "NB-1" and violation.severity == "critical"


def test_direct_internet_access_enabled_and_no_subnet() -> None:
    c = set_input(capture(BASELINE), "notebook", "directInternetAccess", "Enabled")
    report = gate(c)
    assert findings(report, "nb-1") == {(NOTEBOOK, "notebook")}
    assert "directInternetAccess is 'Enabled'" in message(report, NOTEBOOK, "notebook")
    report = gate(set_input(capture(BASELINE), "notebook", "subnetId", DELETE))
    assert findings(report, "nb-1") == {(NOTEBOOK, "notebook")}
    assert "subnetId is not set" in message(report, NOTEBOOK, "notebook")


def test_studio_domain_absent_or_public_network_access() -> None:
    report = gate(set_input(capture(BASELINE), "studio", "appNetworkAccessType", DELETE))
    assert findings(report, "nb-1") == {(DOMAIN, "studio")}
    assert "not set (AWS default: PublicInternetOnly)" in message(report, DOMAIN, "studio")
    c = set_input(capture(BASELINE), "studio", "appNetworkAccessType", "PublicInternetOnly")
    assert findings(gate(c), "nb-1") == {(DOMAIN, "studio")}


def test_workbench_public_ip_absent_false_and_access_configs() -> None:
    report = gate(set_input(capture(BASELINE), "workbench", "gceSetup.disablePublicIp", DELETE))
    assert findings(report, "nb-1") == {(WORKBENCH, "workbench")}
    assert "disablePublicIp is not set (Google default: false" in message(report, WORKBENCH, "workbench")
    c = set_input(capture(BASELINE), "workbench", "gceSetup.disablePublicIp", False)
    assert findings(gate(c), "nb-1") == {(WORKBENCH, "workbench")}
    c = set_input(
        capture(BASELINE),
        "workbench",
        ["gceSetup", "networkInterfaces", "0", "accessConfigs"],
        [{"externalIp": "34.1.2.3"}],
    )
    report = gate(c)
    assert findings(report, "nb-1") == {(WORKBENCH, "workbench")}
    assert "accessConfigs assigns an external IP" in message(report, WORKBENCH, "workbench")


def test_workbench_without_network_interface_uses_default_network() -> None:
    report = gate(set_input(capture(BASELINE), "workbench", "gceSetup.networkInterfaces", DELETE))
    assert findings(report, "nb-1") == {(WORKBENCH, "workbench")}
    assert "project's default network" in message(report, WORKBENCH, "workbench")


def test_sandbox_is_mandatory_too() -> None:
    c = set_input(capture(BASELINE), "notebook", "directInternetAccess", DELETE)
    set_input(c, "workbench", "gceSetup.disablePublicIp", DELETE)
    report = gate(c, environment="sandbox")
    assert findings(report, "nb-1", level="mandatory") == {(NOTEBOOK, "notebook"), (WORKBENCH, "workbench")}


def test_unknown_subnet_at_preview_is_advisory_not_a_pass() -> None:
    # At preview the subnet id is unknown: the check cannot run and says so.
    c = capture(BASELINE, preview_mode=True)
    report = gate(c)
    assert unknowns(report, "nb-1") == {(NOTEBOOK, "notebook", "advisory")}
    set_input(c, "workbench", "gceSetup.disablePublicIp", UNKNOWN)
    assert unknowns(gate(c), "nb-1") == {
        (NOTEBOOK, "notebook", "advisory"),
        (WORKBENCH, "workbench", "advisory"),
    }
