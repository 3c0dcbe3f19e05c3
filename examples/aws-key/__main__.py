"""A customer-managed KMS key that only the training and inference roles may use, and only through S3."""

from components._common import Grant, Ownership, export_inventory
from components.aws import Key, KeyArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
key = Key(
    "training-data",
    KeyArgs(
        ownership=ownership,
        access={
            "training": Grant(principal="arn:aws:iam::123456789012:role/fraud-training", role="use"),
            "inference": Grant(principal="arn:aws:iam::123456789012:role/fraud-inference", role="use"),
        },
        services=("s3",),
    ),
)
export_inventory()
