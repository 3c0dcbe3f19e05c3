"""ManagedNotebook: a SageMaker notebook instance with no internet path, no root, IMDSv2, a CMK volume and idle stop.

Children (``<name>-<role>``):

- ``key`` (a ``Key``: usage through SageMaker only, plus EFS with a Studio domain) unless an existing key is given;
- ``role`` (trusted by SageMaker only) and ``role-access``: the execution role, limited to the named ``buckets``
  (object reads, or reads and writes, under an optional prefix; decrypting with each bucket's key through S3),
  the named ``secrets`` (GetSecretValue on those ARNs; decrypting through Secrets Manager), the notebook log
  streams of ``/aws/sagemaker/NotebookInstances`` and, with a CodeArtifact ``package_index``, reading that
  repository; no AWS managed policy (AmazonSageMakerFullAccess is what NB-2 refuses);
- ``lifecycle`` (a lifecycle configuration written by the component, base64): on every start it installs a
  systemd timer that stops the instance after ``idle_shutdown_minutes`` without kernel or terminal activity (the
  stop call is the role's ``role-self-stop`` permission on this notebook only), and with ``package_index`` points
  pip at the mirror and installs the pinned ``packages`` from it (never from any other URL);
- ``notebook``: ``direct_internet_access`` Disabled (unless ``direct_internet`` says why not), ``root_access``
  Disabled, IMDSv2 only, the first private subnet and the security groups of ``network``, the key on the ML
  storage volume, the current platform (``notebook-al2023-v1``);
- ``role-self-stop``: Describe/Stop on this notebook's ARN only (registered after the notebook);
- ``open`` (an IAM policy: a presigned Jupyter URL, describe, start and stop of this notebook only) and
  ``open-<grant>`` attachments for the roles of ``access``;
- with ``studio``: ``domain``, a SageMaker Studio domain in ``VpcOnly`` mode in the same subnets and security
  groups, its EFS volume under the key, the same execution role (with the user profile name as source identity),
  idle shutdown of JupyterLab and Code Editor apps, Docker access off, home directories retained on delete.

Root access, direct internet access and idle timeouts above the ceiling are refused before anything registers,
naming the field and the fix; direct internet access is an opt-in by name with a justification, never for
restricted data in production.
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aiwarden_policies.contract import assets
from components._common import (
    AssetRecord,
    AwsNetwork,
    CreateKey,
    Grant,
    KeyChoice,
    Ownership,
    PublicAccess,
    record_asset,
)
from components._common.access import principals
from components._common.inventory import asset_kind
from components._common.json_document import Join, joined
from components._common.ownership import Slug
from components._common.protection import check_create_key, check_deletion_protection, deletion_protected
from components._common.provider_fields import refuse_provider_fields
from components.aws._documents import Statement, document
from components.aws._identifiers import KMS_KEY_ARN, BucketName, RoleArn, aws_identifier, role_name
from components.aws._key_choice import FIELD_DESCRIPTION, check_key_choice, resolve_key
from components.aws._tags import aws_tags
from components.aws._where import Where, where
from components.aws.key import Key

TYPE = "aiwarden:aws:ManagedNotebook"
KIND = asset_kind(assets.NOTEBOOK)
SAGEMAKER = "sagemaker.amazonaws.com"
#: Idle shutdown ceiling: the pack sets no stack-level idle ceiling (NB-3 only requires an idle check), so the
#: component refuses more than this, the same ceiling as the GCP ManagedNotebook (a GPU notebook left idle
#: overnight is the cost this control exists for).
IDLE_CEILING_MINUTES = 240
#: The auto-stop timer runs every 5 minutes: a shorter idle period would stop a notebook between two cells.
IDLE_MINIMUM_MINUTES = 10
#: SageMaker Studio accepts idle shutdown from 60 minutes (``IdleSettings.IdleTimeoutInMinutes``).
STUDIO_IDLE_MINIMUM_MINUTES = 60
#: The platform the component runs: Amazon Linux 2023 with JupyterLab 4, the only one Security Hub control
#: SageMaker.8 accepts (AL1/AL2 JupyterLab 1 and 3 platforms are out of support since 2025-06-30).
Platform = Literal["notebook-al2023-v1"]
PLATFORM: Platform = "notebook-al2023-v1"
#: The log group every notebook instance of the region writes to (streams ``<notebook name>/...``).
NOTEBOOK_LOG_GROUP = "/aws/sagemaker/NotebookInstances"
#: What a ``use`` grant may do on this notebook: open Jupyter (a presigned URL), and start it after idle stop.
OPEN_ACTIONS = (
    "sagemaker:CreatePresignedNotebookInstanceUrl",
    "sagemaker:DescribeNotebookInstance",
    "sagemaker:StartNotebookInstance",
    "sagemaker:StopNotebookInstance",
)
READ_ACTIONS = ("s3:GetObject", "s3:GetObjectVersion")
WRITE_ACTIONS = ("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")
#: A lifecycle hook's content (base64) is at most 16384 characters (``NotebookInstanceLifecycleHook.Content``).
MAX_SCRIPT = 16384
#: The roles ``access`` accepts: ``use`` (open Jupyter, start and stop the notebook).
NotebookRole = Literal["use"]
BucketRole = Literal["read", "write"]
_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
#: Pulumi auto-names the notebook ``<name>-notebook-<7 hex>``: the component name must leave room in 63 characters.
_COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,45}$")
_PREFIX = r"^([A-Za-z0-9!_.*'()=-]+/)*$"
_PACKAGE = re.compile(
    r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9][A-Za-z0-9.+!_-]*$"
)
_INDEX_URL = re.compile(r"^https://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(/[A-Za-z0-9._~%/+-]*)?$")
_CODEARTIFACT_NAME = r"^[a-z][a-z0-9-]{0,48}[a-z0-9]$"
_REPOSITORY_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$"
_SECRET_ARN = r"^arn:aws(?:-[a-z]+)*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$"
_JUSTIFICATION = Field(min_length=20, description="Why, who approved it, until when (lands in the tags).")

if TYPE_CHECKING:
    KmsKeyArn = str | pulumi.Output[str]
    SecretArn = str | pulumi.Output[str]
else:
    KmsKeyArn = aws_identifier(
        KMS_KEY_ARN,
        "a KMS key ARN",
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    )
    SecretArn = aws_identifier(
        _SECRET_ARN,
        "a Secrets Manager secret ARN (with its 6-character suffix)",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai-key-AbCdEf",
    )

#: Provider fields people reach for, and what to ask for instead (refused naming the fix).
_REFUSED = {
    "root_access": "root access is always Disabled (control NB-2); install system packages through a custom "
    "image, there is no opt-in",
    "direct_internet_access": "direct internet access is Disabled; to enable it, opt in by name: "
    "direct_internet=PublicAccess(justification=...)",
    "instance_metadata_service_configuration": "IMDSv2 is always required (minimum version 2, control NB-2)",
    "minimum_instance_metadata_service_version": "IMDSv2 is always required (minimum version 2, control NB-2)",
    "role_arn": "the component creates the notebook's own least-privilege role; name what it may reach in "
    "buckets= and secrets=",
    "lifecycle_config_name": "the lifecycle configuration is the component's (idle stop, package index); set "
    "idle_shutdown_minutes, package_index and packages",
    "subnet_id": "give the private subnets and security groups in network=AwsNetwork(...)",
    "security_groups": "give the private subnets and security groups in network=AwsNetwork(...)",
    "kms_key_id": "choose the volume key with kms_key=CreateKey() or ExistingKey(key=...)",
}


class NotebookBucket(BaseModel):
    """An S3 bucket the notebook's role may use: object reads (``read``) or reads and writes (``write``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    bucket: BucketName = Field(
        description="Bucket name (a string or an Output, e.g. a LockedBucket's, passed through)."
    )
    role: BucketRole = Field(
        default="read",
        description="`read` = list and get objects; `write` = also put, delete and abort uploads (never the bucket).",
    )
    prefix: str = Field(
        default="",
        pattern=_PREFIX,
        description="Only objects under this prefix (ending with `/`); default: the whole bucket.",
    )
    kms_key: KmsKeyArn | None = Field(
        default=None,
        description="The bucket's KMS key ARN (SSE-KMS, e.g. `LockedBucket.key.arn`): the role may use it through "
        "S3 only. None: the bucket is SSE-S3.",
    )


