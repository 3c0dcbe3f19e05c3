"""Key: a customer-managed KMS key with an alias, rotation on and a least-privilege key policy.

Key policy: the account administers the key (no usage actions, no CreateGrant for itself); usage
goes to the principals of ``access`` (role ``use``) only, optionally only through named AWS services
(``kms:ViaService``). Without grants, usage is delegated to the account's IAM policies but only
through the named services. Extra statements are appended after these.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from components._common import AssetRecord, Grant, Ownership, record_asset
from components._common.access import principals
from components._common.inventory import ENCRYPTION_KEY, asset_kind
from components._common.json_document import joined
from components._common.ownership import Slug
from components.aws._account import Account, current_account
from components.aws._documents import Statement, check_statements, document, wildcard_allows
from components.aws._identifiers import PrincipalArn
from components.aws._tags import aws_tags

TYPE = "aiwarden:aws:Key"
KIND = asset_kind(ENCRYPTION_KEY)
#: The roles ``access`` accepts: ``use`` (encrypt, decrypt, generate data keys, grants for AWS resources).
KeyRole = Literal["use"]

#: Administration without use: no Encrypt/Decrypt, and no CreateGrant (a grant would let IAM hand out usage).
#: Key-policy actions only: ``kms:ListAliases`` ("Required permissions: kms:ListAliases (IAM policy)") is authorized by
#: IAM policies alone, never by a key policy (https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html).
ADMIN_ACTIONS = (
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
)
USAGE_ACTIONS = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*")
#: Grants an AWS service creates, lists and revokes for the principal's resources (EBS, RDS...): under
#: ``kms:GrantIsForAWSResource``, which KMS evaluates for CreateGrant, ListGrants and RevokeGrant
#: (https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html), as in the default key policy.
GRANT_ACTIONS = ("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant")
_ALIAS = re.compile(r"^[A-Za-z0-9/_-]{1,240}$")
_SERVICE = r"^[a-z][a-z0-9-]{1,40}$"
_SERVICE_PRINCIPAL = r"^[a-z0-9.-]{3,100}\.amazonaws\.com$"


class KeyArgs(BaseModel):
    """Inputs of ``Key``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on the key.")
    description: str = Field(
        default="", max_length=8192, description="Key description (provider default: empty)."
    )
    alias: str | None = Field(
        default=None,
        description="Alias name without `alias/`; default `aiwarden/<project>/<stack>/<name>` (provider: no alias).",
    )
    deletion_window_days: int = Field(
        default=30, ge=7, le=30, description="Pending-deletion window, 7-30 days (provider default 30, kept)."
    )
    rotation_period_days: int = Field(
        default=90,
        ge=90,
        le=2560,
        description="Automatic rotation period, 90-2560 days; rotation is on (provider default: rotation off).",
    )
    access: dict[Slug, Grant[PrincipalArn, KeyRole]] = Field(
        default_factory=dict,
        description="Who may use the key, by name: `use` = encrypt, decrypt, generate data keys and create grants "
        "for AWS resources (role/user ARNs or Outputs, passed through). Empty: usage is delegated to the "
        "account's IAM policies, through `services` only.",
    )
    services: tuple[str, ...] = Field(
        default=(),
        description="Restrict usage to calls through these AWS services (`kms:ViaService`, e.g. `s3`, "
        "`secretsmanager`, `aoss`); provider default: any way of calling KMS.",
    )
    service_principals: tuple[str, ...] = Field(
        default=(),
        description="Service principals that may generate data keys for this account's resources "
        "(e.g. `delivery.logs.amazonaws.com` for vended logs to an SSE-KMS bucket), limited by `aws:SourceAccount`. "
        "Not S3 server access logging: it delivers to SSE-S3 buckets only.",
    )
    policy_statements: tuple[dict[str, Any], ...] = Field(
        default=(),
        description="Extra key policy statements (IAM JSON), appended after the mandatory ones; "
        "wildcard principals are refused.",
    )

    @field_validator("alias")
    @classmethod
    def _alias(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.startswith("alias/"):
            raise ValueError(f"alias {value!r}: give the name without the `alias/` prefix")
        if value.lower().startswith("aws/") or not _ALIAS.fullmatch(value):
            raise ValueError(
                f"alias {value!r}: use letters, digits, `/`, `_` and `-` (240 max), not starting with `aws/`"
            )
        return value

    @field_validator("services")
    @classmethod
    def _services(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for service in value:
            if not re.fullmatch(_SERVICE, service):
                raise ValueError(f"services: {service!r} is not an AWS service prefix such as `s3` or `aoss`")
        return value

    @field_validator("service_principals")
    @classmethod
    def _service_principals(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for principal in value:
            if not re.fullmatch(_SERVICE_PRINCIPAL, principal):
                raise ValueError(
                    f"service_principals: {principal!r} is not a service principal like `delivery.logs.amazonaws.com`"
                )
        return value

    @field_validator("policy_statements")
    @classmethod
    def _statements(cls, value: tuple[Any, ...]) -> tuple[Statement, ...]:
        statements = check_statements("policy_statements", value)
        for i in wildcard_allows(statements, conditions_narrow=False):
            raise ValueError(
                f"policy_statements[{i}]: a wildcard principal may use the key; name the principals in `access`"
            )
        return statements

    @model_validator(mode="after")
    def _usage_is_limited(self) -> KeyArgs:
        if not self.access and not self.services:
            raise ValueError(
                "access: grant `use` to at least one principal, or restrict usage to `services` "
                "(otherwise any IAM policy of the account could grant direct use of the key)"
            )
        return self


def key_policy(args: KeyArgs, account: Account) -> pulumi.Output[str]:
    """Account administration, usage by named principals (through named services), then extra statements."""
    named = principals(args.access, "use")
    users: list[Any] = named or [account.root]
    condition: dict[str, dict[str, Any]] = {}
    if args.services:
        condition["StringEquals"] = {"kms:ViaService": [account.service_endpoint(s) for s in args.services]}
    if not named:
        condition.setdefault("StringEquals", {})["kms:CallerAccount"] = account.id
    usage: Statement = {
        "Sid": "KeyUsage",
        "Effect": "Allow",
        "Principal": {"AWS": users},
        "Action": list(USAGE_ACTIONS),
        "Resource": "*",
    }
    grants: Statement = {
        "Sid": "GrantsForAwsResources",
        "Effect": "Allow",
        "Principal": {"AWS": users},
        "Action": list(GRANT_ACTIONS),
        "Resource": "*",
        "Condition": {**condition, "Bool": {"kms:GrantIsForAWSResource": "true"}},
    }
    if condition:
        usage["Condition"] = condition
    statements: list[Statement] = [
        {
            "Sid": "AccountAdministration",
            "Effect": "Allow",
            "Principal": {"AWS": account.root},
            "Action": list(ADMIN_ACTIONS),
            "Resource": "*",
        },
        usage,
        grants,
    ]
    statements += [
        {
            "Sid": f"ServiceDataKeys{i}",
            "Effect": "Allow",
            "Principal": {"Service": principal},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account.id}},
        }
        for i, principal in enumerate(args.service_principals)
    ]
    return document([*statements, *args.policy_statements])


def default_alias(name: str) -> str:
    raw = f"aiwarden/{pulumi.get_project()}/{pulumi.get_stack()}/{name}"
    return re.sub(r"[^A-Za-z0-9/_-]", "-", raw)[:240]


class Key(pulumi.ComponentResource):
    """A customer-managed KMS key (``<name>-cmk``) and its alias (``<name>-alias``).

    Outputs: ``arn`` (key ARN), ``keyId``, ``aliasName``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("DATA-2", "IR-2", "INV-1")

    key: aws.kms.Key
    alias: aws.kms.Alias
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: KeyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.key = aws.kms.Key(
            f"{name}-cmk",
            description=args.description or f"aiwarden {name} ({args.ownership.purpose})",
            key_usage="ENCRYPT_DECRYPT",
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            enable_key_rotation=True,
            rotation_period_in_days=args.rotation_period_days,
            deletion_window_in_days=args.deletion_window_days,
            is_enabled=True,
            multi_region=False,
            bypass_policy_lockout_safety_check=False,
            policy=key_policy(args, current_account(self)),
            tags=aws_tags(args.ownership),
            opts=child,
        )
        self.alias = aws.kms.Alias(
            f"{name}-alias",
            name=f"alias/{args.alias or default_alias(name)}",
            target_key_id=self.key.key_id,
            opts=child,
        )
        self.arn = self.key.arn
        record_asset(
            AssetRecord(
                name=f"{name}-cmk",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=tuple(principals(args.access)),
                logs_to_preserve=(joined("CloudTrail: kms events on ", self.key.arn),),
                containment=f"Disable the key of {name} (aws kms disable-key): everything encrypted under it becomes "
                "unreadable at once; schedule deletion only after the investigation.",
            )
        )
        self.register_outputs({"arn": self.key.arn, "keyId": self.key.key_id, "aliasName": self.alias.name})
