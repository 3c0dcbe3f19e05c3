"""Offline preview: what the engine would see of each registration (URNs, parents, providers, secrets)."""

from __future__ import annotations

import json

from aiwarden.capture.props import SECRET_SIG, SIG, UNKNOWN
from tests.harness import capture, resource

STACK = "urn:pulumi:test::test::pulumi:pulumi:Stack::test-test"
AWS_PROVIDER = "urn:pulumi:test::test::pulumi:providers:aws::default_7_51_1"

AWS_PROGRAM = """
import pulumi, pulumi_aws as aws

class Store(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("aiwarden:test:Store", name, {}, opts)
        self.bucket = aws.s3.Bucket(f"{name}-data", opts=pulumi.ResourceOptions(parent=self))
        self.pab = aws.s3.BucketPublicAccessBlock(
            f"{name}-pab", bucket=self.bucket.id, block_public_acls=True,
            opts=pulumi.ResourceOptions(parent=self, protect=True))
        self.register_outputs({"bucket": self.bucket.bucket})

class Outer(pulumi.ComponentResource):
    def __init__(self, name):
        super().__init__("aiwarden:test:Outer", name, {})
        self.store = Store(f"{name}-store", pulumi.ResourceOptions(parent=self))

outer = Outer("outer")
cfg = pulumi.Config()
secret = aws.secretsmanager.Secret("secret")
aws.secretsmanager.SecretVersion("version", secret_id=secret.id, secret_string=cfg.require_secret("apiKey"))
east = aws.Provider("east", region="us-east-2")
aws.s3.Bucket("explicit", opts=pulumi.ResourceOptions(provider=east, depends_on=[secret]))
pulumi.export("bucket", outer.store.bucket.bucket)
pulumi.export("limit", cfg.require_int("limit"))
"""
AWS_CONFIG = {"test:apiKey": {"secure": "v1:AAAA"}, "test:limit": 3}


def test_urns_follow_the_engine_format_with_parent_type_chains() -> None:
    c = capture(AWS_PROGRAM, AWS_CONFIG)
    urns = {r.name: r.urn for r in c.resources}
    assert urns["test-test"] == STACK
    assert urns["outer"] == "urn:pulumi:test::test::aiwarden:test:Outer::outer"
    assert (
        urns["outer-store"] == "urn:pulumi:test::test::aiwarden:test:Outer$aiwarden:test:Store::outer-store"
    )
    assert urns["outer-store-data"] == (
        "urn:pulumi:test::test::aiwarden:test:Outer$aiwarden:test:Store$aws:s3/bucket:Bucket::outer-store-data"
    )
    assert urns["secret"] == "urn:pulumi:test::test::aws:secretsmanager/secret:Secret::secret"


def test_parents_dependencies_and_property_dependencies() -> None:
    c = capture(AWS_PROGRAM, AWS_CONFIG)
    data, pab = resource(c, "outer-store-data"), resource(c, "outer-store-pab")
    assert resource(c, "outer").parent == STACK
    assert data.parent == resource(c, "outer-store").urn
    assert pab.dependencies == [data.urn]
    assert pab.property_dependencies == {"bucket": [data.urn], "blockPublicAcls": []}
    assert pab.options["protect"] is True
    explicit = resource(c, "explicit")
    assert explicit.dependencies == [resource(c, "secret").urn]
    assert resource(c, "outer-store").custom is False and data.custom is True


def test_default_and_explicit_provider_references() -> None:
    c = capture(AWS_PROGRAM, AWS_CONFIG)
    provider = resource(c, "default_7_51_1")
    assert provider.urn == AWS_PROVIDER
    assert provider.type == "pulumi:providers:aws"
    assert provider.inputs == {"region": "us-east-1", "version": "7.51.1"}
    assert resource(c, "secret").provider == f"{AWS_PROVIDER}::{provider.id}"
    east = resource(c, "east")
    assert resource(c, "explicit").provider == f"urn:pulumi:test::test::pulumi:providers:aws::east::{east.id}"
    assert [r.name for r in c.resources if r.type == "pulumi:providers:aws"].count("default_7_51_1") == 1


def test_secret_config_stays_a_secret_in_inputs_and_numbers_are_floats() -> None:
    c = capture(AWS_PROGRAM, AWS_CONFIG)
    value = resource(c, "version").inputs["secretString"]
    assert value[SIG] == SECRET_SIG
    assert c.secret_keys == ["test:apiKey"]
    assert c.outputs["limit"] == 3.0
    assert c.outputs["bucket"] == resource(c, "outer-store-data").outputs["bucket"]


