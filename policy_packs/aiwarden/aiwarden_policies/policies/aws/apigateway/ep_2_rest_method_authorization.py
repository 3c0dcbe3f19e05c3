"""EP-2: every REST API method requires an authenticated, authorized caller."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

METHOD = "aws:apigateway/method:Method"
AUTHORIZED = frozenset({"AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"})
#: CORS preflight: browsers send OPTIONS without credentials, so it cannot carry an authorizer.
PREFLIGHT = "OPTIONS"

SPEC = Spec(
    control="EP-2",
    name="ep-2-rest-method-authorization",
    description=(
        "API Gateway REST methods set `authorization` to AWS_IAM, CUSTOM (Lambda authorizer) or "
        "COGNITO_USER_POOLS; NONE is a violation even with `apiKeyRequired` (an API key identifies a client, it "
        "does not authenticate one). OPTIONS methods (CORS preflight, sent without credentials) are exempt."
    ),
    remediation_steps=(
        'Set `authorization="AWS_IAM"` (SigV4 callers with an IAM policy on execute-api:Invoke), or '
        '`"COGNITO_USER_POOLS"` / `"CUSTOM"` with `authorizer_id` (JWT / Lambda authorizer).'
    ),
    resource_types=(METHOD,),
)


@resource_policy(SPEC)
def ep_2_rest_method_authorization(r: Resource) -> Iterable[str]:
    if str(r.get("httpMethod") or "").upper() == PREFLIGHT:
        return
    authorization = r.get("authorization")
    if str(authorization or "").upper() not in AUTHORIZED:
        yield (
            f"REST API method {r.name!r} ({r.get('httpMethod')}): authorization is {authorization!r}; it must be "
            "AWS_IAM, CUSTOM or COGNITO_USER_POOLS (API keys are not authentication)."
        )
