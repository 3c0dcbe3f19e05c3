"""LOG-1 (AWS): Bedrock model invocations of a stack that uses Bedrock are logged.

Decisions:
- Applies when the stack uses Bedrock: agents (``aws:bedrock/agentAgent:AgentAgent``, AgentCore
  runtimes), knowledge bases, identities allowed to invoke models, APIs forwarding to a Bedrock runtime
  (``assets.BEDROCK_KINDS``, found by ``lib.stack_assets`` / ``lib.bedrock``).
- It needs an ``aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration``
  (account and region wide; without one, model invocation logging is off): none is one
  stack-level violation.
- A configuration counts when ``loggingConfig`` has a destination (``s3Config.bucketName`` or
  ``cloudwatchConfig.logGroupName``; a resource reference in ``loggingConfig`` counts) and does not
  turn ``textDataDeliveryEnabled`` off (absent: true). If none counts, each gets a violation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pulumi_policy import PolicyResource

from aiwarden_policies.contract.assets import BEDROCK_KINDS
from aiwarden_policies.framework import Readings, Spec, Stack, get, stack_policy
from aiwarden_policies.lib.stack_assets import ai_assets, names

INVOCATION_LOGGING = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"

SPEC = Spec(
    control="LOG-1",
    name="log-1-bedrock-invocation-logging",
    description=(
        "A stack that uses Bedrock (agents, knowledge bases, identities allowed bedrock:InvokeModel*, APIs "
        "forwarding to bedrock-runtime) enables Bedrock model invocation logging "
        "(aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration) to S3 or CloudWatch Logs, "
        "with text data delivery on."
    ),
    remediation_steps=(
        "`aws.bedrockmodel.InvocationLoggingConfiguration(..., logging_config=InvocationLoggingConfigurationLogging"
        "ConfigArgs(text_data_delivery_enabled=True, s3_config=...S3ConfigArgs(bucket_name=<locked bucket>) or "
        "cloudwatch_config=...CloudwatchConfigArgs(log_group_name=..., role_arn=...)))`."
    ),
    resource_types=(INVOCATION_LOGGING,),
)


def logging_gaps(config: PolicyResource) -> list[str]:
    gaps = []
    destination = bool(config.property_dependencies.get("loggingConfig")) or bool(
        get(config.props, "loggingConfig.s3Config.bucketName")
        or get(config.props, "loggingConfig.cloudwatchConfig.logGroupName")
    )
    if not destination:
        gaps.append("loggingConfig has no s3Config.bucketName or cloudwatchConfig.logGroupName")
    if get(config.props, "loggingConfig.textDataDeliveryEnabled") is False:
        gaps.append("loggingConfig.textDataDeliveryEnabled is false (prompts and completions are not logged)")
    return gaps


@stack_policy(SPEC)
def log_1_bedrock_invocation_logging(stack: Stack) -> Iterable[tuple[str, str | None]]:
    users = [a for a in ai_assets(stack) if a.kind in BEDROCK_KINDS and a.cloud == "aws"]
    if not users:
        return
    configs = stack.of_type(INVOCATION_LOGGING)
    if not configs:
        yield (
            f"No {INVOCATION_LOGGING} in the stack, which uses Bedrock through {names(users)}: model invocation "
            "logging is off by default.",
            None,
        )
        return
    gaps = Readings(configs, logging_gaps)
    if not all(gaps.values()):
        return

    def decide(config: PolicyResource) -> Iterator[str]:
        found = gaps.get(config)
        gaps.require()  # another configuration, unknown at preview, may log
        yield f"{INVOCATION_LOGGING} {config.name!r}: {'; '.join(found)}."

    yield from stack.each(configs, decide)
