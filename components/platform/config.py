"""Stack configuration of the platform program, validated before any resource registers.

``PlatformConfig`` is a union discriminated by ``aiwarden:cloud``: ``AwsPlatformConfig``,
``GcpPlatformConfig`` or ``K8sPlatformConfig`` (a Kubernetes-only stack on an existing cluster), each with
only the keys its target takes, so that "AWS only" and "required on GCP" are the models themselves. The
sections are in ``components.platform.sections`` (camelCase keys, unknown keys refused, every field
described). The JSON Schema of the union is generated into ``docs/schema/stack-config.schema.json`` and
referenced from every stack file (``# yaml-language-server: $schema=...``).

Every error names the ``aiwarden:`` key it is about and the fix
(``aiwarden:datasets.transactions.access.training.principal: ...``; an unknown key names the closest valid one,
a missing key says what it is, a key of another target says so); the program prefixes the stack file
(``stacks/Pulumi.<stack>.yaml: invalid stack config: ...``).

Sections: ``environment``, ``cloud``, ``ownership`` (stamped on every resource); AWS and GCP: ``datasets`` (a
locked bucket each, with its ``access`` grants), ``vectorStore``, ``providerSecrets`` (a secret each, read by
the principals of its ``access``; values are put out of band, never in config), ``audit``, ``spend``, and the
optional compute sections ``network``, ``registry``, ``gpu``, ``modelEndpoint``, ``notebook`` (AWS also
``bedrock``); Kubernetes: ``namespace``, ``inferenceService``, ``externalSecrets``. Grants are the components'
shape (``{principal, role}``, ``components._common.access``). ``aiwarden:vocabulary``,
``aiwarden:approvedRegistries`` and the GPU ceilings are not platform sections: components read them themselves.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import pulumi
import yaml
from pydantic import BaseModel, Field, TypeAdapter, ValidationError, model_validator
from pydantic.alias_generators import to_camel
from pydantic.fields import FieldInfo

from aiwarden_policies.contract import STACK_CONFIG_KEYS
from components._common.ownership import Environment, Ownership
from components.platform.sections.aws import (
    AwsAuditSettings,
    AwsBedrockConfig,
    AwsDatasetConfig,
    AwsGpuConfig,
    AwsModelEndpointConfig,
    AwsNetworkConfig,
    AwsNotebookConfig,
    AwsPrivateNetworkConfig,
    AwsProviderSecretConfig,
    AwsRegistryConfig,
    AwsSpendConfig,
    AwsVectorStoreConfig,
)
from components.platform.sections.common import CAMEL, NAMESPACE, Name, OwnershipConfig
from components.platform.sections.gcp import (
    GcpAuditSettings,
    GcpDatasetConfig,
    GcpGpuConfig,
    GcpModelEndpointConfig,
    GcpNetworkConfig,
    GcpNotebookConfig,
    GcpPrivateNetworkConfig,
    GcpProviderSecretConfig,
    GcpRegistryConfig,
    GcpSpendConfig,
    GcpVectorStoreConfig,
)
from components.platform.sections.k8s import (
    K8sExternalSecretConfig,
    K8sInferenceServiceConfig,
    K8sNamespaceConfig,
)

__all__ = [
    "ADAPTER",
    "CLOUDS",
    "MODELS",
    "NAMESPACE",
    "SECTIONS",
    "AwsDatasetConfig",
    "AwsNetworkConfig",
    "AwsPlatformConfig",
    "AwsProviderSecretConfig",
    "AwsVectorStoreConfig",
    "GcpDatasetConfig",
    "GcpNetworkConfig",
    "GcpPlatformConfig",
    "GcpProviderSecretConfig",
    "GcpVectorStoreConfig",
    "K8sPlatformConfig",
    "PlatformConfig",
    "StackConfigError",
    "component_args",
    "load_config",
    "stack_file",
    "validate",
]

M = TypeVar("M", bound=BaseModel)
#: The grant name under which the platform lets the notebook's identity (AWS role, GCP service account) use a
#: dataset or a secret.
PLATFORM_GRANT_NOTEBOOK = "notebook"
CLOUDS = ("aws", "gcp", "k8s")
#: Component names the platform uses itself (GPU pools are ``gpu-<pool>``); datasets and secrets may not take them.
RESERVED_NAMES = frozenset(
    {
        "audit",
        "spend",
        "vector-store",
        "network",
        "registry",
        "gpu-cluster",
        "model-endpoint",
        "model-endpoint-captures",
        "notebook",
        "bedrock",
        "bedrock-logs",
    }
)


class _PlatformConfig(BaseModel):
    """What every target's stack config has: environment and ownership."""

    model_config = CAMEL
    environment: Environment = Field(description="production, staging or sandbox (aliases folded).")
    ownership: OwnershipConfig = Field(description="Inventory metadata stamped on every resource.")

    def ownership_model(self, classification: str | None = None) -> Ownership:
        return _ownership(self.environment, self.ownership, classification)


