"""NB-2: notebooks deny root and use a dedicated least-privilege identity."""

from __future__ import annotations

import json

import pytest

from tests.harness import (
    DELETE,
    UNKNOWN,
    capture,
    findings,
    gate,
    message_list,
    set_input,
    unknowns,
)

NO_ROOT = "nb-2-sagemaker-notebook-no-root"
ROLE = "nb-2-sagemaker-notebook-role-least-privilege"
IMDS = "nb-2-sagemaker-notebook-imdsv2"
WB_ACCOUNT = "nb-2-workbench-dedicated-service-account"
WB_ROOT = "nb-2-workbench-no-root"

BASELINE = """
import json
import pulumi_aws as aws, pulumi_gcp as gcp
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "research-notebooks"}
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                    "Principal": {"Service": "sagemaker.amazonaws.com"}}]})
role = aws.iam.Role("notebook-role", assume_role_policy=trust, tags=TAGS)
aws.iam.RolePolicy("notebook-inline", role=role.name, policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::datasets/*"}]}))
aws.iam.RolePolicyAttachment("notebook-ecr", role=role.name,
    policy_arn="arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")
aws.iam.PolicyAttachment("notebook-shared", roles=[role.name],
    policy_arn="arn:aws:iam::aws:policy/AmazonSageMakerReadOnly")
aws.iam.RolePolicyAttachmentsExclusive("notebook-exclusive", role_name=role.name, policy_arns=[
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly", "arn:aws:iam::aws:policy/AmazonSageMakerReadOnly"])
IMDS_V2 = aws.sagemaker.NotebookInstanceInstanceMetadataServiceConfigurationArgs(
    minimum_instance_metadata_service_version="2")
aws.sagemaker.NotebookInstance("notebook", instance_type="ml.t3.medium", role_arn=role.arn, root_access="Disabled",
    direct_internet_access="Disabled", subnet_id="subnet-0abc", instance_metadata_service_configuration=IMDS_V2,
    tags=TAGS)
gcp.workbench.Instance("workbench", location="us-central1-a", labels=TAGS,
    gce_setup=gcp.workbench.InstanceGceSetupArgs(
        disable_public_ip=True, metadata={"notebook-disable-root": "true"},
        service_accounts=[gcp.workbench.InstanceGceSetupServiceAccountArgs(
            email="notebook@aiwarden-offline.iam.gserviceaccount.com")]))
"""

CONSOLE_ROLE = """
import pulumi_aws as aws
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "research-notebooks"}
aws.sagemaker.NotebookInstance("notebook", instance_type="ml.t3.medium", root_access="Disabled",
    role_arn="arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000",
    direct_internet_access="Disabled", subnet_id="subnet-0abc", tags=TAGS,
    instance_metadata_service_configuration=aws.sagemaker.NotebookInstanceInstanceMetadataServiceConfigurationArgs(
        minimum_instance_metadata_service_version="2"))
"""

WILDCARD = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)


def test_compliant_baseline_has_no_nb2_finding() -> None:
    assert findings(gate(capture(BASELINE)), "nb-2") == set()


def test_absent_root_access_is_aws_default_enabled() -> None:
    report = gate(set_input(capture(BASELINE), "notebook", "rootAccess", DELETE))
    assert findings(report, "nb-2") == {(NO_ROOT, "notebook")}
    [message] = message_list(report, NO_ROOT)
    assert "rootAccess is not set (AWS default: Enabled)" in message
    assert findings(gate(set_input(capture(BASELINE), "notebook", "rootAccess", "Enabled")), "nb-2") == {
        (NO_ROOT, "notebook")
    }


def test_remediation_disables_root_in_place() -> None:
    c = set_input(capture(BASELINE), "notebook", "rootAccess", DELETE)
    report = gate(c, {NO_ROOT: "remediate"})
    assert findings(report, "nb-2") == set()
    [rem] = [r for r in report.remediations if r.policy == NO_ROOT]
    assert (rem.resource_name, rem.before, rem.after) == (
        "notebook",
        {"rootAccess": None},
        {"rootAccess": "Disabled"},
    )