def test_preview_mode_leaves_ids_and_computed_values_unknown() -> None:
    c = capture(AWS_PROGRAM, AWS_CONFIG, preview_mode=True)
    data, pab = resource(c, "outer-store-data"), resource(c, "outer-store-pab")
    assert data.id == ""
    assert pab.inputs["bucket"] == UNKNOWN
    assert data.outputs["arn"] == UNKNOWN
    assert resource(c, "version").inputs["secretId"] == UNKNOWN
    assert resource(c, "secret").provider == f"{AWS_PROVIDER}::{UNKNOWN}"


def test_update_mode_outputs_are_realistic() -> None:
    c = capture(AWS_PROGRAM, AWS_CONFIG)
    data = resource(c, "outer-store-data")
    assert data.outputs["arn"] == f"arn:aws:s3:::{data.outputs['bucket']}"
    assert resource(c, "outer-store-pab").inputs["bucket"] == data.id
    assert resource(c, "secret").id.startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:")


GCP_K8S_PROGRAM = """
import pulumi, pulumi_gcp as gcp, pulumi_kubernetes as k8s
sa = gcp.serviceaccount.Account("sa", account_id="trainer")
bucket = gcp.storage.Bucket("bucket", location="US")
gcp.storage.BucketIAMMember("reader", bucket=bucket.name, role="roles/storage.objectViewer", member=sa.member)
ns = k8s.core.v1.Namespace("ml")
k8s.core.v1.ConfigMap("cfg", metadata={"namespace": ns.metadata["name"]}, data={"k": "v"})
"""


def test_gcp_and_kubernetes_registrations() -> None:
    c = capture(GCP_K8S_PROGRAM)
    reader, cfg = resource(c, "reader"), resource(c, "cfg")
    assert reader.inputs["member"] == "serviceAccount:trainer@aiwarden-offline.iam.gserviceaccount.com"
    assert reader.property_dependencies["bucket"] == [resource(c, "bucket").urn]
    assert reader.provider.startswith("urn:pulumi:test::test::pulumi:providers:gcp::default_10_2_0::")
    assert cfg.inputs["metadata"]["namespace"] == resource(c, "ml").outputs["metadata"]["name"]
    assert cfg.inputs["kind"] == "ConfigMap" and cfg.inputs["apiVersion"] == "v1"
    assert cfg.provider.startswith("urn:pulumi:test::test::pulumi:providers:kubernetes::default_4_34_2::")


TRANSFORM_PROGRAM = """
import pulumi, pulumi_aws as aws
from components._common import Ownership, stamp_ownership
stamp_ownership(Ownership(owner="ml-platform", environment="dev", data_classification="restricted",
                          purpose="training", contact="ml@example.com"))
aws.s3.Bucket("bucket", tags={"owner": "data-team"})
aws.s3.BucketPublicAccessBlock("pab", bucket="x")
"""


def test_stack_transforms_run_as_the_engine_runs_them() -> None:
    c = capture(TRANSFORM_PROGRAM)
    assert resource(c, "bucket").inputs["tags"] == {
        "owner": "data-team",
        "environment": "sandbox",
        "data-classification": "restricted",
        "purpose": "training",
        "contact": "ml@example.com",
    }
    assert "tags" not in resource(c, "pab").inputs


INVOKE_PROGRAM = """
import json, pulumi, pulumi_aws as aws, pulumi_gcp as gcp
me = aws.get_caller_identity()
doc = aws.iam.get_policy_document(statements=[aws.iam.GetPolicyDocumentStatementArgs(
    sid="DenyInsecureTransport", effect="Deny", actions=["s3:*"], resources=["*"],
    principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="*", identifiers=["*"])],
    conditions=[aws.iam.GetPolicyDocumentStatementConditionArgs(test="Bool", variable="aws:SecureTransport",
                                                                values=["false"])])])
aws.s3.BucketPolicy("policy", bucket="b", policy=doc.json)
project = gcp.organizations.get_project()
pulumi.export("account", me.account_id)
pulumi.export("projectNumber", project.number)
"""


def test_invokes_return_realistic_results() -> None:
    c = capture(INVOKE_PROGRAM)
    assert c.outputs == {"account": "123456789012", "projectNumber": "123456789012"}
    assert json.loads(resource(c, "policy").inputs["policy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Action": "s3:*",
                "Resource": "*",
                "Principal": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }


MANY = """
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
for i in range(40):
    aws.s3.Bucket(f"b-{i}")
    gcp.storage.Bucket(f"g-{i}", location="US")
    k8s.core.v1.ConfigMap(f"c-{i}", data={"k": "v"})
"""


def test_default_providers_are_registered_once_under_concurrent_registrations() -> None:
    c = capture(MANY)
    urns = [r.urn for r in c.resources]
    assert len(urns) == len(set(urns)) == 1 + 3 + 120
    assert sorted(r.name for r in c.resources if r.type.startswith("pulumi:providers:")) == [
        "default_10_2_0",
        "default_4_34_2",
        "default_7_51_1",
    ]
