"""ContainerRegistry: an Artifact Registry Docker repository with immutable tags, CMEK, scanning and cleanup.

Optional remote repositories (Docker Hub, PyPI) cache upstream artifacts under the same key and
scanning, so workloads pull from Artifact Registry, never from the internet. Pulls and pushes are
granted to named principals only. Mutable tags and scanning off are asked for by name, with a
justification that lands in the repository's description and an ``aiwarden-exception`` label.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import vocabulary as v
from components._common import AssetRecord, CreateKey, Grant, KeyChoice, Ownership, record_asset
from components._common.access import principals
from components._common.exposure import Justification
from components._common.inventory import CONTAINER_REGISTRY, asset_kind
from components._common.ownership import Slug
from components._common.protection import check_deletion_protection, deletion_protected
from components._common.provider_fields import refuse_provider_fields
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import Location, Member, ProjectId
from components.gcp._project import KMS_API, enable_apis, enable_apis_field

TYPE = "aiwarden:gcp:ContainerRegistry"
KIND = asset_kind(CONTAINER_REGISTRY)
ARTIFACT_REGISTRY_API = "artifactregistry.googleapis.com"
#: Artifact Analysis scans Docker images pushed to (or cached by) Artifact Registry once this API is on.
CONTAINER_SCANNING_API = "containerscanning.googleapis.com"
#: The roles ``access`` accepts, and the predefined role each grants on the standard repository. Remote
#: repositories cannot be pushed to: both roles get ``roles/artifactregistry.reader`` there.
RegistryRole = Literal["read", "write"]
REGISTRY_ROLES: dict[str, str] = {
    "read": "roles/artifactregistry.reader",
    "write": "roles/artifactregistry.writer",
}
READER = REGISTRY_ROLES["read"]
#: Upstream -> (repository format, remote_repository_config field, public repository).
UPSTREAMS: dict[str, tuple[str, str, str]] = {
    "docker-hub": ("DOCKER", "docker_repository", "DOCKER_HUB"),
    "pypi": ("PYTHON", "python_repository", "PYPI"),
}
_DAY = 86400
_ID = r"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$"

RepositoryId = Annotated[
    str,
    Field(
        pattern=_ID,
        description="Artifact Registry repository id: a lowercase letter, then letters, digits, `-`; 63 at most.",
    ),
]
SecretVersionId = Annotated[
    str,
    Field(
        pattern=r"^projects/[a-z0-9-]+/secrets/[A-Za-z0-9_-]{1,255}/versions/[0-9]+$",
        description="Secret Manager secret version, `projects/<project>/secrets/<secret>/versions/<n>`.",
    ),
]

#: Provider fields people reach for, and what to ask for instead (refused naming the fix).
_REFUSED = {
    "immutable_tags": "tags are immutable (control SUP-1); to let tags move, opt out by name: "
    "mutable_tags=MutableTags(justification=...)",
    "docker_config": "tags are immutable (control SUP-1); to let tags move, opt out by name: "
    "mutable_tags=MutableTags(justification=...)",
    "vulnerability_scanning": "scanning is on (control SUP-1); to turn it off, opt out by name: "
    "scanning_off=ScanningOff(justification=...)",
    "vulnerability_scanning_config": "scanning is on (control SUP-1); to turn it off, opt out by name: "
    "scanning_off=ScanningOff(justification=...)",
    "kms_key_name": "use kms_key=ExistingKey(key=...) or kms_key=CreateKey() (the default)",
}


class MutableTags(BaseModel):
    """An explicit, justified opt-out of immutable tags (tags can then be moved or deleted: a pinned tag may change)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    justification: Justification = Field(description="Why tags must move, who approved it, until when.")


class ScanningOff(BaseModel):
    """An explicit, justified opt-out of vulnerability scanning (`enablement_config=DISABLED`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    justification: Justification = Field(description="Why images go unscanned, who approved it, until when.")


class Cleanup(BaseModel):
    """Cleanup policies: delete untagged versions after a while, always keep the most recent versions."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    delete_untagged_after_days: int = Field(
        default=30,
        ge=1,
        le=3650,
        description="Untagged versions older than this are deleted (DELETE policy).",
    )
    keep_most_recent: int = Field(
        default=10,
        ge=1,
        le=1000,
        description="The most recent versions of each package are kept whatever their age or tags (KEEP policy, "
        "which wins over DELETE).",
    )


