"""A data scientist's notebook: no public IP, no root, CMEK disks, stops when idle, opened by its owner only."""

from components._common import GcpNetwork, Grant, Ownership, export_inventory
from components.gcp import (
    AuditConfig,
    AuditConfigArgs,
    ManagedNotebook,
    ManagedNotebookArgs,
    SpendGuard,
    SpendGuardArgs,
)

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
notebook = ManagedNotebook(
    "fraud-research",
    ManagedNotebookArgs(
        ownership=ownership,
        zone="us-central1-a",
        # A private subnet of the platform network (PrivateNetwork.placement("notebooks")).
        network=GcpNetwork(
            network="projects/aiwarden-offline/global/networks/ml",
            subnetwork="projects/aiwarden-offline/regions/us-central1/subnetworks/ml-notebooks",
        ),
        idle_shutdown_minutes=90,
        # Single-user mode: Ana opens JupyterLab and may restart the instance after an idle shutdown.
        access={
            "ana": Grant(principal="user:ana@example.com", role="use"),
            "ana-admin": Grant(principal="user:ana@example.com", role="admin"),
        },
    ),
)
# The workload's budget (COST-1): normally the platform program's.
SpendGuard(
    "spend",
    SpendGuardArgs(
        ownership=ownership,
        billing_account="012345-6789AB-CDEF01",
        amount=500,
        scope_label="purpose",
        notification_channels=("projects/aiwarden-offline/notificationChannels/4012345678901234567",),
    ),
)
# The project's Data Access audit logs (LOG-1): one per project, normally the platform program's.
AuditConfig("audit", AuditConfigArgs(ownership=ownership, project="aiwarden-offline", all_services=True))
export_inventory()