def test_administrator_attachment_on_notebook_role() -> None:
    c = set_input(
        capture(BASELINE), "notebook-ecr", "policyArn", "arn:aws:iam::aws:policy/AdministratorAccess"
    )
    report = gate(c)
    assert findings(report, "nb-2") == {(ROLE, "notebook")}
    [message] = message_list(report, ROLE)
    assert "its role 'notebook-role' has arn:aws:iam::aws:policy/AdministratorAccess attached" in message
    c = set_input(capture(BASELINE), "notebook-ecr", "policyArn", "arn:aws:iam::aws:policy/PowerUserAccess")
    assert findings(gate(c), "nb-2") == {(ROLE, "notebook")}


@pytest.mark.parametrize(
    ("name", "path", "value", "where"),
    [
        (
            "notebook-ecr",
            "policyArn",
            "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
            "RolePolicyAttachment 'notebook-ecr'",
        ),
        (
            "notebook-shared",
            "policyArn",
            "arn:aws:iam::aws:policy/AmazonS3FullAccess",
            "PolicyAttachment 'notebook-shared'",
        ),
        (
            "notebook-exclusive",
            "policyArns.1",
            "arn:aws:iam::aws:policy/AmazonBedrockFullAccess",
            "RolePolicyAttachmentsExclusive 'notebook-exclusive'",
        ),
        (
            "notebook-role",
            "managedPolicyArns",
            ["arn:aws:iam::aws:policy/AWSLambda_FullAccess"],
            "managedPolicyArns",
        ),
        (
            "notebook-role",
            "managedPolicyArns",
            ["arn:aws:iam::aws:policy/AdministratorAccess-Amplify"],
            "managedPolicyArns",
        ),
    ],
)
def test_service_wide_managed_policies_on_notebook_role(
    name: str, path: str, value: object, where: str
) -> None:
    report = gate(set_input(capture(BASELINE), name, path, value))
    assert findings(report, "nb-2") == {(ROLE, "notebook")}
    arn = value[0] if isinstance(value, list) else value
    assert message_list(report, ROLE) == [
        f"SageMaker notebook instance 'notebook': its role 'notebook-role' has {arn} attached ({where}); a "
        "notebook role must be least privilege."
    ]


def test_narrow_managed_policies_are_not_service_wide() -> None:
    c = set_input(
        capture(BASELINE),
        "notebook-role",
        "managedPolicyArns",
        ["arn:aws:iam::aws:policy/AmazonSageMakerReadOnly"],
    )
    set_input(
        c, "notebook-shared", "policyArn", "arn:aws:iam::123456789012:policy/TeamFullAccess"
    )  # not AWS managed
    assert findings(gate(c), "nb-2") == set()


def test_absent_imds_version_is_aws_default_1() -> None:
    c = set_input(capture(BASELINE), "notebook", "instanceMetadataServiceConfiguration", DELETE)
    report = gate(c)
    assert findings(report, "nb-2") == {(IMDS, "notebook")}
    assert message_list(report, IMDS) == [
        "SageMaker notebook instance 'notebook': instanceMetadataServiceConfiguration."
        'minimumInstanceMetadataServiceVersion is not set (AWS default: 1, IMDSv1 allowed); it must be "2".'
    ]
    path = "instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion"
    report = gate(set_input(capture(BASELINE), "notebook", path, "1"))
    assert findings(report, "nb-2") == {(IMDS, "notebook")}
    assert message_list(report, IMDS) == [
        "SageMaker notebook instance 'notebook': instanceMetadataServiceConfiguration."
        "minimumInstanceMetadataServiceVersion is '1'; it must be \"2\"."
    ]


def test_remediation_requires_imdsv2() -> None:
    c = set_input(capture(BASELINE), "notebook", "instanceMetadataServiceConfiguration", DELETE)
    report = gate(c, {IMDS: "remediate"})
    assert findings(report, "nb-2") == set()
    [rem] = [r for r in report.remediations if r.policy == IMDS]
    assert (rem.resource_name, rem.before, rem.after) == (
        "notebook",
        {"instanceMetadataServiceConfiguration": None},
        {"instanceMetadataServiceConfiguration": {"minimumInstanceMetadataServiceVersion": "2"}},
    )


