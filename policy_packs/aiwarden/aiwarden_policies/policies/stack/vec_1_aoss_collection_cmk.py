"""VEC-1: sensitive OpenSearch Serverless collections are encrypted with a customer-managed key."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.opensearch_serverless import (
    COLLECTION,
    SECURITY_POLICY,
    covers,
    customer_managed,
    documents,
    policies_of_type,
)

SPEC = Spec(
    control="VEC-1",
    name="vec-1-aoss-collection-cmk",
    description=(
        "A confidential, restricted or unclassified OpenSearch Serverless collection is encrypted with a "
        "customer-managed key: every `encryption` security policy of the stack that matches it sets AWSOwnedKey "
        "false with a KmsARN, or, with no matching policy, its own encryptionConfigs set awsOwnedKey false with "
        "a kmsKeyArn. A collection with no encryption setting at all is reported by "
        "vec-1-aoss-collection-security-policies."
    ),
    remediation_steps=(
        'Use an encryption policy `{"Rules": [{"ResourceType": "collection", "Resource": '
        '["collection/<name>"]}], "AWSOwnedKey": false, "KmsARN": key.arn}` with a customer-managed '
        "`aws.kms.Key(enable_key_rotation=True)`. The key of an existing collection cannot change: recreate it."
    ),
    resource_types=(COLLECTION, SECURITY_POLICY),
)


@stack_policy(SPEC)
def vec_1_aoss_collection_cmk(stack: Stack) -> Iterable[tuple[str, str | None]]:
    collections = [c for c in stack.of_type(COLLECTION) if stack.resource(c).sensitive]
    if not collections:
        return
    encryption = [
        (p.name, d)
        for p in policies_of_type(stack.resources, "encryption")
        for d in documents(p.props.get("policy"))
    ]
    for collection in collections:
        r = stack.resource(collection)
        name = str(collection.props.get("name") or "")
        label = f"{collection.resource_type} {collection.name!r} ({r.classification or 'unclassified'})"
        matching = [(policy, d) for policy, d in encryption if covers(d, name)]
        for policy, document in matching:
            if not customer_managed(document, "AWSOwnedKey", "KmsARN"):
                yield (
                    f"{label}: encryption policy {policy!r} sets AWSOwnedKey {document.get('AWSOwnedKey')!r} / "
                    f"KmsARN {document.get('KmsARN')!r}; must set AWSOwnedKey false and a customer-managed KmsARN.",
                    collection.urn,
                )
        if matching:
            continue
        for index, config in enumerate(collection.props.get("encryptionConfigs") or []):
            if not customer_managed(config, "awsOwnedKey", "kmsKeyArn"):
                yield (
                    f"{label}: encryptionConfigs[{index}] sets awsOwnedKey {config.get('awsOwnedKey')!r}; must set "
                    "awsOwnedKey false and a customer-managed kmsKeyArn.",
                    collection.urn,
                )
