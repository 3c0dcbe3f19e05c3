"""Policy documents and strings with Outputs: the same text as json.dumps / Output.concat, one Output each."""

from __future__ import annotations

import json

from aiwarden.capture.props import SECRET_SIG, SIG, UNKNOWN
from tests.harness import capture, resource

PROGRAM = """
import pulumi, pulumi_aws as aws
from components._common.json_document import Join, joined, json_document
bucket = aws.s3.Bucket("bucket")
doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
       "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*"), Join(bucket.arn, "/logs/", 7, "*")],
       "Condition": {"Bool": {"x": "false"}}}]}
aws.s3.BucketPolicy("policy", bucket=bucket.id, policy=json_document(doc))
aws.s3.BucketPolicy("plain", bucket="b", policy=json_document({"Version": "2012-10-17", "Statement": [Join("a", 1)]}))
aws.s3.BucketPolicy("secret", bucket="b", policy=json_document({"k": pulumi.Output.secret("v")}))
aws.s3.BucketPolicy("one", bucket="b", policy=joined("arn:", bucket.arn, "/*"))
aws.s3.BucketPolicy("two", bucket="b", policy=joined(bucket.arn, ":", bucket.bucket))
aws.s3.BucketPolicy("none", bucket="b", policy=joined("a", "b", 1))
aws.s3.BucketPolicy("hidden", bucket="b", policy=joined("k=", pulumi.Output.secret("v")))
"""


def test_document_text_equals_json_dumps_of_the_resolved_values() -> None:
    c = capture(PROGRAM)
    arn = resource(c, "bucket").outputs["arn"]
    expected = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn, f"{arn}/*", f"{arn}/logs/7*"],
                "Condition": {"Bool": {"x": "false"}},
            }
        ],
    }
    assert resource(c, "policy").inputs["policy"] == json.dumps(expected)
    assert resource(c, "plain").inputs["policy"] == json.dumps({"Version": "2012-10-17", "Statement": ["a1"]})


def test_secrets_and_unknowns_propagate() -> None:
    assert resource(capture(PROGRAM), "secret").inputs["policy"] == {SIG: SECRET_SIG, "value": '{"k": "v"}'}
    assert resource(capture(PROGRAM, preview_mode=True), "policy").inputs["policy"] == UNKNOWN


def test_joined_is_output_concat() -> None:
    c = capture(PROGRAM)
    bucket = resource(c, "bucket").outputs
    assert resource(c, "one").inputs["policy"] == f"arn:{bucket['arn']}/*"
    assert resource(c, "two").inputs["policy"] == f"{bucket['arn']}:{bucket['bucket']}"
    assert resource(c, "none").inputs["policy"] == "ab1"
    assert resource(c, "hidden").inputs["policy"] == {SIG: SECRET_SIG, "value": "k=v"}
    assert resource(capture(PROGRAM, preview_mode=True), "one").inputs["policy"] == UNKNOWN
