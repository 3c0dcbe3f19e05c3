"""SEC-2: the vector database credentials live in Secrets Manager, but under the AWS managed key
(no `kms_key_id`) and without any rotation."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "rag",
}

aws.secretsmanager.Secret("vector-db-credentials", name="rag/vector-db", tags=TAGS)
