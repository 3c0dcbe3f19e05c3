"""INV-2: a SageMaker endpoint is deployed but the stack exports only the endpoint name: there is no
`inventory` output telling owner, classification, exposure and identities of the AI assets."""

import pulumi
import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "fraud-scoring",
}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud@sha256:" + "a" * 64

model = aws.sagemaker.Model(
    "fraud-model",
    execution_role_arn="arn:aws:iam::123456789012:role/fraud-model",
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(image=IMAGE),
    enable_network_isolation=True,
    tags=TAGS,
)
config = aws.sagemaker.EndpointConfiguration(
    "fraud-config",
    production_variants=[
        aws.sagemaker.EndpointConfigurationProductionVariantArgs(
            model_name=model.name, instance_type="ml.m5.large", initial_instance_count=1
        )
    ],
    tags=TAGS,
)
endpoint = aws.sagemaker.Endpoint("fraud-endpoint", endpoint_config_name=config.name, tags=TAGS)
pulumi.export("endpointName", endpoint.name)
