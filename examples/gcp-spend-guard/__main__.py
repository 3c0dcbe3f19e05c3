"""The RAG workload's billing budget, routed to Pub/Sub and the owner's channel, and a GPU duty-cycle alert."""

from components._common import Ownership, export_inventory
from components.gcp.spend_guard import MetricAlert, SpendGuard, SpendGuardArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
SpendGuard(
    "spend",
    SpendGuardArgs(
        ownership=ownership,
        billing_account="012345-6789AB-CDEF01",
        amount=5000,
        scope_label="purpose",
        notification_channels=("projects/aiwarden-offline/notificationChannels/4012345678901234567",),
        alerts={
            "endpoint-gpu": MetricAlert(
                filter='metric.type="aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle" '
                'AND resource.type="aiplatform.googleapis.com/Endpoint"',
                threshold=0.9,
                duration_seconds=900,
            )
        },
    ),
)
export_inventory()
