"""EP-4: the SageMaker model runs in private subnets but without network isolation
(`enable_network_isolation` absent, AWS default false): the container can call out with its role."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "inference",
}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud@sha256:" + "a" * 64

subnet = aws.ec2.Subnet("private-a", vpc_id="vpc-0abc", cidr_block="10.0.1.0/24", tags=TAGS)
sg = aws.ec2.SecurityGroup("model-sg", vpc_id="vpc-0abc", tags=TAGS)
aws.sagemaker.Model(
    "fraud-model",
    execution_role_arn="arn:aws:iam::123456789012:role/fraud-model",
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(image=IMAGE),
    vpc_config=aws.sagemaker.ModelVpcConfigArgs(subnets=[subnet.id], security_group_ids=[sg.id]),
    tags=TAGS,
)
