"""EP-1: no HTTP or WebSocket API (API Gateway v2) fronts a model: they are always public.

API Gateway v2 has no PRIVATE endpoint type and no resource policy. ``disableExecuteApiEndpoint``
only removes the default ``execute-api`` hostname: the API stays reachable from the internet through
its custom domain names, so it does not make the API private. A v2 API that is meant to be public
needs a per-resource exemption with a written justification.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

API = "aws:apigatewayv2/api:Api"

SPEC = Spec(
    control="EP-1",
    name="ep-1-http-api-not-public",
    description=(
        "API Gateway v2 APIs (HTTP, WebSocket) have no private endpoint type and no resource policy, so every one "
        "is reachable from the internet (with `disableExecuteApiEndpoint`, through its custom domains); model "
        "endpoints use a PRIVATE REST API instead, or an exemption documents why this API may be public."
    ),
    remediation_steps=(
        "Front the model with an `aws.apigateway.RestApi` whose endpoint type is PRIVATE (reached through an "
        "execute-api VPC endpoint), or an internal ALB; if this API must be public, exempt it by name in the "
        "pack config with the justification and keep EP-2/EP-3/LOG-2 controls on it."
    ),
    resource_types=(API,),
)


@resource_policy(SPEC)
def ep_1_http_api_not_public(r: Resource) -> Iterable[str]:
    protocol = r.get("protocolType")
    via = (
        "only through its custom domain names (disableExecuteApiEndpoint is true)"
        if r.get("disableExecuteApiEndpoint") is True
        else "on its default execute-api endpoint"
    )
    yield (
        f"API Gateway v2 {protocol} API {r.name!r} is reachable from the internet {via}: v2 APIs have no private "
        "endpoint type; use a PRIVATE REST API for model endpoints."
    )
