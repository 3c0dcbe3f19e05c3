"""SEC-2: Secrets Manager secrets are encrypted with a customer-managed KMS key.

``kmsKeyId`` absent means the AWS managed key ``aws/secretsmanager`` (AWS default); an
``alias/aws/...`` value (or an alias ARN ending in it) names an AWS managed key too. Each entry of
``replicas`` is encrypted in its region by its own ``kmsKeyId``, with the same default. A key id or
key ARN, or a customer alias, is accepted: which key it is cannot be told apart offline.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiwarden_policies.framework import Resource, Spec, get, resource_policy

SECRET = "aws:secretsmanager/secret:Secret"
DEFAULT_KEY = "aws/secretsmanager"

SPEC = Spec(
    control="SEC-2",
    name="sec-2-secretsmanager-secret-customer-managed-key",
    description=(
        "AWS Secrets Manager secrets (and their replicas) name a customer-managed KMS key in kmsKeyId, not the "
        "AWS managed key aws/secretsmanager."
    ),
    remediation_steps=(
        "Create a KMS key with rotation enabled and a key policy limited to the workload roles, and set "
        "`kms_key_id=key.arn` on the secret and on every `replicas[]` entry (a key in the replica's region). "
        "Changing the key re-encrypts new versions; keep the old key until older versions are no longer needed."
    ),
    resource_types=(SECRET,),
)


def aws_managed(key: str) -> bool:
    return "alias/aws/" in key


def _problem(where: str, key: Any) -> str | None:
    if not key:
        return f"{where} is not set (AWS default: the AWS managed key {DEFAULT_KEY})"
    if aws_managed(str(key)):
        return f"{where} is {key!r}, an AWS managed key"
    return None


@resource_policy(SPEC)
def sec_2_secretsmanager_secret_customer_managed_key(r: Resource) -> Iterable[str]:
    problems = [_problem("kmsKeyId", r.get("kmsKeyId"))]
    for i, replica in enumerate(r.get("replicas") or []):
        problems.append(
            _problem(f"replicas[{i}] ({get(replica, 'region', '?')}).kmsKeyId", get(replica, "kmsKeyId"))
        )
    for problem in problems:
        if problem:
            yield f"{r.type} {r.name!r}: {problem}; it must name a customer-managed KMS key."
