"""SecretWiring: how a workload gets a provider key without the key appearing in code, config, images or logs.

Children (``<name>-<role>``): ``key`` (a ``Key``, usage limited to the readers through Secrets
Manager) unless an existing key is given; ``secret`` (under that key, with a recovery window);
``version`` when a value (a Pulumi secret) is given; ``policy`` (block public policy; readers named,
every other principal denied GetSecretValue; then the user's statements); ``rotation`` with a
rotation function; ``read`` (an IAM policy granting GetSecretValue on this secret ARN only) attached
to each reader role (``read-<reader>``); ``pod-identity-<reader>`` (EKS Pod Identity association)
for readers that run as a Kubernetes service account.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aiwarden_policies.contract.vocabulary import ROTATION_NOT_SUPPORTED, ROTATION_TAG
from components._common import AssetRecord, CreateKey, KeyChoice, Ownership, record_asset
from components._common.json_document import joined
from components._common.ownership import Slug
from components._common.secret_value import SecretValue
from components.aws._account import Account, current_account
from components.aws._documents import Statement, check_statements, document, wildcard_allows
from components.aws._identifiers import (
    K8S_NAMESPACE,
    K8S_SERVICE_ACCOUNT,
    EksClusterName,
    LambdaArn,
    RoleArn,
    role_name,
)
from components.aws._key_choice import FIELD_DESCRIPTION, ResolvedKey, check_key_choice, resolve_key
from components.aws._tags import aws_tags

TYPE = "aiwarden:aws:SecretWiring"
KIND = "secret"
READ_ACTIONS = ("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue")

_SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")


class PodIdentity(BaseModel):
    """The Kubernetes service account that acts as the reader's role (EKS Pod Identity)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    cluster_name: EksClusterName = Field(
        description="EKS cluster name (a string or an Output, passed through)."
    )
    namespace: str = Field(pattern=K8S_NAMESPACE, description="Namespace of the service account.")
    service_account: str = Field(
        pattern=K8S_SERVICE_ACCOUNT, description="Name of the Kubernetes service account."
    )


class Reader(BaseModel):
    """A workload role allowed to read the secret (its trust policy must allow ``pods.eks.amazonaws.com``
    when ``pod_identity`` is set)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    role_arn: RoleArn = Field(description="IAM role ARN (a string or an Output, passed through).")
    pod_identity: PodIdentity | None = Field(
        default=None, description="Bind this role to a Kubernetes service account through EKS Pod Identity."
    )


class FunctionRotation(BaseModel):
    """Automatic rotation by a Lambda rotation function."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["function"] = "function"
    function_arn: LambdaArn = Field(
        description="Rotation Lambda ARN (a string or an Output, passed through)."
    )
    function_role_arn: RoleArn = Field(
        description="Execution role of the rotation function: the secret policy and the key let it read."
    )
    after_days: int = Field(default=30, ge=1, le=1000, description="Days between rotations.")


