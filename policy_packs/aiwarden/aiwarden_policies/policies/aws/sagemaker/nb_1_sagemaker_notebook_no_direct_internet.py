"""NB-1: SageMaker notebook instances have no direct internet access and run in a VPC subnet."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"

SPEC = Spec(
    control="NB-1",
    name="nb-1-sagemaker-notebook-no-direct-internet",
    description=(
        "SageMaker notebook instances set `directInternetAccess` to Disabled (absent means the AWS default, "
        "Enabled) and run in a subnet of the platform VPC (`subnetId`; absent means a SageMaker-managed "
        "network with internet access)."
    ),
    remediation_steps=(
        'Set `direct_internet_access="Disabled"`, `subnet_id` to a private subnet and `security_groups` on '
        "the notebook instance; reach AWS services through VPC endpoints. Both fields force a new notebook "
        "instance, so no automatic remediation is offered."
    ),
    resource_types=(NOTEBOOK,),
    security_hub=("SageMaker.1", "SageMaker.2"),
)


@resource_policy(SPEC)
def nb_1_sagemaker_notebook_no_direct_internet(r: Resource) -> Iterable[str]:
    access = r.get("directInternetAccess")
    if access is None:  # AWS default: Enabled
        yield (
            f"SageMaker notebook instance {r.name!r}: directInternetAccess is not set (AWS default: Enabled); "
            "it must be Disabled."
        )
    elif access != "Disabled":
        yield f"SageMaker notebook instance {r.name!r}: directInternetAccess is {access!r}; it must be Disabled."
    if not r.get("subnetId"):  # absent: SageMaker-managed network outside the platform VPC
        yield (
            f"SageMaker notebook instance {r.name!r}: subnetId is not set (AWS default: a SageMaker-managed "
            "network outside your VPC); it must name a private subnet of the platform VPC."
        )
