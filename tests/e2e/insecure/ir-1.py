"""IR-1: the stack exports its inventory but no `incidentResponse` manifest: at 3 a.m. the responder does
not know which role to revoke, which endpoint to disable or which logs to preserve."""

import pulumi
import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "fraud-scoring",
}
ROLE = "arn:aws:iam::123456789012:role/fraud-model"

aws.sagemaker.Endpoint("fraud-endpoint", endpoint_config_name="fraud-config", tags=TAGS)
pulumi.export(
    "inventory",
    [
        {
            "name": "fraud-endpoint",
            "kind": "model-endpoint",
            "owner": "ml-platform",
            "environment": "production",
            "dataClassification": "confidential",
            "exposure": "private",
            "identities": [ROLE],
            "purpose": "fraud-scoring",
        }
    ],
)
