"""NB-2: SageMaker notebook instances require session tokens for the instance metadata service (IMDSv2).

Absent ``instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion`` is the AWS default,
"1": IMDSv1 stays available, so any code running in the notebook (a downloaded package, a request-forgery
bug in a served app) can read the notebook role's credentials with a plain GET. The value is a string
("1" or "2"); a number 2 is read as "2".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiwarden_policies.framework import Resource, Spec, resource_policy

NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"
IMDS = "instanceMetadataServiceConfiguration"
VERSION = f"{IMDS}.minimumInstanceMetadataServiceVersion"

SPEC = Spec(
    control="NB-2",
    name="nb-2-sagemaker-notebook-imdsv2",
    description=(
        f'SageMaker notebook instances set `{VERSION}` to "2" (absent means the AWS default, "1": IMDSv1 '
        "answers unauthenticated requests for the notebook role's credentials)."
    ),
    remediation_steps=(
        "Set `instance_metadata_service_configuration=aws.sagemaker.NotebookInstanceInstanceMetadataServiceConfig"
        'urationArgs(minimum_instance_metadata_service_version="2")`; current notebook images and the AWS SDKs use '
        f'IMDSv2. In REMEDIATE mode the pack sets `{VERSION}` to "2" (an in-place update of the notebook).'
    ),
    resource_types=(NOTEBOOK,),
)


def _version(r: Resource) -> str | None:
    value = r.get(VERSION)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    return None if value is None else str(value)


def remediate(r: Resource) -> dict[str, Any] | None:
    if _version(r) == "2":
        return None
    return r.updated_at(IMDS, {"minimumInstanceMetadataServiceVersion": "2"})


@resource_policy(SPEC, remediate=remediate)
def nb_2_sagemaker_notebook_imdsv2(r: Resource) -> Iterable[str]:
    version = _version(r)
    if version is None:
        yield (
            f"SageMaker notebook instance {r.name!r}: {VERSION} is not set (AWS default: 1, IMDSv1 allowed); "
            'it must be "2".'
        )
    elif version != "2":
        yield f'SageMaker notebook instance {r.name!r}: {VERSION} is {version!r}; it must be "2".'
