"""BedrockAccess: named principals may invoke named Bedrock models, every invocation is logged, optionally only through
a guardrail.

Children (``<name>-<role>``):

- ``key`` (a ``Key``: usage through S3 and Bedrock; CloudWatch Logs may use it for the invocation log group, and
  Bedrock may generate data keys for this account's invocation logs) unless an existing key is given;
- unless ``manage_logging`` is false (model invocation logging is one setting per account and region): ``logs``
  (a ``LockedBucket`` under that key, with object lock, whose policy lets Bedrock of this account and region put
  the log objects), ``log-group`` (KMS, retention, deletion protection in production), ``logging-role`` and
  ``logging-delivery`` (Bedrock of this account and region assumes it to write the ``aws/bedrock/modelinvocations``
  stream of that group only), ``logging`` (the region's model invocation logging: text, image, embedding and video
  data to both destinations; retained on delete, so destroying the stack never turns logging off);
- with ``guardrail``: ``guardrail`` (content filters, blocked PII, encrypted with the key) and ``guardrail-version``
  (a numbered version, replaced when the guardrail's settings change);
- ``invoke-policy``: ``bedrock:InvokeModel`` and ``bedrock:InvokeModelWithResponseStream`` (Converse and
  ConverseStream are authorized by them) on the named model and inference-profile ARNs only, the foundation models
  behind a profile only through that profile (``bedrock:InferenceProfileArn``); with a guardrail, only with that
  guardrail version (``bedrock:GuardrailIdentifier``, and a Deny of every other call), ``bedrock:ApplyGuardrail`` on
  it and decryption of its key through Bedrock; ``invoke-<grant>`` attaches it to the role of each ``invoke``
  grant.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import assets
from components._common import AssetRecord, CreateKey, ExistingKey, Grant, KeyChoice, Ownership, record_asset
from components._common.access import principals
from components._common.inventory import asset_kind
from components._common.json_document import Join, joined
from components._common.ownership import Slug
from components._common.protection import check_create_key, deletion_protected
from components.aws._documents import Statement, document, logs_may_use_key
from components.aws._identifiers import RoleArn, aws_identifier, role_name
from components.aws._key_choice import FIELD_DESCRIPTION, check_key_choice, resolve_key
from components.aws._log_groups import RetentionDays, stack_log_group
from components.aws._tags import aws_tags
from components.aws._where import Where, where
from components.aws.key import Key
from components.aws.locked_bucket import LockedBucket, LockedBucketArgs, ObjectLock

TYPE = "aiwarden:aws:BedrockAccess"
KIND = asset_kind(assets.AI_IDENTITY)
BEDROCK = "bedrock.amazonaws.com"
#: What calls a model: InvokeModel and its streaming form (Converse and ConverseStream are authorized by them).
INVOKE_ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")
#: The log stream Bedrock writes invocation logs to in the CloudWatch destination.
LOG_STREAM = "aws/bedrock/modelinvocations"
#: The roles ``access`` accepts: ``invoke`` (the invoke policy is attached to the role).
BedrockRole = Literal["invoke"]
ContentFilter = Literal["SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT", "PROMPT_ATTACK"]
Strength = Literal["LOW", "MEDIUM", "HIGH"]
PiiAction = Literal["BLOCK", "ANONYMIZE"]
PiiEntity = Literal[
    "ADDRESS",
    "AGE",
    "AWS_ACCESS_KEY",
    "AWS_SECRET_KEY",
    "CA_HEALTH_NUMBER",
    "CA_SOCIAL_INSURANCE_NUMBER",
    "CREDIT_DEBIT_CARD_CVV",
    "CREDIT_DEBIT_CARD_EXPIRY",
    "CREDIT_DEBIT_CARD_NUMBER",
    "DRIVER_ID",
    "EMAIL",
    "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
    "IP_ADDRESS",
    "LICENSE_PLATE",
    "MAC_ADDRESS",
    "NAME",
    "PASSWORD",
    "PHONE",
    "PIN",
    "SWIFT_CODE",
    "UK_NATIONAL_HEALTH_SERVICE_NUMBER",
    "UK_NATIONAL_INSURANCE_NUMBER",
    "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER",
    "URL",
    "USERNAME",
    "US_BANK_ACCOUNT_NUMBER",
    "US_BANK_ROUTING_NUMBER",
    "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
    "US_PASSPORT_NUMBER",
    "US_SOCIAL_SECURITY_NUMBER",
    "VEHICLE_IDENTIFICATION_NUMBER",
]
_PARTITION = r"arn:aws(?:-[a-z]+)*"
_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d"
_MODEL_ID = r"[a-z0-9-]+\.[A-Za-z0-9._:-]+"
FOUNDATION_MODEL_ARN = rf"^{_PARTITION}:bedrock:{_REGION}::foundation-model/{_MODEL_ID}$"
#: System-defined (cross-region) inference profiles: ``<geography>.<model id>``.
INFERENCE_PROFILE_ARN = rf"^{_PARTITION}:bedrock:{_REGION}:\d{{12}}:inference-profile/[a-z]+\.{_MODEL_ID}$"
APPLICATION_PROFILE_ARN = (
    rf"^{_PARTITION}:bedrock:{_REGION}:\d{{12}}:application-inference-profile/[a-z0-9]+$"
)
OWN_MODEL_ARN = rf"^{_PARTITION}:bedrock:{_REGION}:\d{{12}}:(?:provisioned-model|custom-model|imported-model)/[A-Za-z0-9._:/-]+$"
MODEL_ARN = f"(?:{FOUNDATION_MODEL_ARN})|(?:{INFERENCE_PROFILE_ARN})|(?:{APPLICATION_PROFILE_ARN})|(?:{OWN_MODEL_ARN})"
_LOG_GROUP_NAME = r"^[A-Za-z0-9_./#-]{1,512}$"
_PREFIX = r"^[A-Za-z0-9!_.*'()=-]+(/[A-Za-z0-9!_.*'()=-]+)*$"
#: Pulumi auto-names the guardrail ``<name>-guardrail-<7 hex>``; Bedrock takes 50 characters.
_GUARDRAIL_COMPONENT_NAME = re.compile(r"^[0-9a-zA-Z_-]{1,32}$")

if TYPE_CHECKING:
    ModelArn = str | pulumi.Output[str]
    FoundationModelArn = str | pulumi.Output[str]
else:
    ModelArn = aws_identifier(
        MODEL_ARN,
        "a Bedrock foundation-model, inference-profile, application-inference-profile, provisioned-, custom- or "
        "imported-model ARN",
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
    )
    FoundationModelArn = aws_identifier(
        FOUNDATION_MODEL_ARN,
        "a Bedrock foundation-model ARN",
        "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
    )


def _kind(arn: Any) -> str | None:
    """``foundation``, ``profile`` (system-defined), ``application-profile`` or ``own`` for a literal ARN."""
    if not isinstance(arn, str):
        return None
    for kind, pattern in (
        ("foundation", FOUNDATION_MODEL_ARN),
        ("profile", INFERENCE_PROFILE_ARN),
        ("application-profile", APPLICATION_PROFILE_ARN),
        ("own", OWN_MODEL_ARN),
    ):
        if re.fullmatch(pattern, arn):
            return kind
    return None


class BedrockModel(BaseModel):
    """One model the principals may invoke: a foundation model, an inference profile (with the foundation models it
    routes to), or a provisioned, custom or imported model."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    arn: ModelArn = Field(
        description="Model or inference-profile ARN (a string or an Output, passed through); no wildcards."
    )
    routes_to: tuple[FoundationModelArn, ...] = Field(
        default=(),
        max_length=20,
        description="For an inference profile: the foundation-model ARN in every Region it routes to (Bedrock "
        "authorizes each); they may be invoked only through this profile (`bedrock:InferenceProfileArn`). Required "
        "for a profile, refused otherwise.",
    )

    @model_validator(mode="after")
    def _routes(self) -> BedrockModel:
        kind = _kind(self.arn)
        if kind in ("profile", "application-profile") and not self.routes_to:
            raise ValueError(
                "routes_to: an inference profile invokes a foundation model in each Region it routes to, and the "
                "caller needs each; list their foundation-model ARNs (aws bedrock get-inference-profile)"
            )
        if kind in ("foundation", "own") and self.routes_to:
            raise ValueError(
                f"routes_to: only inference profiles route to other models; remove it for {self.arn}"
            )
        if kind == "profile":
            model_id = str(self.arn).split("/", 1)[1].split(".", 1)[1]
            for target in self.routes_to:
                if isinstance(target, str) and target.rsplit("/", 1)[1] != model_id:
                    raise ValueError(
                        f"routes_to: {target} is not the profile's model {model_id}; list the foundation-model ARNs "
                        "of that model in each Region of the profile"
                    )
        return self


