"""The fraud-scoring model behind a private API: only the scoring service may call it, and only through the
workload VPC's execute-api endpoint; a fifth of the requests and predictions are captured into a locked bucket."""

import pulumi

from components._common import AwsNetwork, ExistingKey, Grant, Ownership, export_inventory
from components.aws import (
    ApiSettings,
    AuditTrail,
    AuditTrailArgs,
    DataCapture,
    ExistingTrailBucket,
    LockedBucket,
    LockedBucketArgs,
    MetricAlarm,
    ModelArtifacts,
    ModelEndpoint,
    ModelEndpointArgs,
    SpendGuard,
    SpendGuardArgs,
    Waf,
)

ACCOUNT = "123456789012"
ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
captures = LockedBucket("fraud-captures", LockedBucketArgs(ownership=ownership))
scorer = ModelEndpoint(
    "fraud-scorer",
    ModelEndpointArgs(
        ownership=ownership,
        network=AwsNetwork(
            vpc_id="vpc-0a1b2c3d4e5f60718",
            subnet_ids=("subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"),
            security_group_ids=("sg-0a1b2c3d4e5f60718",),
        ),
        image=f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fraud-scorer:7.2@sha256:"
        "3f1c2b7a9d8e4f6a0b5c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a",
        instance_type="ml.g5.xlarge",
        instance_count=2,
        model_artifacts=ModelArtifacts(
            s3_uri="s3://ml-platform-models/fraud-scorer/7.2/model.tar.gz",
            kms_key=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
        data_capture=DataCapture(bucket=captures, sampling_percentage=20),
        api=ApiSettings(vpc_endpoint_ids={"workloads": "vpce-0a1b2c3d4e5f60718"}),
        waf=Waf(),
        access={
            "scoring": Grant(principal=f"arn:aws:iam::{ACCOUNT}:role/fraud-scoring-service", role="invoke")
        },
    ),
)
pulumi.export("invoke_url", scorer.api.invoke_url)
pulumi.export("invoke_policy", scorer.api.invoke_policy.policy)

# The stack's audit trail (LOG-1) and spend guard (COST-1, COST-2), normally provided by the platform: management
# events and the S3 data events of the capture bucket and its access logs (DATA-3); the workload's budget and an
# alarm on the endpoint's GPUs.
recorded = {"fraud-captures": captures.bucket.bucket}
if captures.log_bucket is not None:
    recorded["fraud-captures-access-logs"] = captures.log_bucket.bucket
AuditTrail(
    "audit",
    AuditTrailArgs(
        ownership=ownership,
        kms_key=ExistingKey(key=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        log_bucket=ExistingTrailBucket(bucket="org-log-archive"),
        dataset_buckets=recorded,
    ),
)
SpendGuard(
    "spend",
    SpendGuardArgs(
        ownership=ownership,
        amount=25000,
        scope_tag="purpose",
        emails=("ml-platform@example.com",),
        sns_topic_arn=f"arn:aws:sns:us-east-1:{ACCOUNT}:ml-platform-cost",
        alarms={
            "endpoint-gpu": MetricAlarm(
                namespace="/aws/sagemaker/Endpoints",
                metric_name="GPUUtilization",
                dimensions={"EndpointName": scorer.endpoint.name, "VariantName": "primary"},
                threshold=90,
                description="fraud-scorer GPUs above 90% for 15 minutes: scale or investigate",
            )
        },
    ),
)
export_inventory()
