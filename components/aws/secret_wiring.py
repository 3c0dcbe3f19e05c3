"""SecretWiring: how a workload gets a provider key without the key appearing in code, config, images or logs.

Children (``<name>-<role>``): ``key`` (a ``Key``, usage limited to the grants' roles through Secrets
Manager) unless an existing key is given; ``secret`` (under that key, with a recovery window);
``version`` when a value (a Pulumi secret) is given; ``policy`` (block public policy; the grants'
roles named, every other principal denied GetSecretValue; then the user's statements); ``rotation``
with a rotation function (after ``version`` and ``policy``; first rotation at the scheduled interval, not at
setup: ``rotate_immediately`` false); ``read`` (an IAM policy granting GetSecretValue on this secret ARN only)
attached to the role of each ``read`` grant (``read-<grant>``); ``pod-identity-<grant>`` (EKS Pod
Identity association) for grants whose role runs as a Kubernetes service account.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aiwarden_policies.contract.vocabulary import ROTATION_NOT_SUPPORTED, ROTATION_TAG
from components._common import (
    AssetRecord,
    CreateKey,
    Grant,
    KeyChoice,
    Ownership,
    ServiceAccountRef,
    record_asset,
)
from components._common.access import principals
from components._common.inventory import SECRET, asset_kind
from components._common.json_document import joined
from components._common.ownership import Slug
from components._common.secret_value import SecretValue
from components.aws._account import Account, current_account
from components.aws._documents import Statement, check_statements, document, wildcard_allows
from components.aws._identifiers import (
    EksClusterName,
    LambdaArn,
    RoleArn,
    role_name,
)
from components.aws._key_choice import FIELD_DESCRIPTION, ResolvedKey, check_key_choice, resolve_key
from components.aws._tags import aws_tags

TYPE = "aiwarden:aws:SecretWiring"
KIND = asset_kind(SECRET)
#: The roles ``access`` accepts: ``read`` (read the value; the ``read`` policy is attached to the role) and
#: ``write`` (put values: the secret and key policies let the role read and encrypt; its IAM grants are its own).
SecretRole = Literal["read", "write"]
READ_ACTIONS = ("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue")

_SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")


class PodIdentity(BaseModel):
    """The Kubernetes service account that acts as the grant's role (EKS Pod Identity)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    cluster_name: EksClusterName = Field(
        description="EKS cluster name (a string or an Output, passed through)."
    )
    service_account: ServiceAccountRef = Field(
        description="The Kubernetes service account (namespace, name)."
    )


class SecretGrant(Grant[RoleArn, SecretRole]):
    """A ``Grant`` on the secret to an IAM role (a string or an Output, passed through), optionally acting as a
    Kubernetes service account (its trust policy must allow ``pods.eks.amazonaws.com`` with ``pod_identity``)."""

    pod_identity: PodIdentity | None = Field(
        default=None, description="Bind this role to a Kubernetes service account through EKS Pod Identity."
    )


class FunctionRotation(BaseModel):
    """Automatic rotation by a Lambda rotation function."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["function"] = "function"
    function_arn: LambdaArn = Field(
        description="Rotation Lambda ARN (a string or an Output, passed through)."
    )
    function_role_arn: RoleArn = Field(
        description="Execution role of the rotation function: the secret policy and the key let it read."
    )
    after_days: int = Field(
        default=30,
        ge=1,
        le=1000,
        description="Days between rotations; the first rotation comes after this interval, not when rotation is "
        "configured (provider default: rotate at once, racing the initial value).",
    )


class ManualRotation(BaseModel):
    """The secret cannot be rotated by a function (e.g. a model-provider API key): say how it is rotated.

    Tags the secret ``rotation=not-supported`` and records the procedure in ``aiwarden-exception``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["manual"] = "manual"
    procedure: str = Field(min_length=20, description="Who rotates it, how often, and where the runbook is.")


RotationChoice = Annotated[FunctionRotation | ManualRotation, Field(discriminator="kind")]