class _CloudPlatformConfig(_PlatformConfig):
    """AWS and GCP: names unique across sections; compute sections in the platform network."""

    @model_validator(mode="after")
    def _names(self) -> _CloudPlatformConfig:
        # the sections are declared by each cloud's model, with its own types
        datasets: dict[str, Any] = getattr(self, "datasets")  # noqa: B009
        secrets: dict[str, Any] = getattr(self, "provider_secrets")  # noqa: B009
        gpu: AwsGpuConfig | GcpGpuConfig | None = getattr(self, "gpu")  # noqa: B009
        pools = {f"gpu-{pool}": f"gpu.pools.{pool}" for pool in (gpu.pools if gpu else {})}
        if "gpu-cluster" in pools:
            raise ValueError(
                "gpu.pools.cluster: `gpu-cluster` is the cluster's name; name the pool after its GPUs"
            )
        _check_names(datasets, secrets, pools)
        notebook: AwsNotebookConfig | GcpNotebookConfig | None = getattr(self, "notebook")  # noqa: B009
        if notebook is not None:
            _check_notebook_grants(notebook, datasets, secrets)
        if getattr(self, "network") is None:  # noqa: B009
            for key in ("gpu", "model_endpoint", "notebook"):
                if getattr(self, key) is not None:
                    raise ValueError(
                        f"{to_camel(key)}: runs in the platform's private network; add aiwarden:network"
                    )
        return self


class AwsPlatformConfig(_CloudPlatformConfig):
    """``aiwarden:*`` stack config of an AWS stack (``aiwarden:cloud: aws``)."""

    cloud: Literal["aws"] = Field(description="Target of the stack.")
    datasets: dict[Name, AwsDatasetConfig] = Field(
        default_factory=dict, description="Datasets by name: a locked S3 bucket each."
    )
    vector_store: AwsVectorStoreConfig | None = Field(
        default=None, alias="vectorStore", description="Optional OpenSearch Serverless vector collection."
    )
    provider_secrets: dict[Name, AwsProviderSecretConfig] = Field(
        default_factory=dict,
        alias="providerSecrets",
        description="Provider / tool credentials by name: a Secrets Manager secret each, values set out of band.",
    )
    audit: AwsAuditSettings = Field(
        default_factory=AwsAuditSettings, description="The CloudTrail trail, always created."
    )
    spend: AwsSpendConfig = Field(description="Budget and anomaly alerts, always created.")
    network: AwsPrivateNetworkConfig | None = Field(
        default=None, description="Optional private network (`PrivateNetwork`) the compute sections run in."
    )
    registry: AwsRegistryConfig | None = Field(
        default=None, description="Optional ECR repository (`ContainerRegistry`) of the stack's images."
    )
    gpu: AwsGpuConfig | None = Field(
        default=None,
        description="Optional private EKS cluster and GPU node pools (`GpuCluster`, `GpuNodePool`).",
    )
    model_endpoint: AwsModelEndpointConfig | None = Field(
        default=None, description="Optional SageMaker endpoint behind a private API (`ModelEndpoint`)."
    )
    notebook: AwsNotebookConfig | None = Field(
        default=None, description="Optional SageMaker notebook (`ManagedNotebook`)."
    )
    bedrock: AwsBedrockConfig | None = Field(
        default=None, description="Optional Bedrock models, callers, guardrail and logging (`BedrockAccess`)."
    )

    @model_validator(mode="after")
    def _wired(self) -> AwsPlatformConfig:
        metered = [
            k
            for k, v in (("gpu", self.gpu), ("modelEndpoint", self.model_endpoint), ("bedrock", self.bedrock))
            if v
        ]
        if metered and self.spend.sns_topic_arn is None:
            raise ValueError(
                f"spend.snsTopicArn: the usage alarms (COST-2) the platform adds for {', '.join(metered)} notify "
                "through SNS; set the owner's cost topic"
            )
        if self.network is None and self.vector_store is not None and self.vector_store.network is None:
            raise ValueError(
                "vectorStore.network: give the VPC of the endpoint ({vpcId, subnetIds, securityGroupIds}), or add "
                "aiwarden:network"
            )
        if self.registry is not None:
            taken = {"model-endpoint", *(f"nodes-{pool}" for pool in (self.gpu.pools if self.gpu else {}))}
            for name in self.registry.access:
                if name in taken:
                    raise ValueError(
                        f"registry.access.{name}: the platform grants its own readers under this name; rename this "
                        "grant"
                    )
        if self.model_endpoint is not None and self.registry is not None:
            registry = self.registry
            prefix = registry.pull_through_cache.repository_prefix if registry.pull_through_cache else None
            _check_in_registry(
                "modelEndpoint.image", self.model_endpoint.image, registry.repository_name, prefix
            )
        return self


