"""ContainerRegistry: an ECR repository for AI workload images: immutable tags, a CMK, continuous scanning.

Children (``<name>-<role>``): ``repository`` (IMMUTABLE tags, KMS encryption under the key, scan on push,
never force-deleted), ``lifecycle`` (untagged images expire), ``policy`` (only with ``access``: the named
principals pull (``read``) or push (``write``), every other principal is denied both, readers are denied
pushes); ``scanning`` (the registry's scanning configuration: ENHANCED, CONTINUOUS_SCAN for filters covering
the repository and the pull-through prefix) unless ``scanning`` says another stack owns it; with
``pull_through_cache``: ``cache`` (the rule), ``cache-template`` (what ECR applies to the repositories it
creates under the prefix: immutable tags, the key, the same lifecycle and policy, tags) and
``cache-template-role`` / ``cache-template-access`` (the role ECR uses to apply the key and the tags);
``key`` (a ``Key``, usage through ECR only) unless an existing key is given.

The registry scanning configuration is one per account and region: a stack that creates it replaces the
rules of every other; a second stack takes ``ExistingScanning()``.
"""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, model_validator

from components._common import AssetRecord, CreateKey, Grant, KeyChoice, Ownership, record_asset
from components._common.access import only, principals
from components._common.inventory import CONTAINER_REGISTRY, asset_kind
from components._common.json_document import joined
from components._common.ownership import Slug
from components._common.protection import deletion_protected
from components.aws._documents import Statement, document
from components.aws._identifiers import PrincipalArn, aws_identifier
from components.aws._key_choice import FIELD_DESCRIPTION, ResolvedKey, check_key_choice, resolve_key
from components.aws._tags import aws_tags
from components.aws._where import where

TYPE = "aiwarden:aws:ContainerRegistry"
KIND = asset_kind(CONTAINER_REGISTRY)
#: The roles ``access`` accepts: ``read`` (pull), ``write`` (pull and push).
RegistryRole = Literal["read", "write"]
PULL_ACTIONS = ("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")
PUSH_ACTIONS = ("ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart")
#: Pulling through a cache rule also imports the upstream image into the cached repository.
IMPORT_ACTION = "ecr:BatchImportUpstreamImage"
#: Service-linked roles (Amazon Inspector reads images to scan them) keep access whatever ``access`` says.
SERVICE_LINKED_ROLES = "arn:{partition}:iam::*:role/aws-service-role/*"
_REPOSITORY = r"^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$"
_PREFIX = r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$"
_UPSTREAM = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"
_CACHE_SECRET = (
    r"^arn:aws(?:-[a-z]+)*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:ecr-pullthroughcache/.+$"
)
#: Upstream registries that ECR pulls from only with credentials (Amazon ECR User Guide, pull through cache).
NEEDS_CREDENTIALS = ("registry-1.docker.io", "ghcr.io", "registry.gitlab.com")
_JUSTIFICATION = Field(min_length=20, description="Why, who approved it, until when (lands in the tags).")

if TYPE_CHECKING:
    CacheSecretArn = str | pulumi.Output[str]
else:
    CacheSecretArn = aws_identifier(
        _CACHE_SECRET,
        "a Secrets Manager secret ARN whose name starts with ecr-pullthroughcache/",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
    )


class MutableTags(BaseModel):
    """A named opt-out from immutable tags (a pipeline that must move a tag); pin images by digest anyway."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    justification: str = _JUSTIFICATION


class CreateScanning(BaseModel):
    """This stack owns the registry's scanning configuration (one per account and region): ENHANCED (Amazon
    Inspector), CONTINUOUS_SCAN for the repositories matching ``repository_filters``; the repository and the
    pull-through prefix are always covered."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["create"] = "create"
    repository_filters: tuple[str, ...] = Field(
        default=("*",),
        min_length=1,
        max_length=90,
        description="Repository name filters (`*` wildcard) scanned continuously; default `*`: every repository "
        "of the registry (the rules this replaces may have covered others).",
    )


class ExistingScanning(BaseModel):
    """Another stack (the platform) owns the registry's scanning configuration and covers this repository; the
    repository still scans on push, which ECR ignores while ENHANCED scanning is on."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["existing"] = "existing"


class ScanningOff(BaseModel):
    """A named opt-out from scanning: no scan on push and no scanning configuration (SUP-1 reports it)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["off"] = "off"
    justification: str = _JUSTIFICATION


