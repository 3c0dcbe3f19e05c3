"""The fraud-scoring team's research notebook: a private subnet, no root, IMDSv2, a CMK volume, stopped after an idle
hour, pip pointed at the platform's mirror; it may read the curated training data and the OpenAI key, nothing else."""

import pulumi

from components._common import AwsNetwork, ExistingKey, Grant, Ownership, export_inventory
from components.aws import (
    AuditTrail,
    AuditTrailArgs,
    ExistingTrailBucket,
    ManagedNotebook,
    ManagedNotebookArgs,
    NotebookBucket,
    NotebookSecret,
    PipIndex,
    SpendGuard,
    SpendGuardArgs,
)

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
PLATFORM_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
notebook = ManagedNotebook(
    "research",
    ManagedNotebookArgs(
        ownership=ownership,
        # The workload VPC's private subnets and its workloads security group (e.g. PrivateNetwork(...).network):
        # no ingress from outside, HTTPS to the VPC endpoints only.
        network=AwsNetwork(
            vpc_id="vpc-0a1b2c3d4e5f60718",
            subnet_ids=("subnet-0a1b2c3d4e5f60718", "subnet-0b1c2d3e4f5a60718"),
            security_group_ids=("sg-0a1b2c3d4e5f60718",),
        ),
        instance_type="ml.t3.large",
        idle_shutdown_minutes=60,
        # pip on the notebook installs from the platform's mirror; nothing is installed at start.
        package_index=PipIndex(url="https://pypi.internal.example.com/simple/"),
        buckets={
            "training-data": NotebookBucket(
                bucket="fraud-training-data", role="read", prefix="curated/", kms_key=PLATFORM_KEY
            ),
            "scratch": NotebookBucket(bucket="fraud-research-scratch", role="write", kms_key=PLATFORM_KEY),
        },
        secrets={
            "openai": NotebookSecret(
                arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:fraud/openai-key-AbCdEf",
                kms_key=PLATFORM_KEY,
            )
        },
        access={
            "data-scientists": Grant(
                principal="arn:aws:iam::123456789012:role/fraud-data-scientists", role="use"
            )
        },
    ),
)
pulumi.export("notebook", notebook.notebook.name)

# The stack's budget and anomaly detection (COST-1, COST-2) and audit trail (LOG-1), normally provided by the
# platform.
SpendGuard(
    "spend",
    SpendGuardArgs(
        ownership=ownership, amount=2000, scope_tag="purpose", emails=("ml-platform@example.com",)
    ),
)
AuditTrail(
    "audit",
    AuditTrailArgs(
        ownership=ownership,
        kms_key=ExistingKey(key=PLATFORM_KEY),
        log_bucket=ExistingTrailBucket(bucket="org-log-archive"),
    ),
)
export_inventory()
