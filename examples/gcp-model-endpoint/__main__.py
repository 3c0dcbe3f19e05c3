"""Fraud scoring: a Vertex AI endpoint reachable over Private Service Connect only, its requests logged."""

from components._common import GcpNetwork, Grant, Ownership, export_inventory
from components.gcp import (
    AuditConfig,
    AuditConfigArgs,
    MetricAlert,
    ModelEndpoint,
    ModelEndpointArgs,
    RequestLogging,
    SpendGuard,
    SpendGuardArgs,
)

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
endpoint = ModelEndpoint(
    "fraud-scoring",
    ModelEndpointArgs(
        ownership=ownership,
        region="us-central1",
        # The serving container, pinned by digest, from the platform's Artifact Registry (ContainerRegistry).
        image="us-central1-docker.pkg.dev/aiwarden-offline/inference/fraud-scorer:1.4.2"
        "@sha256:3f1c9a7e5b2d4c6e8f0a1b3d5c7e9f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e",
        # The apps VPC gets a Private Service Connect endpoint; only this project may connect.
        network=GcpNetwork(network="projects/aiwarden-offline/global/networks/apps"),
        # Half of the requests and responses go to a CMEK-encrypted BigQuery dataset.
        request_logging=RequestLogging(sampling_rate=0.5),
        access={
            "scoring-api": Grant(
                principal="serviceAccount:scoring-api@aiwarden-offline.iam.gserviceaccount.com", role="invoke"
            )
        },
    ),
)
# The workload's budget and a prediction-rate alert (COST-1, COST-2): normally the platform program's.
SpendGuard(
    "spend",
    SpendGuardArgs(
        ownership=ownership,
        billing_account="012345-6789AB-CDEF01",
        amount=3000,
        scope_label="purpose",
        notification_channels=("projects/aiwarden-offline/notificationChannels/4012345678901234567",),
        alerts={
            "predictions": MetricAlert(
                filter='metric.type="aiplatform.googleapis.com/prediction/online/prediction_count" '
                'AND resource.type="aiplatform.googleapis.com/Endpoint"',
                threshold=50,
                aligner="ALIGN_RATE",
                duration_seconds=600,
            )
        },
    ),
)
# The project's Data Access audit logs (LOG-1): one per project, normally the platform program's.
AuditConfig("audit", AuditConfigArgs(ownership=ownership, project="aiwarden-offline", all_services=True))
export_inventory()
