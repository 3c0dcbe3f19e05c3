"""GPU-3: least-privilege node identities (EKS node role, GKE node service account and its project roles)."""

from __future__ import annotations

import json

import pytest

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message_list, set_input, unknowns
from tests.policies.programs import GPU_BASELINE

ROLE = "gpu-3-eks-node-role-least-privilege"
SA = "gpu-3-gke-node-service-account"
BASIC = "gpu-3-gke-node-sa-no-basic-roles"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
WILDCARD = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)

EXTRA_GRANTS = (
    GPU_BASELINE
    + """
wide = aws.iam.Policy("gpu-wide", policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}), tags=TAGS)
aws.iam.RolePolicyAttachment("gpu-node-role-wide", role=role.name, policy_arn=wide.arn)
aws.iam.RolePolicy("gpu-node-inline", role=role.id, policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["ecr:BatchGetImage"], "Resource": "*"}]}))
gcp.projects.IAMBinding("editors", project="aiwarden-offline", role="roles/editor", members=[sa.member])
gcp.projects.IAMPolicy("project-policy", project="aiwarden-offline", policy_data=sa.member.apply(lambda m: json.dumps(
    {"bindings": [{"role": "roles/owner", "members": [m]}, {"role": "roles/viewer", "members": [m]}]})))
"""
)


def test_compliant_baseline_has_no_gpu3_finding() -> None:
    assert findings(gate(capture(GPU_BASELINE)), "gpu-3") == set()


def test_administrator_access_attachment_on_node_role() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-node-role-0", "policyArn", ADMIN)
    report = gate(c)
    assert findings(report, "gpu-3") == {(ROLE, "gpu-ng")}
    assert message_list(report, ROLE) == [
        "GPU EKS node group 'gpu-ng': node role 'gpu-node-role' gets the AWS managed policy AdministratorAccess "
        "through policyArn of 'gpu-node-role-0'; a GPU node role carries only the node and registry-read policies."
    ]


def test_power_user_in_managed_policy_arns_and_wildcard_inline_policy() -> None:
    c = set_input(
        capture(GPU_BASELINE),
        "gpu-node-role",
        "managedPolicyArns",
        ["arn:aws:iam::aws:policy/PowerUserAccess"],
    )
    assert findings(gate(c), "gpu-3") == {(ROLE, "gpu-ng")}
    c = set_input(
        capture(GPU_BASELINE), "gpu-node-role", "inlinePolicies", [{"name": "all", "policy": WILDCARD}]
    )
    report = gate(c)
    assert findings(report, "gpu-3") == {(ROLE, "gpu-ng")}
    assert "has inlinePolicies[0] 'all', which allows * on Resource \"*\"" in message_list(report, ROLE)[0]


@pytest.mark.parametrize(
    ("name", "path", "value", "problem"),
    [
        (
            "gpu-node-role-1",
            "policyArn",
            "arn:aws:iam::aws:policy/AmazonS3FullAccess",
            "gets the AWS managed policy AmazonS3FullAccess through policyArn of 'gpu-node-role-1'",
        ),
        (
            "gpu-node-role",
            "managedPolicyArns",
            ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"],
            "gets the AWS managed policy AmazonSageMakerFullAccess through managedPolicyArns",
        ),
        (
            "gpu-node-role",
            "managedPolicyArns",
            ["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"],
            "gets the AWS managed policy AmazonBedrockFullAccess through managedPolicyArns",
        ),
    ],
)
def test_service_wide_managed_policy_on_node_role(name: str, path: str, value: object, problem: str) -> None:
    report = gate(set_input(capture(GPU_BASELINE), name, path, value))
    assert findings(report, "gpu-3") == {(ROLE, "gpu-ng")}
    assert message_list(report, ROLE) == [
        f"GPU EKS node group 'gpu-ng': node role 'gpu-node-role' {problem}; a GPU node role carries only the node "
        "and registry-read policies."
    ]


def test_service_wide_policy_through_other_attachment_types() -> None:
    code = (
        GPU_BASELINE
        + """
aws.iam.PolicyAttachment("gpu-shared", roles=[role.name], policy_arn="arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess")
aws.iam.RolePolicyAttachmentsExclusive("gpu-exclusive", role_name=role.name, policy_arns=[
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"])
"""
    )
    assert findings(gate(capture(code)), "gpu-3") == set()
    c = set_input(capture(code), "gpu-shared", "policyArn", "arn:aws:iam::aws:policy/AmazonEC2FullAccess")
    assert (
        "gets the AWS managed policy AmazonEC2FullAccess through policyArn of 'gpu-shared'"
        in message_list(gate(c), ROLE)[0]
    )
    c = set_input(capture(code), "gpu-exclusive", "policyArns.0", "arn:aws:iam::aws:policy/PowerUserAccess")
    assert (
        "gets the AWS managed policy PowerUserAccess through policyArns of 'gpu-exclusive'"
        in message_list(gate(c), ROLE)[0]
    )


