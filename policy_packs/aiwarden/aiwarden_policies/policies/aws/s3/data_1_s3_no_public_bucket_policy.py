"""DATA-1: no S3 bucket policy allows a wildcard principal without a narrowing condition."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.contract import iam
from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.s3 import BUCKETS, POLICY

SPEC = Spec(
    control="DATA-1",
    name="data-1-s3-no-public-bucket-policy",
    description=(
        "An S3 BucketPolicy (or the deprecated inline Bucket `policy`) has no Allow statement for a wildcard "
        "principal (`*`, `AWS: *`) unless a condition narrows it (aws:SourceVpce, aws:PrincipalOrgID, "
        "aws:PrincipalAccount, aws:SourceAccount, aws:SourceArn, ...)."
    ),
    remediation_steps=(
        "Name the roles that need access in `Principal`, or narrow the statement with a condition such as "
        "`aws:SourceVpce` (a VPC endpoint) or `aws:PrincipalOrgID`. Deny statements with a wildcard principal "
        "(the TLS-only deny) are fine."
    ),
    resource_types=BUCKETS + POLICY,
    security_hub=("S3.2", "S3.3"),
)


@resource_policy(SPEC)
def data_1_s3_no_public_bucket_policy(r: Resource) -> Iterable[str]:
    for statement in iam.allow_statements(r.get("policy")):
        if statement.wildcard_principal and not iam.restricting_condition(statement):
            sid = f" (Sid {statement.sid!r})" if statement.sid else ""
            actions = ", ".join(statement.actions or statement.not_actions) or "no action"
            yield (
                f"{r.type} {r.name!r}: policy Allow statement{sid} grants {actions} to a wildcard principal "
                "without a narrowing condition; must name principals or restrict by aws:SourceVpce / "
                "aws:PrincipalOrgID / aws:PrincipalAccount."
            )