def _every_filter(strength: Strength) -> dict[ContentFilter, Strength]:
    return dict.fromkeys(get_args(ContentFilter), strength)


def _credentials_blocked() -> dict[PiiEntity, PiiAction]:
    return {"AWS_ACCESS_KEY": "BLOCK", "AWS_SECRET_KEY": "BLOCK", "PASSWORD": "BLOCK"}


class BedrockGuardrail(BaseModel):
    """A Bedrock guardrail every invocation must name (``bedrock:GuardrailIdentifier``), encrypted with the key."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    content_filters: dict[ContentFilter, Strength] = Field(
        default_factory=lambda: _every_filter("HIGH"),
        min_length=1,
        description="Content filters and their strength on prompts and responses (PROMPT_ATTACK applies to prompts "
        "only). Provider default: no filter.",
    )
    sensitive_information: dict[PiiEntity, PiiAction] = Field(
        default_factory=_credentials_blocked,
        description="PII entity types blocked or anonymized (default: credentials are blocked).",
    )
    blocked_input_message: str = Field(
        default="This request was blocked by the organization's guardrail.",
        min_length=1,
        max_length=500,
        description="Returned when a prompt is blocked.",
    )
    blocked_output_message: str = Field(
        default="The response was blocked by the organization's guardrail.",
        min_length=1,
        max_length=500,
        description="Returned when a response is blocked.",
    )

    def fingerprint(self) -> str:
        """A digest of the settings: a new guardrail version is published when they change."""
        return hashlib.sha256(json.dumps(self.model_dump(), sort_keys=True).encode()).hexdigest()[:12]


class BedrockAccessArgs(BaseModel):
    """Inputs of ``BedrockAccess``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child.")
    models: dict[Slug, BedrockModel] = Field(
        min_length=1,
        description="The models the principals may invoke, by name; nothing else (provider: whatever an IAM policy "
        "names, often `*`).",
    )
    access: dict[Slug, Grant[RoleArn, BedrockRole]] = Field(
        min_length=1,
        description="Who may invoke them, by name: `invoke` = the `invoke-policy` is attached to the role (role ARNs "
        "or Outputs, passed through; no wildcards). The inventory lists these roles as the identity.",
    )
    guardrail: BedrockGuardrail | None = Field(
        default=None,
        description="A guardrail every call must name (its numbered version): calls without it are denied. None: no "
        "guardrail (provider default). Callers pass `guardrailIdentifier`/`guardrailVersion` (Converse: "
        "`guardrailConfig`).",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}. Encrypts the invocation log bucket and group and the guardrail; an "
        "existing key must let `logs.<region>.amazonaws.com` use it for the log group and `bedrock.amazonaws.com` "
        "generate data keys for this account (provider default: AWS managed keys).",
    )
    manage_logging: bool = Field(
        default=True,
        description="This stack owns the region's model invocation logging (one setting per account and region: "
        "two stacks would overwrite each other). False: register no logging, bucket or log group; the owning "
        "stack's logging is this stack's LOG-1 evidence (exempt LOG-1 by name in the pack configuration, with that "
        "stack as justification). Provider default: invocation logging off.",
    )
    log_retention_days: RetentionDays = Field(
        default=365,
        description="Days the log group keeps invocation logs, and the object lock of the log bucket; one of "
        "CloudWatch's retention values (provider default: never expire, no lock).",
    )
    log_group_name: str | None = Field(
        default=None,
        pattern=_LOG_GROUP_NAME,
        description="Invocation log group; default `/aiwarden/<project>/<stack>/<name>/bedrock-invocations`.",
    )
    log_prefix: str = Field(
        default="bedrock",
        pattern=_PREFIX,
        description="Key prefix of the invocation logs in the bucket (then `AWSLogs/<account>/"
        "BedrockModelInvocationLogs/`).",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="CloudWatch deletion protection on the log group, Pulumi `protect` on the logging setting; "
        "None: on in production (IR-2), else off. The bucket follows LockedBucket (protected for restricted "
        "production data).",
    )

    @model_validator(mode="after")
    def _safe(self) -> BedrockAccessArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        if isinstance(self.kms_key, CreateKey):
            check_create_key(self.kms_key, self.ownership, "kms_key")
        return self

    def protected(self) -> bool:
        return deletion_protected(self.deletion_protection, self.ownership.environment == "production")


