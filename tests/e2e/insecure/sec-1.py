"""SEC-1: the Hugging Face token is pasted into the SageMaker model's container environment, where it is
stored in plain text and readable by anyone who can describe the model."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "inference",
}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm@sha256:" + "a" * 64

aws.sagemaker.Model(
    "llm",
    execution_role_arn="arn:aws:iam::123456789012:role/llm",
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(
        image=IMAGE,
        environment={
            "HF_MODEL_ID": "meta-llama/Llama-3.1-8B",
            "HF_TOKEN": "hf_AbCdEfGhIjKlMnOpQrStUvWxYz12345678",
        },
    ),
    enable_network_isolation=True,
    tags=TAGS,
)
