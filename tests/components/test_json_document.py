"""Policy documents with Outputs: the same JSON text as json.dumps, one Output per document."""

from __future__ import annotations

import json

from aiwarden.capture.props import SECRET_SIG, SIG, UNKNOWN
from tests.harness import capture, resource

PROGRAM = """
import pulumi, pulumi_aws as aws
from components._common.json_document import json_document
bucket = aws.s3.Bucket("bucket")
doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
       "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")], "Condition": {"Bool": {"x": "false"}}}]}
aws.s3.BucketPolicy("policy", bucket=bucket.id, policy=json_document(doc))
aws.s3.BucketPolicy("plain", bucket="b", policy=json_document({"Version": "2012-10-17", "Statement": []}))
aws.s3.BucketPolicy("secret", bucket="b", policy=json_document({"k": pulumi.Output.secret("v")}))
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
                "Resource": [arn, f"{arn}/*"],
                "Condition": {"Bool": {"x": "false"}},
            }
        ],
    }
    assert resource(c, "policy").inputs["policy"] == json.dumps(expected)
    assert resource(c, "plain").inputs["policy"] == json.dumps({"Version": "2012-10-17", "Statement": []})


def test_secrets_and_unknowns_propagate() -> None:
    assert resource(capture(PROGRAM), "secret").inputs["policy"] == {SIG: SECRET_SIG, "value": '{"k": "v"}'}
    assert resource(capture(PROGRAM, preview_mode=True), "policy").inputs["policy"] == UNKNOWN
