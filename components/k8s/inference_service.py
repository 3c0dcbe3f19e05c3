"""InferenceService: a model server on GPUs, restricted, reachable only by named callers.

A Deployment whose pods run as a non-root UID ≥ 10000 with no privilege escalation, every capability dropped,
the RuntimeDefault seccomp profile, a read-only root filesystem (``/tmp`` and named scratch directories are
size-limited emptyDirs) and no service account token; the image is an ``ImageRef`` (pinned by digest, from an
approved registry); GPUs are requested and limited, tolerated on tainted GPU nodes and pinned to them by node
selector; readiness, liveness and startup probes; secrets come from Kubernetes Secrets (an ``ExternalSecret``'s
target) as files or ``secretKeyRef`` environment variables, never as literals. A ClusterIP Service (an
internal load balancer only when asked for with a justification), a NetworkPolicy admitting only the named
callers on the serving port, and a PodDisruptionBudget. Controls K8S-1, SUP-2, SEC-1, SEC-2, GPU-5, EP-1,
NET-2, NET-3, INV-1.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_kubernetes as k8s
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from aiwarden_policies.contract import assets
from components._common import AssetRecord, Grant, Ownership, record_asset
from components._common.cidrs import IpCidr, is_world
from components._common.exposure import Justification
from components._common.image import ImageRef
from components._common.inventory import asset_kind
from components._common.json_document import text
from components._common.ownership import Slug
from components.k8s._network import (
    CidrPeer,
    Labels,
    Peer,
    Port,
    exception_annotation,
    justifications,
    label_selector,
    peer_args,
    port_args,
)
from components.k8s._resources import (
    GPU_RESOURCE,
    CpuQuantity,
    MemoryQuantity,
    check_gpus,
    check_requests_within_limits,
)
from components.k8s.external_secret import DnsLabel, DnsSubdomain, SecretKey

TYPE = "aiwarden:k8s:InferenceService"
KIND = asset_kind(assets.MODEL_ENDPOINT)
#: The lowest UID/GID a pod may run as: below it, IDs may be the node's own users (root, daemons, the first
#: login accounts), whose files a container escape could then reach.
MIN_ID = 10000
CONTAINER = "server"
PORT_NAME = "http"
TMP_VOLUME = "tmp"
SECRET_FILE_MODE = 0o440
#: How long Kubernetes and Pulumi wait beyond the startup probe's budget before a rollout counts as failed.
ROLLOUT_MARGIN_SECONDS = 300
#: Kubernetes' default ``progressDeadlineSeconds`` (and Pulumi's default wait for a Deployment: 10 minutes).
KUBERNETES_PROGRESS_DEADLINE = 600
#: pulumi-kubernetes' per-object await timeout (``customTimeouts`` would win, but the aiwarden gate cannot read
#: duration strings yet).
PULUMI_TIMEOUT = "pulumi.com/timeoutSeconds"
AWS_LB_CLASS = "service.k8s.aws/nlb"
AWS_LB_ANNOTATIONS = {
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "preserve_client_ip.enabled=true",
}
GCP_LB_ANNOTATIONS = {"networking.gke.io/load-balancer-type": "Internal"}

#: The roles ``access`` accepts: ``invoke`` (connect on the serving port).
ServiceRole = Literal["invoke"]
ServiceName = Annotated[
    str,
    Field(
        pattern=r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$",
        description="RFC 1035 label (Service names): lowercase letters, digits, '-', starting with a letter.",
    ),
]
EnvName = Annotated[
    str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,127}$", description="Environment variable name.")
]
_PATH_SEGMENT = re.compile(r"^[A-Za-z0-9._-]+$")


def _segments_ok(path: str) -> bool:
    return all(_PATH_SEGMENT.match(part) and part not in (".", "..") for part in path.split("/"))


def _absolute_path(value: str) -> str:
    if not value.startswith("/") or value == "/" or len(value) > 1024 or not _segments_ok(value[1:]):
        raise ValueError(
            f"{value!r} is not an absolute path such as /var/run/secrets/llm (letters, digits, '.', '_', '-' between "
            "slashes; no '.' or '..' segments, no trailing slash)"
        )
    return value


def _relative_path(value: str) -> str:
    if len(value) > 1024 or not _segments_ok(value):
        raise ValueError(
            f"{value!r} is not a relative file path such as openai/api-key (no leading slash, no '.' or '..' "
            "segments)"
        )
    return value


AbsolutePath = Annotated[
    str,
    AfterValidator(_absolute_path),
    Field(
        description="An absolute path in the container (no `.` / `..` segments), e.g. `/var/run/secrets/llm`."
    ),
]
RelativePath = Annotated[
    str,
    AfterValidator(_relative_path),
    Field(description="A relative file path (no `.` / `..` segments), e.g. `openai/api-key`."),
]


def _namespace(value: Any) -> Any:
    if isinstance(value, pulumi.Output):
        return value
    if isinstance(value, str) and re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", value):
        return value
    shown = value if isinstance(value, str | int | float | bool | None) else type(value).__name__
    raise ValueError(
        f"{shown!r} is not a namespace name (RFC 1123 label) or a pulumi.Output; pass the GpuWorkloadNamespace's "
        "`name` output so that the namespace exists first"
    )


if TYPE_CHECKING:
    NamespaceRef = str | pulumi.Output[str]
else:
    NamespaceRef = Annotated[
        str | pulumi.Output[str],
        PlainValidator(_namespace),
        WithJsonSchema(
            {
                "type": "string",
                "pattern": r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$",
                "description": "namespace name (or a pulumi.Output, passed through)",
            }
        ),
    ]

# Last words of an environment variable name that hold a credential (``OPENAI_API_KEY``, ``HF_TOKEN``).
_SECRET_WORDS = frozenset(
    {"password", "passwd", "passphrase", "secret", "token", "credential", "credentials", "apikey"}
)
_SECRET_PAIRS = frozenset({("api", "key"), ("access", "key"), ("private", "key"), ("secret", "key")})


def _secret_named(name: str) -> bool:
    words = [w.lower() for w in re.split(r"_|(?<=[a-z0-9])(?=[A-Z])", name) if w]
    return bool(words) and (words[-1] in _SECRET_WORDS or tuple(words[-2:]) in _SECRET_PAIRS)


def _check_id(field: str, value: int) -> None:
    if value < MIN_ID:
        raise ValueError(
            f"{field} {value} is below {MIN_ID} (control K8S-1): low IDs are the node's own users (0 is root) and a "
            f"container escape would act as them; use a dedicated ID ≥ {MIN_ID}, e.g. 10001, and make the image's "
            "files readable by it (or by its group)"
        )


class ContainerResources(BaseModel):
    """CPU and memory of the server container (GPUs are ``gpus``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    cpu_request: CpuQuantity = Field(default="2", description="`requests.cpu`.")
    cpu_limit: CpuQuantity = Field(default="4", description="`limits.cpu`.")
    memory_request: MemoryQuantity = Field(default="16Gi", description="`requests.memory`.")
    memory_limit: MemoryQuantity = Field(
        default="16Gi",
        description="`limits.memory` (the same as the request avoids eviction under pressure).",
    )

    @model_validator(mode="after")
    def _requests_within_limits(self) -> ContainerResources:
        check_requests_within_limits(
            self, "resources", "the API server refuses a container whose request exceeds its limit"
        )
        return self


class HttpProbe(BaseModel):
    """An HTTP GET probe of the server (kubelet, from the node)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    path: str = Field(
        default="/health",
        pattern=r"^/[A-Za-z0-9._~!$&'()*+,;=:@/%?-]*$",
        max_length=1024,
        description="Path, e.g. `/health` (vLLM, TGI) or `/v2/health/ready` (Triton).",
    )
    port: int | None = Field(default=None, ge=1, le=65535, description="Port; default: the serving port.")
    period_seconds: int = Field(default=10, ge=1, le=3600, description="Seconds between probes.")
    timeout_seconds: int = Field(default=5, ge=1, le=3600, description="Seconds before a probe fails.")
    failure_threshold: int = Field(
        default=3, ge=1, le=1000, description="Consecutive failures before the probe fails."
    )


class Probes(BaseModel):
    """Readiness (receive traffic), liveness (restart) and startup (model loading) probes."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    readiness: HttpProbe = Field(
        default_factory=lambda: HttpProbe(period_seconds=5),
        description="Traffic only reaches ready pods. Kubernetes default: no probe (ready once started).",
    )
    liveness: HttpProbe = Field(
        default_factory=HttpProbe,
        description="A server that stops answering is restarted. Kubernetes default: no probe.",
    )
    startup: HttpProbe = Field(
        default_factory=lambda: HttpProbe(failure_threshold=90),
        description="Holds the other probes while the model loads: `period_seconds` x `failure_threshold` "
        "(default 15 minutes) is the loading budget; the Deployment's progress deadline and Pulumi's wait "
        "follow it.",
    )

    def startup_budget(self) -> int:
        return self.startup.period_seconds * self.startup.failure_threshold


