"""Access grants, one shape on every cloud: ``access: dict[Slug, Grant[<principal>, <roles>]]``.

A grant is a named principal and a role. The map key names the grant (child resources that a grant
creates are named after it); the principal is the cloud's own kind of principal, always under the
field name ``principal``:

- AWS: an IAM principal ARN (``PrincipalArn``: a role, user or account root; ``RoleArn`` where the
  component attaches a policy to the role);
- GCP: an IAM member naming one principal (``Member``: ``user:``, ``group:``, ``serviceAccount:``;
  ``ServiceAccountMember`` where a workload identity is required);
- Kubernetes: a ``ServiceAccountRef`` (namespace and name).

Wildcards, anonymous and domain-wide principals and default service accounts are refused by the
principal types. Roles come from one vocabulary (``Role``); each component accepts a subset, written
in its field type (``Grant[PrincipalArn, Literal["read", "write"]]``), and refuses any other role
naming the field and the roles it accepts. What a role grants on a given resource is in the
component's field description.

Settings that belong to one principal (AWS EKS Pod Identity, GCP Workload Identity bindings) are
optional fields of a component's own grant class, a subclass of ``Grant``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from components._common.type_names import type_name

Role = Literal["read", "write", "use", "invoke", "admin"]

#: What each role means, whatever the resource (a component's field description says what it grants there).
ROLES: dict[str, str] = {
    "read": "Read the data the resource holds: objects, documents, secret values; query an index.",
    "write": "Read, and create or update data (objects, documents, secret versions, indexes); "
    "never delete the resource itself.",
    "use": "Use the resource without being given its contents: encrypt and decrypt with a key; log in to a "
    "database (what the login may read is granted inside the database).",
    "invoke": "Call the resource's API: a model endpoint, a model API, an inference service.",
    "admin": "Manage the resource: its configuration and its grants (not its data, unless the resource says so).",
}

P = TypeVar("P")
R = TypeVar("R", bound=Role)

_K8S_LABEL = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"
_K8S_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$"


class Grant(BaseModel, Generic[P, R]):
    """One principal and what it may do on the resource (``role``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    principal: P = Field(
        description="Who: AWS an IAM principal ARN; GCP an IAM member (`serviceAccount:`, `group:`, `user:`); "
        "Kubernetes a ServiceAccountRef. Strings are checked; AWS ARNs may be Outputs (passed through)."
    )
    role: R = Field(
        description="What: one of the roles the component accepts (read, write, use, invoke, admin)."
    )

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """``Grant[PrincipalArn, Literal['read', 'write']]``: the name in errors, docs and JSON schema titles."""
        return f"{cls.__name__}[{', '.join(type_name(p) for p in params)}]"


class ServiceAccountRef(BaseModel):
    """A Kubernetes ServiceAccount: the principal of Kubernetes grants, and the workload identity that AWS EKS Pod
    Identity and GKE Workload Identity bind to a cloud principal."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    namespace: str = Field(
        pattern=_K8S_LABEL, description="Namespace of the service account (RFC 1123 label)."
    )
    name: str = Field(pattern=_K8S_SUBDOMAIN, description="Name of the service account (RFC 1123 subdomain).")


def principals(access: Mapping[str, Grant[Any, Any]], *roles: str) -> list[Any]:
    """The principals of the grants with one of ``roles`` (every grant when none), in order, each once."""
    found: list[Any] = []
    for grant in access.values():
        if roles and grant.role not in roles:
            continue
        if not any(_same(grant.principal, seen) for seen in found):
            found.append(grant.principal)
    return found


def only(access: Mapping[str, Grant[Any, Any]], role: str, unless: Iterable[str]) -> list[Any]:
    """Principals granted ``role`` and none of the roles ``unless`` (e.g. readers that are not writers)."""
    others = principals(access, *unless)
    return [p for p in principals(access, role) if not any(_same(p, o) for o in others)]


def _same(a: Any, b: Any) -> bool:
    """Equal strings, or the very same Output (Outputs cannot be compared before they resolve)."""
    return a is b or (isinstance(a, str) and isinstance(b, str) and a == b)