def log_group_name(args: BedrockAccessArgs, name: str) -> str:
    return args.log_group_name or stack_log_group(name, "bedrock-invocations")


def _bedrock_source(place: Where) -> dict[str, dict[str, str]]:
    """Bedrock of this account and region only (the confused-deputy conditions of the logging destinations)."""
    return {
        "StringEquals": {"aws:SourceAccount": place.account},
        "ArnLike": {"aws:SourceArn": place.arn("bedrock", "*")},
    }


def key_statements(place: Where, group: str | None) -> tuple[Statement, ...]:
    """CloudWatch Logs encrypts the invocation log group; Bedrock generates data keys for this account's invocation
    log objects (S3 default encryption under this key)."""
    if group is None:
        return ()
    return (
        logs_may_use_key("CloudWatchLogsEncryptsTheInvocationLogs", place, place.log_group_arn(group)),
        {
            "Sid": "BedrockEncryptsInvocationLogObjects",
            "Effect": "Allow",
            "Principal": {"Service": BEDROCK},
            "Action": "kms:GenerateDataKey",
            "Resource": "*",
            "Condition": _bedrock_source(place),
        },
    )


def invoke_statements(
    args: BedrockAccessArgs,
    place: Where,
    guardrail: Any | None,
    guardrail_arn: Any | None,
    key_arn: Any | None,
) -> list[Statement]:
    """Invoke the named models (profiles' foundation models only through the profile), with the guardrail when
    there is one (see the module docstring)."""
    condition: dict[str, dict[str, Any]] = (
        {"StringEquals": {"bedrock:GuardrailIdentifier": guardrail}} if guardrail is not None else {}
    )
    direct: Statement = {
        "Sid": "InvokeNamedModels",
        "Effect": "Allow",
        "Action": list(INVOKE_ACTIONS),
        "Resource": [m.arn for m in args.models.values()],
    }
    if condition:
        direct["Condition"] = condition
    statements: list[Statement] = [direct]
    routed: list[Any] = []
    for model_name, model in args.models.items():
        if not model.routes_to:
            continue
        routed += model.routes_to
        statements.append(
            {
                "Sid": f"InvokeThrough{''.join(p.capitalize() for p in model_name.split('-'))}",
                "Effect": "Allow",
                "Action": list(INVOKE_ACTIONS),
                "Resource": list(model.routes_to),
                "Condition": {
                    "StringEquals": {
                        "bedrock:InferenceProfileArn": model.arn,
                        **condition.get("StringEquals", {}),
                    }
                },
            }
        )
    if guardrail is not None:
        statements += [
            {
                "Sid": "DenyCallsWithoutTheGuardrail",
                "Effect": "Deny",
                "Action": list(INVOKE_ACTIONS),
                "Resource": [m.arn for m in args.models.values()] + routed,
                "Condition": {"StringNotEquals": {"bedrock:GuardrailIdentifier": guardrail}},
            },
            {
                "Sid": "ApplyTheGuardrail",
                "Effect": "Allow",
                "Action": "bedrock:ApplyGuardrail",
                "Resource": guardrail_arn,
            },
        ]
        if key_arn is not None:
            statements.append(
                {
                    "Sid": "DecryptTheGuardrail",
                    "Effect": "Allow",
                    "Action": "kms:Decrypt",
                    "Resource": key_arn,
                    "Condition": {
                        "StringEquals": {"kms:ViaService": f"bedrock.{place.region}.{place.dns_suffix}"}
                    },
                }
            )
    return statements


