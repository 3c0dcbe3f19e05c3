"""VEC-1: sensitive OpenSearch Serverless collections are encrypted with a customer-managed key.

At preview an encryption policy's document is often unknown (built from the key ARN): it may match any
collection, so a sensitive collection that no known policy fails is undecided; one that a known matching
policy fails is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.opensearch_serverless import (
    COLLECTION,
    SECURITY_POLICY,
    customer_managed,
    matching,
    security_documents,
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
    collections = stack.of_type(COLLECTION)
    if not collections:
        return
    encryption = security_documents(stack, "encryption")

    def decide(collection: Any) -> Iterator[str]:
        r = stack.resource(collection)
        if not r.sensitive:
            return
        name = str(collection.props.get("name") or "")
        label = f"{collection.resource_type} {collection.name!r} ({r.classification or 'unclassified'})"
        found = matching(encryption, name)
        wrong = [(policy, d) for policy, d in found if not customer_managed(d, "AWSOwnedKey", "KmsARN")]
        for policy, document in wrong:
            yield (
                f"{label}: encryption policy {policy.name!r} sets AWSOwnedKey {document.get('AWSOwnedKey')!r} / "
                f"KmsARN {document.get('KmsARN')!r}; must set AWSOwnedKey false and a customer-managed KmsARN."
            )
        if wrong:
            return  # decided: a matching policy fails, whatever the unknown ones say
        # A policy whose document is unknown at preview may match it too, with an AWS-owned key, and without
        # any matching policy its own encryptionConfigs count.
        encryption.require()
        if found:
            return
        for index, config in enumerate(collection.props.get("encryptionConfigs") or []):
            if not customer_managed(config, "awsOwnedKey", "kmsKeyArn"):
                yield (
                    f"{label}: encryptionConfigs[{index}] sets awsOwnedKey {config.get('awsOwnedKey')!r}; must set "
                    "awsOwnedKey false and a customer-managed kmsKeyArn."
                )

    yield from stack.each(collections, decide)
