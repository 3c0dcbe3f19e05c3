"""Embeddings in PostgreSQL (pgvector): private IP, TLS only, CMEK, and only the RAG API logs in, through IAM."""

from components._common import GcpNetwork, Grant, Ownership, export_inventory
from components.gcp import PgVectorStore, PgVectorStoreArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="rag-assistant"
)
store = PgVectorStore(
    "rag-pgvector",
    PgVectorStoreArgs(
        ownership=ownership,
        region="us-central1",
        network=GcpNetwork(network="projects/aiwarden-offline/global/networks/apps"),
        access={
            "rag-api": Grant(
                principal="serviceAccount:rag-api@aiwarden-offline.iam.gserviceaccount.com", role="use"
            )
        },
    ),
)
export_inventory()
