"""VEC-1: RDS / Aurora databases (pgvector stores) authenticate callers with IAM."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

CLUSTER = "aws:rds/cluster:Cluster"
INSTANCE = "aws:rds/instance:Instance"
#: Engines without IAM database authentication (only MySQL, MariaDB, PostgreSQL and Aurora have it).
_NO_IAM_AUTH = ("oracle", "sqlserver", "db2", "custom-")

SPEC = Spec(
    control="VEC-1",
    name="vec-1-rds-iam-authentication",
    description=(
        "RDS DB instances and clusters of engines that support it (MySQL, MariaDB, PostgreSQL, Aurora) set "
        "iamDatabaseAuthenticationEnabled true (AWS default: false, password authentication only)."
    ),
    remediation_steps=(
        "Set `iam_database_authentication_enabled=True` (an in-place change) and let workloads connect with "
        "`rds-db:connect` tokens of their own role instead of a shared password."
    ),
    resource_types=(CLUSTER, INSTANCE),
    security_hub=("RDS.10", "RDS.12"),
)


@resource_policy(SPEC)
def vec_1_rds_iam_authentication(r: Resource) -> Iterable[str]:
    if str(r.get("engine") or "").startswith(_NO_IAM_AUTH):
        return
    if not r.has("iamDatabaseAuthenticationEnabled"):
        yield f"{r.type} {r.name!r}: iamDatabaseAuthenticationEnabled is not set (AWS default: false); must be true."
    elif r.get("iamDatabaseAuthenticationEnabled") is not True:
        yield (
            f"{r.type} {r.name!r}: iamDatabaseAuthenticationEnabled is "
            f"{r.get('iamDatabaseAuthenticationEnabled')!r}; must be true."
        )
