"""VEC-1: every OpenSearch Serverless collection is covered by a network and an encryption policy."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.opensearch_serverless import (
    COLLECTION,
    SECURITY_POLICY,
    matching,
    security_documents,
)

SPEC = Spec(
    control="VEC-1",
    name="vec-1-aoss-collection-security-policies",
    description=(
        "Every OpenSearch Serverless collection of the stack is matched (Rules[].Resource `collection/<name>` or "
        "a wildcard such as `collection/vectors*`) by a `network` security policy of the stack, and by an "
        "`encryption` security policy unless the collection sets encryptionConfigs itself. Network exposure and "
        "keys are then declared in code and checked by the other VEC-1 policies."
    ),
    remediation_steps=(
        "Create `aws.opensearch.ServerlessSecurityPolicy` resources of type `network` (AllowFromPublic false, "
        "SourceVPCEs) and `encryption` (AWSOwnedKey false, KmsARN) whose rules name `collection/<name>`, and "
        "make the collection depend on them (`depends_on`): the encryption policy must exist before the collection."
    ),
    resource_types=(COLLECTION, SECURITY_POLICY),
)


@stack_policy(SPEC)
def vec_1_aoss_collection_security_policies(stack: Stack) -> Iterable[tuple[str, str | None]]:
    collections = stack.of_type(COLLECTION)
    if not collections:
        return
    network = security_documents(stack, "network")
    encryption = security_documents(stack, "encryption")

    def label(collection: Any) -> str:
        return f"{collection.resource_type} {collection.name!r} (collection/{_name(collection)})"

    def networked(collection: Any) -> Iterator[str]:
        if matching(network, _name(collection)):
            return
        network.require()  # a policy unknown at preview may match it
        yield (
            f"{label(collection)} is matched by no network security policy of the stack; add one with "
            "AllowFromPublic false and SourceVPCEs."
        )

    def encrypted(collection: Any) -> Iterator[str]:
        if matching(encryption, _name(collection)) or collection.props.get("encryptionConfigs"):
            return
        encryption.require()
        yield (
            f"{label(collection)} is matched by no encryption security policy of the stack and sets no "
            "encryptionConfigs; add an encryption policy with a customer-managed KmsARN."
        )

    yield from stack.each(collections, networked, encrypted)


def _name(collection: Any) -> str:
    return str(collection.props.get("name") or "")
