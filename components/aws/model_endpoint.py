"""ModelEndpoint: a SageMaker real-time endpoint reachable only through a private, IAM-authorized, throttled and
logged API Gateway REST API.

Children (``<name>-<role>``):

- ``key`` (a ``Key``: usage through SageMaker only, plus CloudWatch Logs for this component's log groups) unless
  an existing key is given;
- ``execution-role`` and ``execution-policy``: what SageMaker acts as for the model, limited to pulling the
  image's ECR repository, reading the model artifacts (and decrypting them with their key), writing the
  endpoint's log group and metrics, the VPC network interfaces of ``network``, and, with data capture, writing
  under the capture prefix of the ``LockedBucket`` with its key;
- ``endpoint-logs`` (``/aws/sagemaker/Endpoints/<endpoint name>``, created before the endpoint so that SageMaker
  does not create it unencrypted and never expiring), ``model`` (network isolation on unless
  ``container_egress`` says why not, ``vpc_config`` in the private subnets), ``config`` (the endpoint
  configuration: the key for the ML storage volume, except on instance types with NVMe instance storage, which
  AWS refuses a key for; data capture into the ``LockedBucket`` when asked), ``endpoint``;
- the API (``_model_api.ModelApi``): ``api`` (PRIVATE REST API, associated with the execute-api VPC endpoints),
  ``api-policy`` (``execute-api:Invoke`` only through those endpoints, only by the ``invoke`` principals when
  named), ``resource``, ``method`` (``AWS_IAM``), ``integration-role`` / ``integration-policy``
  (``sagemaker:InvokeEndpoint`` on this endpoint only), ``integration`` (SageMaker runtime InvokeEndpoint),
  ``response-<code>`` / ``integration-response-<code>``, ``deployment``, ``access-logs`` and ``execution-logs``
  (KMS, retention), ``stage`` (access logs with the caller identity), ``method-settings`` (throttling, execution
  logs at ERROR/INFO, data trace off: prompts are never logged), ``usage-plan``; ``invoke-policy`` (the IAM policy
  a caller needs) and ``invoke-<grant>`` attachments; unless ``api_logging_role`` says another stack owns it,
  ``api-logging-role`` / ``api-logging-attachment`` / ``api-account`` (the region's API Gateway CloudWatch role,
  retained on delete); with ``waf``: ``waf`` (REGIONAL web ACL, a blocking rate-based rule), ``waf-association``,
  ``waf-logs`` and ``waf-logging``.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from aiwarden_policies.contract import assets
from components._common import AssetRecord, AwsNetwork, CreateKey, Grant, KeyChoice, Ownership, record_asset
from components._common.access import principals
from components._common.image import ImageRef
from components._common.inventory import asset_kind
from components._common.json_document import Join, joined
from components._common.ownership import Slug
from components._common.protection import check_create_key, deletion_protected
from components.aws._documents import Statement, document, logs_may_use_key
from components.aws._identifiers import KMS_KEY_ARN, RoleArn, aws_identifier
from components.aws._key_choice import FIELD_DESCRIPTION, check_key_choice, resolve_key
from components.aws._log_groups import RetentionDays, stack_log_group
from components.aws._model_api import ApiPlan, ApiSettings, ModelApi, Waf
from components.aws._tags import aws_tags, tag_value
from components.aws._where import Where, where
from components.aws.key import Key
from components.aws.locked_bucket import LockedBucket

TYPE = "aiwarden:aws:ModelEndpoint"
KIND = asset_kind(assets.MODEL_ENDPOINT)
#: The roles ``access`` accepts: ``invoke`` (``execute-api:Invoke`` on the endpoint's API method).
EndpointRole = Literal["invoke"]
#: The tag whose value justifies a model that needs outbound network access (the pack's EP-4 reads it).
NEEDS_EGRESS_TAG = "needs-egress"
SAGEMAKER = "sagemaker.amazonaws.com"
#: Network interface actions SageMaker needs on the execution role of a model with ``VpcConfig`` (SageMaker
#: Developer Guide, "CreateModel API: Execution Role Permissions"); EC2 describes take no resource ARN.
VPC_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
)
PULL_ACTIONS = ("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")
#: SageMaker instance families with local NVMe instance storage and no ``d`` in their name: AWS refuses a
#: ``KmsKeyId`` on an endpoint configuration that uses one (the pack's DATA-2 exempts them alike).
_LOCAL_STORAGE_FAMILIES = re.compile(r"^(g5|g6|g6e|gr6|p5|p5e|p5en|trn1|trn1n|trn2)$")
_ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?P<cn>\.cn)?"
    r"/(?P<repository>[a-z0-9][a-z0-9._/-]*?)(?::[\w][\w.-]{0,127})?@sha256:[0-9a-f]{64}$"
)
_S3_URI = r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9!_.*'()/=-]{1,900}$"
_ENDPOINT_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
#: The component name must leave room for Pulumi's auto-naming of the model (``<name>-model-<7 hex>``) within
#: SageMaker's 63 characters.
_COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,44}$")
_ENV_NAME = r"^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$"
_CAPTURE_PREFIX = r"^[A-Za-z0-9!_.*'()/=-]{1,200}/$"
_JUSTIFICATION = Field(min_length=20, description="Why, who approved it, until when (lands in the tags).")

if TYPE_CHECKING:
    KmsKeyArn = str | pulumi.Output[str]
else:
    KmsKeyArn = aws_identifier(
        KMS_KEY_ARN,
        "a KMS key ARN",
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    )


def local_storage(instance_type: str) -> bool:
    """Whether a SageMaker instance type (``ml.g5.xlarge``) has local NVMe instance storage instead of EBS (the
    SageMaker Python SDK's rule: a ``d`` in the family, or one of the later families with instance storage)."""
    parts = instance_type.split(".")
    return len(parts) == 3 and ("d" in parts[1] or bool(_LOCAL_STORAGE_FAMILIES.match(parts[1])))


def _locked_bucket(value: Any) -> LockedBucket:
    if isinstance(value, LockedBucket):
        if value.key is None:
            raise ValueError(
                "the LockedBucket has no KMS key (kms_key=None): captured prompts and predictions are encrypted "
                "with a customer-managed key (LOG-2); give that LockedBucket a key (the default CreateKey())"
            )
        return value
    shown = value if isinstance(value, str) else type(value).__name__
    raise ValueError(
        f"{shown!r} is not a LockedBucket: captured prompts and predictions go only to a LockedBucket (private, "
        "CMK-encrypted, versioned, access-logged); pass the components.aws.LockedBucket itself, not a bucket name"
    )


if TYPE_CHECKING:
    CaptureBucket = LockedBucket
else:
    CaptureBucket = Annotated[
        LockedBucket,
        PlainValidator(_locked_bucket),
        WithJsonSchema({"type": "object", "description": "a components.aws.LockedBucket (with a KMS key)"}),
    ]


class ModelArtifacts(BaseModel):
    """Where the model weights are (S3), and the key they are encrypted with."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    s3_uri: str = Field(
        pattern=_S3_URI,
        description="`s3://<bucket>/<key>.tar.gz` (a compressed model archive: `model_data_url`) or "
        "`s3://<bucket>/<prefix>/` (uncompressed files under a prefix, ending with `/`: `model_data_source`). The "
        "execution role may read exactly this object or prefix.",
    )
    kms_key: KmsKeyArn | None = Field(
        default=None,
        description="KMS key ARN the artifacts are encrypted with (SSE-KMS): the execution role may decrypt with it "
        "through S3 only. None: the objects are SSE-S3 (or the key grants the role itself).",
    )

    @field_validator("s3_uri")
    @classmethod
    def _no_wildcards(cls, value: str) -> str:
        if "*" in value:
            raise ValueError(
                f"{value!r}: wildcards are refused; name one object or one prefix ending with '/'"
            )
        return value

    @property
    def bucket(self) -> str:
        return self.s3_uri[len("s3://") :].split("/", 1)[0]

    @property
    def key(self) -> str:
        return self.s3_uri[len("s3://") :].split("/", 1)[1]

    @property
    def prefix(self) -> bool:
        return self.s3_uri.endswith("/")


class ContainerEgress(BaseModel):
    """A named opt-out from network isolation: the container may call out through the model's VPC (its subnets'
    routes and security groups); the justification lands in the model's ``needs-egress`` tag (EP-4)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    justification: str = _JUSTIFICATION


