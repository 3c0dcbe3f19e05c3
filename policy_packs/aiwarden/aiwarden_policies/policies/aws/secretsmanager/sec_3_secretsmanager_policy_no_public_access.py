"""SEC-3: Secrets Manager resource policies name their principals and block public policies.

Documents read: ``policy`` of ``aws:secretsmanager/secretPolicy:SecretPolicy`` and the inline
``policy`` of ``aws:secretsmanager/secret:Secret``. An Allow statement to a wildcard principal
(``"*"``, ``{"AWS": "*"}``) is a violation unless a condition restricts the caller
(``lib.iam.restricting_condition``: aws:PrincipalOrgID, aws:PrincipalArn, aws:SourceVpce, ...).

``SecretPolicy.blockPublicPolicy`` must be true: absent means false (AWS PutResourcePolicy default:
"By default, public policies aren't blocked"; the SDK docs state no default). Remediation sets it
to true in place (an update of the policy, no replacement).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiwarden_policies.contract import iam
from aiwarden_policies.framework import Resource, Spec, resource_policy

SECRET_POLICY = "aws:secretsmanager/secretPolicy:SecretPolicy"
SECRET = "aws:secretsmanager/secret:Secret"

SPEC = Spec(
    control="SEC-3",
    name="sec-3-secretsmanager-policy-no-public-access",
    description=(
        "Secrets Manager resource policies allow no wildcard principal without a restricting condition, and "
        "SecretPolicy sets blockPublicPolicy=true."
    ),
    remediation_steps=(
        'Name the workload roles in `Principal` (`{"AWS": role.arn}`) or keep the wildcard only with '
        "`aws:PrincipalArn` / `aws:PrincipalOrgID` / `aws:SourceVpce` conditions, and set "
        "`block_public_policy=True` on `aws.secretsmanager.SecretPolicy` (in REMEDIATE mode the pack sets it)."
    ),
    resource_types=(SECRET_POLICY, SECRET),
)


def public_statements(document: Any) -> list[str]:
    found = []
    for i, st in enumerate(iam.allow_statements(document)):
        if st.wildcard_principal and not iam.restricting_condition(st):
            found.append(
                f"statement {st.sid or i} allows {', '.join(st.actions) or 'NotAction'} to Principal *"
            )
    return found


def remediate(r: Resource) -> dict[str, Any] | None:
    if r.type != SECRET_POLICY or r.get("blockPublicPolicy") is True:
        return None
    return r.updated({"blockPublicPolicy": True})


@resource_policy(SPEC, remediate=remediate)
def sec_3_secretsmanager_policy_no_public_access(r: Resource) -> Iterable[str]:
    for problem in public_statements(r.get("policy")):
        yield f"{r.type} {r.name!r}: policy {problem} without a restricting condition; name the principals."
    if r.type == SECRET_POLICY:
        block = r.get("blockPublicPolicy")
        if block is None:
            yield f"{r.type} {r.name!r}: blockPublicPolicy is not set (AWS default: false); it must be true."
        elif block is not True:
            yield f"{r.type} {r.name!r}: blockPublicPolicy is {block!r}; it must be true."
