"""An OpenAI key in Secret Manager under CMEK, readable only by the RAG API's service account and its pods."""

import pulumi

from components._common import CreateKey, Ownership, export_inventory
from components.gcp import KubernetesBinding, SecretWiring, SecretWiringArgs

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
        accessors={"rag-api": "rag-api@aiwarden-offline.iam.gserviceaccount.com"},
        kubernetes={
            "rag-api": KubernetesBinding(namespace="rag", service_account="rag-api", accessor="rag-api")
        },
    ),
)
export_inventory()