class GcpPlatformConfig(_CloudPlatformConfig):
    """``aiwarden:*`` stack config of a GCP stack (``aiwarden:cloud: gcp``)."""

    cloud: Literal["gcp"] = Field(description="Target of the stack.")
    datasets: dict[Name, GcpDatasetConfig] = Field(
        default_factory=dict, description="Datasets by name: a locked Cloud Storage bucket each."
    )
    vector_store: GcpVectorStoreConfig | None = Field(
        default=None, alias="vectorStore", description="Optional Vertex AI Vector Search index."
    )
    provider_secrets: dict[Name, GcpProviderSecretConfig] = Field(
        default_factory=dict,
        alias="providerSecrets",
        description="Provider / tool credentials by name: a Secret Manager secret each, values set out of band.",
    )
    audit: GcpAuditSettings = Field(
        default_factory=GcpAuditSettings, description="Data Access audit logs, always configured."
    )
    spend: GcpSpendConfig = Field(description="Budget and its alert routes, always created.")
    network: GcpPrivateNetworkConfig | None = Field(
        default=None, description="Optional private network (`PrivateNetwork`) the compute sections run in."
    )
    registry: GcpRegistryConfig | None = Field(
        default=None, description="Optional Artifact Registry repository (`ContainerRegistry`)."
    )
    gpu: GcpGpuConfig | None = Field(
        default=None,
        description="Optional private GKE cluster and GPU node pools (`GpuCluster`, `GpuNodePool`).",
    )
    model_endpoint: GcpModelEndpointConfig | None = Field(
        default=None,
        description="Optional Vertex AI endpoint over Private Service Connect (`ModelEndpoint`).",
    )
    notebook: GcpNotebookConfig | None = Field(
        default=None, description="Optional Vertex AI Workbench instance (`ManagedNotebook`)."
    )

    @model_validator(mode="after")
    def _wired(self) -> GcpPlatformConfig:
        subnets = self.network.subnets if self.network is not None else {}
        if self.gpu is not None:
            _check_refs("gpu.cluster.subnet", [self.gpu.cluster.subnet], subnets, "network.subnets")
            ranges = subnets[self.gpu.cluster.subnet].secondary_ranges
            missing = [r for r in ("pods", "services") if r not in ranges]
            if missing:
                raise ValueError(
                    f"gpu.cluster.subnet: subnet {self.gpu.cluster.subnet!r} has no secondary range "
                    f"{' or '.join(repr(m) for m in missing)}; add them to aiwarden:network.subnets."
                    f"{self.gpu.cluster.subnet}.secondaryRanges (VPC-native Pods and Services)"
                )
        if self.notebook is not None:
            _check_refs("notebook.subnet", [self.notebook.subnet], subnets, "network.subnets")
        if self.model_endpoint is not None and self.registry is not None:
            _check_in_registry(
                "modelEndpoint.image", self.model_endpoint.image, self.registry.repository_id, None, gcp=True
            )
        return self


