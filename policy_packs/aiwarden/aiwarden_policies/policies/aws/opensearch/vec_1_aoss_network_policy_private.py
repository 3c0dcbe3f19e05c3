"""VEC-1: OpenSearch Serverless network policies do not open collections to the internet."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.opensearch_serverless import (
    SECURITY_POLICY,
    documents,
    resources,
)

SPEC = Spec(
    control="VEC-1",
    name="vec-1-aoss-network-policy-private",
    description=(
        "An OpenSearch Serverless security policy of type `network` has no rule set with AllowFromPublic true: "
        "collection and dashboard endpoints are reachable only from the listed VPC endpoints (SourceVPCEs) or "
        "AWS services (SourceServices)."
    ),
    remediation_steps=(
        'Set `"AllowFromPublic": false` with `"SourceVPCEs": [vpc_endpoint.id]` (an '
        "`aws.opensearch.ServerlessVpcEndpoint` in the workload VPC) in every rule set of the network policy."
    ),
    resource_types=(SECURITY_POLICY,),
)


@resource_policy(SPEC)
def vec_1_aoss_network_policy_private(r: Resource) -> Iterable[str]:
    if r.get("type") != "network":
        return
    for index, document in enumerate(documents(r.get("policy"))):
        # AllowFromPublic absent: no public access is granted by this rule set.
        if document.get("AllowFromPublic") is True:
            targets = ", ".join(resources(document)) or "no resource"
            yield (
                f"{r.type} {r.name!r}: policy[{index}] sets AllowFromPublic true for {targets}; must be false "
                "with SourceVPCEs."
            )
