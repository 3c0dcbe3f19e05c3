"""Embeddings for a RAG assistant: a Vector Search index reachable only over PSC, queried with signed JWTs."""

from components._common import GcpNetwork, Grant, Ownership, export_inventory
from components.gcp import AuditConfig, AuditConfigArgs, Deployment, VectorStore, VectorStoreArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="rag-assistant"
)
store = VectorStore(
    "rag-embeddings",
    VectorStoreArgs(
        ownership=ownership,
        region="us-central1",
        dimensions=768,
        # The apps VPC gets a Private Service Connect endpoint; only this project may connect.
        network=GcpNetwork(network="projects/aiwarden-offline/global/networks/apps"),
        access={
            "rag-api": Grant(
                principal="serviceAccount:rag-api@aiwarden-offline.iam.gserviceaccount.com", role="read"
            )
        },
        deployment=Deployment(deployed_index_id="rag_embeddings_v1", audiences=("rag-embeddings",)),
    ),
)
# The project's Data Access audit logs (LOG-1): one per project, normally the platform program's.
AuditConfig("audit", AuditConfigArgs(ownership=ownership, project="aiwarden-offline", all_services=True))
export_inventory()