class K8sPlatformConfig(_PlatformConfig):
    """``aiwarden:*`` stack config of a Kubernetes-only stack on an existing cluster (``aiwarden:cloud: k8s``)."""

    cloud: Literal["k8s"] = Field(description="Target of the stack.")
    namespace: K8sNamespaceConfig = Field(description="The workloads' namespace (`GpuWorkloadNamespace`).")
    inference_service: K8sInferenceServiceConfig | None = Field(
        default=None, description="Optional model server in the namespace (`InferenceService`)."
    )
    external_secrets: dict[Name, K8sExternalSecretConfig] = Field(
        default_factory=dict,
        description="Cloud secrets synced into the namespace, by name (`ExternalSecret`).",
    )

    @model_validator(mode="after")
    def _wired(self) -> K8sPlatformConfig:
        service = self.inference_service
        if service is None:
            return self
        quota = self.namespace.quota.gpus
        if service.replicas * service.gpus > quota:
            raise ValueError(
                f"inferenceService.replicas: {service.replicas} pods of {service.gpus} GPUs need "
                f"{service.replicas * service.gpus}, above namespace.quota.gpus ({quota}); lower replicas or gpus, "
                "or raise the quota"
            )
        synced = {s.target_secret for s in self.external_secrets.values()}
        for variable, ref in service.secret_env.items():
            if ref.secret not in synced:
                raise ValueError(
                    f"inferenceService.secretEnv.{variable}: Secret {ref.secret!r} is not synced by "
                    "aiwarden:externalSecrets; add an external secret with that targetSecret"
                )
        return self


PlatformConfig = Annotated[
    AwsPlatformConfig | GcpPlatformConfig | K8sPlatformConfig, Field(discriminator="cloud")
]
"""``aiwarden:*`` stack config of the platform program: one model per ``aiwarden:cloud``."""

AnyConfig = AwsPlatformConfig | GcpPlatformConfig | K8sPlatformConfig
MODELS: dict[str, type[AwsPlatformConfig] | type[GcpPlatformConfig] | type[K8sPlatformConfig]] = {
    "aws": AwsPlatformConfig,
    "gcp": GcpPlatformConfig,
    "k8s": K8sPlatformConfig,
}
ADAPTER: TypeAdapter[AnyConfig] = TypeAdapter(PlatformConfig)
#: Every ``aiwarden:`` key the program reads, on any target (``aiwarden:vocabulary`` is the components').
SECTIONS = tuple(
    dict.fromkeys(
        field.alias or name for model in MODELS.values() for name, field in model.model_fields.items()
    )
)


#: ``aiwarden:`` keys the components (and the pack) read themselves, checked by ``aiwarden check`` before the program.
COMPONENT_KEYS = frozenset(STACK_CONFIG_KEYS) - set(SECTIONS)


def _check_names(datasets: Iterable[str], secrets: Iterable[str], pools: dict[str, str]) -> None:
    datasets, secrets = list(datasets), list(secrets)
    for section, names in (("datasets", datasets), ("providerSecrets", secrets)):
        for name in names:
            if name in RESERVED_NAMES:
                raise ValueError(f"{section}.{name}: the platform uses this name itself; choose another")
            if name in pools:
                raise ValueError(
                    f"{section}.{name}: the GPU pool {pools[name]} has this name; choose another"
                )
    for name in sorted(set(datasets) & set(secrets)):
        raise ValueError(f"providerSecrets.{name}: a dataset has the same name; names must be unique")


def _check_notebook_grants(
    notebook: AwsNotebookConfig | GcpNotebookConfig, datasets: dict[str, Any], secrets: dict[str, Any]
) -> None:
    """The datasets and secrets the notebook may use exist, and leave the platform's grant name to it."""
    _check_refs("notebook.datasets", notebook.datasets, datasets, "datasets")
    _check_refs("notebook.providerSecrets", notebook.provider_secrets, secrets, "providerSecrets")
    used = [("datasets", n, datasets[n].access) for n in notebook.datasets]
    used += [("providerSecrets", n, secrets[n].access) for n in notebook.provider_secrets]
    for section, name, access in used:
        if PLATFORM_GRANT_NOTEBOOK in access:
            raise ValueError(
                f"{section}.{name}.access.{PLATFORM_GRANT_NOTEBOOK}: the platform grants the notebook's identity "
                "under this name; rename this grant"
            )


