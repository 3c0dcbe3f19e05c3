"""NB-1: SageMaker Studio domains send all app traffic through the platform VPC."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

DOMAIN = "aws:sagemaker/domain:Domain"

SPEC = Spec(
    control="NB-1",
    name="nb-1-sagemaker-domain-vpc-only",
    description=(
        "SageMaker Studio domains set `appNetworkAccessType` to VpcOnly (absent means the AWS default, "
        "PublicInternetOnly: Studio apps reach the internet directly)."
    ),
    remediation_steps=(
        'Set `app_network_access_type="VpcOnly"` on the domain with private `subnet_ids`; provide VPC endpoints '
        "(SageMaker API/runtime, S3, STS, CloudWatch Logs) or an egress proxy for what notebooks need."
    ),
    resource_types=(DOMAIN,),
)


@resource_policy(SPEC)
def nb_1_sagemaker_domain_vpc_only(r: Resource) -> Iterable[str]:
    mode = r.get("appNetworkAccessType")
    if mode is None:  # AWS default: PublicInternetOnly
        yield (
            f"SageMaker domain {r.name!r}: appNetworkAccessType is not set (AWS default: PublicInternetOnly); "
            "it must be VpcOnly."
        )
    elif mode != "VpcOnly":
        yield f"SageMaker domain {r.name!r}: appNetworkAccessType is {mode!r}; it must be VpcOnly."