class SecretWiringArgs(BaseModel):
    """Inputs of ``SecretWiring``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child.")
    secret_name: str | None = Field(
        default=None, description="Secrets Manager name; default: Pulumi auto-naming from the resource name."
    )
    description: str = Field(default="", max_length=2048, description="Secret description.")
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}. Provider default: the AWS managed key aws/secretsmanager.",
    )
    access: dict[Slug, SecretGrant] = Field(
        min_length=1,
        description="Roles that may use the secret, by name: `read` = read the value (the `read` IAM policy is "
        "attached to the role), `write` = put values (the deployment's role with `value`, else whoever rotates "
        "it; it may also read). Every other principal is denied GetSecretValue by the secret policy. A `write` "
        "grant is required with `value`, and with `ManualRotation` under a created key.",
    )
    rotation: RotationChoice = Field(
        description="`FunctionRotation(...)` or, for keys no function can rotate, `ManualRotation(procedure=...)` "
        "(provider default: no rotation)."
    )
    recovery_window_days: int = Field(
        default=30,
        ge=7,
        le=30,
        description="Days a deleted secret stays recoverable (7-30; provider default 30; immediate deletion refused).",
    )
    value: SecretValue = Field(
        default=None,
        description="Optional initial value: a `pulumi.Output` (e.g. `config.require_secret(...)`), wrapped with "
        "`pulumi.Output.secret`; a plain string is refused. Passes through unvalidated otherwise. "
        "Default: no version; the value is put out of band (never in the program or its state).",
    )
    policy_statements: tuple[dict[str, Any], ...] = Field(
        default=(),
        description="Extra secret policy statements (IAM JSON), appended after the mandatory ones; wildcard "
        "principals are refused.",
    )

    @field_validator("secret_name")
    @classmethod
    def _secret_name(cls, value: str | None) -> str | None:
        if value is not None and not _SECRET_NAME.fullmatch(value):
            raise ValueError(f"secret_name {value!r}: use 1-512 letters, digits and /_+=.@-")
        return value

    @field_validator("policy_statements")
    @classmethod
    def _statements(cls, value: tuple[Any, ...]) -> tuple[Statement, ...]:
        statements = check_statements("policy_statements", value)
        for i in wildcard_allows(statements, conditions_narrow=False):
            raise ValueError(
                f"policy_statements[{i}]: a wildcard principal may read the secret (SEC-3); name the workload "
                "roles in `access`"
            )
        return statements

    @model_validator(mode="after")
    def _consistent(self) -> SecretWiringArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        writers = principals(self.access, "write")
        if not writers and self.value is not None:
            raise ValueError(
                "access: with `value`, the provider reads back the version it writes, and only named principals "
                "may read this secret; grant `write` to the role that runs the deployment (or drop `value` and "
                "put the value out of band)"
            )
        if not writers and isinstance(self.rotation, ManualRotation) and isinstance(self.kms_key, CreateKey):
            raise ValueError(
                "access: with ManualRotation under a created key, only named principals may use the key, so "
                "nobody could put the value; grant `write` to the role of whoever rotates it"
            )
        return self

    def allowed_principals(self) -> list[Any]:
        """Readers, the rotation function's role and the writers: the only principals that may read the value."""
        allowed = [grant.principal for grant in self.access.values() if grant.role == "read"]
        if isinstance(self.rotation, FunctionRotation):
            allowed.append(self.rotation.function_role_arn)
        allowed += [grant.principal for grant in self.access.values() if grant.role == "write"]
        return allowed


def secret_policy(args: SecretWiringArgs, secret_arn: pulumi.Output[str]) -> pulumi.Output[str]:
    """Named readers may read; every other principal is denied GetSecretValue; then the user's statements."""
    allowed = args.allowed_principals()
    return document(
        [
            {
                "Sid": "AllowNamedReaders",
                "Effect": "Allow",
                "Principal": {"AWS": allowed},
                "Action": list(READ_ACTIONS),
                "Resource": secret_arn,
            },
            {
                "Sid": "DenyOtherReaders",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": secret_arn,
                "Condition": {"ArnNotEquals": {"aws:PrincipalArn": allowed}},
            },
            *args.policy_statements,
        ]
    )


def read_policy(
    secret_arn: pulumi.Output[str], key_arn: pulumi.Output[str], account: Account
) -> pulumi.Output[str]:
    """GetSecretValue on this secret ARN only, and decryption with its key only through Secrets Manager."""
    return document(
        [
            {
                "Sid": "ReadThisSecret",
                "Effect": "Allow",
                "Action": list(READ_ACTIONS),
                "Resource": secret_arn,
            },
            {
                "Sid": "DecryptThroughSecretsManager",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": key_arn,
                "Condition": {"StringEquals": {"kms:ViaService": account.service_endpoint("secretsmanager")}},
            },
        ]
    )