class DataCapture(BaseModel):
    """Capture requests and responses into a ``LockedBucket``, encrypted with that bucket's key."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, arbitrary_types_allowed=True)
    bucket: CaptureBucket = Field(
        description="The `LockedBucket` the captures go to (its key encrypts them); a bucket name is refused."
    )
    prefix: str = Field(
        default="data-capture/",
        pattern=_CAPTURE_PREFIX,
        description="Key prefix of the captures (ends with `/`); the execution role may write under it only.",
    )
    sampling_percentage: int = Field(
        default=100, ge=1, le=100, description="Percentage of requests captured (SageMaker takes 0-100)."
    )
    modes: tuple[Literal["Input", "Output"], ...] = Field(
        default=("Input", "Output"),
        min_length=1,
        max_length=2,
        description="What is captured: the request payloads (`Input`), the responses (`Output`), or both.",
    )
    json_content_types: tuple[str, ...] = Field(
        default=("application/json",),
        max_length=10,
        description="Content types captured as text rather than base64 (provider default: base64).",
    )

    @field_validator("modes")
    @classmethod
    def _once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError(f"{list(value)}: list each mode once")
        return value


class CreateApiLoggingRole(BaseModel):
    """Create the region's API Gateway CloudWatch Logs role and set it on the account (API Gateway writes no
    access or execution logs without it). Both are retained on delete: the setting is region-wide, and destroying
    it would stop every API's logs in the region."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["create"] = "create"


