"""LOG-1 (AWS): who called a SageMaker endpoint is recorded somewhere CloudTrail is not.

CloudTrail records CreateEndpoint/UpdateEndpoint/DeleteEndpoint but not ``InvokeEndpoint`` /
``InvokeEndpointAsync``, so data-event evidence for an endpoint must come from elsewhere.

Decisions:
- Each ``aws:sagemaker/endpoint:Endpoint`` has evidence when its endpoint configuration (the
  ``endpointConfigName`` property dependency, else the configuration whose ``name`` matches) has
  ``dataCaptureConfig.enableCapture`` true (absent: false; no block: no capture), or when the stack
  has an API Gateway stage (REST ``aws:apigateway/stage:Stage`` or HTTP ``aws:apigatewayv2/stage:Stage``)
  with ``accessLogSettings`` or a WAF ``webAclLoggingConfiguration``. The stage/WAF link to the
  endpoint is not traced (integrations are free-form): their presence in the stack counts.
- A configuration outside the stack cannot be read: it counts as no capture.
- Otherwise a violation on the endpoint. Where capture lands (locked bucket) is LOG-2's check.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pulumi_policy import PolicyResource

from aiwarden_policies.framework import Readings, Spec, Stack, get, reading, stack_policy
from aiwarden_policies.lib.relations import is_set, target

ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
ENDPOINT_CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
STAGES = ("aws:apigateway/stage:Stage", "aws:apigatewayv2/stage:Stage")
WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"

SPEC = Spec(
    control="LOG-1",
    name="log-1-sagemaker-endpoint-invocation-evidence",
    description=(
        "Each SageMaker endpoint has invocation evidence that CloudTrail cannot give (it does not record "
        "InvokeEndpoint): data capture on its endpoint configuration, or API Gateway access logs / WAF logging "
        "in front of it."
    ),
    remediation_steps=(
        "Set `data_capture_config=EndpointConfigurationDataCaptureConfigArgs(enable_capture=True, "
        "initial_sampling_percentage=100, destination_s3_uri=<locked bucket>, capture_options=[...])` on the "
        "endpoint configuration, or front the endpoint with an API Gateway stage whose `access_log_settings` "
        "log the caller identity and request id (or a WAF web ACL with a logging configuration)."
    ),
    resource_types=(ENDPOINT, ENDPOINT_CONFIG, *STAGES, WAF_LOGGING),
)


@stack_policy(SPEC)
def log_1_sagemaker_endpoint_invocation_evidence(stack: Stack) -> Iterable[tuple[str, str | None]]:
    endpoints = stack.of_type(ENDPOINT)
    if not endpoints:
        return
    if stack.of_type(WAF_LOGGING):
        return
    logged = Readings(stack.of_type(*STAGES), lambda s: is_set(s, "accessLogSettings"))
    if any(logged.values()):
        return
    configs = stack.of_type(ENDPOINT_CONFIG)

    def decide(endpoint: PolicyResource) -> Iterator[str]:
        config = target(endpoint, "endpointConfigName", configs, ("name",))
        if config is None:
            where = "its endpoint configuration is not in this stack (data capture cannot be verified)"
        else:
            with reading(config):
                if get(config.props, "dataCaptureConfig.enableCapture") is True:
                    return
            where = (
                f"its endpoint configuration {config.name!r} does not enable dataCaptureConfig.enableCapture "
                "(default: false)"
            )
        logged.require()  # a stage unknown at preview may log access
        yield (
            f"{ENDPOINT} {endpoint.name!r}: CloudTrail does not record InvokeEndpoint, and {where}, and the "
            "stack has no API Gateway stage with accessLogSettings nor WAF logging configuration: nothing "
            "records who called the model."
        )

    yield from stack.each(endpoints, decide)
