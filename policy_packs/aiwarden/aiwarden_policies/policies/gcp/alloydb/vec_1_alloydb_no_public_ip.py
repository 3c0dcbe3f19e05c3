"""VEC-1: AlloyDB instances (pgvector stores) have no public IP and no world-open authorized network."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.network import world_cidrs

INSTANCE = "gcp:alloydb/instance:Instance"

SPEC = Spec(
    control="VEC-1",
    name="vec-1-alloydb-no-public-ip",
    description=(
        "An AlloyDB instance does not set networkConfig.enablePublicIp true (GCP default: false, private IP "
        "only) and lists no 0.0.0.0/0 or ::/0 in networkConfig.authorizedExternalNetworks."
    ),
    remediation_steps=(
        "Remove `network_config.enable_public_ip` and the authorized external networks; reach the instance "
        "over private services access or Private Service Connect (`psc_instance_config`)."
    ),
    resource_types=(INSTANCE,),
)


@resource_policy(SPEC)
def vec_1_alloydb_no_public_ip(r: Resource) -> Iterable[str]:
    if r.get("networkConfig.enablePublicIp") is True:
        yield f"{r.type} {r.name!r}: networkConfig.enablePublicIp is true; must be false (private IP only)."
    for index, network in enumerate(r.get("networkConfig.authorizedExternalNetworks") or []):
        for cidr in world_cidrs(network.get("cidrRange")):
            yield (
                f"{r.type} {r.name!r}: networkConfig.authorizedExternalNetworks[{index}].cidrRange is {cidr}; "
                "must not open to the world."
            )
