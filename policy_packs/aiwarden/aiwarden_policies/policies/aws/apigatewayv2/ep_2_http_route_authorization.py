"""EP-2: every HTTP API route, and every WebSocket API's $connect route, requires an authorized caller.

Route keys tell the API kind apart: HTTP routes are ``METHOD /path`` or ``$default``; WebSocket
routes are ``$connect``, ``$disconnect`` or an action name. WebSocket APIs authorize on ``$connect``
only (API Gateway accepts no authorizer on other WebSocket routes), so those are not checked. A
WebSocket ``$default`` route is indistinguishable from the HTTP one and is held to the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

ROUTE = "aws:apigatewayv2/route:Route"
AUTHORIZED = frozenset({"AWS_IAM", "JWT", "CUSTOM"})
CONNECT = "$connect"
DEFAULT = "$default"
#: CORS preflight: browsers send OPTIONS without credentials, so it cannot carry an authorizer.
PREFLIGHT = "OPTIONS "

SPEC = Spec(
    control="EP-2",
    name="ep-2-http-route-authorization",
    description=(
        "API Gateway v2 routes set `authorizationType` to AWS_IAM, JWT or CUSTOM (absent means the AWS default, "
        "NONE): every HTTP route (`METHOD /path`, `$default`) and the `$connect` route of WebSocket APIs. "
        "`OPTIONS` routes (CORS preflight) are exempt."
    ),
    remediation_steps=(
        'Set `authorization_type="JWT"` with `authorizer_id` (an `apigatewayv2.Authorizer` of type JWT on your '
        'identity provider), `"AWS_IAM"` for SigV4 callers, or `"CUSTOM"` with a Lambda authorizer.'
    ),
    resource_types=(ROUTE,),
    security_hub=("APIGateway.8",),
)


def _needs_authorization(route_key: str) -> bool:
    if route_key.upper().startswith(PREFLIGHT):
        return False
    return route_key in (CONNECT, DEFAULT) or " " in route_key


@resource_policy(SPEC)
def ep_2_http_route_authorization(r: Resource) -> Iterable[str]:
    route_key = str(r.get("routeKey") or "")
    if not _needs_authorization(route_key):
        return
    kind = r.get("authorizationType")
    if kind is None:  # AWS default: NONE
        yield (
            f"API Gateway v2 route {r.name!r} ({route_key}): authorizationType is not set (AWS default: NONE); "
            "it must be AWS_IAM, JWT or CUSTOM."
        )
    elif str(kind).upper() not in AUTHORIZED:
        yield (
            f"API Gateway v2 route {r.name!r} ({route_key}): authorizationType is {kind!r}; it must be AWS_IAM, "
            "JWT or CUSTOM."
        )