class ManualRotation(BaseModel):
    """The secret cannot be rotated by a function (e.g. a model-provider API key): say how it is rotated.

    Tags the secret ``rotation=not-supported`` and records the procedure in ``aiwarden-exception``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["manual"] = "manual"
    procedure: str = Field(min_length=20, description="Who rotates it, how often, and where the runbook is.")


RotationChoice = Annotated[FunctionRotation | ManualRotation, Field(discriminator="kind")]


class SecretWiringArgs(BaseModel):
    """Inputs of ``SecretWiring``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child.")
    secret_name: str | None = Field(
        default=None, description="Secrets Manager name; default: Pulumi auto-naming from the resource name."
    )
    description: str = Field(default="", max_length=2048, description="Secret description.")
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}. Provider default: the AWS managed key aws/secretsmanager.",
    )
    readers: dict[Slug, Reader] = Field(
        min_length=1,
        description="Workload roles allowed to read the secret, by name; every other principal is "
        "denied GetSecretValue by the secret policy.",
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
    writer_role_arn: RoleArn | None = Field(
        default=None,
        description="Role that puts values: the deployment's role with `value` (the provider reads back what it "
        "writes), else the operator's for out-of-band values. It may use the key and read the secret (key and "
        "secret policies; its IAM grants are its own). Required with `value`, and with `ManualRotation` under a "
        "created key (nobody else could put a value).",
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
                "roles in `readers`"
            )
        return statements

    @model_validator(mode="after")
    def _consistent(self) -> SecretWiringArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        if self.writer_role_arn is None and self.value is not None:
            raise ValueError(
                "writer_role_arn: with `value`, the provider reads back the version it writes, and only named "
                "principals may read this secret; name the role that runs the deployment (or drop `value` and "
                "put the value out of band)"
            )
        if (
            self.writer_role_arn is None
            and isinstance(self.rotation, ManualRotation)
            and isinstance(self.kms_key, CreateKey)
        ):
            raise ValueError(
                "writer_role_arn: with ManualRotation under a created key, only named principals may use the key, "
                "so nobody could put the value; name the role of whoever rotates it"
            )
        return self

    def allowed_principals(self) -> list[Any]:
        """Readers, the rotation function's role and the writer: the only principals that may read the value."""
        principals = [reader.role_arn for reader in self.readers.values()]
        if isinstance(self.rotation, FunctionRotation):
            principals.append(self.rotation.function_role_arn)
        if self.writer_role_arn is not None:
            principals.append(self.writer_role_arn)
        return principals


def secret_policy(args: SecretWiringArgs, secret_arn: pulumi.Output[str]) -> pulumi.Output[str]:
    """Named readers may read; every other principal is denied GetSecretValue; then the user's statements."""
    principals = args.allowed_principals()
    return document(
        [
            {
                "Sid": "AllowNamedReaders",
                "Effect": "Allow",
                "Principal": {"AWS": principals},
                "Action": list(READ_ACTIONS),
                "Resource": secret_arn,
            },
            {
                "Sid": "DenyOtherReaders",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": secret_arn,
                "Condition": {"ArnNotEquals": {"aws:PrincipalArn": principals}},
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

    Outputs: ``secret_arn``, ``secret_name``, ``kms_key_arn``, ``read_policy_arn``.
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
        principals = args.allowed_principals()
        self.key = resolve_key(
            name,
            args.kms_key,
            args.ownership,
            self,
            services=("secretsmanager",),
            users={f"principal-{i}": arn for i, arn in enumerate(principals)},
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
            self.rotation = aws.secretsmanager.SecretRotation(
                f"{name}-rotation",
                secret_id=self.secret.id,
                rotation_lambda_arn=args.rotation.function_arn,
                rotation_rules=aws.secretsmanager.SecretRotationRotationRulesArgs(
                    automatically_after_days=args.rotation.after_days
                ),
                opts=child,
            )
        self.read_policy = aws.iam.Policy(
            f"{name}-read",
            description=f"Read the {name} secret (aiwarden SecretWiring)",
            policy=read_policy(self.secret.arn, self.key.arn, account),
            tags=tags,
            opts=child,
        )
        self.attachments = {
            reader: aws.iam.RolePolicyAttachment(
                f"{name}-read-{reader}",
                role=role_name(spec.role_arn),
                policy_arn=self.read_policy.arn,
                opts=child,
            )
            for reader, spec in args.readers.items()
        }
        self.pod_identities = {
            reader: aws.eks.PodIdentityAssociation(
                f"{name}-pod-identity-{reader}",
                cluster_name=spec.pod_identity.cluster_name,
                namespace=spec.pod_identity.namespace,
                service_account=spec.pod_identity.service_account,
                role_arn=spec.role_arn,
                tags=tags,
                opts=child,
            )
            for reader, spec in args.readers.items()
            if spec.pod_identity is not None
        }
        record_asset(
            AssetRecord(
                name=f"{name}-secret",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=tuple(principals),
                credentials_to_revoke=(self.secret.arn,),
                logs_to_preserve=(joined("CloudTrail: secretsmanager GetSecretValue on ", self.secret.arn),),
                containment=f"Rotate the credential at its provider and put the new value in the {name} secret, then "
                f"detach the {name}-read policy from any role that should no longer read it.",
            )
        )
        self.register_outputs(
            {
                "secret_arn": self.secret.arn,
                "secret_name": self.secret.name,
                "kms_key_arn": self.key.arn,
                "read_policy_arn": self.read_policy.arn,
            }
        )
