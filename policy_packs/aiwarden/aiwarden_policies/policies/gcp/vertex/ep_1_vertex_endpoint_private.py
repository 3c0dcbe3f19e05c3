"""EP-1: Vertex AI endpoints are private (a VPC network or Private Service Connect)."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

ENDPOINT = "gcp:vertex/aiEndpoint:AiEndpoint"

SPEC = Spec(
    control="EP-1",
    name="ep-1-vertex-endpoint-private",
    description=(
        "Vertex AI endpoints set `network` (VPC peering) or `privateServiceConnectConfig.enablePrivateServiceConnect`"
        " true (the two are mutually exclusive); absent both means the Google default: a public endpoint."
    ),
    remediation_steps=(
        "Set `private_service_connect_config=gcp.vertex.AiEndpointPrivateServiceConnectConfigArgs("
        'enable_private_service_connect=True, project_allowlists=[...])` or `network="projects/<number>/global/'
        'networks/<vpc>"`; both force a new endpoint.'
    ),
    resource_types=(ENDPOINT,),
)


@resource_policy(SPEC)
def ep_1_vertex_endpoint_private(r: Resource) -> Iterable[str]:
    if r.get("network"):
        return
    if r.get("privateServiceConnectConfig.enablePrivateServiceConnect") is True:
        return
    psc = (
        "privateServiceConnectConfig.enablePrivateServiceConnect is false"
        if r.get("privateServiceConnectConfig")
        else "privateServiceConnectConfig is not set"
    )
    yield (
        f"Vertex AI endpoint {r.name!r}: network is not set and {psc} (Google default: public endpoint); it must "
        "use a private network or Private Service Connect."
    )
