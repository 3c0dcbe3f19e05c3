"""An OpenAI key in Secret Manager under CMEK, readable only by the RAG API's service account and its pods."""

import pulumi

from components._common import CreateKey, Ownership, ServiceAccountRef, export_inventory
from components.gcp import KubernetesBinding, SecretGrant, SecretWiring, SecretWiringArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="restricted", purpose="rag-assistant"
)
config = pulumi.Config()
secret = SecretWiring(
    "openai",
    SecretWiringArgs(
        ownership=ownership,
        secret_id="openai-api-key",
        replicas={"us-central1": CreateKey()},
        # The value comes from encrypted stack config: `pulumi config set --secret openaiApiKey ...`.
        value=config.require_secret("openaiApiKey"),
        access={
            "rag-api": SecretGrant(
                principal="serviceAccount:rag-api@aiwarden-offline.iam.gserviceaccount.com",
                role="read",
                # The RAG API's pods act as its service account (GKE Workload Identity).
                kubernetes={
                    "rag-api": KubernetesBinding(
                        service_account=ServiceAccountRef(namespace="rag", name="rag-api")
                    )
                },
            )
        },
    ),
)
export_inventory()
