"""EP-4: SageMaker models are placed in private subnets (no public IP on launch).

Stack policy: the subnets of a model's ``vpcConfig`` are the ``aws:ec2/subnet:Subnet`` resources its
``vpcConfig`` depends on; a subnet with ``mapPublicIpOnLaunch`` true is public (absent means the AWS
default for a non-default subnet, false). Subnets declared outside the stack are not inspected; a
missing ``vpcConfig`` is EP-1's finding (``ep-1-sagemaker-model-in-vpc``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.network import SUBNET, public_subnets

MODEL = "aws:sagemaker/model:Model"

SPEC = Spec(
    control="EP-4",
    name="ep-4-sagemaker-model-private-subnets",
    description=(
        "The subnets in a SageMaker model's `vpcConfig` that the stack declares are private: "
        "`mapPublicIpOnLaunch` is not true (absent means the AWS default for non-default subnets, false)."
    ),
    remediation_steps=(
        "Place models in the platform's private subnets (no `map_public_ip_on_launch`, no route to an internet "
        "gateway) and reach AWS services through VPC endpoints."
    ),
    resource_types=(MODEL, SUBNET),
)


@stack_policy(SPEC)
def ep_4_sagemaker_model_private_subnets(s: Stack) -> Iterable[tuple[str, str | None]]:
    def decide(model: Any) -> Iterator[str]:
        for subnet in public_subnets(model, "vpcConfig"):
            yield (
                f"SageMaker model {model.name!r}: subnet {subnet.name!r} in vpcConfig.subnets has "
                "mapPublicIpOnLaunch true (a public subnet); models must run in private subnets."
            )

    yield from s.each(s.of_type(MODEL), decide)
