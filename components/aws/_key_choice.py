"""The AWS side of the shared key choice: check it, then create a ``Key`` child or use the given key ARN.

``CreateKey`` becomes a ``Key`` component named ``<name>-key`` whose usage is limited to the
component's named principals (``use`` grants) and AWS service; ``ExistingKey`` must be a KMS key ARN (not an
alias: IAM and OpenSearch Serverless policies compare key ARNs), or the ARN Output of a key of the same program
(passed through). No key at all is refused for
confidential and restricted data (DATA-2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from components._common import CreateKey, ExistingKey, Grant, Ownership
from components.aws._documents import Statement
from components.aws._identifiers import KMS_KEY_ARN
from components.aws.key import Key, KeyArgs

#: KMS accepts automatic rotation periods of 90 to 2560 days.
MIN_ROTATION_DAYS = 90

FIELD_DESCRIPTION = (
    "Encryption key: `CreateKey()` (default: a dedicated KMS key, rotation on, usage limited to this "
    "component) or `ExistingKey(key='arn:aws:kms:<region>:<account>:key/<id>')`"
)


def check_key_choice(field: str, choice: CreateKey | ExistingKey | None, ownership: Ownership) -> None:
    """Raise ``ValueError`` naming ``field`` when the choice cannot protect this data on AWS."""
    if choice is None:
        if ownership.sensitive:
            raise ValueError(
                f"{field}: {ownership.data_classification} data must be encrypted with a customer-managed key "
                "(DATA-2); keep the default CreateKey() or pass ExistingKey(key='arn:aws:kms:...:key/...')"
            )
        return
    if (
        isinstance(choice, ExistingKey)
        and isinstance(choice.key, str)
        and not re.fullmatch(KMS_KEY_ARN, choice.key)
    ):
        raise ValueError(
            f"{field}.key: {choice.key!r} is not an AWS KMS key ARN; use arn:aws:kms:<region>:<account>:key/<id> "
            "(an alias ARN does not work in IAM or OpenSearch Serverless policies)"
        )
    if isinstance(choice, CreateKey) and choice.rotation_period_days < MIN_ROTATION_DAYS:
        raise ValueError(
            f"{field}.rotation_period_days: AWS KMS rotates every {MIN_ROTATION_DAYS} to 2560 days; "
            f"{choice.rotation_period_days} is too short"
        )


@dataclass(frozen=True)
class ResolvedKey:
    """The key ARN a component encrypts with, and the ``Key`` child when the component created it."""

    arn: pulumi.Output[str]
    created: Key | None


def resolve_key(
    name: str,
    choice: CreateKey | ExistingKey,
    ownership: Ownership,
    parent: pulumi.Resource,
    *,
    services: tuple[str, ...] = (),
    users: Mapping[str, Any] | None = None,
    service_principals: tuple[str, ...] = (),
    description: str | None = None,
    policy_statements: Sequence[Statement] = (),
) -> ResolvedKey:
    """Create ``<name>-key`` (usage: the principals ``users``, by name, through ``services``; ``policy_statements``
    appended to its key policy, e.g. CloudWatch Logs encrypting the component's log groups) or use the existing key
    ARN. ``description`` defaults to the ownership's purpose and classification."""
    if isinstance(choice, ExistingKey):
        return ResolvedKey(arn=pulumi.Output.from_input(choice.key), created=None)
    key = Key(
        f"{name}-key",
        KeyArgs(
            ownership=ownership,
            description=description
            or f"aiwarden {name}: {ownership.purpose} ({ownership.data_classification})",
            deletion_window_days=choice.deletion_window_days,
            rotation_period_days=choice.rotation_period_days,
            access={user: Grant(principal=arn, role="use") for user, arn in (users or {}).items()},
            services=services,
            service_principals=service_principals,
            policy_statements=tuple(policy_statements),
        ),
        pulumi.ResourceOptions(parent=parent),
    )
    return ResolvedKey(arn=key.arn, created=key)