class UpstreamCredentials(BaseModel):
    """Credentials of the upstream (e.g. a Docker Hub account, against anonymous pull limits).

    The Artifact Registry service agent needs `roles/secretmanager.secretAccessor` on the secret.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    username: str = Field(min_length=1, max_length=255, description="User name at the upstream.")
    password_secret_version: SecretVersionId = Field(
        description="Secret Manager version holding the password."
    )


class RemoteRepository(BaseModel):
    """A remote repository caching a public upstream, CMEK-encrypted and scanned like the standard one."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    upstream: Literal["docker-hub", "pypi"] = Field(
        description="`docker-hub` (DOCKER, Docker Hub) or `pypi` (PYTHON, PyPI)."
    )
    credentials: UpstreamCredentials | None = Field(
        default=None,
        description="Upstream credentials; default: anonymous (Docker Hub rate-limits anonymous pulls).",
    )


class ContainerRegistryArgs(BaseModel):
    """Inputs of ``ContainerRegistry``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(
        description="Owner and classification, stamped as labels on every repository."
    )
    location: Location = Field(
        description="Repository location: a region (`us-central1`) or a multi-region (`us`, `europe`, `asia`); "
        "the CMEK must be in the same location."
    )
    repository_id: RepositoryId = Field(
        description="Id of the Docker repository (`<location>-docker.pkg.dev/<project>/<repository_id>`); remote "
        "repositories are `<repository_id>-<name>`."
    )
    project: ProjectId | None = Field(
        default=None, description="Project of the repositories; default: the provider's."
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description="CMEK: create a key (default; rotation on; granted to the Artifact Registry service agent) or an "
        "existing key in the repository's location. Set at creation only. Provider default: Google-managed "
        "encryption.",
    )
    cleanup: Cleanup | None = Field(
        default_factory=Cleanup,
        description="Cleanup policies of the Docker repository (`cleanup_policy_dry_run=False`: they delete); None: "
        "keep every version (provider default: no policies).",
    )
    remotes: dict[Slug, RemoteRepository] = Field(
        default_factory=dict,
        max_length=10,
        description='Remote repositories by name (`<repository_id>-<name>`), e.g. `{"dockerhub": '
        'RemoteRepository(upstream="docker-hub")}`: workloads pull upstream images and packages through Artifact '
        "Registry, scanned, never from the internet.",
    )
    access: dict[Slug, Grant[Member, RegistryRole]] = Field(
        default_factory=dict,
        description="Who may pull and push, by name: `read` = `roles/artifactregistry.reader`, `write` = "
        "`roles/artifactregistry.writer` on the Docker repository; both get reader on the remote repositories. IAM "
        "members naming one principal; allUsers, allAuthenticatedUsers, domains, wildcards and default service "
        "accounts are refused.",
    )
    mutable_tags: MutableTags | None = Field(
        default=None,
        description="Opt-out of immutable tags, by name with a justification. Default: `docker_config.immutable_tags="
        "True` (provider default: mutable).",
    )
    scanning_off: ScanningOff | None = Field(
        default=None,
        description="Opt-out of vulnerability scanning, by name with a justification. Default: `INHERITED` (scanned "
        "when the Container Scanning API is on) on every repository (provider default for remote PyPI: DISABLED).",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="Pulumi `protect` and `deletion_policy=PREVENT` on the repositories; None: on (provider "
        "default: DELETE, unprotected); cannot be turned off in production.",
    )
    enable_apis: bool = enable_apis_field(ARTIFACT_REGISTRY_API, CONTAINER_SCANNING_API, KMS_API)

    _refuse_provider_fields = refuse_provider_fields(_REFUSED)

    @model_validator(mode="after")
    def _consistent(self) -> ContainerRegistryArgs:
        check_key_choice(self.kms_key, self.location, self.ownership, "kms_key")
        check_deletion_protection(self.deletion_protection, self.ownership)
        for key in self.remotes:
            rid = self.remote_id(key)
            if len(rid) > 63 or rid.endswith("-"):
                raise ValueError(
                    f"remotes.{key}: the repository id {rid!r} is not valid (63 characters at most, ending in a "
                    "letter or digit); shorten repository_id or the key"
                )
        return self

    def remote_id(self, key: str) -> str:
        return f"{self.repository_id}-{key}"

    def protected(self) -> bool:
        """Whether the repositories carry Pulumi ``protect`` and ``deletion_policy=PREVENT``."""
        return deletion_protected(self.deletion_protection, True)

    def exceptions(self) -> list[tuple[str, str]]:
        """(label-safe name, justification) of every opt-out chosen."""
        found = []
        if self.mutable_tags is not None:
            found.append(("mutable-tags", self.mutable_tags.justification))
        if self.scanning_off is not None:
            found.append(("scanning-off", self.scanning_off.justification))
        return found


class ContainerRegistry(pulumi.ComponentResource):
    """An Artifact Registry Docker repository (immutable tags, CMEK, scanning, cleanup) and remote mirrors.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``key`` (`<name>-cmek`, a ``Key`` when
    ``CreateKey``, granted to the Artifact Registry service agent, which it makes exist first), ``repository`` (`<name>-repository`), ``remote_repositories`` (`<name>-remote-<remote>`),
    ``grants`` (`<name>-grant-<grant>` on the Docker repository, `<name>-remote-<remote>-grant-<grant>` on each
    remote). Outputs: ``repositoryId``, ``repositoryUrl`` (`<location>-docker.pkg.dev/<project>/<id>`),
    ``remoteUrls`` (name -> URL).
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("SUP-1", "DATA-2", "INV-1", "IR-2")

    def __init__(
        self, name: str, args: ContainerRegistryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        apis = [
            ARTIFACT_REGISTRY_API,
            *([CONTAINER_SCANNING_API] if args.scanning_off is None else []),
            *([KMS_API] if isinstance(args.kms_key, CreateKey) else []),
        ]
        self.apis = enable_apis(name, apis, args.project, self) if args.enable_apis else []
        resolved = resolve_key(
            f"{name}-cmek",
            args.kms_key,
            ownership=args.ownership,
            location=args.location,
            project=args.project,
            agents=("artifactregistry",),
            parent=self,
            after=self.apis,
        )
        self.key = resolved.key
        after_key = pulumi.ResourceOptions(
            parent=self, depends_on=[*self.apis, *resolved.depends_on], protect=args.protected()
        )
        #: The registry host that image references of this repository name (an approved registry).
        self.registry_host = f"{args.location}-docker.pkg.dev"
        self.repository = gcp.artifactregistry.Repository(
            f"{name}-repository",
            repository_id=args.repository_id,
            format="DOCKER",
            mode="STANDARD_REPOSITORY",
            docker_config=gcp.artifactregistry.RepositoryDockerConfigArgs(
                immutable_tags=args.mutable_tags is None
            ),
            cleanup_policies=_cleanup_policies(args.cleanup),
            cleanup_policy_dry_run=False,
            description=_description("Docker repository", args),
            **self._common(args, resolved.id),
            opts=after_key,
        )
        self.remote_repositories = {
            key: self._remote_repository(name, key, remote, args, resolved.id, after_key)
            for key, remote in args.remotes.items()
        }
        self.grants: dict[str, gcp.artifactregistry.RepositoryIamMember] = {}
        for grant, g in args.access.items():
            self._grant(f"{name}-grant-{grant}", self.repository, REGISTRY_ROLES[g.role], g.principal)
            for key, remote in self.remote_repositories.items():
                self._grant(f"{name}-remote-{key}-grant-{grant}", remote, READER, g.principal)
        self.repository_url = pulumi.Output.concat(
            self.registry_host, "/", self.repository.project, "/", self.repository.repository_id
        )
        remote_urls = {
            key: _remote_url(args, args.remotes[key], r) for key, r in self.remote_repositories.items()
        }
        self._record(name, args)
        self.register_outputs(
            {
                "repositoryId": self.repository.repository_id,
                "repositoryUrl": self.repository_url,
                "remoteUrls": remote_urls,
            }
        )

    def _common(self, args: ContainerRegistryArgs, key_id: pulumi.Input[str]) -> dict[str, Any]:
        """What every repository of the component sets: location, key, scanning, labels, deletion policy."""
        labels = args.ownership.gcp_labels()
        exceptions = args.exceptions()
        if exceptions:
            labels[v.EXCEPTION] = "_".join(name for name, _ in exceptions)
        return {
            "location": args.location,
            "project": args.project,
            "kms_key_name": key_id,
            "vulnerability_scanning_config": gcp.artifactregistry.RepositoryVulnerabilityScanningConfigArgs(
                enablement_config="DISABLED" if args.scanning_off is not None else "INHERITED"
            ),
            "labels": labels,
            "deletion_policy": "PREVENT" if args.protected() else "DELETE",
        }

    def _remote_repository(
        self,
        name: str,
        key: str,
        remote: RemoteRepository,
        args: ContainerRegistryArgs,
        key_id: pulumi.Input[str],
        opts: pulumi.ResourceOptions,
    ) -> gcp.artifactregistry.Repository:
        repository_format, field, public = UPSTREAMS[remote.upstream]
        upstream: dict[str, Any] = {
            "docker_repository": None,
            "python_repository": None,
        }
        if field == "docker_repository":
            upstream[field] = gcp.artifactregistry.RepositoryRemoteRepositoryConfigDockerRepositoryArgs(
                public_repository=public
            )
        else:
            upstream[field] = gcp.artifactregistry.RepositoryRemoteRepositoryConfigPythonRepositoryArgs(
                public_repository=public
            )
        credentials = None
        if remote.credentials is not None:
            credentials = gcp.artifactregistry.RepositoryRemoteRepositoryConfigUpstreamCredentialsArgs(
                username_password_credentials=gcp.artifactregistry.RepositoryRemoteRepositoryConfigUpstreamCredentialsUsernamePasswordCredentialsArgs(
                    username=remote.credentials.username,
                    password_secret_version=remote.credentials.password_secret_version,
                )
            )
        return gcp.artifactregistry.Repository(
            f"{name}-remote-{key}",
            repository_id=args.remote_id(key),
            format=repository_format,
            mode="REMOTE_REPOSITORY",
            remote_repository_config=gcp.artifactregistry.RepositoryRemoteRepositoryConfigArgs(
                description=f"{remote.upstream} through Artifact Registry",
                upstream_credentials=credentials,
                **upstream,
            ),
            description=_description(f"remote repository caching {remote.upstream}", args),
            **self._common(args, key_id),
            opts=opts,
        )

    def _grant(
        self, resource_name: str, repository: gcp.artifactregistry.Repository, role: str, member: str
    ) -> None:
        self.grants[resource_name] = gcp.artifactregistry.RepositoryIamMember(
            resource_name,
            project=repository.project,
            location=repository.location,
            repository=repository.repository_id,
            role=role,
            member=member,
            opts=pulumi.ResourceOptions(parent=self, depends_on=self.apis),
        )

    def _record(self, name: str, args: ContainerRegistryArgs) -> None:
        identities = tuple(principals(args.access))
        record_asset(
            AssetRecord(
                name=f"{name}-repository",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=identities,
                credentials_to_revoke=identities,
                logs_to_preserve=(
                    "Cloud Audit Logs (artifactregistry.googleapis.com) of the repository's project: admin activity; "
                    "pulls and pushes with Data Access logs on",
                    "Artifact Analysis vulnerability occurrences (containeranalysis.googleapis.com) of the images",
                ),
                containment="Remove the repositories' IAM grants (pushes and pulls stop); keep the images (their "
                "digests are evidence); disable the CMEK key version to make every image unreadable at once.",
            )
        )


def _cleanup_policies(cleanup: Cleanup | None) -> list[gcp.artifactregistry.RepositoryCleanupPolicyArgs]:
    if cleanup is None:
        return []
    return [
        gcp.artifactregistry.RepositoryCleanupPolicyArgs(
            id="delete-untagged",
            action="DELETE",
            condition=gcp.artifactregistry.RepositoryCleanupPolicyConditionArgs(
                tag_state="UNTAGGED", older_than=f"{cleanup.delete_untagged_after_days * _DAY}s"
            ),
        ),
        gcp.artifactregistry.RepositoryCleanupPolicyArgs(
            id="keep-most-recent",
            action="KEEP",
            most_recent_versions=gcp.artifactregistry.RepositoryCleanupPolicyMostRecentVersionsArgs(
                keep_count=cleanup.keep_most_recent
            ),
        ),
    ]


def _description(what: str, args: ContainerRegistryArgs) -> str:
    """The repository description; the justification of each opt-out lands here."""
    text = f"aiwarden ContainerRegistry: {what}"
    for name, justification in args.exceptions():
        text += f". Exception {name}: {justification}"
    return text


def _remote_url(
    args: ContainerRegistryArgs, remote: RemoteRepository, repository: gcp.artifactregistry.Repository
) -> pulumi.Output[str]:
    if remote.upstream == "pypi":
        return pulumi.Output.concat(
            f"https://{args.location}-python.pkg.dev/",
            repository.project,
            "/",
            repository.repository_id,
            "/simple/",
        )
    return pulumi.Output.concat(
        f"{args.location}-docker.pkg.dev/", repository.project, "/", repository.repository_id
    )
