"""VEC-1: RDS / Aurora databases (pgvector stores) are not publicly accessible."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

CLUSTER = "aws:rds/cluster:Cluster"
INSTANCE = "aws:rds/instance:Instance"
CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
#: Engines of Multi-AZ DB clusters, the only clusters with a cluster-level publiclyAccessible.
MULTI_AZ_CLUSTER_ENGINES = frozenset({"mysql", "postgres"})

SPEC = Spec(
    control="VEC-1",
    name="vec-1-rds-not-publicly-accessible",
    description=(
        "RDS DB instances and Aurora cluster instances do not set publiclyAccessible true (provider default: "
        "false). Multi-AZ DB clusters (engine mysql/postgres) do not set it true either, and set it false "
        "explicitly when they have no db subnet group or the `default` one (AWS then defaults to true)."
    ),
    remediation_steps=(
        "Set `publicly_accessible=False`, place the database in a private `db_subnet_group_name`, and reach it "
        "from the workload's security group only."
    ),
    resource_types=(CLUSTER, INSTANCE, CLUSTER_INSTANCE),
    security_hub=("RDS.2",),
)


@resource_policy(SPEC)
def vec_1_rds_not_publicly_accessible(r: Resource) -> Iterable[str]:
    if r.type == CLUSTER and r.get("engine") not in MULTI_AZ_CLUSTER_ENGINES:
        return  # Aurora: exposure is set on each aws:rds/clusterInstance:ClusterInstance
    value = r.get("publiclyAccessible")
    if value is True:
        yield f"{r.type} {r.name!r}: publiclyAccessible is true; must be false."
    elif value is None and r.type == CLUSTER and (r.get("dbSubnetGroupName") or "default") == "default":
        yield (
            f"{r.type} {r.name!r}: publiclyAccessible is not set and dbSubnetGroupName is "
            f"{r.get('dbSubnetGroupName') or 'not set'} (AWS default then: true); must be false."
        )
