"""Update-mode mocks: every output-only property a resource type declares gets a plausible value, and an
input the program did not set stays absent (its real value is the cloud default, which policies decide on)."""

from __future__ import annotations

import pulumi_aws as aws
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s
import pytest

from aiwarden.capture.synth import Context, fill_outputs, output_only, resource_class

CLASSES = [
    aws.apigateway.Stage,
    aws.eks.Cluster,
    aws.sagemaker.Endpoint,
    aws.sagemaker.NotebookInstance,
    aws.s3.Bucket,
    aws.lambda_.Function,
    gcp.container.Cluster,
    gcp.vertex.AiEndpoint,
    gcp.cloudrunv2.Service,
    gcp.storage.Bucket,
    k8s.core.v1.Service,
]


def context(token: str) -> Context:
    return Context(
        type=token, name="r", physical="r-1", region="us-east-1", account="123456789012", project="p"
    )


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__dict__["pulumi_type"])
def test_every_output_only_property_gets_a_value(cls: type) -> None:
    token = cls.__dict__["pulumi_type"]
    assert resource_class(token) is cls
    state = fill_outputs({}, context(token))
    declared = {wire for wire, _ in output_only(cls)}
    assert declared and set(state) == declared
    assert all(value is not None for value in state.values())


def test_unset_inputs_stay_absent_and_set_ones_are_kept() -> None:
    token = "aws:sagemaker/notebookInstance:NotebookInstance"
    state = fill_outputs({"instanceType": "ml.t3.medium", "tags": {"owner": "ml"}}, context(token))
    assert "directInternetAccess" not in state and "rootAccess" not in state  # AWS defaults: Enabled
    assert state["instanceType"] == "ml.t3.medium" and state["tagsAll"] == {"owner": "ml"}


def test_values_are_shaped_like_the_cloud_s() -> None:
    eu = Context(
        type="aws:apigateway/stage:Stage",
        name="s",
        physical="s-1",
        region="eu-west-1",
        account="1",
        project="p",
        stage="prod",
    )
    stage = fill_outputs({"stageName": "prod"}, eu)
    assert stage["invokeUrl"].startswith("https://") and stage["invokeUrl"].endswith(
        ".execute-api.eu-west-1.amazonaws.com/prod"
    )
    assert stage["arn"].startswith("arn:aws:apigateway:eu-west-1:1:")
    cluster = fill_outputs({}, context("aws:eks/cluster:Cluster"))
    assert cluster["identities"][0]["oidcs"][0]["issuer"].startswith(
        "https://oidc.eks.us-east-1.amazonaws.com/id/"
    )
    assert cluster["certificateAuthority"]["data"]
    gke = fill_outputs({"labels": {"owner": "ml"}}, context("gcp:container/cluster:Cluster"))
    assert gke["effectiveLabels"] == {"owner": "ml"} and gke["endpoint"] == "10.0.0.2"


def test_unknown_types_are_left_alone() -> None:
    assert fill_outputs({"a": 1}, context("example:index:Thing")) == {"a": 1}


def test_output_only_fields_nested_in_an_input_object_are_filled() -> None:
    """EKS creates the cluster security group; the SDK's input type cannot say so (NESTED_OUTPUTS)."""
    cluster = fill_outputs(
        {"vpcConfig": {"subnetIds": ["subnet-1", "subnet-2"], "endpointPublicAccess": False}},
        context("aws:eks/cluster:Cluster"),
    )
    vpc = cluster["vpcConfig"]
    assert vpc["clusterSecurityGroupId"].startswith("sg-") and vpc["vpcId"].startswith("vpc-")
    assert vpc["subnetIds"] == ["subnet-1", "subnet-2"] and vpc["endpointPublicAccess"] is False
    given = fill_outputs(
        {"vpcConfig": {"subnetIds": [], "clusterSecurityGroupId": "sg-mine"}},
        context("aws:eks/cluster:Cluster"),
    )
    assert given["vpcConfig"]["clusterSecurityGroupId"] == "sg-mine"
