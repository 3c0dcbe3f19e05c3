"""The fraud-scoring workload's budget, anomaly detection and a GPU utilization alarm on its endpoint."""

from components._common import Ownership, export_inventory
from components.aws.spend_guard import MetricAlarm, SpendGuard, SpendGuardArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
SpendGuard(
    "spend",
    SpendGuardArgs(
        ownership=ownership,
        amount=25000,
        scope_tag="purpose",
        emails=("ml-platform@example.com", "finops@example.com"),
        sns_topic_arn="arn:aws:sns:us-east-1:123456789012:ml-platform-cost",
        anomaly_threshold=500,
        alarms={
            "endpoint-gpu": MetricAlarm(
                namespace="/aws/sagemaker/Endpoints",
                metric_name="GPUUtilization",
                dimensions={"EndpointName": "fraud-scoring", "VariantName": "primary"},
                threshold=90,
                description="fraud-scoring endpoint GPUs above 90% for 15 minutes: scale or investigate",
            )
        },
    ),
)
export_inventory()
