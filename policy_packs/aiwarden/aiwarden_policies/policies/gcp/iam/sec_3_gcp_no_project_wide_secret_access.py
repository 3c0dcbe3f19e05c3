"""SEC-3: Secret Manager read roles are granted on secrets, not on a whole project, folder or organization.

Types: ``gcp:projects/iAMMember:IAMMember`` / ``iAMBinding:IAMBinding`` / ``iAMPolicy:IAMPolicy`` and
the folder and organization counterparts. A grant of ``roles/secretmanager.secretAccessor`` or
``roles/secretmanager.admin`` (both read secret payloads) at that level makes every secret below it
readable: a violation, unless its IAM condition scopes it to named secrets (the expression tests
``resource.name``). Other roles are other controls' business.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiwarden_policies.framework import Resource, Spec, get, resource_policy
from aiwarden_policies.lib.gcp_iam import grants

READ_ROLES = frozenset({"roles/secretmanager.secretAccessor", "roles/secretmanager.admin"})
#: type -> (scope property, scope word)
SCOPES: dict[str, tuple[str, str]] = {}
for _prefix, _prop, _word in (
    ("projects", "project", "project"),
    ("folder", "folder", "folder"),
    ("organizations", "orgId", "organization"),
):
    for _kind in ("iAMMember:IAMMember", "iAMBinding:IAMBinding", "iAMPolicy:IAMPolicy"):
        SCOPES[f"gcp:{_prefix}/{_kind}"] = (_prop, _word)

SPEC = Spec(
    control="SEC-3",
    name="sec-3-gcp-no-project-wide-secret-access",
    description=(
        "roles/secretmanager.secretAccessor and roles/secretmanager.admin are not granted on a project, folder "
        "or organization (every secret below it) without an IAM condition on resource.name."
    ),
    remediation_steps=(
        "Grant the role on each secret the workload needs (`gcp.secretmanager.SecretIamMember(secret_id=..., "
        "role='roles/secretmanager.secretAccessor', member='serviceAccount:...')`), or add an IAM condition "
        '`resource.name.startsWith("projects/<number>/secrets/<name>")` to the project-level grant.'
    ),
    resource_types=tuple(SCOPES),
)


def _scoped(condition: Any) -> bool:
    return "resource.name" in str(get(condition, "expression") or "")


@resource_policy(SPEC)
def sec_3_gcp_no_project_wide_secret_access(r: Resource) -> Iterable[str]:
    prop, word = SCOPES[r.type]
    for grant in grants(r.type, r.props):
        if grant.role in READ_ROLES and not _scoped(grant.condition):
            yield (
                f"{r.type} {r.name!r}: grants {grant.role} to {', '.join(grant.members)} on the whole {word} "
                f"{r.get(prop)!r}, so every secret in it is readable; grant it on the secret or add an IAM "
                "condition on resource.name."
            )
