"""A Cloud KMS key for training data: rotated every 90 days, usable by Cloud Storage and one ETL job."""

from components._common import CreateKey, Grant, Ownership, export_inventory
from components.gcp import Key, KeyArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
key = Key(
    "training-data",
    KeyArgs(
        ownership=ownership,
        location="us-central1",
        settings=CreateKey(rotation_period_days=90),
        service_agents=("storage",),
        access={
            "etl": Grant(
                principal="serviceAccount:fraud-etl@aiwarden-offline.iam.gserviceaccount.com", role="use"
            )
        },
    ),
)
export_inventory()
