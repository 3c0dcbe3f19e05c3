"""VEC-1: every OpenSearch Serverless collection is covered by a network and an encryption policy."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.opensearch_serverless import (
    COLLECTION,
    SECURITY_POLICY,
    covers,
    documents,
    policies_of_type,
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
    network = [
        d for p in policies_of_type(stack.resources, "network") for d in documents(p.props.get("policy"))
    ]
    encryption = [
        d for p in policies_of_type(stack.resources, "encryption") for d in documents(p.props.get("policy"))
    ]
    for collection in collections:
        name = str(collection.props.get("name") or "")
        label = f"{collection.resource_type} {collection.name!r} (collection/{name})"
        if not any(covers(d, name) for d in network):
            yield (
                f"{label} is matched by no network security policy of the stack; add one with AllowFromPublic "
                "false and SourceVPCEs.",
                collection.urn,
            )
        if not any(covers(d, name) for d in encryption) and not collection.props.get("encryptionConfigs"):
            yield (
                f"{label} is matched by no encryption security policy of the stack and sets no encryptionConfigs; "
                "add an encryption policy with a customer-managed KmsARN.",
                collection.urn,
            )
