"""VEC-1: Vertex AI Vector Search index endpoints are private."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

INDEX_ENDPOINT = "gcp:vertex/aiIndexEndpoint:AiIndexEndpoint"

SPEC = Spec(
    control="VEC-1",
    name="vec-1-vertex-index-endpoint-private",
    description=(
        "A Vertex AI Vector Search index endpoint does not set publicEndpointEnabled true and is reachable "
        "privately: a peered `network` or privateServiceConnectConfig.enablePrivateServiceConnect true."
    ),
    remediation_steps=(
        "Remove `public_endpoint_enabled` and set `private_service_connect_config={'enable_private_service_connect':"
        " True, 'project_allowlists': [project]}` (or `network` for VPC peering; the two are mutually exclusive)."
    ),
    resource_types=(INDEX_ENDPOINT,),
)


@resource_policy(SPEC)
def vec_1_vertex_index_endpoint_private(r: Resource) -> Iterable[str]:
    if r.get("publicEndpointEnabled") is True:
        yield f"{r.type} {r.name!r}: publicEndpointEnabled is true; must be false (deployed indexes become public)."
    if not r.get("network") and r.get("privateServiceConnectConfig.enablePrivateServiceConnect") is not True:
        yield (
            f"{r.type} {r.name!r}: neither network nor privateServiceConnectConfig.enablePrivateServiceConnect is "
            "set; must use Private Service Connect or a peered VPC network."
        )
