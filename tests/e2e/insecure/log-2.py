"""LOG-2: the model API's stage is deployed without access logging: there is no record of who called the
model, when, or with which request id."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "inference",
}

api = aws.apigateway.RestApi(
    "inference-api",
    endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="PRIVATE"),
    tags=TAGS,
)
deployment = aws.apigateway.Deployment("deployment", rest_api=api.id)
aws.apigateway.Stage("prod", rest_api=api.id, deployment=deployment.id, stage_name="prod", tags=TAGS)