def _check_refs(key: str, names: Iterable[str], defined: dict[str, Any], section: str) -> None:
    for name in names:
        if name not in defined:
            known = ", ".join(sorted(defined)) or "none"
            raise ValueError(
                f"{key}: {name!r} is not in aiwarden:{section} (defined: {known}); define it there or remove it"
            )


def _check_in_registry(key: str, image: str, repository: str, prefix: str | None, gcp: bool = False) -> None:
    """The image comes from the stack's registry: its repository (or the pull-through prefix)."""
    path = image.partition("@")[0].split("/", 1)[1] if "/" in image else image
    path = path.rsplit(":", 1)[0] if ":" in path.rsplit("/", 1)[-1] else path
    if gcp:  # <project>/<repository>/<image>
        parts = path.split("/")
        inside = len(parts) >= 3 and parts[1] == repository
    else:
        inside = path == repository or (prefix is not None and path.startswith(prefix + "/"))
    if not inside:
        where = f"repository {repository!r}" + (f" (or its cache prefix {prefix!r})" if prefix else "")
        raise ValueError(
            f"{key}: {image!r} is not in the stack's registry {where}; push the image there (aiwarden:registry) and "
            "pin its digest"
        )


def _ownership(environment: str, o: OwnershipConfig, classification: str | None) -> Ownership:
    """The stack's ownership, optionally with another data classification (a dataset's override)."""
    return Ownership(
        owner=o.owner,
        environment=environment,
        data_classification=classification or o.data_classification,
        purpose=o.purpose,
        cost_center=o.cost_center,
        contact=o.contact,
    )


def _value(config: pulumi.Config, key: str) -> Any:
    raw = config.get(key)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


class StackConfigError(ValueError):
    """Invalid stack configuration: the message names each ``aiwarden:`` key, what is wrong and the fix."""


# ------------------------------------------------------------------------------------ naming keys in errors

_MISSING = object()
_NAMED = re.compile(r"^([A-Za-z][\w-]*(?:\.[A-Za-z0-9][\w-]*)*): ")


