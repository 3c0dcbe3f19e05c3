"""LOG-2: CloudWatch log groups are encrypted with a customer-managed KMS key.

Every log group of the stack is in scope (endpoint access logs carry caller identities and request
metadata of an AI workload).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"

SPEC = Spec(
    control="LOG-2",
    name="log-2-log-group-cmk",
    description=(
        "CloudWatch log groups set `kmsKeyId` to a customer-managed KMS key (absent means the AWS default: "
        "CloudWatch Logs service-owned encryption, which cannot be scoped, audited or revoked)."
    ),
    remediation_steps=(
        "Set `kms_key_id` to a customer-managed key whose key policy lets `logs.<region>.amazonaws.com` use it for "
        "this log group's ARN (encryption context `aws:logs:arn`)."
    ),
    resource_types=(LOG_GROUP,),
)


@resource_policy(SPEC)
def log_2_log_group_cmk(r: Resource) -> Iterable[str]:
    if not r.get("kmsKeyId"):  # AWS default: service-owned key
        yield (
            f"CloudWatch log group {r.name!r}: kmsKeyId is not set (AWS default: service-owned encryption); it "
            "must name a customer-managed KMS key."
        )
