"""A model-provider API key that only the inference pods can read, via EKS Pod Identity."""

import pulumi

from components._common import Ownership, export_inventory
from components.aws import ManualRotation, PodIdentity, Reader, SecretWiring, SecretWiringArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
openai = SecretWiring(
    "openai-api-key",
    SecretWiringArgs(
        ownership=ownership,
        readers={
            "inference": Reader(
                role_arn="arn:aws:iam::123456789012:role/fraud-inference",
                pod_identity=PodIdentity(
                    cluster_name="ml-platform", namespace="fraud", service_account="scorer"
                ),
            )
        },
        # The provider offers no rotation API: say who rotates the key, how often, and where the runbook is.
        rotation=ManualRotation(
            procedure="ml-platform rotates the key in the OpenAI console every 90 days (RB-12)"
        ),
        value=pulumi.Config().require_secret("openai-api-key"),
        # Who puts the value (here the deployment, which reads back what it writes): may use the key and read.
        writer_role_arn="arn:aws:iam::123456789012:role/ml-platform-deployer",
    ),
)
pulumi.export("secret_arn", openai.secret.arn)
export_inventory()