def _members(annotation: Any) -> list[Any]:
    """The alternatives of an annotation: Annotated and Optional unwrapped, unions split."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType):
        found: list[Any] = []
        for member in get_args(annotation):
            if member is not type(None):
                found.extend(_members(member))
        return found
    return [annotation]


def _step(annotation: Any, part: Any) -> tuple[Any, FieldInfo | None]:
    """The annotation (and field) ``part`` leads to from ``annotation``, or ``_MISSING``."""
    for member in _members(annotation):
        origin = get_origin(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            for attribute, info in member.model_fields.items():
                if (info.alias or attribute) == part:
                    return info.annotation, info
        elif origin is dict:
            return get_args(member)[1], None
        elif origin in (list, tuple):
            return get_args(member)[0], None
    return _MISSING, None


def _lookup(model: Any, path: tuple[Any, ...]) -> tuple[Any, FieldInfo | None]:
    """The annotation and field that ``path`` (aliases, dict keys, list indexes) names in ``model``."""
    annotation: Any = model
    info: FieldInfo | None = None
    for part in path:
        annotation, info = _step(annotation, part)
        if annotation is _MISSING:
            return _MISSING, None
    return annotation, info


def _accepts(model: Any, path: tuple[Any, ...]) -> bool:
    """Whether ``path`` names a setting of ``model``."""
    return _lookup(model, path)[0] is not _MISSING


def _keys(model: Any, path: tuple[Any, ...]) -> list[str]:
    """The keys a model at ``path`` takes (empty when it is not a model)."""
    annotation, _ = _lookup(model, path)
    keys: list[str] = []
    for member in _members(annotation) if annotation is not _MISSING else []:
        if isinstance(member, type) and issubclass(member, BaseModel):
            keys.extend(info.alias or name for name, info in member.model_fields.items())
    return list(dict.fromkeys(keys))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _problem(error: Any, cloud: Any) -> str:
    """``aiwarden:<dotted key>: <what is wrong; the fix>``; a whole-model error carries its key in the message."""
    kind = error["type"]
    if kind == "union_tag_invalid":
        return f"{NAMESPACE}:cloud: {error['input'].get('cloud')!r} is not a cloud; use one of {', '.join(CLOUDS)}"
    if kind == "union_tag_not_found":
        return f"{NAMESPACE}:cloud: Field required; add it: one of {', '.join(CLOUDS)}"
    loc = tuple(error["loc"])
    if loc and loc[0] in CLOUDS:  # the union's tag
        loc = loc[1:]
    message = str(error["msg"]).removeprefix("Value error, ")
    model = MODELS.get(cloud) if isinstance(cloud, str) else None
    named = _NAMED.match(message)
    if kind == "value_error" and named and model is not None:
        # a model validator names the key it is about first ("emails: ..."): make it part of the key
        inner = tuple(named.group(1).split("."))
        if _accepts(model, loc + inner):
            loc, message = loc + inner, message[named.end() :]
    if kind == "extra_forbidden" and model is not None:
        others = [c for c in CLOUDS if c != cloud and _accepts(MODELS[c], loc)]
        if others:
            only = " and ".join(c.upper() for c in others)
            message = f"{only} only (this stack's {NAMESPACE}:cloud is {cloud}); remove it"
        else:
            valid = [k for k in _keys(model, loc[:-1]) if k != "cloud"]
            close = difflib.get_close_matches(str(loc[-1]), valid, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"valid keys here: {', '.join(valid)}"
            message = f"unknown key; remove it ({hint})" if not close else f"unknown key; {hint}"
    elif kind == "missing" and model is not None:
        _, info = _lookup(model, loc)
        if info is not None and info.description:
            message = f"{message}; add it: {info.description}"
    elif kind.endswith(("_type", "_parsing")) and "input" in error:
        message = f"{message} (got {_shown(error['input'])})"
    key = ".".join(str(p) for p in loc)
    return f"{NAMESPACE}:{key}: {message}" if key else f"{NAMESPACE}:{message}"


def validate(data: dict[str, Any]) -> AnyConfig:
    """Validate raw ``aiwarden:*`` values (keys without the namespace); errors name each key and the fix."""
    values = {k: val for k, val in data.items() if val is not None and k not in COMPONENT_KEYS}
    try:
        # stack keys are the camelCase aliases only (Python code may also build the models by attribute name)
        return ADAPTER.validate_python(values, by_alias=True, by_name=False)
    except ValidationError as exc:
        cloud = values.get("cloud")
        raise StackConfigError(
            "invalid stack config: " + "; ".join(_problem(e, cloud) for e in exc.errors())
        ) from None


def load_config() -> AnyConfig:
    """Read ``aiwarden:*`` stack config and validate it (errors name the key and the fix)."""
    config = pulumi.Config(NAMESPACE)
    return validate({key: _value(config, key) for key in SECTIONS})


def stack_file() -> str:
    """The stack's config file, relative to the project (``stacks/Pulumi.<stack>.yaml``), as errors name it."""
    directory = "."
    try:
        project = yaml.safe_load(Path("Pulumi.yaml").read_text(encoding="utf-8"))
        directory = str(project.get("stackConfigDir") or ".")
    except (OSError, yaml.YAMLError, AttributeError):
        pass
    return str(Path(directory) / f"Pulumi.{pulumi.get_stack()}.yaml")


def _camel_path(loc: Iterable[Any]) -> str:
    return ".".join(to_camel(p) if isinstance(p, str) and "_" in p else str(p) for p in loc)


def component_args(key: str, build: Callable[..., M], *args: Any) -> M:
    """``build(*args)``: a component's Args from config; a refusal names the ``aiwarden:`` key it came from and the
    component's field (camelCase, as the stack keys)."""
    try:
        return build(*args)
    except ValidationError as exc:
        problems = [
            f"{NAMESPACE}:{key}: {_camel_path(e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        ]
        raise StackConfigError("invalid stack config: " + "; ".join(problems)) from None
    except ValueError as exc:  # a component helper refusing a value (e.g. a network placement)
        raise StackConfigError(f"invalid stack config: {NAMESPACE}:{key}: {exc}") from None