class SecretWiring(pulumi.ComponentResource):
    """A Secrets Manager secret under a CMK, readable only by named workload roles (see the module docstring).

    Outputs: ``secretArn``, ``secretName``, ``kmsKeyArn``, ``readPolicyArn``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("SEC-1", "SEC-2", "SEC-3", "INV-1")

    key: ResolvedKey
    secret: aws.secretsmanager.Secret
    version: aws.secretsmanager.SecretVersion | None
    policy: aws.secretsmanager.SecretPolicy
    rotation: aws.secretsmanager.SecretRotation | None
    read_policy: aws.iam.Policy
    attachments: dict[str, aws.iam.RolePolicyAttachment]
    pod_identities: dict[str, aws.eks.PodIdentityAssociation]

    def __init__(self, name: str, args: SecretWiringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        account = current_account(self)
        manual = args.rotation.procedure if isinstance(args.rotation, ManualRotation) else None
        tags = aws_tags(args.ownership)
        allowed = args.allowed_principals()
        self.key = resolve_key(
            name,
            args.kms_key,
            args.ownership,
            self,
            services=("secretsmanager",),
            users={f"principal-{i}": arn for i, arn in enumerate(allowed)},
        )
        secret_tags = aws_tags(args.ownership, manual)
        if manual is not None:
            secret_tags[ROTATION_TAG] = ROTATION_NOT_SUPPORTED
        self.secret = aws.secretsmanager.Secret(
            f"{name}-secret",
            name=args.secret_name,
            description=args.description or f"aiwarden {name}",
            kms_key_id=self.key.arn,
            recovery_window_in_days=args.recovery_window_days,
            tags=secret_tags,
            opts=child,
        )
        self.version = None
        if args.value is not None:
            self.version = aws.secretsmanager.SecretVersion(
                f"{name}-version",
                secret_id=self.secret.id,
                secret_string=args.value,
                opts=child,
            )
        self.policy = aws.secretsmanager.SecretPolicy(
            f"{name}-policy",
            secret_arn=self.secret.arn,
            block_public_policy=True,
            policy=secret_policy(args, self.secret.arn),
            opts=child,
        )
        self.rotation = None
        if isinstance(args.rotation, FunctionRotation):
            # After the initial version (it must exist before rotation is configured), and no rotation at setup:
            # the first rotation comes at the scheduled interval (provider default rotate_immediately=true would
            # race the initial value, or rotate a secret that has no value yet). Secrets Manager still tests the
            # function's testSecret step when rotation is configured.
            self.rotation = aws.secretsmanager.SecretRotation(
                f"{name}-rotation",
                secret_id=self.secret.id,
                rotation_lambda_arn=args.rotation.function_arn,
                rotation_rules=aws.secretsmanager.SecretRotationRotationRulesArgs(
                    automatically_after_days=args.rotation.after_days
                ),
                rotate_immediately=False,
                opts=pulumi.ResourceOptions(
                    parent=self, depends_on=[self.version, self.policy] if self.version else [self.policy]
                ),
            )
        self.read_policy = aws.iam.Policy(
            f"{name}-read",
            description=f"Read the {name} secret (aiwarden SecretWiring)",
            policy=read_policy(self.secret.arn, self.key.arn, account),
            tags=tags,
            opts=child,
        )
        self.attachments = {
            grant: aws.iam.RolePolicyAttachment(
                f"{name}-read-{grant}",
                role=role_name(spec.principal),
                policy_arn=self.read_policy.arn,
                opts=child,
            )
            for grant, spec in args.access.items()
            if spec.role == "read"
        }
        self.pod_identities = {
            grant: aws.eks.PodIdentityAssociation(
                f"{name}-pod-identity-{grant}",
                cluster_name=spec.pod_identity.cluster_name,
                namespace=spec.pod_identity.service_account.namespace,
                service_account=spec.pod_identity.service_account.name,
                role_arn=spec.principal,
                tags=tags,
                opts=child,
            )
            for grant, spec in args.access.items()
            if spec.pod_identity is not None
        }
        record_asset(
            AssetRecord(
                name=f"{name}-secret",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=tuple(allowed),
                credentials_to_revoke=(self.secret.arn,),
                logs_to_preserve=(joined("CloudTrail: secretsmanager GetSecretValue on ", self.secret.arn),),
                containment=f"Rotate the credential at its provider and put the new value in the {name} secret, then "
                f"detach the {name}-read policy from any role that should no longer read it.",
            )
        )
        self.register_outputs(
            {
                "secretArn": self.secret.arn,
                "secretName": self.secret.name,
                "kmsKeyArn": self.key.arn,
                "readPolicyArn": self.read_policy.arn,
            }
        )
