"""EP-1: SageMaker models (and so their endpoints) run inside the platform VPC."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

MODEL = "aws:sagemaker/model:Model"

SPEC = Spec(
    control="EP-1",
    name="ep-1-sagemaker-model-in-vpc",
    description=(
        "SageMaker models set `vpcConfig` with at least one subnet and one security group, so the endpoint "
        "containers run in the platform VPC (absent means a SageMaker-managed network outside your VPC)."
    ),
    remediation_steps=(
        "Set `vpc_config=aws.sagemaker.ModelVpcConfigArgs(subnets=[...private subnet ids...], "
        "security_group_ids=[...])`; a model is immutable, so the change creates a new model and endpoint config."
    ),
    resource_types=(MODEL,),
)


@resource_policy(SPEC)
def ep_1_sagemaker_model_in_vpc(r: Resource) -> Iterable[str]:
    if not r.get("vpcConfig"):  # AWS default: SageMaker-managed network
        yield (
            f"SageMaker model {r.name!r}: vpcConfig is not set (AWS default: containers run in a SageMaker-managed "
            "network outside your VPC); it must place the model in private subnets with security groups."
        )
        return
    for key in ("subnets", "securityGroupIds"):
        if len(r.get(f"vpcConfig.{key}") or ()) == 0:
            yield f"SageMaker model {r.name!r}: vpcConfig.{key} is empty; it must list at least one."
