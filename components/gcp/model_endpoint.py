"""ModelEndpoint: a Vertex AI endpoint reachable privately only, under CMEK, invoked by named principals only.

The endpoint is published over Private Service Connect (default; the projects allowed to connect are
named) or peered with a VPC network; a public endpoint is asked for by name, with a justification, and
never holds restricted production data. Request/response logging, when asked for, writes to a BigQuery
dataset under the same key. Callers get a custom role holding ``aiplatform.endpoints.predict`` only (or
``roles/aiplatform.user``), bound on this endpoint.

pulumi-gcp 10.2.0 has no resource that uploads a custom model or deploys it to an ``AiEndpoint``
(``AiEndpointWithModelGardenDeployment`` deploys Model Garden / Hugging Face models onto an endpoint of
its own): the model container is an ``ImageRef`` pinned by digest from Artifact Registry, carried in the
endpoint's description, the outputs and the inventory, and deployed with the commands of the output
``deployCommands`` (``gcloud ai models upload`` / ``gcloud ai endpoints deploy-model``).
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import assets, images, vocabulary as v
from components._common import (
    AssetRecord,
    CreateKey,
    GcpNetwork,
    Grant,
    KeyChoice,
    Ownership,
    PublicAccess,
    record_asset,
)
from components._common.access import principals
from components._common.image import ImageRef
from components._common.inventory import asset_kind
from components._common.network import PSC_FIELDS, network_project
from components._common.ownership import Slug
from components._common.protection import check_deletion_protection, deletion_protected
from components._common.provider_fields import refuse_provider_fields
from components.gcp._key_choice import check_key_choice, resolve_key
from components.gcp._principals import Member, ProjectId, Region
from components.gcp._project import (
    KMS_API,
    Agent,
    Project,
    enable_apis,
    enable_apis_field,
    lookup,
    service_agent,
)
from components.gcp.key import Key, KeyRole

TYPE = "aiwarden:gcp:ModelEndpoint"
KIND = asset_kind(assets.MODEL_ENDPOINT)
AIPLATFORM_API = "aiplatform.googleapis.com"
BIGQUERY_API = "bigquery.googleapis.com"
#: The one permission callers need: predict, rawPredict, streamRawPredict, serverStreamingPredict on the endpoint.
PREDICT = "aiplatform.endpoints.predict"
AIPLATFORM_USER = "roles/aiplatform.user"
DATA_EDITOR = "roles/bigquery.dataEditor"
#: The table Vertex AI creates in the logging dataset (it must not exist beforehand).
LOG_TABLE = "request_response_logging"
#: BigQuery's encryption service account (uses the dataset's CMEK), per project number.
BIGQUERY_AGENT = "bq-{number}@bigquery-encryption.iam.gserviceaccount.com"
#: Registry hosts Vertex AI pulls custom containers from: Artifact Registry (and gcr.io, which it serves).
ARTIFACT_REGISTRY_HOSTS = ("*-docker.pkg.dev", "gcr.io", "*.gcr.io")
#: The roles ``access`` accepts: ``invoke`` (the invoker role on this endpoint).
InvokeRole = Literal["invoke"]

EndpointId = Annotated[
    str,
    Field(
        pattern=r"^[1-9][0-9]{0,8}$",
        description="Numeric endpoint id: 1-9 digits, no leading zero (the API's numeric form; the provider "
        "requires a numeric `name`).",
    ),
]
DatasetId = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9_]{1,1024}$", description="BigQuery dataset id: letters, digits, underscores."
    ),
]
TableRef = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]\.[A-Za-z0-9_]{1,1024}\.[A-Za-z0-9_]{1,1024}$",
        description="A BigQuery table, `<project>.<dataset>.<table>`.",
    ),
]
CustomRoleId = Annotated[
    str,
    Field(
        pattern=r"^[a-zA-Z0-9_.]{3,64}$",
        description="Custom role id: 3-64 letters, digits, `_`, `.` (no `-`), unique in the project.",
    ),
]
DisplayName = Annotated[str, Field(min_length=1, max_length=128, description="1-128 characters.")]

#: Provider fields people reach for, and what to ask for instead (refused naming the fix).
_REFUSED = {
    "private_service_connect_config": "Private Service Connect is the default (connectivity="
    "'private-service-connect'); name consumers and allowed projects in network=GcpNetwork(...)",
    "enable_private_service_connect": "Private Service Connect is the default (connectivity="
    "'private-service-connect')",
    "public_endpoint_enabled": "the endpoint is private; to make it public, opt in by name: "
    "public_access=PublicAccess(justification=...)",
    "encryption_spec": "use kms_key=ExistingKey(key=...) or kms_key=CreateKey() (the default)",
    "kms_key_name": "use kms_key=ExistingKey(key=...) or kms_key=CreateKey() (the default)",
    "predict_request_response_logging_config": "use request_logging=RequestLogging(...)",
    "name": "use endpoint_id (numeric) and display_name",
    "members": "name each caller in access={name: Grant(principal=..., role='invoke')}",
}


class CreateLogDataset(BaseModel):
    """Create the BigQuery dataset the logs go to, in the endpoint's region, under the endpoint's key; Vertex AI
    creates the table `request_response_logging` in it on the first logged request."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["create"] = "create"
    dataset_id: DatasetId | None = Field(
        default=None,
        description="Dataset id; default: the component name with `_` for `-`, then `_predictions` (unique per "
        "project).",
    )


