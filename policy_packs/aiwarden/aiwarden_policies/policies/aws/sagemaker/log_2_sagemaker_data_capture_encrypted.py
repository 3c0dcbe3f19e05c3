"""LOG-2: SageMaker endpoint data capture, when configured, goes to S3 under a customer-managed key."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

ENDPOINT_CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"

SPEC = Spec(
    control="LOG-2",
    name="log-2-sagemaker-data-capture-encrypted",
    description=(
        "A SageMaker endpoint configuration's `dataCaptureConfig`, when present, names its S3 destination "
        "(`destinationS3Uri`) and a customer-managed KMS key (`kmsKeyId`; absent means the AWS default, SSE-S3: "
        "captured prompts and predictions readable by anyone with bucket access)."
    ),
    remediation_steps=(
        "Set `data_capture_config.kms_key_id` to a customer-managed KMS key and `destination_s3_uri` to the "
        "platform's evidence bucket; endpoint access itself is logged at the API gateway (CloudTrail does not "
        "record InvokeEndpoint)."
    ),
    resource_types=(ENDPOINT_CONFIG,),
)


@resource_policy(SPEC)
def log_2_sagemaker_data_capture_encrypted(r: Resource) -> Iterable[str]:
    if not r.get("dataCaptureConfig"):
        return  # no data capture configured: nothing to protect here
    if not r.get("dataCaptureConfig.destinationS3Uri"):
        yield f"SageMaker endpoint configuration {r.name!r}: dataCaptureConfig.destinationS3Uri is not set."
    if not r.get("dataCaptureConfig.kmsKeyId"):
        yield (
            f"SageMaker endpoint configuration {r.name!r}: dataCaptureConfig.kmsKeyId is not set (AWS default: "
            "SSE-S3); captured data must be encrypted with a customer-managed KMS key."
        )
