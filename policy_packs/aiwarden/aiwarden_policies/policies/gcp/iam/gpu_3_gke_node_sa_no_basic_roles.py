"""GPU-3: the service account of a GPU node pool holds no Owner/Editor role on the project.

A stack policy: node service accounts are the ``nodeConfig.serviceAccount`` emails of GPU node pools
(resources and cluster pools); project IAM resources of the stack (``IAMMember``, ``IAMBinding``,
``IAMPolicy``) are related by member ``serviceAccount:<email>``. The finding is reported on the IAM
resource that grants the role.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.gcp_iam import grants
from aiwarden_policies.lib.gke import TYPES, pools

MEMBER = "gcp:projects/iAMMember:IAMMember"
BINDING = "gcp:projects/iAMBinding:IAMBinding"
POLICY = "gcp:projects/iAMPolicy:IAMPolicy"
BASIC_ROLES = frozenset({"roles/owner", "roles/editor"})

SPEC = Spec(
    control="GPU-3",
    name="gpu-3-gke-node-sa-no-basic-roles",
    description=(
        "No project IAM member, binding or policy of the stack grants roles/owner or roles/editor to the "
        "service account of a GPU node pool."
    ),
    remediation_steps=(
        "Grant the node service account roles/container.defaultNodeServiceAccount (and Artifact Registry reader "
        "on the image repositories) instead of a basic role; give workloads their own Workload Identity "
        "service accounts for data access."
    ),
)


@stack_policy(SPEC)
def gpu_3_gke_node_sa_no_basic_roles(s: Stack) -> Iterable[tuple[str, str | None]]:
    accounts = Readings(s.of_type(*TYPES), partial(_node_accounts, s))
    members: dict[str, list[str]] = {}
    for found in accounts.values():
        for member, label in found:
            members.setdefault(member, []).append(label)
    if not members and not accounts.unknown:
        return

    def decide(resource: Any) -> Iterator[str]:
        other_accounts = False
        for grant in grants(resource.resource_type, resource.props):
            if grant.role not in BASIC_ROLES:
                continue
            for member in grant.members:
                if member in members:
                    yield (
                        f"Project IAM {resource.name!r} grants {grant.role} to {member}, the node service account "
                        f"of GKE GPU {', '.join(members[member])}; node accounts must not hold basic roles."
                    )
                elif member.startswith("serviceAccount:"):
                    other_accounts = True
        if other_accounts:
            accounts.require()  # a pool unknown at preview may run as one of them

    yield from s.each([r for type_ in (MEMBER, BINDING, POLICY) for r in s.of_type(type_)], decide)


def _node_accounts(s: Stack, raw: Any) -> list[tuple[str, str]]:
    """(``serviceAccount:<email>`` member, pool label) of the GPU pools of a cluster or node pool resource."""
    return [
        (f"serviceAccount:{account}", pool.label)
        for pool in pools(s.resource(raw))
        if pool.gpu and (account := pool.get("nodeConfig.serviceAccount"))
    ]