class NotebookSecret(BaseModel):
    """A Secrets Manager secret the notebook's role may read (its secret policy must allow the role too)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    arn: SecretArn = Field(description="Secret ARN (a string or an Output, passed through); no wildcards.")
    kms_key: KmsKeyArn | None = Field(
        default=None,
        description="The secret's KMS key ARN: the role may decrypt with it through Secrets Manager only. None: "
        "the AWS managed key aws/secretsmanager.",
    )


class PipIndex(BaseModel):
    """A PyPI-compatible package mirror reached by HTTPS (Artifactory, Nexus, a proxy repository...)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["pip"] = "pip"
    url: str = Field(
        description="Index URL, e.g. `https://pypi.internal.example.com/simple/`: HTTPS, no credentials in it. "
        "List its host in the pack's `approvedPackageIndexes` (SUP-3)."
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if "@" in value:
            raise ValueError(
                f"{value!r}: no credentials in the index URL (they would be readable in the lifecycle "
                "configuration); use a mirror that admits the VPC, or CodeArtifactIndex"
            )
        if not _INDEX_URL.fullmatch(value):
            raise ValueError(
                f"{value!r} is not an HTTPS index URL such as https://pypi.internal.example.com/simple/"
            )
        return value


class CodeArtifactIndex(BaseModel):
    """An AWS CodeArtifact PyPI repository: the lifecycle script gets a short-lived token with the notebook's role
    (which may read this repository only)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["codeartifact"] = "codeartifact"
    domain: str = Field(pattern=_CODEARTIFACT_NAME, description="CodeArtifact domain name.")
    domain_owner: str = Field(pattern=r"^\d{12}$", description="Account id that owns the domain.")
    repository: str = Field(pattern=_REPOSITORY_NAME, description="Repository name (a PyPI repository).")

    def host(self, place: Where) -> str:
        return f"{self.domain}-{self.domain_owner}.d.codeartifact.{place.region}.{place.dns_suffix}"

    def index_url(self, place: Where, token: str) -> str:
        return f"https://aws:{token}@{self.host(place)}/pypi/{self.repository}/simple/"


PackageIndex = Annotated[PipIndex | CodeArtifactIndex, Field(discriminator="kind")]


class StudioDomain(BaseModel):
    """A SageMaker Studio domain beside the notebook, in VpcOnly mode with the same rules."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    domain_name: str | None = Field(
        default=None,
        description="Domain name (letters, digits, `-`; 63 at most); default: the component name.",
    )
    auth_mode: Literal["IAM", "SSO"] = Field(
        default="IAM", description="How members sign in: IAM (presigned domain URLs) or IAM Identity Center."
    )
    idle_shutdown_minutes: int = Field(
        default=STUDIO_IDLE_MINIMUM_MINUTES,
        ge=STUDIO_IDLE_MINIMUM_MINUTES,
        description=f"JupyterLab and Code Editor apps stop after this many idle minutes, and users may not set "
        f"more (provider default: no idle shutdown). {STUDIO_IDLE_MINIMUM_MINUTES} (Studio's minimum) to "
        f"{IDLE_CEILING_MINUTES} (the component's ceiling).",
    )

    @field_validator("domain_name")
    @classmethod
    def _domain_name(cls, value: str | None) -> str | None:
        if value is not None and not _NAME.fullmatch(value):
            raise ValueError(f"{value!r} is not a Studio domain name: letters, digits and '-', 63 at most")
        return value


