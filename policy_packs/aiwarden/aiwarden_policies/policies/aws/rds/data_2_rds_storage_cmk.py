"""DATA-2: sensitive RDS / Aurora storage is encrypted with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

CLUSTER = "aws:rds/cluster:Cluster"
INSTANCE = "aws:rds/instance:Instance"

SPEC = Spec(
    control="DATA-2",
    name="data-2-rds-storage-cmk",
    description=(
        "A confidential, restricted or unclassified RDS DB instance or DB cluster (Aurora, Multi-AZ cluster; "
        "pgvector stores) sets storageEncrypted true (AWS default: false; true only for Aurora Serverless v1 "
        "clusters) and a kmsKeyId (absent: the AWS-managed aws/rds key)."
    ),
    remediation_steps=(
        "Set `storage_encrypted=True` and `kms_key_id=key.arn` with a customer-managed `aws.kms.Key("
        "enable_key_rotation=True)`. Encryption of an existing database cannot be changed in place: restore "
        "an encrypted snapshot copy into a new instance or cluster."
    ),
    resource_types=(CLUSTER, INSTANCE),
    security_hub=("RDS.3", "RDS.27"),
)


def _encrypted_by_default(r: Resource) -> bool:
    # Aurora Serverless v1 (engineMode "serverless") clusters are always encrypted.
    return r.type == CLUSTER and r.get("engineMode") == "serverless"


@resource_policy(SPEC)
def data_2_rds_storage_cmk(r: Resource) -> Iterable[str]:
    if not r.sensitive:
        return
    label = f"{r.type} {r.name!r} ({r.classification or 'unclassified'})"
    if not r.has("storageEncrypted"):
        if not _encrypted_by_default(r):
            yield f"{label}: storageEncrypted is not set (AWS default: false); must be true."
    elif r.get("storageEncrypted") is not True:
        yield f"{label}: storageEncrypted is {r.get('storageEncrypted')!r}; must be true."
    if not r.get("kmsKeyId"):
        yield f"{label}: kmsKeyId is not set (AWS default: the AWS-managed aws/rds key); must name a customer-managed key."