class ExistingLogTable(BaseModel):
    """Log to a table of an existing dataset: the dataset must exist (CMEK, in the endpoint's region, writable by
    the Vertex AI service agent), the table must not (Vertex AI creates it)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["existing"] = "existing"
    table: TableRef = Field(description="`<project>.<dataset>.<table>`; the table must not exist yet.")


LogDestination = Annotated[CreateLogDataset | ExistingLogTable, Field(discriminator="kind")]


class RequestLogging(BaseModel):
    """Request/response logging of online predictions to BigQuery (the payloads: prompts and answers)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    sampling_rate: float = Field(
        default=1.0,
        gt=0.0,
        le=1.0,
        description="Share of requests logged, (0, 1] (default 1.0: every request; provider: no default).",
    )
    destination: LogDestination = Field(
        default_factory=CreateLogDataset,
        description="A dataset the component creates (default) or a table of an existing dataset.",
    )


def _artifact_registry(value: Any) -> Any:
    """Vertex AI runs custom containers from Artifact Registry only (not Docker Hub, not ECR)."""
    if isinstance(value, str):
        host, repository, _, _ = images.split(value)
        if not images.approved(host, repository, ARTIFACT_REGISTRY_HOSTS):
            raise ValueError(
                f"image: {value!r} is in {host!r}; Vertex AI pulls custom containers from Artifact Registry only: "
                "push the image to a ContainerRegistry repository (`<region>-docker.pkg.dev/<project>/<repo>`) "
                "and pin its digest"
            )
    return value


