"""A training-data bucket only the training role may read or write, through the workload VPC's S3 endpoint."""

import pulumi
import pulumi_aws as aws

from components._common import Ownership, export_inventory
from components.aws import LockedBucket, LockedBucketArgs

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
data = LockedBucket(
    "training-data",
    LockedBucketArgs(
        ownership=ownership,
        allowed_principals={"training": "arn:aws:iam::123456789012:role/fraud-training"},
        allowed_vpc_endpoints={"workloads": "vpce-0a1b2c3d4e5f60718"},
    ),
)
pulumi.export("bucket", data.bucket.bucket)

# The stack's audit trail (LOG-1), normally provided by the platform: management events and S3 data events
# (which also record access to the component's access-log bucket), into the organization's log archive.
aws.cloudtrail.Trail(
    "audit",
    s3_bucket_name="org-log-archive",
    is_multi_region_trail=True,
    enable_log_file_validation=True,
    kms_key_id="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    event_selectors=[
        aws.cloudtrail.TrailEventSelectorArgs(
            read_write_type="All",
            include_management_events=True,
            data_resources=[
                aws.cloudtrail.TrailEventSelectorDataResourceArgs(
                    type="AWS::S3::Object", values=["arn:aws:s3"]
                )
            ],
        )
    ],
    tags=ownership.aws_tags(),
)
export_inventory()