class BedrockAccess(pulumi.ComponentResource):
    """Scoped, logged Bedrock model access for named principals (see the module docstring for children).

    Outputs: ``invokePolicyArn``, ``invokePolicy`` (the IAM policy JSON), ``guardrailArn`` and ``guardrailVersion``
    (None without a guardrail), ``logBucket`` and ``logGroupName`` (None without ``manage_logging``),
    ``kmsKeyArn``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("LOG-1", "LOG-2", "DATA-2", "IR-1", "IR-2", "INV-1", "INV-2")

    key: Key | None
    kms_key_arn: pulumi.Output[str]
    log_bucket: LockedBucket | None
    log_group: aws.cloudwatch.LogGroup | None
    logging_role: aws.iam.Role | None
    logging_delivery: aws.iam.RolePolicy | None
    logging: aws.bedrockmodel.InvocationLoggingConfiguration | None
    guardrail: aws.bedrock.Guardrail | None
    guardrail_version: aws.bedrock.GuardrailVersion | None
    invoke_policy: aws.iam.Policy
    attachments: dict[str, aws.iam.RolePolicyAttachment]

    def __init__(
        self, name: str, args: BedrockAccessArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if args.guardrail is not None and not _GUARDRAIL_COMPONENT_NAME.fullmatch(name):
            raise ValueError(
                f"BedrockAccess name {name!r}: with a guardrail, use letters, digits, '-' and '_' (32 characters at "
                "most), so that the guardrail name Pulumi derives from it fits Bedrock's 50"
            )
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        place = where(self)
        tags = aws_tags(args.ownership)
        group = log_group_name(args, name) if args.manage_logging else None

        resolved = resolve_key(
            name,
            args.kms_key,
            args.ownership,
            self,
            services=("s3", "bedrock"),
            description=f"aiwarden {name}: Bedrock invocation logs and guardrail",
            policy_statements=key_statements(place, group),
        )
        self.key, self.kms_key_arn = resolved.created, resolved.arn
        after_key: list[pulumi.Resource] = [self.key] if self.key else []

        self.log_bucket, self.log_group, self.logging_role, self.logging_delivery, self.logging = (
            None,
            None,
            None,
            None,
            None,
        )
        if group is not None:
            self._logging(name, args, place, group, tags, after_key)

        self.guardrail, self.guardrail_version = None, None
        guardrail_id: Any = None
        if args.guardrail is not None:
            self.guardrail = self._guardrail(name, args.guardrail, tags, after_key)
            self.guardrail_version = aws.bedrock.GuardrailVersion(
                f"{name}-guardrail-version",
                guardrail_arn=self.guardrail.guardrail_arn,
                description=f"aiwarden {name}: settings {args.guardrail.fingerprint()}",
                opts=child,
            )
            guardrail_id = Join(self.guardrail.guardrail_arn, ":", self.guardrail_version.version)

        policy_document = document(
            invoke_statements(
                args,
                place,
                guardrail_id,
                self.guardrail.guardrail_arn if self.guardrail else None,
                self.kms_key_arn if self.guardrail else None,
            )
        )
        self.invoke_policy = aws.iam.Policy(
            f"{name}-invoke-policy",
            description=f"Invoke the Bedrock models of {name} (aiwarden BedrockAccess)",
            policy=policy_document,
            tags=tags,
            opts=child,
        )
        self.attachments = {
            grant: aws.iam.RolePolicyAttachment(
                f"{name}-invoke-{grant}",
                role=role_name(spec.principal),
                policy_arn=self.invoke_policy.arn,
                opts=child,
            )
            for grant, spec in args.access.items()
        }

        logs: list[Any] = []
        if self.log_bucket is not None:
            logs.append(
                joined(
                    "s3://",
                    self.log_bucket.bucket.bucket,
                    f"/{args.log_prefix}/AWSLogs/{place.account}/BedrockModelInvocationLogs/",
                )
            )
        if group is not None:
            logs.append(f"CloudWatch Logs {group}")
        logs.append(joined("CloudTrail: bedrock events, iam AttachRolePolicy on ", self.invoke_policy.arn))
        callers = principals(args.access)
        record_asset(
            AssetRecord(
                name=name,
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=tuple(callers),
                credentials_to_revoke=(
                    self.invoke_policy.arn,
                    *callers,
                    *([self.guardrail.guardrail_arn] if self.guardrail else []),
                ),
                buckets_to_inspect=(self.log_bucket.bucket.bucket,) if self.log_bucket else (),
                logs_to_preserve=tuple(logs),
                request_identifiers=("requestId (invocation logs)", "requestID (CloudTrail)"),
                containment=f"Detach {name}-invoke-policy from the leaking caller's role (its invoke-<grant> "
                "attachment) and revoke the role's sessions (an inline deny with aws:TokenIssueTime), rotate the "
                "caller's own keys, then tighten the guardrail (a stricter version) before re-attaching.",
            )
        )
        self.register_outputs(
            {
                "invokePolicyArn": self.invoke_policy.arn,
                "invokePolicy": policy_document,
                "guardrailArn": self.guardrail.guardrail_arn if self.guardrail else None,
                "guardrailVersion": self.guardrail_version.version if self.guardrail_version else None,
                "logBucket": self.log_bucket.bucket.bucket if self.log_bucket else None,
                "logGroupName": group,
                "kmsKeyArn": self.kms_key_arn,
            }
        )

    def _logging(
        self,
        name: str,
        args: BedrockAccessArgs,
        place: Where,
        group: str,
        tags: dict[str, str],
        after_key: list[pulumi.Resource],
    ) -> None:
        """The invocation log bucket and group, the role Bedrock writes the group with, and the region's logging."""
        protected = args.protected()
        delivery: Statement = {
            "Sid": "BedrockDeliversInvocationLogs",
            "Effect": "Allow",
            "Principal": {"Service": BEDROCK},
            "Action": "s3:PutObject",
            "Condition": _bedrock_source(place),
        }
        # The bucket is encrypted with this component's key, which lets Bedrock generate data keys: LockedBucket's own
        # key could not (its policy names IAM principals only).
        bucket_args = LockedBucketArgs(
            ownership=args.ownership,
            object_lock=ObjectLock(mode="GOVERNANCE", days=args.log_retention_days),
            policy_statements=(delivery,),
            kms_key=args.kms_key
            if isinstance(args.kms_key, ExistingKey)
            else ExistingKey(key=self.kms_key_arn),
        )
        self.log_bucket = LockedBucket(
            f"{name}-logs", bucket_args, pulumi.ResourceOptions(parent=self, depends_on=after_key)
        )
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-log-group",
            name=group,
            kms_key_id=self.kms_key_arn,
            retention_in_days=args.log_retention_days,
            deletion_protection_enabled=protected,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=after_key),
        )
        self.logging_role = aws.iam.Role(
            f"{name}-logging-role",
            description=f"Bedrock writes model invocation logs to {group} (aiwarden BedrockAccess {name})",
            assume_role_policy=document(
                [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": BEDROCK},
                        "Action": "sts:AssumeRole",
                        "Condition": _bedrock_source(place),
                    }
                ]
            ),
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.logging_delivery = aws.iam.RolePolicy(
            f"{name}-logging-delivery",
            role=self.logging_role.id,
            policy=document(
                [
                    {
                        "Sid": "WriteTheInvocationLogStream",
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": f"{place.log_group_arn(group)}:log-stream:{LOG_STREAM}",
                    }
                ]
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        config = aws.bedrockmodel
        self.logging = config.InvocationLoggingConfiguration(
            f"{name}-logging",
            logging_config=config.InvocationLoggingConfigurationLoggingConfigArgs(
                s3_config=config.InvocationLoggingConfigurationLoggingConfigS3ConfigArgs(
                    bucket_name=self.log_bucket.bucket.bucket, key_prefix=args.log_prefix
                ),
                cloudwatch_config=config.InvocationLoggingConfigurationLoggingConfigCloudwatchConfigArgs(
                    log_group_name=self.log_group.name, role_arn=self.logging_role.arn
                ),
                text_data_delivery_enabled=True,
                image_data_delivery_enabled=True,
                embedding_data_delivery_enabled=True,
                video_data_delivery_enabled=True,
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=protected,
                retain_on_delete=True,
                depends_on=[self.log_bucket, self.logging_delivery],
            ),
        )

    def _guardrail(
        self, name: str, spec: BedrockGuardrail, tags: dict[str, str], after_key: list[pulumi.Resource]
    ) -> aws.bedrock.Guardrail:
        ns = aws.bedrock
        filters = [
            ns.GuardrailContentPolicyConfigFiltersConfigArgs(
                type=kind,
                input_strength=strength,
                # Bedrock evaluates prompt attacks on prompts only: the output strength must be NONE.
                output_strength="NONE" if kind == "PROMPT_ATTACK" else strength,
            )
            for kind, strength in spec.content_filters.items()
        ]
        pii = [
            ns.GuardrailSensitiveInformationPolicyConfigPiiEntitiesConfigArgs(type=kind, action=action)
            for kind, action in spec.sensitive_information.items()
        ]
        return ns.Guardrail(
            f"{name}-guardrail",
            description=f"aiwarden {name}: {spec.fingerprint()}",
            blocked_input_messaging=spec.blocked_input_message,
            blocked_outputs_messaging=spec.blocked_output_message,
            content_policy_config=ns.GuardrailContentPolicyConfigArgs(filters_configs=filters),
            sensitive_information_policy_config=(
                ns.GuardrailSensitiveInformationPolicyConfigArgs(pii_entities_configs=pii) if pii else None
            ),
            kms_key_arn=self.kms_key_arn,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=after_key),
        )
