"""EP-1: REST APIs that front models are private, or their resource policy admits only VPC endpoints.

Stack policy: a REST API's resource policy is its ``policy`` input or an
``aws:apigateway/restApiPolicy:RestApiPolicy`` whose ``restApiId`` depends on it. An OpenAPI ``body``
that sets the endpoint type is not read: set ``endpointConfiguration`` explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from aiwarden_policies.contract import iam
from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.relations import referenced

REST_API = "aws:apigateway/restApi:RestApi"
REST_API_POLICY = "aws:apigateway/restApiPolicy:RestApiPolicy"
VPC_KEYS = frozenset({"aws:sourcevpce", "aws:sourcevpc"})

SPEC = Spec(
    control="EP-1",
    name="ep-1-rest-api-private",
    description=(
        "API Gateway REST APIs set `endpointConfiguration.types` to PRIVATE (absent means the AWS default, EDGE: "
        "a public edge-optimized endpoint), or carry a resource policy (`policy` or a RestApiPolicy) that admits "
        "only VPC endpoints: a Deny unless `aws:SourceVpce`/`aws:SourceVpc` matches, or every Allow conditioned "
        "on them."
    ),
    remediation_steps=(
        'Set `endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="PRIVATE", '
        'vpc_endpoint_ids=[...])` (with `put_rest_api_mode="merge"`) and a resource policy that denies '
        "`execute-api:Invoke` when `aws:SourceVpce` is not the platform's execute-api VPC endpoint."
    ),
    resource_types=(REST_API, REST_API_POLICY),
)


def _vpc_condition(st: iam.Statement, negated: bool) -> bool:
    """A condition on aws:SourceVpce/aws:SourceVpc with a negated (StringNotEquals...) or positive operator."""
    for operator, variables in st.conditions.items():
        if ("not" in operator.lower()) != negated or not isinstance(variables, Mapping):
            continue
        if any(key.lower() in VPC_KEYS for key in variables):
            return True
    return False


def limited_to_vpc(document: Any) -> bool:
    statements = iam.statements(document)
    if any(
        st.effect == "Deny" and st.wildcard_principal and _vpc_condition(st, negated=True)
        for st in statements
    ):
        return True
    allows = [st for st in statements if st.allows]
    return bool(allows) and all(_vpc_condition(st, negated=False) for st in allows)


@stack_policy(SPEC)
def ep_1_rest_api_private(s: Stack) -> Iterable[tuple[str, str | None]]:
    attached = s.of_type(REST_API_POLICY)

    def decide(api: Any) -> Iterator[str]:
        types = (api.props.get("endpointConfiguration") or {}).get("types")
        if types == "PRIVATE":
            return
        own = api.props.get("policy")
        # (attached to this API, limited to VPC endpoints) per RestApiPolicy; one unknown at preview may be the one
        policies = Readings(
            attached,
            lambda p: (
                (True, limited_to_vpc(p.props.get("policy")))
                if referenced(p, "restApiId", [api])
                else (False, False)
            ),
        )
        if (own and limited_to_vpc(own)) or any(limited for _, limited in policies.values()):
            return
        policies.require()
        documents = bool(own) or any(of_api for of_api, _ in policies.values())
        found = "is not set (AWS default: EDGE, public)" if types is None else f"is {types!r} (public)"
        policy = (
            "its resource policy does not limit callers to VPC endpoints"
            if documents
            else "it has no resource policy"
        )
        yield (
            f"REST API {api.name!r}: endpointConfiguration.types {found} and {policy} (aws:SourceVpce / "
            "aws:SourceVpc); it must be PRIVATE or admit only VPC endpoints."
        )

    yield from s.each(s.of_type(REST_API), decide)