ScanningChoice = Annotated[CreateScanning | ExistingScanning | ScanningOff, Field(discriminator="kind")]


class PullThroughCache(BaseModel):
    """Cache an upstream registry under a prefix of this registry, so workloads never pull from the internet."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    upstream_registry_url: str = Field(
        pattern=_UPSTREAM,
        description="Upstream registry host: `public.ecr.aws`, `registry.k8s.io`, `quay.io`, "
        "`registry-1.docker.io`, `ghcr.io`, `registry.gitlab.com`...",
    )
    repository_prefix: str = Field(
        min_length=2,
        max_length=30,
        pattern=_PREFIX,
        description="Prefix of the cached repositories, e.g. `ecr-public`: `<registry>/ecr-public/<upstream path>`.",
    )
    credential_arn: CacheSecretArn | None = Field(
        default=None,
        description="Secrets Manager secret with the upstream credentials (name `ecr-pullthroughcache/...`); "
        "required by Docker Hub, GitHub and GitLab (a string or an Output, passed through).",
    )

    @model_validator(mode="after")
    def _credentials(self) -> PullThroughCache:
        if self.upstream_registry_url in NEEDS_CREDENTIALS and self.credential_arn is None:
            raise ValueError(
                f"credential_arn: {self.upstream_registry_url} is cached only with credentials; store them in a "
                "Secrets Manager secret named ecr-pullthroughcache/<name> and give its ARN"
            )
        return self


class ContainerRegistryArgs(BaseModel):
    """Inputs of ``ContainerRegistry``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child.")
    repository_name: str = Field(
        min_length=2,
        max_length=256,
        pattern=_REPOSITORY,
        description="Repository name, e.g. `fraud/scorer` (lowercase, `/` for namespaces).",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION} (provider default: AES256 with an AWS-owned key).",
    )
    access: dict[Slug, Grant[PrincipalArn, RegistryRole]] = Field(
        default_factory=dict,
        description="Who may use the images, by name: `read` = pull, `write` = pull and push. If set, every other "
        "principal is denied pulls and pushes (service-linked roles such as Amazon Inspector's excepted), readers "
        "are denied pushes, and cross-account principals are allowed (ARNs or Outputs, passed through). Provider "
        "default: no repository policy (IAM decides).",
    )
    untagged_image_days: int = Field(
        default=14,
        ge=1,
        le=3650,
        description="Untagged images expire this many days after their push (provider default: kept forever).",
    )
    mutable_tags: MutableTags | None = Field(
        default=None,
        description="Named opt-out, with justification, from IMMUTABLE tags (provider default: MUTABLE).",
    )
    scanning: ScanningChoice = Field(
        default_factory=CreateScanning,
        description="`CreateScanning()` (default: this stack sets the registry's ENHANCED continuous scanning), "
        "`ExistingScanning()` (another stack owns it) or `ScanningOff(justification=...)` (provider default: "
        "BASIC scanning, no scan on push).",
    )
    pull_through_cache: PullThroughCache | None = Field(
        default=None,
        description="Optional pull-through cache of an upstream registry, its repositories created immutable, "
        "under the key, scanned continuously (provider default of cached repositories: MUTABLE, AES256).",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="Pulumi `protect` on the repository; None: on in production (IR-2), else off. The repository "
        "is never force-deleted (a delete fails while it holds images).",
    )

    @model_validator(mode="after")
    def _safe(self) -> ContainerRegistryArgs:
        check_key_choice("kms_key", self.kms_key, self.ownership)
        cache = self.pull_through_cache
        if cache is not None and (
            self.repository_name == cache.repository_prefix
            or self.repository_name.startswith(cache.repository_prefix + "/")
        ):
            raise ValueError(
                f"pull_through_cache.repository_prefix: {cache.repository_prefix!r} would hold the repository "
                f"{self.repository_name!r}; choose a prefix of its own, e.g. `ecr-public`"
            )
        if isinstance(self.scanning, CreateScanning):
            for i, item in enumerate(self.scanning.repository_filters):
                if not re.fullmatch(r"[a-z0-9*][a-z0-9._/*-]{0,254}", item):
                    raise ValueError(
                        f"scanning.repository_filters[{i}]: {item!r} is not a repository filter (lowercase "
                        "name characters and `*`)"
                    )
        return self

    def scan_filters(self) -> list[str]:
        """The filters of the continuous-scan rule: the given ones, plus the repository and the cache prefix
        when those do not already match."""
        if not isinstance(self.scanning, CreateScanning):
            return []
        found = list(self.scanning.repository_filters)
        needed = [self.repository_name]
        if self.pull_through_cache is not None:
            needed.append(self.pull_through_cache.repository_prefix + "/*")
        for name in needed:
            probe = name.replace("*", "x")
            if not any(fnmatchcase(probe, f) for f in found):
                found.append(name)
        return found

    def protected(self) -> bool:
        return deletion_protected(self.deletion_protection, self.ownership.environment == "production")


