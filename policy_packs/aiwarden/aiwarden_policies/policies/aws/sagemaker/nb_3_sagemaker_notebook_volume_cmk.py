"""NB-3: SageMaker notebook instance volumes are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"

SPEC = Spec(
    control="NB-3",
    name="nb-3-sagemaker-notebook-volume-cmk",
    description=(
        "SageMaker notebook instances set `kmsKeyId` to a customer-managed KMS key (absent means the AWS default: "
        "the ML storage volume is encrypted with an AWS-managed key you cannot scope or revoke)."
    ),
    remediation_steps=(
        "Set `kms_key_id` to a customer-managed key with rotation enabled (e.g. the platform's key component). "
        "The field forces a new notebook instance: copy the notebook data out first."
    ),
    resource_types=(NOTEBOOK,),
)


@resource_policy(SPEC)
def nb_3_sagemaker_notebook_volume_cmk(r: Resource) -> Iterable[str]:
    if not r.get("kmsKeyId"):  # AWS default: AWS-managed key
        yield (
            f"SageMaker notebook instance {r.name!r}: kmsKeyId is not set (AWS default: AWS-managed key); "
            "the volume must be encrypted with a customer-managed KMS key."
        )
