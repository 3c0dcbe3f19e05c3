"""LOG-2: REST API stages write access logs with the request id and the caller identity."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.access_logs import access_log_problems

STAGE = "aws:apigateway/stage:Stage"

SPEC = Spec(
    control="LOG-2",
    name="log-2-rest-stage-access-logs",
    description=(
        "API Gateway REST stages set `accessLogSettings` (absent means the AWS default: no access logs) with a "
        "`destinationArn` and a `format` recording `$context.requestId` and a caller identity "
        "(`$context.identity.sourceIp`, `$context.identity.caller` or `$context.authorizer.principalId`)."
    ),
    remediation_steps=(
        "Set `access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(destination_arn=log_group.arn, "
        'format=json.dumps({"requestId": "$context.requestId", "ip": "$context.identity.sourceIp", '
        '"caller": "$context.identity.caller", "principal": "$context.authorizer.principalId", ...}))` to a '
        "KMS-encrypted log group with the required retention."
    ),
    resource_types=(STAGE,),
)


@resource_policy(SPEC)
def log_2_rest_stage_access_logs(r: Resource) -> Iterable[str]:
    yield from access_log_problems(r, "REST API stage")