class ManagedNotebookArgs(BaseModel):
    """Inputs of ``ManagedNotebook``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child.")
    network: AwsNetwork = Field(
        description="Private subnets and security groups (e.g. `PrivateNetwork.network`: no ingress from outside, "
        "HTTPS to the VPC endpoints only). The notebook's interface goes in the first subnet; a Studio domain uses "
        "them all. Provider default: a SageMaker-managed network with internet access."
    )
    instance_type: str = Field(
        default="ml.t3.medium",
        pattern=r"^ml\.[a-z0-9-]+\.[a-z0-9]+$",
        description="SageMaker notebook instance type (provider: required).",
    )
    volume_size_gb: int = Field(
        default=5, ge=5, le=16384, description="ML storage volume in GB (provider default 5, kept)."
    )
    platform_identifier: Platform = Field(
        default=PLATFORM,
        description="Amazon Linux 2023, JupyterLab 4 (provider default: notebook-al2-v3, which Security Hub "
        "SageMaker.8 reports as unsupported).",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}. Encrypts the ML storage volume (and a Studio domain's EFS); an existing key "
        "must let the deployer use it through SageMaker (provider default: an AWS managed key).",
    )
    idle_shutdown_minutes: int = Field(
        default=60,
        ge=IDLE_MINIMUM_MINUTES,
        description=f"Stop the notebook after this many minutes without kernel or terminal activity (provider "
        f"default: never). {IDLE_MINIMUM_MINUTES} to {IDLE_CEILING_MINUTES} (the component's ceiling: the pack "
        "sets none).",
    )
    package_index: PackageIndex | None = Field(
        default=None,
        description="Where pip installs from on the notebook: `PipIndex(url=...)` or `CodeArtifactIndex(...)`; "
        "the lifecycle script points pip at it and installs `packages` from it only. None: nothing is installed "
        "(provider default: whatever a lifecycle script downloads).",
    )
    packages: tuple[str, ...] = Field(
        default=(),
        max_length=50,
        description="Packages installed at every start, pinned (`pandas==2.2.3`), from `package_index` only.",
    )
    buckets: dict[Slug, NotebookBucket] = Field(
        default_factory=dict,
        description="S3 buckets the notebook's role may use, by name (provider: whatever the role allows).",
    )
    secrets: dict[Slug, NotebookSecret] = Field(
        default_factory=dict,
        description="Secrets the notebook's role may read (`secretsmanager:GetSecretValue` on these ARNs only), "
        "by name. A `SecretWiring` grants it on its own: `access={'nb': SecretGrant(principal=<role arn>, ...)}`.",
    )
    access: dict[Slug, Grant[RoleArn, NotebookRole]] = Field(
        default_factory=dict,
        description="Who may open the notebook, by name: `use` = a presigned Jupyter URL, describe, start and stop "
        "this notebook (the `open` policy is attached to the role; role ARNs or Outputs, passed through).",
    )
    direct_internet: PublicAccess | None = Field(
        default=None,
        description="Opt-in to `direct_internet_access=Enabled` (SageMaker's own internet path, outside the VPC's "
        "controls), with a justification (tag `aiwarden-exception`); no `cidrs`; refused for restricted data in "
        "production. NB-1 still reports it until it is exempted by name in the pack configuration. Default: "
        "Disabled (provider default: Enabled).",
    )
    studio: StudioDomain | None = Field(
        default=None, description="Also create a SageMaker Studio domain with the same rules (default: none)."
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="Pulumi `protect` on the notebook and the Studio domain; None: on in production (IR-2), else "
        "off (Pulumi default: off); cannot be turned off in production.",
    )

    _refuse_provider_fields = refuse_provider_fields(_REFUSED)

    @field_validator("packages")
    @classmethod
    def _pinned(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for package in value:
            if not _PACKAGE.fullmatch(package):
                raise ValueError(
                    f"packages: {package!r} is not a pinned requirement; give `name==version` (no URLs, no ranges)"
                )
        return value

    @model_validator(mode="after")
    def _safe(self) -> ManagedNotebookArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        if isinstance(self.kms_key, CreateKey):
            check_create_key(self.kms_key, self.ownership, "kms_key")
        check_deletion_protection(self.deletion_protection, self.ownership)
        if self.idle_shutdown_minutes > IDLE_CEILING_MINUTES:
            raise ValueError(
                f"idle_shutdown_minutes={self.idle_shutdown_minutes}: above the ceiling of {IDLE_CEILING_MINUTES} "
                f"minutes (control NB-3: idle notebooks stop); use at most {IDLE_CEILING_MINUTES}"
            )
        if self.studio is not None and self.studio.idle_shutdown_minutes > IDLE_CEILING_MINUTES:
            raise ValueError(
                f"studio.idle_shutdown_minutes={self.studio.idle_shutdown_minutes}: above the ceiling of "
                f"{IDLE_CEILING_MINUTES} minutes (control NB-3); use at most {IDLE_CEILING_MINUTES}"
            )
        if self.packages and self.package_index is None:
            raise ValueError(
                "packages: installs come only from the package mirror; set package_index=PipIndex(url=...) or "
                "CodeArtifactIndex(...), or ship the packages in the image"
            )
        internet = self.direct_internet
        if internet is not None:
            o = self.ownership
            if o.environment == "production" and o.data_classification == "restricted":
                raise ValueError(
                    "direct_internet: a notebook with restricted production data never has direct internet access "
                    "(NB-1); remove direct_internet and reach AWS services through the VPC endpoints"
                )
            if internet.cidrs:
                raise ValueError(
                    "direct_internet.cidrs: SageMaker's direct internet access takes no source ranges; remove cidrs"
                )
        return self

    def protected(self) -> bool:
        """Whether the notebook and the Studio domain carry Pulumi ``protect``."""
        return deletion_protected(self.deletion_protection, self.ownership.environment == "production")


# -- the lifecycle script ---------------------------------------------------------------------------------------

#: Idle check run by the timer: no busy kernel and no kernel or terminal activity for the idle period stops the
#: instance. Jupyter's local API answers on 8443 without a token on a notebook instance (the SageMaker proxy
#: authenticates users); the instance's name and region come from its resource metadata.
_AUTOSTOP = r"""
import datetime as dt, json, os, ssl, sys, urllib.request
import boto3
IDLE = dt.timedelta(minutes=int(sys.argv[1]))
STATE = "/var/lib/aiwarden-autostop/last-activity"
now = dt.datetime.now(dt.timezone.utc)
def get(path):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with urllib.request.urlopen("https://localhost:8443/api/" + path, context=context, timeout=10) as r:
        return json.load(r)
