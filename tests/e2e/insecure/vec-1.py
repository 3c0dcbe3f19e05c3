"""VEC-1: the OpenSearch Serverless vector collection is encrypted with a customer key, but its network
policy sets `AllowFromPublic: true` so the dashboards work from laptops: the embeddings face the internet."""

import json

import pulumi
import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "rag",
}
RULES = [{"ResourceType": "collection", "Resource": ["collection/rag-vectors"]}]

key = aws.kms.Key("vectors-key", enable_key_rotation=True, tags=TAGS)
encryption = aws.opensearch.ServerlessSecurityPolicy(
    "vectors-encryption",
    name="rag-vectors-encryption",
    type="encryption",
    policy=key.arn.apply(lambda arn: json.dumps({"Rules": RULES, "AWSOwnedKey": False, "KmsARN": arn})),
)
network = aws.opensearch.ServerlessSecurityPolicy(
    "vectors-network",
    name="rag-vectors-network",
    type="network",
    policy=json.dumps([{"Rules": RULES, "AllowFromPublic": True}]),
)
aws.opensearch.ServerlessCollection(
    "rag-vectors",
    name="rag-vectors",
    type="VECTORSEARCH",
    tags=TAGS,
    opts=pulumi.ResourceOptions(depends_on=[encryption, network]),
)
