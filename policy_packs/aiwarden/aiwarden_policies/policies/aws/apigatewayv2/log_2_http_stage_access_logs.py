"""LOG-2: HTTP/WebSocket API stages write access logs with the request id and the caller identity."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.access_logs import access_log_problems

STAGE = "aws:apigatewayv2/stage:Stage"

SPEC = Spec(
    control="LOG-2",
    name="log-2-http-stage-access-logs",
    description=(
        "API Gateway v2 stages set `accessLogSettings` (absent means the AWS default: no access logs) with a "
        "`destinationArn` and a `format` recording `$context.requestId` and a caller identity "
        "(`$context.identity.sourceIp`, `$context.identity.caller` or `$context.authorizer.principalId`)."
    ),
    remediation_steps=(
        "Set `access_log_settings=aws.apigatewayv2.StageAccessLogSettingsArgs(destination_arn=log_group.arn, "
        'format=json.dumps({"requestId": "$context.requestId", "ip": "$context.identity.sourceIp", '
        '"principal": "$context.authorizer.principalId", ...}))` to a KMS-encrypted log group with the required '
        "retention."
    ),
    resource_types=(STAGE,),
    security_hub=("APIGateway.9",),
)


@resource_policy(SPEC)
def log_2_http_stage_access_logs(r: Resource) -> Iterable[str]:
    yield from access_log_problems(r, "API Gateway v2 stage")