def when(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
try:
    with open(STATE) as f:
        last = when(f.read().strip())
except (OSError, ValueError):
    last = now
kernels = [s["kernel"] for s in get("sessions") if s.get("kernel")]
if any(k.get("execution_state") == "busy" for k in kernels):
    last = now
seen = [when(k["last_activity"]) for k in kernels + get("terminals") if k.get("last_activity")]
last = max([last, *seen])
os.makedirs(os.path.dirname(STATE), exist_ok=True)
with open(STATE, "w") as f:
    f.write(last.isoformat())
if now - last >= IDLE:
    meta = json.load(open("/opt/ml/metadata/resource-metadata.json"))
    region = meta["ResourceArn"].split(":")[3]
    print(f"idle since {last.isoformat()}: stopping {meta['ResourceName']}")
    boto3.client("sagemaker", region_name=region).stop_notebook_instance(NotebookInstanceName=meta["ResourceName"])
"""

_PYTHONS = ("/home/ec2-user/anaconda3/envs/JupyterSystemEnv/bin/python", "/usr/bin/python3")


def autostop_script(idle_minutes: int) -> str:
    """Install the idle check and a systemd timer running it every 5 minutes (as root: lifecycle scripts do)."""
    pythons = " ".join(_PYTHONS)
    return (
        "# idle auto-stop: stop this notebook instance after "
        f"{idle_minutes} idle minutes (checked every 5 minutes)\n"
        "mkdir -p /opt/aiwarden\n"
        "cat > /opt/aiwarden/autostop.py <<'PY'\n"
        f"{_AUTOSTOP.strip()}\n"
        "PY\n"
        "PYTHON=/usr/bin/python3\n"
        f'for candidate in {pythons}; do if "$candidate" -c "import boto3" 2>/dev/null; then PYTHON="$candidate"; '
        "break; fi; done\n"
        "cat > /etc/systemd/system/aiwarden-autostop.service <<UNIT\n"
        "[Unit]\nDescription=aiwarden idle auto-stop\n"
        f"[Service]\nType=oneshot\nExecStart=$PYTHON /opt/aiwarden/autostop.py {idle_minutes}\n"
        "UNIT\n"
        "cat > /etc/systemd/system/aiwarden-autostop.timer <<'UNIT'\n"
        "[Unit]\nDescription=aiwarden idle auto-stop, every 5 minutes\n"
        "[Timer]\nOnBootSec=5min\nOnUnitActiveSec=5min\n[Install]\nWantedBy=timers.target\n"
        "UNIT\n"
        "systemctl daemon-reload\n"
        "systemctl enable --now aiwarden-autostop.timer\n"
    )


def _quoted(items: tuple[str, ...]) -> str:
    return " ".join(f"'{item}'" for item in items)


def packages_script(index: PipIndex | CodeArtifactIndex, packages: tuple[str, ...], place: Where) -> str:
    """Point pip at the mirror for the notebook user, then install the pinned packages from it in the background
    (lifecycle scripts must finish within 5 minutes)."""
    if isinstance(index, PipIndex):
        url, token = f"'{index.url}'", ""
        conf_url = index.url
    else:
        token = (
            'TOKEN=$(/home/ec2-user/anaconda3/envs/python3/bin/python -c "import boto3; print(boto3.client('
            f"'codeartifact', region_name='{place.region}').get_authorization_token(domain='{index.domain}', "
            f"domainOwner='{index.domain_owner}')['authorizationToken'])\")\n"
        )
        url = f'"{index.index_url(place, "${TOKEN}")}"'
        conf_url = index.index_url(place, "${TOKEN}")
    lines = [
        "# package mirror: pip installs from it only (CodeArtifact tokens last 12 hours: restart to renew)",
        "cat > /opt/aiwarden/packages.sh <<'SH'",
        "#!/bin/bash",
        "set -eo pipefail  # not -u: conda's activate scripts read unset variables",
        token.rstrip("\n"),
        "mkdir -p /home/ec2-user/.config/pip",
        "umask 077",
        "cat > /home/ec2-user/.config/pip/pip.conf <<CONF",
        "[global]",
        f"index-url = {conf_url}",
        "CONF",
    ]
    if packages:
        lines += [
            "source /home/ec2-user/anaconda3/bin/activate python3",
            f"pip install --no-input --index-url {url} {_quoted(packages)}",
        ]
    lines += [
        "SH",
        "chmod 755 /opt/aiwarden/packages.sh",
        "nohup sudo -u ec2-user -i /opt/aiwarden/packages.sh >> /home/ec2-user/aiwarden-packages.log 2>&1 &",
    ]
    return "\n".join(line for line in lines if line) + "\n"


def on_start_script(args: ManagedNotebookArgs, name: str, place: Where) -> str:
    """The whole ``OnStart`` script: idle auto-stop, then the package mirror when one is given."""
    script = (
        "#!/bin/bash\n"
        f"# aiwarden ManagedNotebook {name}: written by the component; downloads nothing from the internet.\n"
        "set -euo pipefail\n" + autostop_script(args.idle_shutdown_minutes)
    )
    if args.package_index is not None:
        script += packages_script(args.package_index, args.packages, place)
    return script


def encode(script: str) -> str:
    return base64.b64encode(script.encode("utf-8")).decode("ascii")


# -- the execution role's policy --------------------------------------------------------------------------------


def _bucket_statements(grant: str, spec: NotebookBucket, place: Where) -> list[Statement]:
    arn = Join(f"arn:{place.partition}:s3:::", spec.bucket)
    objects = Join(f"arn:{place.partition}:s3:::", spec.bucket, f"/{spec.prefix}*")
    listing: Statement = {
        "Sid": f"List{_sid(grant)}",
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": arn,
    }
    if spec.prefix:
        listing["Condition"] = {"StringLike": {"s3:prefix": [f"{spec.prefix}*"]}}
    actions = READ_ACTIONS + (WRITE_ACTIONS if spec.role == "write" else ())
    statements: list[Statement] = [
        listing,
        {"Sid": f"Objects{_sid(grant)}", "Effect": "Allow", "Action": list(actions), "Resource": objects},
    ]
    if spec.kms_key is not None:
        kms = ["kms:Decrypt"] + (["kms:GenerateDataKey"] if spec.role == "write" else [])
        statements.append(
            {
                "Sid": f"Key{_sid(grant)}",
                "Effect": "Allow",
                "Action": kms,
                "Resource": spec.kms_key,
                "Condition": {"StringEquals": {"kms:ViaService": f"s3.{place.region}.{place.dns_suffix}"}},
            }
        )
    return statements


def _sid(name: str) -> str:
    """A statement id part from a grant name (Sids are alphanumeric)."""
    return "".join(part.capitalize() for part in name.split("-"))


def access_statements(args: ManagedNotebookArgs, place: Where) -> list[Statement]:
    """The execution role's permissions before the notebook exists: logs, buckets, secrets, package mirror."""
    group = place.log_group_arn(NOTEBOOK_LOG_GROUP)
    statements: list[Statement] = [
        {
            "Sid": "NotebookLogs",
            "Effect": "Allow",
            "Action": [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ],
            "Resource": [group, f"{group}:log-stream:*"],
        }
    ]
    for grant, bucket in args.buckets.items():
        statements += _bucket_statements(grant, bucket, place)
    for grant, secret in args.secrets.items():
        statements.append(
            {
                "Sid": f"Secret{_sid(grant)}",
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                "Resource": secret.arn,
            }
        )
        if secret.kms_key is not None:
            statements.append(
                {
                    "Sid": f"SecretKey{_sid(grant)}",
                    "Effect": "Allow",
                    "Action": "kms:Decrypt",
                    "Resource": secret.kms_key,
                    "Condition": {
                        "StringEquals": {
                            "kms:ViaService": f"secretsmanager.{place.region}.{place.dns_suffix}"
                        }
                    },
                }
            )
    index = args.package_index
    if isinstance(index, CodeArtifactIndex):
        domain = (
            f"arn:{place.partition}:codeartifact:{place.region}:{index.domain_owner}:domain/{index.domain}"
        )
        repository = (
            f"arn:{place.partition}:codeartifact:{place.region}:{index.domain_owner}:repository/"
            f"{index.domain}/{index.repository}"
        )
        statements += [
            {
                "Sid": "PackageIndexToken",
                "Effect": "Allow",
                "Action": "codeartifact:GetAuthorizationToken",
                "Resource": domain,
            },
            {
                "Sid": "PackageIndexBearerToken",
                "Effect": "Allow",
                "Action": "sts:GetServiceBearerToken",
                "Resource": "*",
                "Condition": {"StringEquals": {"sts:AWSServiceName": "codeartifact.amazonaws.com"}},
            },
            {
                "Sid": "PackageIndexRead",
                "Effect": "Allow",
                "Action": ["codeartifact:GetRepositoryEndpoint", "codeartifact:ReadFromRepository"],
                "Resource": repository,
            },
        ]
    return statements


class ManagedNotebook(pulumi.ComponentResource):
    """A private, rootless, IMDSv2-only, CMK-encrypted SageMaker notebook that stops when idle (see the module
    docstring for children).

    Outputs: ``notebookName``, ``notebookArn``, ``url``, ``roleArn``, ``kmsKeyArn``, ``openPolicyArn``,
    ``domainId`` (None without ``studio``).
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("NB-1", "NB-2", "NB-3", "SUP-3", "DATA-2", "INV-1", "IR-2")

    key: Key | None
    kms_key_arn: pulumi.Output[str]
    role: aws.iam.Role
    role_access: aws.iam.RolePolicy
    lifecycle: aws.sagemaker.NotebookInstanceLifecycleConfiguration
    notebook: aws.sagemaker.NotebookInstance
    self_stop: aws.iam.RolePolicy
    open_policy: aws.iam.Policy
    attachments: dict[str, aws.iam.RolePolicyAttachment]
    domain: aws.sagemaker.Domain | None

    def __init__(
        self, name: str, args: ManagedNotebookArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if not _COMPONENT_NAME.fullmatch(name):
            raise ValueError(
                f"ManagedNotebook name {name!r}: use letters, digits and '-' (46 characters at most), so that the "
                "notebook and lifecycle configuration names Pulumi derives from it are valid SageMaker names"
            )
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        place = where(self)
        internet = args.direct_internet
        tags = aws_tags(args.ownership)
        script = on_start_script(args, name, place)
        if len(encode(script)) > MAX_SCRIPT:
            raise ValueError(
                f"packages: the lifecycle script would be {len(encode(script))} base64 characters, above SageMaker's "
                f"{MAX_SCRIPT}; install fewer packages at start, or ship them in the image"
            )

        resolved = resolve_key(
            name,
            args.kms_key,
            args.ownership,
            self,
            services=("sagemaker", "elasticfilesystem") if args.studio is not None else ("sagemaker",),
            description=f"aiwarden {name}: SageMaker notebook volume",
        )
        self.key, self.kms_key_arn = resolved.created, resolved.arn

        trust_actions = (
            ["sts:AssumeRole", "sts:SetSourceIdentity"] if args.studio is not None else "sts:AssumeRole"
        )
        self.role = aws.iam.Role(
            f"{name}-role",
            description=f"SageMaker runs the {name} notebook as this role (aiwarden ManagedNotebook)",
            assume_role_policy=document(
                [{"Effect": "Allow", "Principal": {"Service": SAGEMAKER}, "Action": trust_actions}]
            ),
            tags=tags,
            opts=child,
        )
        self.role_access = aws.iam.RolePolicy(
            f"{name}-role-access",
            role=self.role.id,
            policy=document(access_statements(args, place)),
            opts=child,
        )
        self.lifecycle = aws.sagemaker.NotebookInstanceLifecycleConfiguration(
            f"{name}-lifecycle",
            on_start=encode(script),
            tags=tags,
            opts=child,
        )
        keep = pulumi.ResourceOptions(
            parent=self,
            protect=args.protected(),
            depends_on=[self.role_access, *([self.key] if self.key else [])],
        )
        self.notebook = aws.sagemaker.NotebookInstance(
            f"{name}-notebook",
            instance_type=args.instance_type,
            volume_size=args.volume_size_gb,
            platform_identifier=args.platform_identifier,
            role_arn=self.role.arn,
            direct_internet_access="Enabled" if internet is not None else "Disabled",
            root_access="Disabled",
            instance_metadata_service_configuration=aws.sagemaker.NotebookInstanceInstanceMetadataServiceConfigurationArgs(
                minimum_instance_metadata_service_version="2"
            ),
            subnet_id=args.network.subnet_ids[0],
            security_groups=list(args.network.security_group_ids),
            kms_key_id=self.kms_key_arn,
            lifecycle_config_name=self.lifecycle.name,
            tags=aws_tags(args.ownership, internet.justification if internet else None),
            opts=keep,
        )
        notebook_actions = ("sagemaker:DescribeNotebookInstance", "sagemaker:StopNotebookInstance")
        self.self_stop = aws.iam.RolePolicy(
            f"{name}-role-self-stop",
            role=self.role.id,
            policy=document(
                [
                    {
                        "Sid": "StopWhenIdle",
                        "Effect": "Allow",
                        "Action": list(notebook_actions),
                        "Resource": self.notebook.arn,
                    }
                ]
            ),
            opts=child,
        )
        self.open_policy = aws.iam.Policy(
            f"{name}-open",
            description=f"Open, start and stop the {name} notebook (aiwarden ManagedNotebook)",
            policy=document(
                [
                    {
                        "Sid": "OpenThisNotebook",
                        "Effect": "Allow",
                        "Action": list(OPEN_ACTIONS),
                        "Resource": self.notebook.arn,
                    }
                ]
            ),
            tags=tags,
            opts=child,
        )
        self.attachments = {
            grant: aws.iam.RolePolicyAttachment(
                f"{name}-open-{grant}",
                role=role_name(spec.principal),
                policy_arn=self.open_policy.arn,
                opts=child,
            )
            for grant, spec in args.access.items()
        }
        self.domain = None
        if args.studio is not None:
            self.domain = self._domain(name, args, args.studio)

        users = principals(args.access)
        record_asset(
            AssetRecord(
                name=name,
                kind=KIND,
                ownership=args.ownership,
                exposure="public" if internet is not None else "private",
                identities=(self.role.arn, *users),
                credentials_to_revoke=(self.role.arn, self.open_policy.arn),
                buckets_to_inspect=tuple(b.bucket for b in args.buckets.values()),
                endpoints_to_disable=(
                    self.notebook.name,
                    *([self.domain.id] if self.domain is not None else []),
                ),
                logs_to_preserve=(
                    joined(f"CloudWatch Logs {NOTEBOOK_LOG_GROUP}, streams ", self.notebook.name, "/*"),
                    joined("CloudTrail: sagemaker and sts events of ", self.role.arn),
                ),
                containment=f"Stop the {name} notebook, detach the {name}-open policy, and revoke the sessions of "
                f"its role (an inline deny with aws:TokenIssueTime) before inspecting the volume.",
            )
        )
        self.register_outputs(
            {
                "notebookName": self.notebook.name,
                "notebookArn": self.notebook.arn,
                "url": self.notebook.url,
                "roleArn": self.role.arn,
                "kmsKeyArn": self.kms_key_arn,
                "openPolicyArn": self.open_policy.arn,
                "domainId": self.domain.id if self.domain is not None else None,
            }
        )

    def _domain(self, name: str, args: ManagedNotebookArgs, studio: StudioDomain) -> aws.sagemaker.Domain:
        """The Studio domain: VpcOnly in the same subnets and security groups, EFS under the key, the same role."""
        ns = aws.sagemaker
        idle = studio.idle_shutdown_minutes
        limits: dict[str, Any] = {
            "lifecycle_management": "ENABLED",
            "idle_timeout_in_minutes": idle,
            "min_idle_timeout_in_minutes": STUDIO_IDLE_MINIMUM_MINUTES,
            "max_idle_timeout_in_minutes": idle,
        }

        return ns.Domain(
            f"{name}-domain",
            domain_name=studio.domain_name or name,
            auth_mode=studio.auth_mode,
            vpc_id=args.network.vpc_id,
            subnet_ids=list(args.network.subnet_ids),
            app_network_access_type="VpcOnly",
            kms_key_id=self.kms_key_arn,
            tag_propagation="ENABLED",
            retention_policy=ns.DomainRetentionPolicyArgs(home_efs_file_system="Retain"),
            domain_settings=ns.DomainDomainSettingsArgs(
                security_group_ids=list(args.network.security_group_ids),
                execution_role_identity_config="USER_PROFILE_NAME",
                docker_settings=ns.DomainDomainSettingsDockerSettingsArgs(enable_docker_access="DISABLED"),
            ),
            default_user_settings=ns.DomainDefaultUserSettingsArgs(
                execution_role=self.role.arn,
                security_groups=list(args.network.security_group_ids),
                studio_web_portal="ENABLED",
                default_landing_uri="studio::",
                jupyter_lab_app_settings=ns.DomainDefaultUserSettingsJupyterLabAppSettingsArgs(
                    app_lifecycle_management=ns.DomainDefaultUserSettingsJupyterLabAppSettingsAppLifecycleManagementArgs(
                        idle_settings=ns.DomainDefaultUserSettingsJupyterLabAppSettingsAppLifecycleManagementIdleSettingsArgs(
                            **limits
                        )
                    )
                ),
                code_editor_app_settings=ns.DomainDefaultUserSettingsCodeEditorAppSettingsArgs(
                    app_lifecycle_management=ns.DomainDefaultUserSettingsCodeEditorAppSettingsAppLifecycleManagementArgs(
                        idle_settings=ns.DomainDefaultUserSettingsCodeEditorAppSettingsAppLifecycleManagementIdleSettingsArgs(
                            **limits
                        )
                    )
                ),
            ),
            tags=aws_tags(args.ownership),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=args.protected(),
                depends_on=[self.role_access, *([self.key] if self.key else [])],
            ),
        )