def test_wildcard_inline_policy_on_notebook_role() -> None:
    report = gate(set_input(capture(BASELINE), "notebook-inline", "policy", WILDCARD))
    assert findings(report, "nb-2") == {(ROLE, "notebook")}
    assert "allows * on Resource * (RolePolicy 'notebook-inline')" in message_list(report, ROLE)[0]


def test_console_default_execution_role_is_not_dedicated() -> None:
    report = gate(capture(CONSOLE_ROLE))
    assert findings(report, "nb-2") == {(ROLE, "notebook")}
    assert "console's default SageMaker execution role" in message_list(report, ROLE)[0]


def test_workbench_default_or_absent_service_account() -> None:
    report = gate(set_input(capture(BASELINE), "workbench", "gceSetup.serviceAccounts", DELETE))
    assert findings(report, "nb-2") == {(WB_ACCOUNT, "workbench")}
    assert "serviceAccounts[].email is not set (Google default" in message_list(report, WB_ACCOUNT)[0]
    c = set_input(
        capture(BASELINE),
        "workbench",
        ["gceSetup", "serviceAccounts", "0", "email"],
        "123456789012-compute@developer.gserviceaccount.com",
    )
    report = gate(c)
    assert findings(report, "nb-2") == {(WB_ACCOUNT, "workbench")}
    assert "123456789012-compute@developer.gserviceaccount.com" in message_list(report, WB_ACCOUNT)[0]


def test_workbench_root_absent_and_restricted_features() -> None:
    report = gate(set_input(capture(BASELINE), "workbench", "gceSetup.metadata", DELETE))
    assert findings(report, "nb-2") == {(WB_ROOT, "workbench")}
    assert message_list(report, WB_ROOT) == [
        "Workbench instance 'workbench': gceSetup.metadata['notebook-disable-root'] is not set (Google default: "
        'false); it must be "true".'
    ]
    # Restricted data: downloads and the terminal must be disabled too.
    report = gate(set_input(capture(BASELINE), "workbench", "labels.data-classification", "restricted"))
    assert findings(report, "nb-2") == {(WB_ROOT, "workbench")}
    messages = message_list(report, WB_ROOT)
    assert len(messages) == 2
    assert all("for restricted data" in m for m in messages)
    assert any("notebook-disable-terminal" in m for m in messages)


def test_sandbox_is_advisory() -> None:
    c = set_input(capture(BASELINE), "notebook", "rootAccess", DELETE)
    set_input(c, "notebook-ecr", "policyArn", "arn:aws:iam::aws:policy/AdministratorAccess")
    set_input(c, "workbench", "gceSetup.serviceAccounts", DELETE)
    set_input(c, "notebook", "instanceMetadataServiceConfiguration", DELETE)
    report = gate(c, environment="sandbox")
    expected = {(NO_ROOT, "notebook"), (ROLE, "notebook"), (WB_ACCOUNT, "workbench"), (IMDS, "notebook")}
    assert findings(report, "nb-2", level="advisory") == expected
    assert findings(report, "nb-2", level="mandatory") == set()
    assert findings(gate(c), "nb-2", level="mandatory") == expected


def test_unknown_at_preview_is_advisory_not_a_pass() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "notebook", "rootAccess", UNKNOWN)
    set_input(c, "notebook-ecr", "policyArn", UNKNOWN)
    set_input(c, "workbench", "gceSetup.metadata", UNKNOWN)
    set_input(c, "notebook", "instanceMetadataServiceConfiguration", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "nb-2") == {
        (IMDS, "notebook", "advisory"),
        (NO_ROOT, "notebook", "advisory"),
        (ROLE, "notebook", "advisory"),
        (WB_ROOT, "workbench", "advisory"),
    }
    assert findings(report, "nb-2") == set()