class SecretFiles(BaseModel):
    """A Kubernetes Secret mounted read-only as files (e.g. the target Secret of an ``ExternalSecret``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    secret: DnsSubdomain = Field(description="Name of the Secret in the service's namespace.")
    mount_path: AbsolutePath = Field(description="Directory where the files appear.")
    keys: dict[SecretKey, RelativePath] = Field(
        default_factory=dict,
        max_length=50,
        description="Only these keys, at these paths under `mount_path`; empty: every key, as a file named by it.",
    )


class SecretEnv(BaseModel):
    """One key of a Kubernetes Secret as an environment variable (``valueFrom.secretKeyRef``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    secret: DnsSubdomain = Field(description="Name of the Secret in the service's namespace.")
    key: SecretKey = Field(description="Key in the Secret.")


class Scratch(BaseModel):
    """A writable, size-limited directory (emptyDir), e.g. a model cache or `/dev/shm`."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    mount_path: AbsolutePath = Field(description="Where it is mounted.")
    size_limit: MemoryQuantity = Field(
        default="1Gi", description="`sizeLimit`: the pod is evicted beyond it."
    )
    memory: bool = Field(
        default=False,
        description="tmpfs (`medium: Memory`, counted against the memory limit), e.g. `/dev/shm` for NCCL / "
        "PyTorch shared memory; default: node disk.",
    )


class InternalLoadBalancer(BaseModel):
    """An internal cloud load balancer in front of the Service, asked for by name with a justification."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    cloud: Literal["aws", "gcp"] = Field(
        description="`aws`: an internal NLB of the AWS Load Balancer Controller (IP targets, client IPs "
        "preserved); `gcp`: a GKE internal passthrough Network Load Balancer."
    )
    source_ranges: tuple[IpCidr, ...] = Field(
        min_length=1,
        max_length=50,
        description="Client CIDRs: `loadBalancerSourceRanges` and the NetworkPolicy's ingress. Never 0.0.0.0/0; "
        "include the load balancer's health-check sources (on EKS, the NLB's subnets).",
    )
    justification: Justification = Field(
        description="Why callers outside the cluster need it, who approved it, until when; lands in the "
        "Service's `aiwarden.io/aiwarden-exception` annotation."
    )

    @field_validator("source_ranges")
    @classmethod
    def _no_world(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for cidr in value:
            if is_world(cidr):
                raise ValueError(
                    f"{cidr} is every address (control NET-3): name the callers' ranges (a VPC, a peered network)"
                )
        return value


class DisruptionBudget(BaseModel):
    """PodDisruptionBudget: how many pods voluntary disruptions (node drains, upgrades) may take at once."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    max_unavailable: int | None = Field(
        default=1, ge=1, description="`maxUnavailable` (default 1); give this or `min_available`."
    )
    min_available: int | None = Field(
        default=None, ge=1, description="`minAvailable`, below `replicas` (else no node can ever be drained)."
    )

    @model_validator(mode="after")
    def _one(self) -> DisruptionBudget:
        if (self.max_unavailable is None) == (self.min_available is None):
            raise ValueError("give exactly one of max_unavailable and min_available")
        return self


class InferenceServiceArgs(BaseModel):
    """Inputs of ``InferenceService``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, arbitrary_types_allowed=True)

    ownership: Ownership = Field(description="Owner and classification: labels on every object and the pods.")
    namespace: NamespaceRef = Field(
        description="Namespace: a `GpuWorkloadNamespace`'s `name` output (so that it exists first; passed "
        "through) or a name (RFC 1123 label)."
    )
    name: ServiceName = Field(
        description="Name of the Deployment, Service, NetworkPolicy and PodDisruptionBudget "
        "(`<name>.<namespace>.svc`)."
    )
    image: ImageRef = Field(
        description="`registry/repository[:tag]@sha256:<digest>` from an approved registry (stack config "
        "`aiwarden:approvedRegistries`); a tag alone or `latest` is refused. An Output passes through."
    )
    container_args: tuple[str, ...] = Field(
        default=(), max_length=100, description="Arguments to the image's entrypoint (e.g. `--model`)."
    )
    port: int = Field(
        default=8080,
        ge=1,
        le=65535,
        description="Serving port (container and Service); non-root servers cannot bind below 1024.",
    )
    replicas: int = Field(default=2, ge=1, le=100, description="Pods. Kubernetes default: 1.")
    max_surge: int = Field(
        default=0,
        ge=0,
        le=100,
        description="Extra pods during a rollout (default 0: a GPU service rolls one pod at a time within its "
        "GPUs; Kubernetes default: 25%).",
    )
    gpus: int = Field(
        default=1,
        ge=0,
        description="`nvidia.com/gpu` requested and limited per pod; (replicas + max_surge) x gpus stays within "
        "the stack's ceiling (stack config `aiwarden:maxGpusPerNamespace`, default 16).",
    )
    node_selector: Labels = Field(
        default_factory=dict,
        description="Node labels of the GPU nodes to run on (required with GPUs), e.g. `{'aiwarden.io/pool': "
        "'<GpuNodePool name>'}` (EKS pools of the AWS `GpuNodePool`) or `{'cloud.google.com/gke-accelerator': "
        "'nvidia-l4'}` (GKE).",
    )
    resources: ContainerResources = Field(
        default_factory=ContainerResources, description="CPU and memory requests and limits."
    )
    probes: Probes = Field(default_factory=Probes, description="HTTP probes.")
    run_as_user: int = Field(
        default=10001,
        le=2147483647,
        description="`runAsUser` (≥ 10000). Kubernetes default: the image's user.",
    )
    run_as_group: int = Field(
        default=10001,
        le=2147483647,
        description="`runAsGroup` and `fsGroup` (≥ 10000; secret files are readable by this group).",
    )
    service_account: DnsSubdomain | None = Field(
        default=None,
        description="ServiceAccount the pods run as (e.g. the `GpuWorkloadNamespace`'s `service_account_name`); "
        "its token is never mounted. Default: the namespace's `default` account.",
    )
    env: dict[EnvName, str] = Field(
        default_factory=dict,
        max_length=100,
        description="Plain settings only; a credential-named variable (`*_API_KEY`, `*_TOKEN`, `*PASSWORD`, "
        "`*SECRET`) is refused: use `secret_env`.",
    )
    secret_env: dict[EnvName, SecretEnv] = Field(
        default_factory=dict,
        max_length=100,
        description="Environment variables from Secret keys (`secretKeyRef`); literal values are refused.",
    )
    secret_files: dict[DnsLabel, SecretFiles] = Field(
        default_factory=dict,
        max_length=20,
        description="Secrets mounted read-only as files (mode 0440), by volume name.",
    )
    tmp_size: MemoryQuantity = Field(
        default="1Gi",
        description="`sizeLimit` of the emptyDir mounted at /tmp (the root filesystem is read-only).",
    )
    scratch: dict[DnsLabel, Scratch] = Field(
        default_factory=dict, max_length=20, description="More writable emptyDirs, by volume name."
    )
    access: dict[Slug, Grant[Peer, ServiceRole]] = Field(
        min_length=1,
        max_length=50,
        description="Who may call the service, by name: `invoke` = connect on the serving port, for a `PodPeer` "
        "(pods of this or a named namespace, by labels) or a `CidrPeer` (an IP block). Everything else is denied "
        "(NetworkPolicy `<name>-ingress`).",
    )
    load_balancer: InternalLoadBalancer | None = Field(
        default=None,
        description="An internal load balancer, by name with a justification; default: ClusterIP only "
        "(Kubernetes `LoadBalancer` default: internet-facing on most clouds).",
    )
    disruption_budget: DisruptionBudget = Field(
        default_factory=DisruptionBudget, description="PodDisruptionBudget (default: maxUnavailable 1)."
    )

    @field_validator("run_as_user", "run_as_group")
    @classmethod
    def _high_id(cls, value: int, info: ValidationInfo) -> int:
        _check_id(str(info.field_name), value)
        return value

    @field_validator("port")
    @classmethod
    def _unprivileged_port(cls, value: int) -> int:
        if value < 1024:
            raise ValueError(
                f"{value} is a privileged port: a non-root server without NET_BIND_SERVICE cannot bind it; serve on "
                "1024 or above, e.g. 8080"
            )
        return value

    @field_validator("env", mode="before")
    @classmethod
    def _no_credentials(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key in value:
                if isinstance(key, str) and _secret_named(key):
                    raise ValueError(
                        f"env[{key!r}] names a credential: secret values never go into the pod spec (control SEC-1); "
                        "keep it in the cloud secret manager, sync it with ExternalSecret and reference it with "
                        f"secret_env={{{key!r}: SecretEnv(secret='<secret>', key='<key>')}}"
                    )
        return value

    @field_validator("secret_env", mode="before")
    @classmethod
    def _no_literal_secrets(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key, ref in value.items():
                if isinstance(ref, str | bytes):
                    raise ValueError(
                        f"secret_env[{key!r}] is a literal value (control SEC-1): reference a Secret key instead, "
                        "SecretEnv(secret='<secret>', key='<key>')"
                    )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> InferenceServiceArgs:
        check_gpus("gpus", (self.replicas + self.max_surge) * self.gpus, "(replicas + max_surge) x gpus is")
        if self.gpus and not self.node_selector:
            raise ValueError(
                "node_selector: a GPU service names the GPU nodes it runs on (their pool or accelerator label), e.g. "
                "{'aiwarden.io/pool': '<GpuNodePool name>'} on EKS or {'cloud.google.com/gke-accelerator': "
                "'nvidia-l4'} on GKE"
            )
        if (
            self.disruption_budget.min_available is not None
            and self.disruption_budget.min_available >= self.replicas
        ):
            raise ValueError(
                f"disruption_budget.min_available {self.disruption_budget.min_available} is not below replicas "
                f"{self.replicas}: no pod could ever be evicted, so node drains and upgrades would hang; lower it or "
                "use max_unavailable"
            )
        both = set(self.env) & set(self.secret_env)
        if both:
            raise ValueError(f"env and secret_env both set {sorted(both)}; keep one")
        names = [TMP_VOLUME, *self.secret_files, *self.scratch]
        taken = {n for n in names if names.count(n) > 1}
        if taken:
            raise ValueError(
                f"volume names {sorted(taken)} are used twice (`tmp` is the /tmp volume); rename them"
            )
        paths = [
            "/tmp",
            *(f.mount_path for f in self.secret_files.values()),
            *(s.mount_path for s in self.scratch.values()),
        ]
        twice = {p for p in paths if paths.count(p) > 1}
        if twice:
            raise ValueError(f"mount paths {sorted(twice)} are used twice (/tmp is taken); give each its own")
        return self

    def selector(self) -> dict[str, str]:
        return {"app.kubernetes.io/name": self.name, "app.kubernetes.io/component": "inference"}


class InferenceService(pulumi.ComponentResource):
    """A restricted GPU model server behind a ClusterIP Service, reachable only by its named callers.

    Children: ``deployment`` (`<name>-deployment`), ``service`` (`<name>-service`), ``network_policy``
    (`<name>-ingress`, NetworkPolicy `<service>-ingress`), ``disruption_budget`` (`<name>-pdb`).
    Outputs: ``serviceName``, ``namespace``, ``port``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = (
        "K8S-1",
        "SUP-2",
        "SEC-1",
        "SEC-2",
        "GPU-5",
        "EP-1",
        "NET-2",
        "NET-3",
        "INV-1",
        "INV-2",
        "IR-1",
    )

    def __init__(
        self, name: str, args: InferenceServiceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        labels = args.ownership.k8s_labels()
        annotations = args.ownership.k8s_annotations()
        selector = args.selector()
        child = pulumi.ResourceOptions(parent=self)

        def meta(object_name: str, extra: dict[str, str] | None = None) -> k8s.meta.v1.ObjectMetaArgs:
            merged = {**annotations, **(extra or {})}
            return k8s.meta.v1.ObjectMetaArgs(
                name=object_name,
                namespace=args.namespace,
                labels={**labels, **selector},
                annotations=merged or None,
            )

        deadline = max(args.probes.startup_budget() + ROLLOUT_MARGIN_SECONDS, KUBERNETES_PROGRESS_DEADLINE)
        self.deployment = k8s.apps.v1.Deployment(
            f"{name}-deployment",
            metadata=meta(args.name, {PULUMI_TIMEOUT: str(deadline)}),
            spec=k8s.apps.v1.DeploymentSpecArgs(
                replicas=args.replicas,
                selector=label_selector(selector),
                strategy=k8s.apps.v1.DeploymentStrategyArgs(
                    type="RollingUpdate",
                    rolling_update=k8s.apps.v1.RollingUpdateDeploymentArgs(
                        max_surge=args.max_surge, max_unavailable=1
                    ),
                ),
                progress_deadline_seconds=deadline,
                template=k8s.core.v1.PodTemplateSpecArgs(
                    metadata=k8s.meta.v1.ObjectMetaArgs(
                        labels={**labels, **selector}, annotations=annotations or None
                    ),
                    spec=_pod_spec(args),
                ),
            ),
            opts=child,
        )
        lb = args.load_balancer
        service_annotations: dict[str, str] = {}
        if lb is not None:
            service_annotations = {
                **(AWS_LB_ANNOTATIONS if lb.cloud == "aws" else GCP_LB_ANNOTATIONS),
                **exception_annotation([f"internal load balancer: {lb.justification}"]),
            }
        self.service = k8s.core.v1.Service(
            f"{name}-service",
            metadata=meta(args.name, service_annotations),
            spec=k8s.core.v1.ServiceSpecArgs(
                type="ClusterIP" if lb is None else "LoadBalancer",
                selector=selector,
                ports=[
                    k8s.core.v1.ServicePortArgs(
                        name=PORT_NAME, port=args.port, target_port=PORT_NAME, protocol="TCP"
                    )
                ],
                load_balancer_class=AWS_LB_CLASS if lb is not None and lb.cloud == "aws" else None,
                load_balancer_source_ranges=list(lb.source_ranges) if lb is not None else None,
                external_traffic_policy="Local" if lb is not None else None,
            ),
            opts=child,
        )
        callers = [grant.principal for grant in args.access.values()]
        if lb is not None:
            callers += [CidrPeer(cidr=cidr) for cidr in lb.source_ranges]
        self.network_policy = k8s.networking.v1.NetworkPolicy(
            f"{name}-ingress",
            metadata=meta(f"{args.name}-ingress", exception_annotation(justifications(callers))),
            spec=k8s.networking.v1.NetworkPolicySpecArgs(
                pod_selector=label_selector(selector),
                policy_types=["Ingress"],
                ingress=[
                    k8s.networking.v1.NetworkPolicyIngressRuleArgs(
                        from_=[peer_args(p) for p in callers], ports=[port_args(Port(port=args.port))]
                    )
                ],
            ),
            opts=child,
        )
        budget = args.disruption_budget
        self.disruption_budget = k8s.policy.v1.PodDisruptionBudget(
            f"{name}-pdb",
            metadata=meta(args.name),
            spec=k8s.policy.v1.PodDisruptionBudgetSpecArgs(
                selector=label_selector(selector),
                max_unavailable=budget.max_unavailable,
                min_available=budget.min_available,
                unhealthy_pod_eviction_policy="AlwaysAllow",
            ),
            opts=child,
        )
        self._record(name, args)
        self.register_outputs({"serviceName": args.name, "namespace": args.namespace, "port": args.port})

    def _record(self, name: str, args: InferenceServiceArgs) -> None:
        ns = args.namespace
        account = args.service_account or "default"
        where = args.namespace if isinstance(args.namespace, str) else "<namespace>"
        secrets = sorted(
            {f.secret for f in args.secret_files.values()} | {e.secret for e in args.secret_env.values()}
        )
        record_asset(
            AssetRecord(
                name=name,
                kind=KIND,
                ownership=args.ownership,
                exposure="private" if args.load_balancer is None else "internal",
                identities=(text("system:serviceaccount:", ns, ":", account),),
                credentials_to_revoke=tuple(
                    text("Kubernetes Secret ", ns, "/", secret, " (rotate at the cloud secret manager)")
                    for secret in secrets
                ),
                endpoints_to_disable=(text(args.name, ".", ns, ".svc:", str(args.port)),),
                logs_to_preserve=(
                    text("container logs of the pods app.kubernetes.io/name=", args.name, " in ", ns),
                    "Kubernetes audit log (the Deployment, Service and Secrets of the namespace)",
                ),
                containment=f"Scale the Deployment {args.name} to zero (kubectl scale deployment {args.name} "
                f"--replicas=0 -n {where}) and remove its callers from `access` (the ingress NetworkPolicy "
                f"{args.name}-ingress), then rotate the secrets it mounts.",
            )
        )


def _probe(probe: HttpProbe) -> k8s.core.v1.ProbeArgs:
    return k8s.core.v1.ProbeArgs(
        http_get=k8s.core.v1.HTTPGetActionArgs(path=probe.path, port=probe.port or PORT_NAME),
        period_seconds=probe.period_seconds,
        timeout_seconds=probe.timeout_seconds,
        failure_threshold=probe.failure_threshold,
    )


def _pod_spec(args: InferenceServiceArgs) -> k8s.core.v1.PodSpecArgs:
    gpus = {GPU_RESOURCE: str(args.gpus)} if args.gpus else {}
    r = args.resources
    env = [k8s.core.v1.EnvVarArgs(name=key, value=value) for key, value in args.env.items()] + [
        k8s.core.v1.EnvVarArgs(
            name=key,
            value_from=k8s.core.v1.EnvVarSourceArgs(
                secret_key_ref=k8s.core.v1.SecretKeySelectorArgs(name=ref.secret, key=ref.key)
            ),
        )
        for key, ref in args.secret_env.items()
    ]
    volumes = [
        k8s.core.v1.VolumeArgs(
            name=TMP_VOLUME, empty_dir=k8s.core.v1.EmptyDirVolumeSourceArgs(size_limit=args.tmp_size)
        ),
        *(
            k8s.core.v1.VolumeArgs(
                name=volume,
                empty_dir=k8s.core.v1.EmptyDirVolumeSourceArgs(
                    size_limit=s.size_limit, medium="Memory" if s.memory else None
                ),
            )
            for volume, s in args.scratch.items()
        ),
        *(
            k8s.core.v1.VolumeArgs(
                name=volume,
                secret=k8s.core.v1.SecretVolumeSourceArgs(
                    secret_name=f.secret,
                    default_mode=SECRET_FILE_MODE,
                    items=[k8s.core.v1.KeyToPathArgs(key=key, path=path) for key, path in f.keys.items()]
                    or None,
                ),
            )
            for volume, f in args.secret_files.items()
        ),
    ]
    mounts = [
        k8s.core.v1.VolumeMountArgs(name=TMP_VOLUME, mount_path="/tmp"),
        *(
            k8s.core.v1.VolumeMountArgs(name=volume, mount_path=s.mount_path)
            for volume, s in args.scratch.items()
        ),
        *(
            k8s.core.v1.VolumeMountArgs(name=volume, mount_path=f.mount_path, read_only=True)
            for volume, f in args.secret_files.items()
        ),
    ]
    return k8s.core.v1.PodSpecArgs(
        automount_service_account_token=False,
        service_account_name=args.service_account,
        enable_service_links=False,
        security_context=k8s.core.v1.PodSecurityContextArgs(
            run_as_non_root=True,
            run_as_user=args.run_as_user,
            run_as_group=args.run_as_group,
            fs_group=args.run_as_group,
            seccomp_profile=k8s.core.v1.SeccompProfileArgs(type="RuntimeDefault"),
        ),
        node_selector=dict(args.node_selector) or None,
        tolerations=[k8s.core.v1.TolerationArgs(key=GPU_RESOURCE, operator="Exists", effect="NoSchedule")]
        if args.gpus
        else None,
        containers=[
            k8s.core.v1.ContainerArgs(
                name=CONTAINER,
                image=args.image,
                args=list(args.container_args) or None,
                ports=[
                    k8s.core.v1.ContainerPortArgs(name=PORT_NAME, container_port=args.port, protocol="TCP")
                ],
                env=env or None,
                resources=k8s.core.v1.ResourceRequirementsArgs(
                    requests={"cpu": r.cpu_request, "memory": r.memory_request, **gpus},
                    limits={"cpu": r.cpu_limit, "memory": r.memory_limit, **gpus},
                ),
                security_context=k8s.core.v1.SecurityContextArgs(
                    allow_privilege_escalation=False,
                    privileged=False,
                    read_only_root_filesystem=True,
                    run_as_non_root=True,
                    capabilities=k8s.core.v1.CapabilitiesArgs(drop=["ALL"]),
                ),
                readiness_probe=_probe(args.probes.readiness),
                liveness_probe=_probe(args.probes.liveness),
                startup_probe=_probe(args.probes.startup),
                volume_mounts=mounts,
            )
        ],
        volumes=volumes,
    )
