"""The RAG API's OpenAI key, synced from Secret Manager into the `rag` namespace by External Secrets."""

from components._common import Ownership, export_inventory
from components.k8s import ExternalSecret, ExternalSecretArgs, RemoteSecret, StoreRef

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="restricted", purpose="rag-assistant"
)
llm_keys = ExternalSecret(
    "llm-keys",
    ExternalSecretArgs(
        ownership=ownership,
        namespace="rag",
        target_secret="llm-keys",
        store=StoreRef(name="gcp-secret-manager"),
        data={"OPENAI_API_KEY": RemoteSecret(key="openai-api-key")},
    ),
)
export_inventory()
