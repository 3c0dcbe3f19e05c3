"""EP-3: the model API's stage is deployed with no method throttling, usage plan or WAF rate rule, so it
accepts the account-level default of 10,000 requests/s (and the GPU bill that goes with it)."""

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
predict = aws.apigateway.Resource(
    "predict", rest_api=api.id, parent_id=api.root_resource_id, path_part="predict"
)
method = aws.apigateway.Method(
    "predict-post", rest_api=api.id, resource_id=predict.id, http_method="POST", authorization="AWS_IAM"
)
deployment = aws.apigateway.Deployment("deployment", rest_api=api.id)
aws.apigateway.Stage("prod", rest_api=api.id, deployment=deployment.id, stage_name="prod", tags=TAGS)
