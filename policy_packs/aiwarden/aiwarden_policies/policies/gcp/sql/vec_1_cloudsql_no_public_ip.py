"""VEC-1: Cloud SQL instances (pgvector stores) have no public IP and no world-open authorized network."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.network import world_cidrs

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"

SPEC = Spec(
    control="VEC-1",
    name="vec-1-cloudsql-no-public-ip",
    description=(
        "A Cloud SQL instance sets settings.ipConfiguration.ipv4Enabled false (provider default: true, a public "
        "IPv4 address) and lists no 0.0.0.0/0 or ::/0 in settings.ipConfiguration.authorizedNetworks."
    ),
    remediation_steps=(
        "Set `settings.ip_configuration={'ipv4_enabled': False, 'private_network': network.id}` (private "
        "services access) or use Private Service Connect (`psc_configs`); remove world-open authorized networks."
    ),
    resource_types=(INSTANCE,),
)


@resource_policy(SPEC)
def vec_1_cloudsql_no_public_ip(r: Resource) -> Iterable[str]:
    where = "settings.ipConfiguration"
    if not r.has(f"{where}.ipv4Enabled"):
        yield f"{r.type} {r.name!r}: {where}.ipv4Enabled is not set (provider default: true, public IP); must be false."
    elif r.get(f"{where}.ipv4Enabled") is not False:
        yield f"{r.type} {r.name!r}: {where}.ipv4Enabled is {r.get(where + '.ipv4Enabled')!r}; must be false."
    for index, network in enumerate(r.get(f"{where}.authorizedNetworks") or []):
        for cidr in world_cidrs(network.get("value")):
            yield f"{r.type} {r.name!r}: {where}.authorizedNetworks[{index}].value is {cidr}; must not open to the world."
