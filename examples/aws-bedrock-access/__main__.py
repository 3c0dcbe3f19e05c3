"""The fraud-scoring assistant may call Claude 3.5 Sonnet (through the US cross-Region profile) and Claude 3 Haiku,
only with the organization's guardrail; every prompt and completion is logged to a locked bucket and a log group."""

import pulumi

from components._common import ExistingKey, Grant, Ownership, export_inventory
from components.aws import (
    AuditTrail,
    AuditTrailArgs,
    BedrockAccess,
    BedrockAccessArgs,
    BedrockGuardrail,
    BedrockModel,
    ExistingTrailBucket,
)

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0"
bedrock = BedrockAccess(
    "assistant",
    BedrockAccessArgs(
        ownership=ownership,
        models={
            "claude": BedrockModel(
                arn=f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.{CLAUDE}",
                # The Regions the US profile routes to: callers may reach these only through the profile.
                routes_to=tuple(
                    f"arn:aws:bedrock:{region}::foundation-model/{CLAUDE}"
                    for region in ("us-east-1", "us-east-2", "us-west-2")
                ),
            ),
            "haiku": BedrockModel(
                arn="arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
            ),
        },
        access={
            "assistant": Grant(principal="arn:aws:iam::123456789012:role/fraud-assistant", role="invoke")
        },
        guardrail=BedrockGuardrail(
            sensitive_information={
                "AWS_ACCESS_KEY": "BLOCK",
                "AWS_SECRET_KEY": "BLOCK",
                "CREDIT_DEBIT_CARD_NUMBER": "ANONYMIZE",
            }
        ),
    ),
)
pulumi.export("invoke_policy", bedrock.invoke_policy.arn)

# The stack's audit trail (LOG-1), normally provided by the platform: management events, Bedrock data events, and
# S3 data events of the invocation log bucket and of its access-log bucket (DATA-3).
recorded = {}
if bedrock.log_bucket is not None:
    recorded["invocation-logs"] = bedrock.log_bucket.bucket.bucket
    if bedrock.log_bucket.log_bucket is not None:
        recorded["invocation-logs-access"] = bedrock.log_bucket.log_bucket.bucket
AuditTrail(
    "audit",
    AuditTrailArgs(
        ownership=ownership,
        kms_key=ExistingKey(
            key="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        ),
        log_bucket=ExistingTrailBucket(bucket="org-log-archive"),
        dataset_buckets=recorded,
        bedrock_data_events=True,
    ),
)
export_inventory()