def lifecycle_policy(days: int) -> str:
    """Untagged images expire ``days`` after their push."""
    return json.dumps(
        {
            "rules": [
                {
                    "rulePriority": 1,
                    "description": f"Expire untagged images {days} days after push",
                    "selection": {
                        "tagStatus": "untagged",
                        "countType": "sinceImagePushed",
                        "countUnit": "days",
                        "countNumber": days,
                    },
                    "action": {"type": "expire"},
                }
            ]
        }
    )


def repository_policy(args: ContainerRegistryArgs, partition: str, cache: bool = False) -> pulumi.Output[str]:
    """Named readers pull, writers pull and push; everyone else (service-linked roles excepted) is denied both,
    and readers are denied pushes."""
    pull = [*PULL_ACTIONS, IMPORT_ACTION] if cache else list(PULL_ACTIONS)
    readers, writers = principals(args.access), principals(args.access, "write")
    statements: list[Statement] = [
        {"Sid": "NamedPullers", "Effect": "Allow", "Principal": {"AWS": readers}, "Action": pull},
    ]
    if writers:
        statements.append(
            {
                "Sid": "NamedPushers",
                "Effect": "Allow",
                "Principal": {"AWS": writers},
                "Action": list(PUSH_ACTIONS),
            }
        )
    statements.append(
        {
            "Sid": "DenyOtherPrincipals",
            "Effect": "Deny",
            "Principal": "*",
            "Action": [*pull, *PUSH_ACTIONS],
            "Condition": {
                "ArnNotLike": {
                    "aws:PrincipalArn": [*readers, SERVICE_LINKED_ROLES.format(partition=partition)]
                }
            },
        }
    )
    read_only = only(args.access, "read", unless=("write",))
    if read_only:
        statements.append(
            {
                "Sid": "DenyPushesByReaders",
                "Effect": "Deny",
                "Principal": "*",
                "Action": list(PUSH_ACTIONS),
                "Condition": {"ArnLike": {"aws:PrincipalArn": read_only}},
            }
        )
    return document(statements)


#: Providers (by id) whose registry scanning configuration this program already creates, and by which component.
_SCANNING: dict[int, str] = {}


