"""SEC-3: Secret Manager IAM grants go to named identities, never to the public or a whole domain.

Types: ``SecretIamMember`` (``member``), ``SecretIamBinding`` (``members``), ``SecretIamPolicy``
(``policyData`` JSON ``bindings[].members``) and their ``RegionalSecret*`` counterparts. Broad
members, whatever the role: ``allUsers``, ``allAuthenticatedUsers``, ``domain:<domain>``, the
convenience members ``projectOwner:`` / ``projectEditor:`` / ``projectViewer:`` and a
``principalSet://`` of a whole workload identity pool (ending ``/*``). Users, groups and service
accounts are named identities (human access through groups is reviewed by other means).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gcp_iam import grants

MEMBER_TYPES = (
    "gcp:secretmanager/secretIamMember:SecretIamMember",
    "gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember",
)
BINDING_TYPES = (
    "gcp:secretmanager/secretIamBinding:SecretIamBinding",
    "gcp:secretmanager/regionalSecretIamBinding:RegionalSecretIamBinding",
)
POLICY_TYPES = (
    "gcp:secretmanager/secretIamPolicy:SecretIamPolicy",
    "gcp:secretmanager/regionalSecretIamPolicy:RegionalSecretIamPolicy",
)
_BROAD_EXACT = frozenset({"allusers", "allauthenticatedusers"})
_BROAD_PREFIXES = ("domain:", "projectowner:", "projecteditor:", "projectviewer:")

SPEC = Spec(
    control="SEC-3",
    name="sec-3-gcp-secret-iam-no-broad-members",
    description=(
        "Secret Manager secret IAM grants no role to allUsers, allAuthenticatedUsers, a whole domain, "
        "project convenience members or a whole workload identity pool."
    ),
    remediation_steps=(
        "Grant `roles/secretmanager.secretAccessor` on the secret to the workload's dedicated service account "
        "(`serviceAccount:<name>@<project>.iam.gserviceaccount.com`) or a single federated principal "
        "(`principal://...`), never to allUsers / allAuthenticatedUsers / domain: / projectViewer: members."
    ),
    resource_types=(*MEMBER_TYPES, *BINDING_TYPES, *POLICY_TYPES),
)


def broad_member(member: str) -> bool:
    m = member.strip().lower()
    return (
        m in _BROAD_EXACT
        or m.startswith(_BROAD_PREFIXES)
        or (m.startswith("principalset://") and m.endswith("/*"))
    )


@resource_policy(SPEC)
def sec_3_gcp_secret_iam_no_broad_members(r: Resource) -> Iterable[str]:
    for grant in grants(r.type, r.props):
        broad = [m for m in grant.members if broad_member(m)]
        if broad:
            yield f"{r.type} {r.name!r}: grants {grant.role} to {', '.join(broad)}; grant it to named service accounts."
