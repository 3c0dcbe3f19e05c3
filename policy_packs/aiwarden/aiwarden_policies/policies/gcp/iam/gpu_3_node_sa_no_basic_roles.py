"""GPU-3: the service account of a GPU node pool holds no Owner/Editor role on the project.

A stack policy: node service accounts are the ``nodeConfig.serviceAccount`` emails of GPU node pools
(resources and cluster pools); project IAM resources of the stack (``IAMMember``, ``IAMBinding``,
``IAMPolicy``) are related by member ``serviceAccount:<email>``. The finding is reported on the IAM
resource that grants the role.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.gcp_iam import Grant, grants
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


def _node_accounts(s: Stack) -> dict[str, list[str]]:
    """``serviceAccount:<email>`` member → labels of the GPU pools that run as it."""
    found: dict[str, list[str]] = {}
    for raw in s.of_type(*TYPES):
        for pool in pools(s.resource(raw)):
            account = pool.get("nodeConfig.serviceAccount") if pool.gpu else None
            if account:
                found.setdefault(f"serviceAccount:{account}", []).append(pool.label)
    return found


def _grants(s: Stack) -> Iterator[tuple[Any, Grant]]:
    """(IAM resource, grant) of every project-level grant of a basic role."""
    for type_ in (MEMBER, BINDING, POLICY):
        for r in s.of_type(type_):
            yield from ((r, g) for g in grants(type_, r.props) if g.role in BASIC_ROLES)


@stack_policy(SPEC)
def gpu_3_gke_node_sa_no_basic_roles(s: Stack) -> Iterable[tuple[str, str | None]]:
    accounts = _node_accounts(s)
    if not accounts:
        return
    for resource, grant in _grants(s):
        for member in grant.members:
            if member in accounts:
                yield (
                    f"Project IAM {resource.name!r} grants {grant.role} to {member}, the node service account of "
                    f"GKE GPU {', '.join(accounts[member])}; node accounts must not hold basic roles.",
                    resource.urn,
                )