class ContainerRegistry(pulumi.ComponentResource):
    """An ECR repository with immutable tags, a CMK, a lifecycle, named principals and continuous scanning.

    Outputs: ``repositoryName``, ``repositoryUrl``, ``repositoryArn``, ``registryId``, ``kmsKeyArn``,
    ``pullThroughPrefix`` (None without a cache).
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("SUP-1", "DATA-2", "IR-2", "INV-1")

    key: ResolvedKey
    repository: aws.ecr.Repository
    lifecycle: aws.ecr.LifecyclePolicy
    policy: aws.ecr.RepositoryPolicy | None
    scanning: aws.ecr.RegistryScanningConfiguration | None
    cache: aws.ecr.PullThroughCacheRule | None
    cache_template: aws.ecr.RepositoryCreationTemplate | None
    cache_template_role: aws.iam.Role | None

    def __init__(
        self, name: str, args: ContainerRegistryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        exception = next(
            (
                o.justification
                for o in (args.mutable_tags, args.scanning)
                if isinstance(o, MutableTags | ScanningOff)
            ),
            None,
        )
        tags = aws_tags(args.ownership, exception)
        partition = where(self).partition
        self.key = resolve_key(name, args.kms_key, args.ownership, self, services=("ecr",))

        self.repository = aws.ecr.Repository(
            f"{name}-repository",
            name=args.repository_name,
            image_tag_mutability="MUTABLE" if args.mutable_tags else "IMMUTABLE",
            encryption_configurations=[
                aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS", kms_key=self.key.arn)
            ],
            image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(
                scan_on_push=not isinstance(args.scanning, ScanningOff)
            ),
            force_delete=False,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, protect=args.protected()),
        )
        self.lifecycle = aws.ecr.LifecyclePolicy(
            f"{name}-lifecycle",
            repository=self.repository.name,
            policy=lifecycle_policy(args.untagged_image_days),
            opts=child,
        )
        self.policy = None
        if args.access:
            self.policy = aws.ecr.RepositoryPolicy(
                f"{name}-policy",
                repository=self.repository.name,
                policy=repository_policy(args, partition),
                opts=child,
            )
        self.scanning = None
        if isinstance(args.scanning, CreateScanning):
            provider = id(self.get_provider("aws::ecr"))
            if provider in _SCANNING:
                raise pulumi.RunError(
                    f"{name}: scanning: the registry scanning configuration is one per account and region, and "
                    f"{_SCANNING[provider]} already creates it in this program; give this one "
                    "scanning=ExistingScanning() and list its repository in the other's repository_filters"
                )
            _SCANNING[provider] = name
            self.scanning = aws.ecr.RegistryScanningConfiguration(
                f"{name}-scanning",
                scan_type="ENHANCED",
                rules=[
                    aws.ecr.RegistryScanningConfigurationRuleArgs(
                        scan_frequency="CONTINUOUS_SCAN",
                        repository_filters=[
                            aws.ecr.RegistryScanningConfigurationRuleRepositoryFilterArgs(
                                filter=item, filter_type="WILDCARD"
                            )
                            for item in args.scan_filters()
                        ],
                    )
                ],
                opts=child,
            )
        self.cache, self.cache_template, self.cache_template_role = None, None, None
        if args.pull_through_cache is not None:
            self._cache(name, args, args.pull_through_cache, partition, tags)

        record_asset(
            AssetRecord(
                name=f"{name}-repository",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=tuple(principals(args.access)),
                logs_to_preserve=(joined("CloudTrail: ecr events on ", self.repository.arn),),
                containment=f"Deny ecr:BatchGetImage to everyone in the {args.repository_name} repository policy, "
                "then find the workloads running the affected digests (the scan findings name them).",
            )
        )
        self.register_outputs(
            {
                "repositoryName": self.repository.name,
                "repositoryUrl": self.repository.repository_url,
                "repositoryArn": self.repository.arn,
                "registryId": self.repository.registry_id,
                "kmsKeyArn": self.key.arn,
                "pullThroughPrefix": args.pull_through_cache.repository_prefix
                if args.pull_through_cache
                else None,
            }
        )

    def _cache(
        self,
        name: str,
        args: ContainerRegistryArgs,
        cache: PullThroughCache,
        partition: str,
        tags: dict[str, str],
    ) -> None:
        """The cache rule, and the creation template (with the role ECR applies it with) for its repositories."""
        child = pulumi.ResourceOptions(parent=self)
        self.cache = aws.ecr.PullThroughCacheRule(
            f"{name}-cache",
            ecr_repository_prefix=cache.repository_prefix,
            upstream_registry_url=cache.upstream_registry_url,
            credential_arn=cache.credential_arn,
            opts=child,
        )
        self.cache_template_role = aws.iam.Role(
            f"{name}-cache-template-role",
            description=f"ECR applies the {cache.repository_prefix} creation template (key, tags) with this role",
            assume_role_policy=document(
                [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ecr.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ]
            ),
            tags=tags,
            opts=child,
        )
        access = aws.iam.RolePolicy(
            f"{name}-cache-template-access",
            role=self.cache_template_role.id,
            policy=document(
                [
                    {
                        "Sid": "UseTheRegistryKey",
                        "Effect": "Allow",
                        "Action": ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"],
                        "Resource": self.key.arn,
                    },
                    {
                        "Sid": "TagCachedRepositories",
                        "Effect": "Allow",
                        "Action": "ecr:TagResource",
                        "Resource": "*",
                    },
                ]
            ),
            opts=child,
        )
        self.cache_template = aws.ecr.RepositoryCreationTemplate(
            f"{name}-cache-template",
            prefix=cache.repository_prefix,
            applied_fors=["PULL_THROUGH_CACHE"],
            description=f"aiwarden {name}: repositories cached from {cache.upstream_registry_url}",
            image_tag_mutability="IMMUTABLE",
            encryption_configurations=[
                aws.ecr.RepositoryCreationTemplateEncryptionConfigurationArgs(
                    encryption_type="KMS", kms_key=self.key.arn
                )
            ],
            lifecycle_policy=lifecycle_policy(args.untagged_image_days),
            repository_policy=repository_policy(args, partition, cache=True) if args.access else None,
            resource_tags=tags,
            custom_role_arn=self.cache_template_role.arn,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[access]),
        )
