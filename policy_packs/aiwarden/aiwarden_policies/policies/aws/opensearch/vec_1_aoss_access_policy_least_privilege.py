"""VEC-1: OpenSearch Serverless data access policies name principals and scope permissions."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.contract.values import strings
from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.opensearch_serverless import ACCESS_POLICY, documents

#: Principals that stand for everyone: any principal, or any IAM principal of any account.
_WILDCARD_PREFIXES = ("arn:aws:iam::*",)
_ALL_PERMISSIONS = frozenset({"aoss:*", "*"})
_ALL_INDEXES = "index/*/*"

SPEC = Spec(
    control="VEC-1",
    name="vec-1-aoss-access-policy-least-privilege",
    description=(
        "An OpenSearch Serverless data access policy names no wildcard principal (`*`, `arn:aws:iam::*...`) and "
        "grants no `aoss:*` on `index/*/*` (every index of every collection)."
    ),
    remediation_steps=(
        "List the workload roles in `Principal` and grant each only the permissions it needs "
        "(aoss:ReadDocument, aoss:WriteDocument, aoss:DescribeIndex, ...) on `index/<collection>/<index>`."
    ),
    resource_types=(ACCESS_POLICY,),
)


@resource_policy(SPEC)
def vec_1_aoss_access_policy_least_privilege(r: Resource) -> Iterable[str]:
    if r.get("type") != "data":
        return
    for index, document in enumerate(documents(r.get("policy"))):
        for principal in strings(document.get("Principal")):
            if principal == "*" or principal.startswith(_WILDCARD_PREFIXES):
                yield f"{r.type} {r.name!r}: policy[{index}].Principal has {principal!r}; must name specific roles."
        for rule in document.get("Rules") or []:
            permissions = set(strings(rule.get("Permission")))
            if permissions & _ALL_PERMISSIONS and _ALL_INDEXES in strings(rule.get("Resource")):
                yield (
                    f"{r.type} {r.name!r}: policy[{index}] grants {', '.join(sorted(permissions & _ALL_PERMISSIONS))}"
                    f" on {_ALL_INDEXES}; must grant named permissions on named collections."
                )
