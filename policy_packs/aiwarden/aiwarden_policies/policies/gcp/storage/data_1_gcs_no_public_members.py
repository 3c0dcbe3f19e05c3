"""DATA-1: no GCS bucket, managed folder or object grant goes to allUsers or allAuthenticatedUsers."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gcp_iam import grants

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


def _public(r: Resource) -> Iterable[tuple[str, str]]:
    """(property, value) pairs that make the grant public."""
    if r.type in MEMBER + BINDING + POLICY:
        yield from ((grant.prop, member) for grant in grants(r.type, r.props) for member in grant.members)
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