class ExistingApiLoggingRole(BaseModel):
    """The account's API Gateway settings already name a CloudWatch Logs role in this region (the platform, or
    another stack, set it): this component leaves the region-wide setting alone."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["existing"] = "existing"


ApiLoggingChoice = Annotated[CreateApiLoggingRole | ExistingApiLoggingRole, Field(discriminator="kind")]


class ModelEndpointArgs(BaseModel):
    """Inputs of ``ModelEndpoint``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, arbitrary_types_allowed=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child.")
    network: AwsNetwork = Field(
        description="Private subnets and security groups of the model containers (`vpc_config`; provider default: "
        "a SageMaker-managed network outside your VPC)."
    )
    image: ImageRef = Field(
        description="Serving image in Amazon ECR, `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag]@sha256:"
        "<digest>`, from an approved registry (stack config `aiwarden:approvedRegistries`); a tag alone or "
        "`latest` is refused. The execution role may pull from that repository only. An Output passes through."
    )
    instance_type: str = Field(
        pattern=r"^ml\.[a-z0-9-]+\.[a-z0-9]+$",
        description="SageMaker instance type, e.g. `ml.g5.xlarge`. Types with NVMe instance storage (ml.g5, ml.p4d, "
        "ml.*d...) take no volume key: AWS encrypts that storage in hardware and refuses `kms_key_arn`.",
    )
    instance_count: int = Field(
        default=1, ge=1, le=100, description="Initial instance count of the production variant."
    )
    endpoint_name: str | None = Field(
        default=None,
        description="SageMaker endpoint name (its log group is `/aws/sagemaker/Endpoints/<name>`); default "
        "`<project>-<stack>-<name>` (names are unique per account and region).",
    )
    environment: dict[str, str] = Field(
        default_factory=dict,
        description="Container environment variables (plain values, visible in the model description: no "
        "secrets; read secrets at runtime).",
    )
    model_artifacts: ModelArtifacts | None = Field(
        default=None,
        description="Model weights in S3 and their key; the execution role may read only them. None: the weights "
        "are in the image.",
    )
    container_egress: ContainerEgress | None = Field(
        default=None,
        description="Named opt-out from network isolation, with a justification (model tag `needs-egress`). "
        "Default: network isolation on (provider default: off, the container may call out).",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}. Encrypts the ML storage volume (instance types with EBS volumes) and "
        "the log groups; an existing key must let the deployer use it through SageMaker and "
        "`logs.<region>.amazonaws.com` use it for these log groups (provider default: AWS-managed keys).",
    )
    data_capture: DataCapture | None = Field(
        default=None,
        description="Capture requests/responses into a `LockedBucket` (encrypted with its key); None: no capture "
        "(provider default: none). Invocation evidence comes from the API's access logs either way.",
    )
    api: ApiSettings = Field(description="The REST API in front of the endpoint (see `ApiSettings`).")
    waf: Waf | None = Field(
        default=None,
        description="Optional REGIONAL AWS WAF web ACL on the stage (rate-based rule, logging); provider default: "
        "none. API Gateway's stage throttle applies either way.",
    )
    api_logging_role: ApiLoggingChoice = Field(
        default_factory=CreateApiLoggingRole,
        description="The region-wide API Gateway CloudWatch Logs role: `CreateApiLoggingRole()` (default; set on "
        "the account, retained on delete) or `ExistingApiLoggingRole()` when the platform or another stack set it.",
    )
    access: dict[Slug, Grant[RoleArn, EndpointRole]] = Field(
        default_factory=dict,
        description="Who may call the endpoint, by name: `invoke` = `execute-api:Invoke` on the API's POST method "
        "(the `invoke-policy` is attached to the role). If set, the API's resource policy allows these roles only "
        "(role ARNs or Outputs, passed through). Provider default: no restriction.",
    )
    log_retention_days: RetentionDays = Field(
        default=365,
        description="Days every log group of the component keeps events; one of CloudWatch's retention values "
        "(provider default: never expire). The pack's LOG-2 wants at least 365 by default.",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="CloudWatch deletion protection on the log groups; None: on in production (IR-2), else off "
        "(provider default: off).",
    )

    @field_validator("endpoint_name")
    @classmethod
    def _endpoint_name(cls, value: str | None) -> str | None:
        if value is not None and not _ENDPOINT_NAME.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a SageMaker endpoint name: letters, digits and '-', starting and ending with a "
                "letter or digit, 63 characters at most"
            )
        return value

    @field_validator("environment")
    @classmethod
    def _environment(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > 100:
            raise ValueError("SageMaker takes at most 100 environment variables")
        for key, item in value.items():
            if not re.fullmatch(_ENV_NAME, key):
                raise ValueError(f"{key!r} is not an environment variable name")
            if len(item) > 1024:
                raise ValueError(f"{key}: SageMaker takes values of at most 1024 characters")
        return value

    @field_validator("image")
    @classmethod
    def _ecr(cls, value: Any) -> Any:
        if isinstance(value, str) and not _ECR_IMAGE.match(value):
            raise ValueError(
                f"{value!r}: SageMaker hosting pulls images from Amazon ECR "
                "(<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest>); copy the image into ECR "
                "(a ContainerRegistry, or an ECR pull-through cache)"
            )
        return value

    @model_validator(mode="after")
    def _safe(self) -> ModelEndpointArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        if isinstance(self.kms_key, CreateKey):
            check_create_key(self.kms_key, self.ownership, "kms_key")
        o = self.ownership
        if (
            self.api.public_access is not None
            and o.environment == "production"
            and o.data_classification == "restricted"
        ):
            raise ValueError(
                "api.public_access: a model endpoint serving restricted data in production is never public; "
                "use endpoint_type='PRIVATE' with api.vpc_endpoint_ids"
            )
        return self

    def protected(self) -> bool:
        """Whether the log groups carry CloudWatch deletion protection."""
        return deletion_protected(self.deletion_protection, self.ownership.environment == "production")


def default_endpoint_name(name: str) -> str:
    """``<project>-<stack>-<name>`` as a SageMaker name (63 characters; a longer one keeps ``<name>`` and a hash)."""
    raw = re.sub(r"[^A-Za-z0-9]+", "-", f"{pulumi.get_project()}-{pulumi.get_stack()}-{name}").strip("-")
    if len(raw) <= 63:
        return raw
    digest = hashlib.sha256(raw.encode()).hexdigest()[:8]
    return f"{re.sub(r'[^A-Za-z0-9]+', '-', name).strip('-')[:54]}-{digest}"


def ecr_repository_arn(image: str, partition: str) -> str:
    """The ECR repository ARN of an image reference in ECR (``ValueError`` otherwise)."""
    match = _ECR_IMAGE.match(image)
    if match is None:
        raise ValueError(f"{image!r} is not an Amazon ECR image pinned by digest")
    return f"arn:{partition}:ecr:{match['region']}:{match['account']}:repository/{match['repository']}"


def endpoint_log_group(endpoint_name: str) -> str:
    """The log group SageMaker writes an endpoint's container logs to."""
    return f"/aws/sagemaker/Endpoints/{endpoint_name}"


def execution_statements(
    args: ModelEndpointArgs, place: Where, endpoint_name: str, repository: Any
) -> list[Statement]:
    """What SageMaker needs as the model's execution role, and nothing more (see the module docstring)."""
    group = place.log_group_arn(endpoint_log_group(endpoint_name))
    statements: list[Statement] = [
        {"Sid": "PullTheModelImage", "Effect": "Allow", "Action": list(PULL_ACTIONS), "Resource": repository},
        {
            "Sid": "EcrAuthorizationToken",
            "Effect": "Allow",
            "Action": "ecr:GetAuthorizationToken",
            "Resource": "*",
        },
        {
            "Sid": "CreateTheEndpointLogGroup",
            "Effect": "Allow",
            "Action": "logs:CreateLogGroup",
            "Resource": group,
        },
        {
            "Sid": "WriteTheEndpointLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            "Resource": [group, f"{group}:log-stream:*"],
        },
        {
            "Sid": "PublishEndpointMetrics",
            "Effect": "Allow",
            "Action": "cloudwatch:PutMetricData",
            "Resource": "*",
            "Condition": {"StringEquals": {"cloudwatch:namespace": "/aws/sagemaker/Endpoints"}},
        },
        {"Sid": "ManageVpcInterfaces", "Effect": "Allow", "Action": list(VPC_ACTIONS), "Resource": "*"},
    ]
    artifacts = args.model_artifacts
    if artifacts is not None:
        bucket_arn = f"arn:{place.partition}:s3:::{artifacts.bucket}"
        objects = f"{bucket_arn}/{artifacts.key}*" if artifacts.prefix else f"{bucket_arn}/{artifacts.key}"
        statements.append(
            {"Sid": "ReadTheModelArtifacts", "Effect": "Allow", "Action": "s3:GetObject", "Resource": objects}
        )
        if artifacts.prefix:
            statements.append(
                {
                    "Sid": "ListTheModelArtifacts",
                    "Effect": "Allow",
                    "Action": "s3:ListBucket",
                    "Resource": bucket_arn,
                    "Condition": {"StringLike": {"s3:prefix": f"{artifacts.key}*"}},
                }
            )
        if artifacts.kms_key is not None:
            statements.append(
                {
                    "Sid": "DecryptTheModelArtifacts",
                    "Effect": "Allow",
                    "Action": "kms:Decrypt",
                    "Resource": artifacts.kms_key,
                    "Condition": {
                        "StringEquals": {"kms:ViaService": f"s3.{place.region}.{place.dns_suffix}"}
                    },
                }
            )
    capture = args.data_capture
    if capture is not None:
        assert capture.bucket.key is not None  # checked by the Args
        statements += [
            {
                "Sid": "WriteDataCapture",
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": Join(capture.bucket.bucket.arn, "/", capture.prefix, "*"),
            },
            {
                "Sid": "EncryptDataCapture",
                "Effect": "Allow",
                "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
                "Resource": capture.bucket.key.arn,
                "Condition": {"StringEquals": {"kms:ViaService": f"s3.{place.region}.{place.dns_suffix}"}},
            },
        ]
    return statements


def log_key_statements(place: Where, log_groups: list[str]) -> tuple[Statement, ...]:
    """What CloudWatch Logs needs on the key to encrypt these log groups (names may end with a ``*`` pattern:
    API Gateway's execution log group is named after the API id)."""
    return (
        logs_may_use_key(
            "CloudWatchLogsEncryptsTheEndpointLogs", place, [place.log_group_arn(g) for g in log_groups]
        ),
    )


class ModelEndpoint(pulumi.ComponentResource):
    """A SageMaker endpoint behind a private, IAM-authorized REST API (see the module docstring for children).

    Outputs: ``invokeUrl``, ``invokePolicy`` (the IAM policy JSON a caller needs), ``invokePolicyArn``,
    ``endpointName``, ``endpointArn``, ``executionRoleArn``, ``apiId``, ``stageName``, ``accessLogGroup``,
    ``kmsKeyArn``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = (
        "EP-1",
        "EP-2",
        "EP-3",
        "EP-4",
        "LOG-1",
        "LOG-2",
        "DATA-2",
        "SUP-2",
        "INV-1",
    )

    key: Key | None
    kms_key_arn: pulumi.Output[str]
    execution_role: aws.iam.Role
    execution_policy: aws.iam.RolePolicy
    endpoint_log_group: aws.cloudwatch.LogGroup
    model: aws.sagemaker.Model
    endpoint_config: aws.sagemaker.EndpointConfiguration
    endpoint: aws.sagemaker.Endpoint
    api: ModelApi

    def __init__(
        self, name: str, args: ModelEndpointArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if not _COMPONENT_NAME.fullmatch(name):
            raise ValueError(
                f"ModelEndpoint name {name!r}: use letters, digits and '-' (45 characters at most), so that the "
                "SageMaker model and configuration names Pulumi derives from it are valid"
            )
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        place = where(self)
        endpoint_name = args.endpoint_name or default_endpoint_name(name)
        access_group = stack_log_group(name, "api-access")
        waf_group = f"aws-waf-logs-{endpoint_name}"
        log_groups = [
            endpoint_log_group(endpoint_name),
            access_group,
            f"API-Gateway-Execution-Logs_*/{args.api.stage_name}",
        ]
        if args.waf is not None:
            log_groups.append(waf_group)
        tags = aws_tags(args.ownership)

        resolved = resolve_key(
            name,
            args.kms_key,
            args.ownership,
            self,
            services=("sagemaker",),
            description=f"aiwarden {name}: SageMaker endpoint {endpoint_name} and its logs",
            policy_statements=log_key_statements(place, log_groups),
        )
        self.key, self.kms_key_arn = resolved.created, resolved.arn
        after_key = pulumi.ResourceOptions(parent=self, depends_on=[self.key] if self.key else [])

        # -- SageMaker: execution role, log group, model, configuration, endpoint ---------------------------------
        repository: Any = (
            ecr_repository_arn(args.image, place.partition)
            if isinstance(args.image, str)
            else pulumi.Output.from_input(args.image).apply(
                lambda image: ecr_repository_arn(image, place.partition)
            )
        )
        self.execution_role = aws.iam.Role(
            f"{name}-execution-role",
            description=f"SageMaker runs the {endpoint_name} model as this role (aiwarden ModelEndpoint)",
            assume_role_policy=document(
                [{"Effect": "Allow", "Principal": {"Service": SAGEMAKER}, "Action": "sts:AssumeRole"}]
            ),
            tags=tags,
            opts=child,
        )
        self.execution_policy = aws.iam.RolePolicy(
            f"{name}-execution-policy",
            role=self.execution_role.id,
            policy=document(execution_statements(args, place, endpoint_name, repository)),
            opts=child,
        )
        self.endpoint_log_group = aws.cloudwatch.LogGroup(
            f"{name}-endpoint-logs",
            name=endpoint_log_group(endpoint_name),
            kms_key_id=self.kms_key_arn,
            retention_in_days=args.log_retention_days,
            deletion_protection_enabled=args.protected(),
            tags=tags,
            opts=after_key,
        )
        egress = args.container_egress
        model_tags = aws_tags(args.ownership, egress.justification if egress else None)
        if egress is not None:
            model_tags[NEEDS_EGRESS_TAG] = tag_value(egress.justification)
        self.model = aws.sagemaker.Model(
            f"{name}-model",
            execution_role_arn=self.execution_role.arn,
            primary_container=self._container(args),
            enable_network_isolation=egress is None,
            vpc_config=aws.sagemaker.ModelVpcConfigArgs(
                subnets=list(args.network.subnet_ids),
                security_group_ids=list(args.network.security_group_ids),
            ),
            tags=model_tags,
            # SageMaker checks the role's permissions when the model is created.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.execution_policy]),
        )
        self.endpoint_config = aws.sagemaker.EndpointConfiguration(
            f"{name}-config",
            production_variants=[
                aws.sagemaker.EndpointConfigurationProductionVariantArgs(
                    variant_name="primary",
                    model_name=self.model.name,
                    instance_type=args.instance_type,
                    initial_instance_count=args.instance_count,
                    initial_variant_weight=1,
                )
            ],
            kms_key_arn=None if local_storage(args.instance_type) else self.kms_key_arn,
            data_capture_config=self._data_capture(args.data_capture),
            tags=tags,
            opts=after_key,
        )
        self.endpoint = aws.sagemaker.Endpoint(
            f"{name}-endpoint",
            name=endpoint_name,
            endpoint_config_name=self.endpoint_config.name,
            tags=tags,
            # The log group first: SageMaker would create it unencrypted and never expiring.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.endpoint_log_group]),
        )

        # -- the API in front of it -----------------------------------------------------------------------------
        self.api = ModelApi(
            ApiPlan(
                name=name,
                endpoint_name=endpoint_name,
                parent=self,
                place=place,
                ownership=args.ownership,
                settings=args.api,
                waf=args.waf,
                create_logging_role=isinstance(args.api_logging_role, CreateApiLoggingRole),
                access=args.access,
                endpoint=self.endpoint,
                key_arn=self.kms_key_arn,
                key=self.key,
                access_log_group=access_group,
                waf_log_group=waf_group,
                log_retention_days=args.log_retention_days,
                protected=args.protected(),
            )
        )

        public = args.api.public_access is not None
        logs: list[Any] = [
            self.endpoint_log_group.name,
            self.api.access_logs.name,
            self.api.execution_logs.name,
        ]
        if self.api.waf_logs is not None:
            logs.append(self.api.waf_logs.name)
        if args.data_capture is not None:
            logs.append(self._capture_uri(args.data_capture))
        record_asset(
            AssetRecord(
                name=name,
                kind=KIND,
                ownership=args.ownership,
                exposure="public" if public else "private",
                identities=(*principals(args.access), self.execution_role.arn, self.api.integration_role.arn),
                credentials_to_revoke=(self.api.invoke_policy.arn,),
                endpoints_to_disable=(self.api.invoke_url, self.endpoint.name),
                logs_to_preserve=tuple(logs),
                request_identifiers=(
                    "$context.requestId (API access logs)",
                    "X-Amzn-Invoked-Production-Variant",
                ),
                containment=f"Detach the {name}-invoke-policy from the callers' roles and set the {name} stage "
                "throttle to 0 (or add a deny-all statement to the API's resource policy and redeploy); delete the "
                "SageMaker endpoint to stop the model, keeping its configuration and the logs.",
            )
        )
        self.register_outputs(
            {
                "invokeUrl": self.api.invoke_url,
                "invokePolicy": self.api.invoke_policy.policy,
                "invokePolicyArn": self.api.invoke_policy.arn,
                "endpointName": self.endpoint.name,
                "endpointArn": self.endpoint.arn,
                "executionRoleArn": self.execution_role.arn,
                "apiId": self.api.api.id,
                "stageName": self.api.stage.stage_name,
                "accessLogGroup": self.api.access_logs.name,
                "kmsKeyArn": self.kms_key_arn,
            }
        )

    @staticmethod
    def _container(args: ModelEndpointArgs) -> aws.sagemaker.ModelPrimaryContainerArgs:
        artifacts = args.model_artifacts
        source = None
        if artifacts is not None and artifacts.prefix:
            source = aws.sagemaker.ModelPrimaryContainerModelDataSourceArgs(
                s3_data_sources=[
                    aws.sagemaker.ModelPrimaryContainerModelDataSourceS3DataSourceArgs(
                        s3_uri=artifacts.s3_uri, s3_data_type="S3Prefix", compression_type="None"
                    )
                ]
            )
        return aws.sagemaker.ModelPrimaryContainerArgs(
            image=args.image,
            mode="SingleModel",
            environment=dict(args.environment) or None,
            model_data_url=artifacts.s3_uri if artifacts is not None and not artifacts.prefix else None,
            model_data_source=source,
        )

    @staticmethod
    def _capture_uri(capture: DataCapture) -> pulumi.Output[str]:
        return joined("s3://", capture.bucket.bucket.bucket, "/", capture.prefix)

    def _data_capture(
        self, capture: DataCapture | None
    ) -> aws.sagemaker.EndpointConfigurationDataCaptureConfigArgs | None:
        if capture is None:
            return None
        assert capture.bucket.key is not None  # checked by the Args
        header = None
        if capture.json_content_types:
            header = aws.sagemaker.EndpointConfigurationDataCaptureConfigCaptureContentTypeHeaderArgs(
                json_content_types=list(capture.json_content_types)
            )
        return aws.sagemaker.EndpointConfigurationDataCaptureConfigArgs(
            enable_capture=True,
            initial_sampling_percentage=capture.sampling_percentage,
            destination_s3_uri=self._capture_uri(capture),
            kms_key_id=capture.bucket.key.arn,
            capture_options=[
                aws.sagemaker.EndpointConfigurationDataCaptureConfigCaptureOptionArgs(capture_mode=mode)
                for mode in capture.modes
            ],
            capture_content_type_header=header,
        )
