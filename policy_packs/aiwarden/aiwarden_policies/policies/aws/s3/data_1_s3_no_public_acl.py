"""DATA-1: no S3 bucket ACL grants access to everyone or to every AWS account."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.s3 import ACL, BUCKETS

#: Canned ACLs that grant the AllUsers or AuthenticatedUsers group (absent acl = "private").
PUBLIC_CANNED = frozenset({"public-read", "public-read-write", "authenticated-read"})
#: Grantee group URIs (http://acs.amazonaws.com/groups/global/<group>).
PUBLIC_GROUPS = ("/global/AllUsers", "/global/AuthenticatedUsers")

SPEC = Spec(
    control="DATA-1",
    name="data-1-s3-no-public-acl",
    description=(
        "An S3 bucket (inline `acl` / `grants`) or BucketAcl (`acl` / `accessControlPolicy.grants`) grants no "
        "access to the AllUsers or AuthenticatedUsers groups (canned ACLs public-read, public-read-write, "
        "authenticated-read)."
    ),
    remediation_steps=(
        "Remove the public canned ACL and the AllUsers/AuthenticatedUsers grants; disable ACLs altogether with "
        "`aws.s3.BucketOwnershipControls(rule={'object_ownership': 'BucketOwnerEnforced'})` and grant access "
        "with IAM policies to named roles."
    ),
    resource_types=BUCKETS + ACL,
    security_hub=("S3.2", "S3.3"),
)


def _public_grantees(grants: Iterable[Any], grantee_key: str | None) -> list[str]:
    found = []
    for grant in grants or []:
        grantee = grant.get(grantee_key) if grantee_key else grant
        uri = str(grantee.get("uri") or "") if isinstance(grantee, Mapping) else ""
        if uri.endswith(PUBLIC_GROUPS):
            found.append(uri)
    return found


@resource_policy(SPEC)
def data_1_s3_no_public_acl(r: Resource) -> Iterable[str]:
    acl = r.get("acl")
    if acl in PUBLIC_CANNED:
        yield f"{r.type} {r.name!r}: acl is {acl!r}; must be 'private' (or unset, with ACLs disabled)."
    if r.type in BUCKETS:
        where, uris = "grants", _public_grantees(r.get("grants") or [], None)
    else:
        where, uris = (
            "accessControlPolicy.grants",
            _public_grantees(r.get("accessControlPolicy.grants") or [], "grantee"),
        )
    for uri in uris:
        yield f"{r.type} {r.name!r}: {where} grants access to {uri}; must grant no public group."
