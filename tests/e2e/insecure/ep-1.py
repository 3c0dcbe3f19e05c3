"""EP-1: the REST API in front of the model is created without an endpoint configuration, so API Gateway
makes it EDGE (public on the internet), and no resource policy limits callers to a VPC endpoint."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "inference",
}

aws.apigateway.RestApi("inference-api", description="Fraud model inference", tags=TAGS)
