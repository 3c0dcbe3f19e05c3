"""IR-2: the dataset bucket's access logs land in a bucket without versioning or a policy denying deletes (S3
allows no object lock there; the workload can delete the evidence), and the dataset bucket sets `force_destroy`
so a `pulumi destroy` wipes production data."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}

logs = aws.s3.Bucket("access-logs", tags=TAGS)
data = aws.s3.Bucket("training-data", force_destroy=True, tags=TAGS)
aws.s3.BucketLogging(
    "training-data-logging", bucket=data.id, target_bucket=logs.id, target_prefix="training-data/"
)
