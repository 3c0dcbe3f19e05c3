"""DATA-1: no GCS bucket, managed folder or object grant goes to allUsers or allAuthenticatedUsers."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib import iam

PUBLIC_PRINCIPALS = frozenset({"allUsers", "allAuthenticatedUsers"})
#: Canned ACLs that grant allUsers / allAuthenticatedUsers.
PUBLIC_CANNED = frozenset({"publicRead", "publicReadWrite", "authenticatedRead"})

MEMBER = (
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:storage/managedFolderIamMember:ManagedFolderIamMember",
)
BINDING = (
    "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    "gcp:storage/managedFolderIamBinding:ManagedFolderIamBinding",
)
POLICY = (
    "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
    "gcp:storage/managedFolderIamPolicy:ManagedFolderIamPolicy",
)
ENTITY = (
    "gcp:storage/bucketAccessControl:BucketAccessControl",
    "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl",
    "gcp:storage/objectAccessControl:ObjectAccessControl",
)
ROLE_ENTITIES = (
    "gcp:storage/bucketACL:BucketACL",
    "gcp:storage/defaultObjectACL:DefaultObjectACL",
    "gcp:storage/objectACL:ObjectACL",
)

SPEC = Spec(
    control="DATA-1",
    name="data-1-gcs-no-public-members",
    description=(
        "GCS IAM grants (BucketIAMMember/Binding/Policy, ManagedFolderIam*) and ACLs (BucketAccessControl, "
        "DefaultObjectAccessControl, ObjectAccessControl, BucketACL, DefaultObjectACL, ObjectACL) name no "
        "allUsers or allAuthenticatedUsers member and no public canned ACL (publicRead, publicReadWrite, "
        "authenticatedRead)."
    ),
    remediation_steps=(
        "Grant the role to named service accounts or groups instead of allUsers/allAuthenticatedUsers; serve "
        "public content through a separate, explicitly public bucket outside the AI data stack. With uniform "
        "bucket-level access and public access prevention enforced, ACL resources are not needed."
    ),
    resource_types=MEMBER + BINDING + POLICY + ENTITY + ROLE_ENTITIES,
)


def _policy_members(document: object) -> list[str]:
    doc = iam.parse(document) or {}
    return [str(m) for binding in doc.get("bindings") or [] for m in binding.get("members") or []]


def _public(r: Resource) -> Iterable[tuple[str, str]]:
    """(property, value) pairs that make the grant public."""
    if r.type in MEMBER:
        yield "member", str(r.get("member") or "")
    elif r.type in BINDING:
        yield from (("members", str(m)) for m in r.get("members") or [])
    elif r.type in POLICY:
        yield from (("policyData", m) for m in _policy_members(r.get("policyData")))
    elif r.type in ENTITY:
        yield "entity", str(r.get("entity") or "")
    else:
        yield from (("roleEntities", str(e)) for e in r.get("roleEntities") or [])
        for key in ("predefinedAcl", "defaultAcl"):
            if r.get(key) in PUBLIC_CANNED:
                yield key, str(r.get(key))


@resource_policy(SPEC)
def data_1_gcs_no_public_members(r: Resource) -> Iterable[str]:
    for prop, value in _public(r):
        principal = value.rsplit(":", 1)[-1]  # roleEntities are ROLE:entity
        if principal in PUBLIC_PRINCIPALS or value in PUBLIC_CANNED:
            yield (
                f"{r.type} {r.name!r}: {prop} grants {value!r}; must name specific service accounts or groups "
                "(no allUsers, allAuthenticatedUsers or public canned ACL)."
            )
