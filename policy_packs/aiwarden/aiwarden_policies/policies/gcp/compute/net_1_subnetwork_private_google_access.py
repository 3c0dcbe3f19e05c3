"""NET-1: GCP subnetworks reach Google APIs through Private Google Access, not the internet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiwarden_policies.framework import Resource, Spec, resource_policy

SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
#: Purposes of subnets that run VMs and pods (absent means PRIVATE); proxy-only, PSC and NAT subnets
#: cannot enable Private Google Access.
_WORKLOAD_PURPOSES = frozenset({"PRIVATE"})

SPEC = Spec(
    control="NET-1",
    name="net-1-subnetwork-private-google-access",
    description=(
        "Workload subnetworks (`purpose` PRIVATE or absent) set `privateIpGoogleAccess: true` (GCP default: "
        "false), so that VMs, nodes and notebooks without external IPs reach Google APIs privately. "
        "Subnetworks carry no labels: every one is held to the sensitive standard."
    ),
    remediation_steps=(
        "Set `private_ip_google_access=True` on the subnetwork (an in-place update; REMEDIATE mode does it) "
        "and route `private.googleapis.com` / `restricted.googleapis.com` through Cloud DNS."
    ),
    resource_types=(SUBNETWORK,),
)


def _applies(r: Resource) -> bool:
    return str(r.get("purpose") or "PRIVATE").upper() in _WORKLOAD_PURPOSES and r.sensitive


def remediate(r: Resource) -> Mapping[str, Any] | None:
    if not _applies(r) or r.get("privateIpGoogleAccess") is True:
        return None
    return r.updated({"privateIpGoogleAccess": True})


@resource_policy(SPEC, remediate=remediate)
def net_1_subnetwork_private_google_access(r: Resource) -> Iterable[str]:
    if not _applies(r):
        return
    value = r.get("privateIpGoogleAccess")
    if value is not True:
        found = "is not set (GCP default: false)" if value is None else f"is {value!r}"
        yield f"{r.type} {r.name!r}: privateIpGoogleAccess {found}; must be true."
