"""DATA-2: the storage volumes of sensitive SageMaker endpoints are encrypted with a customer-managed key.

Decisions:
- Applies to confidential, restricted and unclassified endpoint configurations (``Resource.sensitive``).
- Absent ``kmsKeyArn`` is the AWS default: the ML storage volume is encrypted with an AWS-managed key that
  cannot be scoped, audited per caller or revoked.
- Instance types with local NVMe instance storage (a ``d`` in the family, e.g. ml.g4dn, ml.p4d, ml.m5d; and
  ml.g5, ml.g6, ml.g6e, ml.gr6, ml.p5*, ml.trn1*, ml.trn2) have no EBS volume: their local storage is
  encrypted by a hardware module, and AWS refuses ``KmsKeyId`` when any variant (production or shadow)
  uses one (CreateEndpointConfig fails). Such a configuration needs no key here. Serverless variants
  (``serverlessConfig``, no instance type) are held to the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aiwarden_policies.contract.values import items
from aiwarden_policies.framework import Resource, Spec, get, resource_policy

ENDPOINT_CONFIGURATION = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
VARIANT_LISTS = ("productionVariants", "shadowProductionVariants")

#: Families with NVMe instance storage and no "d" in their name (the SageMaker Python SDK's
#: ``volume_size_supported`` rule: a "d" in the family, or g5; plus the later families with instance storage).
_LOCAL_STORAGE_FAMILIES = re.compile(r"^(g5|g6|g6e|gr6|p5|p5e|p5en|trn1|trn1n|trn2)$")


def local_storage(instance_type: str) -> bool:
    """Whether a SageMaker instance type (``ml.g5.xlarge``) has local NVMe instance storage instead of EBS."""
    parts = instance_type.split(".")
    if len(parts) != 3 or parts[0] != "ml":
        return False
    family = parts[1]
    return "d" in family or bool(_LOCAL_STORAGE_FAMILIES.match(family))


SPEC = Spec(
    control="DATA-2",
    name="data-2-sagemaker-endpoint-config-cmk",
    description=(
        f"A confidential, restricted or unclassified `{ENDPOINT_CONFIGURATION}` sets `kmsKeyArn` to a "
        "customer-managed KMS key (absent: the storage volume is encrypted with an AWS-managed key). "
        "Configurations whose variants use instance types with local NVMe storage (ml.g5, ml.p4d, ml.*d, ...) are "
        "exempt: AWS encrypts that storage in hardware and refuses a key."
    ),
    remediation_steps=(
        "Set `kms_key_arn=key.arn` with a customer-managed `aws.kms.Key(enable_key_rotation=True)` whose key "
        "policy lets the endpoint's execution role use it. The field forces a new endpoint configuration: "
        "point the endpoint at the new configuration (a blue/green update)."
    ),
    resource_types=(ENDPOINT_CONFIGURATION,),
)


@resource_policy(SPEC)
def data_2_sagemaker_endpoint_config_cmk(r: Resource) -> Iterable[str]:
    if not r.sensitive or r.get("kmsKeyArn"):
        return
    types = [str(get(v, "instanceType") or "") for prop in VARIANT_LISTS for v in items(r.get(prop))]
    if any(local_storage(t) for t in types):
        return
    yield (
        f"{r.type} {r.name!r} ({r.classification or 'unclassified'}): kmsKeyArn is not set (AWS default: an "
        "AWS-managed key for the ML storage volume); must name a customer-managed key."
    )