class ModelEndpointArgs(BaseModel):
    """Inputs of ``ModelEndpoint``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, arbitrary_types_allowed=True)

    ownership: Ownership = Field(
        description="Owner and classification, stamped as labels on the endpoint and the dataset."
    )
    region: Region = Field(description="Vertex AI region of the endpoint, the key and the logging dataset.")
    project: ProjectId | None = Field(default=None, description="Project; default: the provider's.")
    image: ImageRef = Field(
        description="The model's serving container: `<region>-docker.pkg.dev/<project>/<repo>/<image>@sha256:<64 "
        "hex>` (a tag may stay before the digest), from the stack's approved registries and Artifact Registry "
        "(the only registry Vertex AI pulls custom containers from); a `pulumi.Output` passes through. Recorded "
        "in the description, the outputs and the inventory; deployed with `deployCommands`."
    )
    endpoint_id: EndpointId | None = Field(
        default=None,
        description="Numeric endpoint id; default: 9 digits derived from the Pulumi project, stack and component "
        "name (stable across updates). Provider auto-naming would make a non-numeric name the API refuses.",
    )
    display_name: DisplayName | None = Field(default=None, description="Display name; default: the name.")
    connectivity: Literal["private-service-connect", "vpc-peering"] = Field(
        default="private-service-connect",
        description="How clients reach the endpoint: Private Service Connect (default; "
        "`private_service_connect_config.enable_private_service_connect=True` with a project allowlist) or VPC "
        "peering (`network`, needs `network`). Provider default: neither, a public endpoint.",
    )
    network: GcpNetwork | None = Field(
        default=None,
        description="PSC: the consumer VPC where Vertex AI creates the PSC endpoint (PSC automation; also in "
        "`psc_consumers`) and the projects allowed to connect (`psc_allowed_projects`; default: only the "
        "endpoint's project, plus each automated endpoint's projects); None: PSC on, endpoints created by the "
        "consumers. VPC peering: the peered network (private services access configured). No `subnetwork`.",
    )
    public_access: PublicAccess | None = Field(
        default=None,
        description="Opt-in to a public endpoint (neither PSC nor peering), with a justification (label "
        "`aiwarden-exception=public-endpoint`, endpoint description); no `cidrs` (Vertex AI endpoints take no "
        "source ranges); refused for restricted data in production. EP-1 still reports it until it is exempted "
        "by name in the pack configuration.",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description="CMEK of the endpoint (`encryption_spec`) and the logging dataset: create a key (default; the "
        "Vertex AI service agent is made to exist and granted first, BigQuery's encryption account too when a "
        "dataset is created) or an existing key in the endpoint's region (its owner grants both). Set at creation "
        "only. Provider default: Google-managed keys.",
    )
    request_logging: RequestLogging | None = Field(
        default=None,
        description="Log requests and responses to BigQuery (`predict_request_response_logging_config`); default "
        "none (provider default: off). Payloads are prompts and answers: the dataset is CMEK-encrypted and "
        "deletion protected.",
    )
    access: dict[Slug, Grant[Member, InvokeRole]] = Field(
        default_factory=dict,
        description="Who may call the endpoint, by name: `invoke` = the invoker role (`invoker_role`) on this "
        "endpoint only. IAM members naming one principal; allUsers, allAuthenticatedUsers, domains, wildcards "
        "and default service accounts are refused.",
    )
    invoker_role: Literal["custom", "aiplatform-user"] = Field(
        default="custom",
        description="`custom`: a project custom role with `aiplatform.endpoints.predict` only (default); "
        "`aiplatform-user`: `roles/aiplatform.user` (on the endpoint it also allows deploying and undeploying "
        "models).",
    )
    custom_role_id: CustomRoleId | None = Field(
        default=None,
        description="Id of the custom invoker role; default: `aiwarden_<name with _ for ->_invoker`. A deleted "
        "role id stays reserved for up to 37 days.",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="Pulumi `protect` and `deletion_policy=PREVENT` on the endpoint, the dataset and the custom "
        "role; None: on (provider default: DELETE, unprotected); cannot be turned off in production.",
    )
    enable_apis: bool = enable_apis_field(AIPLATFORM_API, KMS_API, BIGQUERY_API)

    _refuse_provider_fields = refuse_provider_fields(_REFUSED)

    @model_validator(mode="after")
    def _consistent(self) -> ModelEndpointArgs:
        check_key_choice(self.kms_key, self.region, self.ownership, "kms_key")
        check_deletion_protection(self.deletion_protection, self.ownership)
        _artifact_registry(self.image)
        network = self.network
        if network is not None:
            network.refuse_unused("network", "a Vertex AI endpoint", "subnetwork")
        if self.public_access is not None:
            self._check_public()
        elif self.connectivity == "vpc-peering":
            if network is None:
                raise ValueError(
                    "network: VPC peering needs the network to peer with; set network=GcpNetwork(network=...) or "
                    "use connectivity='private-service-connect'"
                )
            network.refuse_unused("network", "VPC peering", *PSC_FIELDS)
        if self.custom_role_id is not None and (self.invoker_role != "custom" or not self.access):
            raise ValueError(
                "custom_role_id: the custom role is created only with invoker_role='custom' and at least one "
                "access grant; remove custom_role_id"
            )
        return self

    def _check_public(self) -> None:
        o = self.ownership
        if o.environment == "production" and o.data_classification == "restricted":
            raise ValueError(
                "public_access: restricted data in production is never served from a public endpoint (EP-1); "
                "remove public_access (Private Service Connect is the default)"
            )
        if self.public_access is not None and self.public_access.cidrs:
            raise ValueError(
                "public_access.cidrs: a Vertex AI public endpoint takes no source ranges; remove cidrs (callers "
                "are limited by IAM only: access)"
            )
        if self.network is not None or "connectivity" in self.model_fields_set:
            raise ValueError(
                "public_access: a public endpoint is neither peered nor published over Private Service Connect; "
                "remove network and connectivity, or remove public_access"
            )

    @property
    def public(self) -> bool:
        return self.public_access is not None

    def protected(self) -> bool:
        return deletion_protected(self.deletion_protection, True)

    def allowlist(self, own_project: str) -> list[str]:
        """Projects allowed to connect over PSC: ``psc_allowed_projects`` (default: ``own_project``), then the
        projects of every automated endpoint (its network's, e.g. a Shared VPC host, and its forwarding rule's)."""
        network = self.network
        if network is None:
            return [own_project]
        endpoints = [p for net, rule in network.psc_endpoints() for p in (network_project(net), rule)]
        return list(dict.fromkeys([*(network.psc_allowed_projects or (own_project,)), *endpoints]))

    def apis(self) -> list[str]:
        creates_dataset = self.request_logging is not None and isinstance(
            self.request_logging.destination, CreateLogDataset
        )
        return [
            AIPLATFORM_API,
            *([KMS_API] if isinstance(self.kms_key, CreateKey) else []),
            *([BIGQUERY_API] if creates_dataset else []),
        ]


def default_endpoint_id(name: str) -> str:
    """9 digits, no leading zero, from the Pulumi project, stack and component name (stable across updates)."""
    seed = f"{pulumi.get_project()}/{pulumi.get_stack()}/{name}".encode()
    return str(100_000_000 + int(hashlib.sha256(seed).hexdigest(), 16) % 900_000_000)


def _identifier(field_name: str, default: str, pattern: str, fix: str) -> str:
    """``default`` (an id derived from the component name) if it matches ``pattern``, else ``ValueError``."""
    if not re.match(pattern, default):
        raise ValueError(
            f"{field_name}: the default {default!r} (from the component name) is not valid; set {field_name}={fix}"
        )
    return default


class ModelEndpoint(pulumi.ComponentResource):
    """A private (PSC or peered), CMEK-encrypted Vertex AI endpoint, optionally logging requests to BigQuery.

    Children: ``apis`` (`<name>-api-<service>`, with ``enable_apis``), ``key`` (`<name>-cmek`, a ``Key`` when
    ``CreateKey``: the Vertex AI service agent made to exist and granted, and BigQuery's encryption account when a
    dataset is created), ``identity`` (`<name>-aiplatform-identity`, with an existing key and a created dataset),
    ``dataset`` (`<name>-logs`) and ``dataset_grant`` (`<name>-logs-writer`, the Vertex AI service agent) with
    ``request_logging`` and ``CreateLogDataset``, ``endpoint`` (`<name>-endpoint`), ``invoker_role``
    (`<name>-invoker`, with ``invoker_role='custom'`` and grants), ``grants`` (`<name>-grant-<grant>`).
    Outputs: ``endpointId`` (numeric), ``endpointName`` (`projects/.../locations/.../endpoints/<id>`), ``image``,
    ``invokerRole``, ``loggingTable`` (`bq://...`, or None), ``deployCommands``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("EP-1", "EP-2", "SUP-2", "DATA-2", "LOG-2", "INV-1", "IR-2")

    def __init__(
        self, name: str, args: ModelEndpointArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        role_id = self._role_id(name, args)
        dataset_id = self._dataset_id(name, args)
        endpoint_id = args.endpoint_id or default_endpoint_id(name)
        super().__init__(TYPE, name, None, opts)
        project = lookup(args.project)
        self.apis = enable_apis(name, args.apis(), args.project, self) if args.enable_apis else []
        key_id, key_deps = self._key(name, args, project, dataset_id is not None)
        protect = args.protected()
        deletion_policy = "PREVENT" if protect else "DELETE"
        labels = args.ownership.gcp_labels()
        if args.public:
            labels[v.EXCEPTION] = "public-endpoint"
        self.identity: pulumi.Resource | None = None
        self.dataset: gcp.bigquery.Dataset | None = None
        self.dataset_grant: gcp.bigquery.DatasetIamMember | None = None
        logging_deps: list[pulumi.Resource] = []
        if dataset_id is not None:
            agent = self._aiplatform_agent(name, args, project)
            self.dataset = gcp.bigquery.Dataset(
                f"{name}-logs",
                dataset_id=dataset_id,
                project=args.project,
                location=args.region,
                friendly_name=f"{name} request/response logs",
                description=f"aiwarden ModelEndpoint {name}: Vertex AI request/response logs (prompts and answers)",
                default_encryption_configuration=gcp.bigquery.DatasetDefaultEncryptionConfigurationArgs(
                    kms_key_name=key_id
                ),
                delete_contents_on_destroy=False,
                deletion_policy=deletion_policy,
                labels=args.ownership.gcp_labels(),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[*self.apis, *key_deps], protect=protect),
            )
            self.dataset_grant = gcp.bigquery.DatasetIamMember(
                f"{name}-logs-writer",
                project=self.dataset.project,
                dataset_id=self.dataset.dataset_id,
                role=DATA_EDITOR,
                member=agent.member,
                opts=pulumi.ResourceOptions(parent=self, depends_on=agent.depends_on),
            )
            logging_deps = [self.dataset, self.dataset_grant]
        self.logging_table = self._logging_table(args, dataset_id)
        self.endpoint = gcp.vertex.AiEndpoint(
            f"{name}-endpoint",
            name=endpoint_id,
            display_name=args.display_name or name,
            description=_description(name, args),
            location=args.region,
            region=args.region,
            project=args.project,
            network=self._peered_network(args),
            private_service_connect_config=self._psc(args, project),
            encryption_spec=gcp.vertex.AiEndpointEncryptionSpecArgs(kms_key_name=key_id),
            predict_request_response_logging_config=self._logging(args),
            deletion_policy=deletion_policy,
            labels=labels,
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[*self.apis, *key_deps, *logging_deps], protect=protect
            ),
        )
        self.invoker_role: gcp.projects.IAMCustomRole | None = None
        role: pulumi.Input[str] = AIPLATFORM_USER
        if args.access and role_id is not None:
            self.invoker_role = gcp.projects.IAMCustomRole(
                f"{name}-invoker",
                role_id=role_id,
                project=args.project,
                title=f"{name} invoker"[:100],
                description=f"aiwarden ModelEndpoint {name}: call the endpoint (predict) and nothing else",
                permissions=[PREDICT],
                stage="GA",
                deletion_policy=deletion_policy,
                opts=pulumi.ResourceOptions(parent=self, depends_on=self.apis, protect=protect),
            )
            role = pulumi.Output.concat(
                "projects/", self.invoker_role.project, "/roles/", self.invoker_role.role_id
            )
        self.grants = {
            grant: gcp.vertex.AiEndpointIamMember(
                f"{name}-grant-{grant}",
                project=self.endpoint.project,
                location=args.region,
                endpoint=self.endpoint.name,
                role=role,
                member=g.principal,
                opts=pulumi.ResourceOptions(parent=self),
            )
            for grant, g in args.access.items()
        }
        self.invoker_role_name: pulumi.Input[str] | None = role if args.access else None
        self.deploy_commands = _deploy_commands(name, args, project, endpoint_id)
        self._record(name, args, project)
        self.register_outputs(
            {
                "endpointId": self.endpoint.name,
                "endpointName": self.endpoint.id,
                "image": args.image,
                "invokerRole": self.invoker_role_name,
                "loggingTable": self.logging_table,
                "deployCommands": self.deploy_commands,
            }
        )

    @staticmethod
    def _role_id(name: str, args: ModelEndpointArgs) -> str | None:
        """The custom role's id (checked before anything registers), or None when no custom role is created."""
        if args.invoker_role != "custom" or not args.access:
            return None
        if args.custom_role_id is not None:
            return args.custom_role_id
        return _identifier(
            "custom_role_id",
            f"aiwarden_{name.replace('-', '_')}_invoker",
            r"^[a-zA-Z0-9_.]{3,64}$",
            "'<letters, digits, _ or .>'",
        )

    @staticmethod
    def _dataset_id(name: str, args: ModelEndpointArgs) -> str | None:
        """The id of the logging dataset to create (checked before anything registers), or None."""
        logging = args.request_logging
        if logging is None or not isinstance(logging.destination, CreateLogDataset):
            return None
        if logging.destination.dataset_id is not None:
            return logging.destination.dataset_id
        return _identifier(
            "request_logging.destination.dataset_id",
            f"{name.replace('-', '_')}_predictions",
            r"^[A-Za-z0-9_]{1,1024}$",
            "'<letters, digits, underscores>'",
        )

    def _key(
        self, name: str, args: ModelEndpointArgs, project: Project, creates_dataset: bool
    ) -> tuple[pulumi.Input[str], list[pulumi.Resource]]:
        """The CMEK: an existing key passed through, or a ``Key`` the Vertex AI service agent (and BigQuery's
        encryption account, for a created dataset) may use, whose grants everything waits for."""
        access: dict[str, Grant[Member, KeyRole]] = {}
        if creates_dataset and isinstance(args.kms_key, CreateKey):
            bigquery = f"serviceAccount:{self._bigquery_agent(args, project)}"
            access["bigquery"] = Grant[Member, KeyRole](principal=bigquery, role="use")
        resolved = resolve_key(
            f"{name}-cmek",
            args.kms_key,
            ownership=args.ownership,
            location=args.region,
            project=args.project,
            agents=("aiplatform",),
            parent=self,
            after=self.apis,
            access=access,
        )
        self.key: Key | None = resolved.key
        return resolved.id, resolved.depends_on

    def _bigquery_agent(self, args: ModelEndpointArgs, project: Project) -> str:
        """BigQuery's encryption service account: the data source makes it exist (BigQuery creates it on the first
        read); its e-mail has the documented per-project-number form."""
        found = gcp.bigquery.get_default_service_account(
            project=args.project, opts=pulumi.InvokeOptions(parent=self)
        )
        email: str = found.email or BIGQUERY_AGENT.format(number=project.number)
        return email

    def _aiplatform_agent(self, name: str, args: ModelEndpointArgs, project: Project) -> Agent:
        """The Vertex AI service agent, which writes the logs: made to exist by the key (``CreateKey``), else here."""
        if self.key is not None:
            return Agent(
                member=f"serviceAccount:{project.agent('aiplatform')}", depends_on=self.key.identities
            )
        agent = service_agent(name, "aiplatform", project, args.project, self, self.apis)
        self.identity = next(iter(agent.depends_on), None)
        return agent

    @staticmethod
    def _peered_network(args: ModelEndpointArgs) -> str | None:
        """`projects/<number>/global/networks/<name>`: the API takes the network's project by number."""
        if args.public or args.connectivity != "vpc-peering" or args.network is None:
            return None
        _, host, _, _, network = args.network.network.split("/")
        number = host if host.isdigit() else lookup(host).number
        return f"projects/{number}/global/networks/{network}"

    @staticmethod
    def _psc(
        args: ModelEndpointArgs, project: Project
    ) -> gcp.vertex.AiEndpointPrivateServiceConnectConfigArgs | None:
        if args.public or args.connectivity != "private-service-connect":
            return None
        network = args.network
        return gcp.vertex.AiEndpointPrivateServiceConnectConfigArgs(
            enable_private_service_connect=True,
            project_allowlists=args.allowlist(project.id),
            psc_automation_configs=[
                gcp.vertex.AiEndpointPrivateServiceConnectConfigPscAutomationConfigArgs(
                    network=consumer_network, project_id=consumer_project
                )
                for consumer_network, consumer_project in (network.psc_endpoints() if network else [])
            ]
            or None,
        )

    def _logging_table(self, args: ModelEndpointArgs, dataset_id: str | None) -> pulumi.Input[str] | None:
        """The `bq://` URI the logs go to: a table of an existing dataset, or Vertex AI's table in the one created."""
        logging = args.request_logging
        if logging is None:
            return None
        if isinstance(logging.destination, ExistingLogTable):
            return f"bq://{logging.destination.table}"
        assert self.dataset is not None and dataset_id is not None
        return pulumi.Output.concat(
            "bq://", self.dataset.project, ".", self.dataset.dataset_id, f".{LOG_TABLE}"
        )

    def _logging(
        self, args: ModelEndpointArgs
    ) -> gcp.vertex.AiEndpointPredictRequestResponseLoggingConfigArgs | None:
        if args.request_logging is None or self.logging_table is None:
            return None
        return gcp.vertex.AiEndpointPredictRequestResponseLoggingConfigArgs(
            enabled=True,
            sampling_rate=args.request_logging.sampling_rate,
            bigquery_destination=gcp.vertex.AiEndpointPredictRequestResponseLoggingConfigBigqueryDestinationArgs(
                output_uri=self.logging_table
            ),
        )

    def _record(self, name: str, args: ModelEndpointArgs, project: Project) -> None:
        """Identities: the Vertex AI service agent (it uses the key, pulls the image, writes the logs), then the
        callers; the callers are what a responder revokes."""
        callers = tuple(principals(args.access, "invoke"))
        logs: list[Any] = [
            "Cloud Audit Logs Data Access (aiplatform.googleapis.com) of the project: every predict call and caller",
            "Cloud Logging: the deployed model's access and container logs (deploy with --enable-access-logging)",
        ]
        if self.logging_table is not None:
            logs.insert(0, self.logging_table)
        image = args.image if isinstance(args.image, str) else "the image in the endpoint's description"
        record_asset(
            AssetRecord(
                name=f"{name}-endpoint",
                kind=KIND,
                ownership=args.ownership,
                exposure="public" if args.public else "private",
                identities=(f"serviceAccount:{project.agent('aiplatform')}", *callers),
                credentials_to_revoke=callers,
                endpoints_to_disable=(self.endpoint.id,),
                logs_to_preserve=tuple(logs),
                containment=f"Remove the endpoint's IAM grants (callers lose predict at once); undeploy the model "
                f"(`gcloud ai endpoints undeploy-model`), keeping {image} as evidence of what served; disable the "
                "CMEK key version to make the endpoint and its logs unreadable.",
            )
        )


def _description(name: str, args: ModelEndpointArgs) -> pulumi.Output[str]:
    """The endpoint description: what it serves; the justification of a public endpoint lands here."""
    suffix = ""
    if args.public_access is not None:
        suffix = f". Exception public-endpoint: {args.public_access.justification}"
    return pulumi.Output.concat(f"aiwarden ModelEndpoint {name}: serves ", args.image, suffix)


def _deploy_commands(
    name: str, args: ModelEndpointArgs, project: Project, endpoint_id: str
) -> pulumi.Output[list[str]]:
    """The model upload and deployment the provider has no resource for, with the pinned image."""
    where = f"--project={project.id} --region={args.region}"

    def commands(image: str) -> list[str]:
        return [
            f"gcloud ai models upload {where} --display-name={name} --container-image-uri={image}",
            f"gcloud ai endpoints deploy-model {endpoint_id} {where} --model=<MODEL_ID printed by the upload> "
            f"--display-name={name} --enable-access-logging --service-account=<dedicated serving account e-mail>",
        ]

    return pulumi.Output.from_input(args.image).apply(commands)