def test_customer_managed_and_role_policy_documents() -> None:
    report = gate(capture(EXTRA_GRANTS))
    assert findings(report, "gpu-3") == {(ROLE, "gpu-ng"), (BASIC, "editors"), (BASIC, "project-policy")}
    role_messages = message_list(report, ROLE)
    assert len(role_messages) == 1  # the RolePolicy grants ecr:BatchGetImage only
    assert (
        "customer-managed policy 'gpu-wide' through policyArn, which allows s3:* on Resource"
        in role_messages[0]
    )
    assert any(
        "grants roles/owner to serviceAccount:gpu-nodes@aiwarden-offline.iam.gserviceaccount.com" in m
        for m in message_list(report, BASIC)
    )


def test_wildcard_role_policy_resource() -> None:
    c = set_input(capture(EXTRA_GRANTS), "gpu-node-inline", "policy", WILDCARD)
    report = gate(c)
    assert findings(report, ROLE) == {(ROLE, "gpu-ng")}
    assert any("has role policy 'gpu-node-inline', which allows *" in m for m in message_list(report, ROLE))


def test_non_gpu_node_group_is_out_of_scope() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-node-role-0", "policyArn", ADMIN)
    set_input(c, "gpu-ng", "amiType", "AL2023_x86_64_STANDARD")
    set_input(c, "gpu-ng", "instanceTypes", ["m6i.large"])
    assert findings(gate(c), "gpu-3") == set()
    set_input(c, "gpu-lt", "instanceType", "p4d.24xlarge")  # GPU through its launch template
    assert findings(gate(c), "gpu-3") == {(ROLE, "gpu-ng")}


def test_node_role_outside_the_stack_is_a_violation_named_role_inside_is_related() -> None:
    external = GPU_BASELINE.replace(
        "node_role_arn=role.arn", 'node_role_arn="arn:aws:iam::123456789012:role/shared"'
    )
    report = gate(capture(external))
    assert findings(report, "gpu-3") == {(ROLE, "gpu-ng")}
    assert "names a role that is not defined in this stack" in message_list(report, ROLE)[0]
    by_name = external.replace(
        'aws.iam.Role("gpu-node-role", ', 'aws.iam.Role("gpu-node-role", name="shared", '
    )
    c = capture(by_name)
    assert findings(gate(c), "gpu-3") == set()
    set_input(c, "gpu-node-role-1", "policyArn", ADMIN)
    assert findings(gate(c), "gpu-3") == {(ROLE, "gpu-ng")}


def test_gke_default_service_account() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-pool", "nodeConfig.serviceAccount", DELETE)
    report = gate(c)
    assert findings(report, "gpu-3") == {(SA, "gpu-pool")}
    assert message_list(report, SA) == [
        "GKE GPU node pool 'gpu-pool': nodeConfig.serviceAccount is not set (GKE default: the project's default "
        "compute account), with the https://www.googleapis.com/auth/cloud-platform scope; it must be a dedicated "
        "least-privilege service account, not the default compute service account."
    ]
    c = set_input(
        capture(GPU_BASELINE),
        "gpu-pool",
        "nodeConfig.serviceAccount",
        "123456789012-compute@developer.gserviceaccount.com",
    )
    assert findings(gate(c), "gpu-3") == {(SA, "gpu-pool")}


def test_gke_non_gpu_pool_is_out_of_scope() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-pool", "nodeConfig.serviceAccount", DELETE)
    set_input(c, "gpu-pool", "nodeConfig.guestAccelerators", DELETE)
    set_input(c, "gpu-pool", "nodeConfig.machineType", "e2-standard-8")
    assert findings(gate(c), "gpu-3") == set()


def test_project_editor_for_node_service_account() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-nodes-role", "role", "roles/editor")
    report = gate(c)
    assert findings(report, "gpu-3") == {(BASIC, "gpu-nodes-role")}
    assert message_list(report, BASIC) == [
        "Project IAM 'gpu-nodes-role' grants roles/editor to serviceAccount:gpu-nodes@aiwarden-offline.iam."
        "gserviceaccount.com, the node service account of GKE GPU node pool 'gpu-pool'; node accounts must not "
        "hold basic roles."
    ]


def test_mandatory_in_sandbox_too() -> None:
    c = set_input(capture(GPU_BASELINE), "gpu-node-role-0", "policyArn", ADMIN)
    set_input(c, "gpu-pool", "nodeConfig.serviceAccount", DELETE)
    report = gate(c, environment="sandbox")
    assert findings(report, "gpu-3", level="mandatory") == {(ROLE, "gpu-ng"), (SA, "gpu-pool")}


def test_unknowns_at_preview_are_reported_not_passed() -> None:
    c = capture(GPU_BASELINE, preview_mode=True)
    set_input(c, "gpu-node-role-0", "policyArn", UNKNOWN)
    set_input(c, "gpu-pool", "nodeConfig.serviceAccount", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "gpu-3") == {
        (ROLE, "gpu-ng", "advisory"),
        (SA, "gpu-pool", "advisory"),
    }
    assert findings(report, "gpu-3") == set()
