"""A model-provider API key that only the inference pods can read, via EKS Pod Identity."""

import pulumi

from components._common import Ownership, ServiceAccountRef, export_inventory
from components.aws import ManualRotation, PodIdentity, SecretGrant, SecretWiring, SecretWiringArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
openai = SecretWiring(
    "openai-api-key",
    SecretWiringArgs(
        ownership=ownership,
        access={
            "inference": SecretGrant(
                principal="arn:aws:iam::123456789012:role/fraud-inference",
                role="read",
                pod_identity=PodIdentity(
                    cluster_name="ml-platform",
                    service_account=ServiceAccountRef(namespace="fraud", name="scorer"),
                ),
            ),
            # Who puts the value (here the deployment, which reads back what it writes): may use the key and read.
            "deployer": SecretGrant(
                principal="arn:aws:iam::123456789012:role/ml-platform-deployer", role="write"
            ),
        },
        # The provider offers no rotation API: say who rotates the key, how often, and where the runbook is.
        rotation=ManualRotation(
            procedure="ml-platform rotates the key in the OpenAI console every 90 days (RB-12)"
        ),
        value=pulumi.Config().require_secret("openai-api-key"),
    ),
)
pulumi.export("secret_arn", openai.secret.arn)
export_inventory()
