"""AWS identifiers the components accept: checked when given as plain strings, passed through as Outputs.

A ``pulumi.Output`` (an ARN or id of a resource declared in the same program) cannot be read
before registration, so it passes through unvalidated; a plain string must be well formed and
never a wildcard. Each type renders as a JSON-schema string with its pattern.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

import pulumi
from pydantic import PlainValidator, WithJsonSchema

_PARTITION = r"arn:aws(?:-[a-z]+)*"
_ACCOUNT = r"\d{12}"
_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d"
_IAM_PATH_NAME = r"(?:/[\w+=,.@-]+)*/?[\w+=,.@-]{1,128}"

ROLE_ARN = rf"^{_PARTITION}:iam::{_ACCOUNT}:role{_IAM_PATH_NAME}$"
PRINCIPAL_ARN = rf"^{_PARTITION}:iam::{_ACCOUNT}:(?:root|(?:role|user){_IAM_PATH_NAME})$"
KMS_KEY_ARN = rf"^{_PARTITION}:kms:{_REGION}:{_ACCOUNT}:key/(?:mrk-[0-9a-f]{{32}}|[0-9a-f-]{{36}})$"
LAMBDA_ARN = (
    rf"^{_PARTITION}:lambda:{_REGION}:{_ACCOUNT}:function:[A-Za-z0-9_-]{{1,64}}(?::[A-Za-z0-9$_-]+)?$"
)
VPC_ID = r"^vpc-[0-9a-f]{8,17}$"
SUBNET_ID = r"^subnet-[0-9a-f]{8,17}$"
SECURITY_GROUP_ID = r"^sg-[0-9a-f]{8,17}$"
VPC_ENDPOINT_ID = r"^vpce-[0-9a-f]{8,17}$"
BUCKET_NAME = r"^(?!xn--)(?!sthree-)(?!.*-s3alias$)(?!.*--ol-s3$)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"
EKS_CLUSTER_NAME = r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$"
SNS_TOPIC_ARN = rf"^{_PARTITION}:sns:{_REGION}:{_ACCOUNT}:[A-Za-z0-9_-]{{1,256}}(?:\.fifo)?$"


def _checker(pattern: str, what: str, example: str) -> Any:
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, pulumi.Output):
            return value
        if isinstance(value, str) and "*" in value:
            raise ValueError(f"{value!r}: wildcards are refused; name one {what}, e.g. {example}")
        if isinstance(value, str) and compiled.fullmatch(value):
            return value
        shown = value if isinstance(value, str | int | float | bool | None) else type(value).__name__
        raise ValueError(f"{shown!r} is not {what}; expected e.g. {example} (or a pulumi.Output)")

    return check


def aws_identifier(pattern: str, what: str, example: str) -> Any:
    """An ``Annotated`` type: a plain string matching ``pattern`` or a ``pulumi.Output`` (unchecked)."""
    return Annotated[
        str | pulumi.Output[str],
        PlainValidator(_checker(pattern, what, example)),
        WithJsonSchema({"type": "string", "pattern": pattern, "description": f"{what} (or a pulumi.Output)"}),
    ]


RoleArn = aws_identifier(ROLE_ARN, "an IAM role ARN", "arn:aws:iam::123456789012:role/inference")
PrincipalArn = aws_identifier(
    PRINCIPAL_ARN, "an IAM role, user or account-root ARN", "arn:aws:iam::123456789012:role/inference"
)
LambdaArn = aws_identifier(
    LAMBDA_ARN, "a Lambda function ARN", "arn:aws:lambda:us-east-1:123456789012:function:rotate-key"
)
VpcId = aws_identifier(VPC_ID, "a VPC id", "vpc-0123456789abcdef0")
SubnetId = aws_identifier(SUBNET_ID, "a subnet id", "subnet-0123456789abcdef0")
SecurityGroupId = aws_identifier(SECURITY_GROUP_ID, "a security group id", "sg-0123456789abcdef0")
VpcEndpointId = aws_identifier(VPC_ENDPOINT_ID, "a VPC endpoint id", "vpce-0123456789abcdef0")
BucketName = aws_identifier(
    BUCKET_NAME, "an S3 bucket name (3-63 lowercase letters, digits, dashes)", "ml-platform-access-logs"
)
EksClusterName = aws_identifier(EKS_CLUSTER_NAME, "an EKS cluster name", "ml-platform")
if TYPE_CHECKING:
    SnsTopicArn = str | pulumi.Output[str]
else:
    SnsTopicArn = aws_identifier(
        SNS_TOPIC_ARN, "an SNS topic ARN", "arn:aws:sns:us-east-1:123456789012:ml-cost"
    )


def role_name(arn: str | pulumi.Output[str]) -> pulumi.Output[str]:
    """The role name of a role ARN (its last path segment), as IAM attachments take it."""
    return pulumi.Output.from_input(arn).apply(lambda value: value.rsplit("/", 1)[-1])
