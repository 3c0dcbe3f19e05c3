"""EP-2: the private REST API's POST /predict method has authorization NONE: any caller that can reach the
API invokes the model without an identity or an authorization decision."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "inference",
}

api = aws.apigateway.RestApi(
    "inference-api",
    endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(
        types="PRIVATE", vpc_endpoint_ids=["vpce-0123456789abcdef0"]
    ),
    tags=TAGS,
)
predict = aws.apigateway.Resource(
    "predict", rest_api=api.id, parent_id=api.root_resource_id, path_part="predict"
)
aws.apigateway.Method(
    "predict-post", rest_api=api.id, resource_id=predict.id, http_method="POST", authorization="NONE"
)
