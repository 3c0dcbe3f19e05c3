"""GpuWorkloadNamespace: a namespace where GPU workloads run restricted, isolated and capped.

The namespace enforces the restricted Pod Security Standard (enforce, warn and audit labels); a NetworkPolicy
denies all ingress and egress to every pod, and further policies allow DNS to kube-dns, the cloud credential
endpoint when an identity is bound, and each named rule;
a ResourceQuota caps GPUs (``requests.nvidia.com/gpu``, within the stack's GPU ceiling), CPU and memory; a
LimitRange gives containers default requests and limits; the workload ServiceAccount mounts no API token and,
when asked, is bound to a cloud identity (EKS Pod Identity or GKE Workload Identity). Controls NET-2, GPU-5,
K8S-1, GPU-3 (workloads get their own identities), INV-1.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_kubernetes as k8s
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import assets
from components._common import AssetRecord, Ownership, record_asset
from components._common.inventory import asset_kind
from components._common.ownership import Slug
from components.aws._identifiers import EksClusterName, RoleArn
from components.gcp._principals import ProjectId, ServiceAccountMember, member_email, service_account_project
from components.k8s._network import (
    Labels,
    Peer,
    PodPeer,
    Port,
    exception_annotation,
    justifications,
    label_selector,
    peer_args,
    port_args,
)
from components.k8s._resources import (
    GPU_QUOTA_KEY,
    CpuQuantity,
    MemoryQuantity,
    amount,
    check_gpus,
    check_requests_within_limits,
)
from components.k8s.external_secret import DnsLabel, DnsSubdomain

TYPE = "aiwarden:k8s:GpuWorkloadNamespace"
KIND = asset_kind(assets.GPU_COMPUTE)
PSA_LABEL = "pod-security.kubernetes.io/"
RESTRICTED = "restricted"
#: kube-dns / CoreDNS pods (EKS CoreDNS and GKE kube-dns both carry ``k8s-app: kube-dns``) in kube-system.
KUBE_DNS = {"k8s-app": "kube-dns"}
#: Link-local resolvers some clusters point pods at instead of kube-dns: NodeLocal DNSCache, and GKE Cloud DNS
#: (the node's metadata server answers DNS on 169.254.169.254; only port 53 is opened to it).
DNS_RESOLVER_BLOCKS = {"node-local-dns": "169.254.20.10/32", "gke-cloud-dns": "169.254.169.254/32"}
#: Where pods fetch cloud credentials, host-network endpoints a default-deny egress policy also blocks: the EKS
#: Pod Identity Agent (169.254.170.23:80; an IPv6 cluster adds an allow rule to fd00:ec2::23/128) and the GKE
#: metadata server (169.254.169.254:80; 169.254.169.252:988 on clusters without Dataplane V2).
CREDENTIAL_ENDPOINTS: dict[str, tuple[tuple[str, int], ...]] = {
    "eks-pod-identity": (("169.254.170.23/32", 80),),
    "gke-workload-identity": (("169.254.169.254/32", 80), ("169.254.169.252/32", 988)),
}
#: Names of the NetworkPolicies the component always or optionally creates (an allow rule may not take them).
RESERVED_RULES = frozenset({"dns", "cloud-identity"})
WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"
GKE_SA_ANNOTATION = "iam.gke.io/gcp-service-account"
#: Namespaces of the cluster itself or Kubernetes' catch-all: AI workloads get a namespace of their own.
RESERVED_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})

DnsResolver = Literal["kube-dns", "node-local-dns", "gke-cloud-dns"]
PsaVersion = Annotated[
    str,
    Field(
        pattern=r"^(latest|v1\.[0-9]{1,2})$",
        description="Pod Security Standards version: `latest` or `v1.<minor>`.",
    ),
]


def _workload_namespace(value: str) -> str:
    if value in RESERVED_NAMESPACES:
        raise ValueError(
            f"{value!r} belongs to the cluster (or is Kubernetes' catch-all namespace): GPU workloads get a namespace "
            "of their own; name a new one, e.g. 'fraud-scoring'"
        )
    return value


WorkloadNamespaceName = Annotated[DnsLabel, AfterValidator(_workload_namespace)]


class ComputeQuota(BaseModel):
    """What all pods of the namespace may request together (``ResourceQuota.spec.hard``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    gpus: int = Field(
        ge=0,
        description="`requests.nvidia.com/gpu`: GPUs all pods may request together; at most the stack's ceiling "
        "(stack config `aiwarden:maxGpusPerNamespace`, default 16). Kubernetes default: no quota.",
    )
    requests_cpu: CpuQuantity = Field(description="`requests.cpu`: total CPU requests.")
    requests_memory: MemoryQuantity = Field(description="`requests.memory`: total memory requests.")
    limits_cpu: CpuQuantity | None = Field(
        default=None, description="`limits.cpu`: total CPU limits; default: `requests_cpu`."
    )
    limits_memory: MemoryQuantity | None = Field(
        default=None, description="`limits.memory`: total memory limits; default: `requests_memory`."
    )
    pods: int | None = Field(
        default=None, ge=1, le=10000, description="`pods`: most pods at once; default: no pod count quota."
    )

    @model_validator(mode="after")
    def _within(self) -> ComputeQuota:
        check_gpus("quota.gpus", self.gpus, "the namespace quota allows")
        for resource in ("cpu", "memory"):
            limit = getattr(self, f"limits_{resource}")
            request = getattr(self, f"requests_{resource}")
            if limit is not None and amount(request) > amount(limit):
                raise ValueError(
                    f"quota.requests_{resource} {request} is above quota.limits_{resource} {limit}: every container's "
                    "requests are at most its limits, so the request quota could never be reached; lower it"
                )
        return self

    def hard(self) -> dict[str, str]:
        hard = {
            GPU_QUOTA_KEY: str(self.gpus),
            "requests.cpu": self.requests_cpu,
            "requests.memory": self.requests_memory,
            "limits.cpu": self.limits_cpu or self.requests_cpu,
            "limits.memory": self.limits_memory or self.requests_memory,
        }
        if self.pods is not None:
            hard["pods"] = str(self.pods)
        return hard


class ContainerDefaults(BaseModel):
    """Requests and limits a container gets when it sets none (``LimitRange`` of type Container)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    cpu_request: CpuQuantity = Field(default="250m", description="`defaultRequest.cpu`.")
    cpu_limit: CpuQuantity = Field(default="1", description="`default.cpu` (the default limit).")
    memory_request: MemoryQuantity = Field(default="512Mi", description="`defaultRequest.memory`.")
    memory_limit: MemoryQuantity = Field(default="1Gi", description="`default.memory` (the default limit).")

    @model_validator(mode="after")
    def _requests_within_limits(self) -> ContainerDefaults:
        check_requests_within_limits(
            self,
            "container_defaults",
            "the API server refuses a LimitRange whose default request exceeds its default limit",
        )
        return self


class AllowRule(BaseModel):
    """Traffic allowed past the default deny: one direction, named peers, named ports."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    direction: Literal["ingress", "egress"] = Field(
        description="`ingress`: the peers may connect to the pods; `egress`: the pods may connect to the peers."
    )
    peers: tuple[Peer, ...] = Field(
        min_length=1,
        max_length=20,
        description="Who: `PodPeer` (pods of this or a named namespace, by labels) or `CidrPeer` (an IP block; "
        "0.0.0.0/0 only with a justification).",
    )
    ports: tuple[Port, ...] = Field(
        min_length=1, max_length=20, description="On which ports (of the destination pod or address)."
    )
    pod_labels: Labels = Field(
        default_factory=dict,
        description="The pods of this namespace the rule applies to; empty: every pod of the namespace.",
    )


class EksPodIdentity(BaseModel):
    """The workload ServiceAccount acts as an IAM role through EKS Pod Identity."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["eks-pod-identity"] = "eks-pod-identity"
    cluster_name: EksClusterName = Field(
        description="EKS cluster name (a string or an Output, passed through)."
    )
    role_arn: RoleArn = Field(
        description="IAM role the pods get (a string or an Output, passed through); its trust policy must allow "
        "`pods.eks.amazonaws.com` `sts:AssumeRole` and `sts:TagSession`."
    )


class GkeWorkloadIdentity(BaseModel):
    """The workload ServiceAccount acts as a Google service account through GKE Workload Identity."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["gke-workload-identity"] = "gke-workload-identity"
    service_account: ServiceAccountMember = Field(
        description="The Google service account, `serviceAccount:<name>@<project>.iam.gserviceaccount.com` "
        "(user-managed; default compute service accounts are refused)."
    )
    cluster_project: ProjectId = Field(
        description="Project of the GKE cluster: its workload identity pool `<project>.svc.id.goog`."
    )


CloudIdentity = Annotated[EksPodIdentity | GkeWorkloadIdentity, Field(discriminator="kind")]


class WorkloadServiceAccount(BaseModel):
    """The ServiceAccount the namespace's workloads run as."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    name: DnsSubdomain = Field(default="workload", description="ServiceAccount name.")
    identity: CloudIdentity | None = Field(
        default=None,
        description="Cloud identity binding: `EksPodIdentity(cluster_name, role_arn)` or "
        "`GkeWorkloadIdentity(service_account, cluster_project)`; default: none (no cloud credentials).",
    )


class GpuWorkloadNamespaceArgs(BaseModel):
    """Inputs of ``GpuWorkloadNamespace``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification: labels on every object.")
    namespace: WorkloadNamespaceName = Field(
        description="Namespace name (RFC 1123 label); `default` and the kube-* namespaces are refused."
    )
    quota: ComputeQuota = Field(
        description="ResourceQuota: GPUs (`requests.nvidia.com/gpu`), CPU and memory requests and limits, pods. "
        "Kubernetes default: no quota."
    )
    container_defaults: ContainerDefaults = Field(
        default_factory=ContainerDefaults,
        description="LimitRange: default requests/limits of containers that set none (required by the CPU and "
        "memory quota). Kubernetes default: none (such pods are refused under a quota).",
    )
    allow: dict[Slug, AllowRule] = Field(
        default_factory=dict,
        description="Named allow rules past the default deny, each a NetworkPolicy `allow-<name>` (the names "
        "`dns` and `cloud-identity` are taken). Kubernetes default: all traffic allowed.",
    )
    dns_resolvers: tuple[DnsResolver, ...] = Field(
        default=("kube-dns",),
        min_length=1,
        description="Where pods resolve names (UDP/TCP 53 only): `kube-dns` (pods `k8s-app=kube-dns` in "
        "kube-system), `node-local-dns` (NodeLocal DNSCache, 169.254.20.10), `gke-cloud-dns` (GKE Cloud DNS, "
        "169.254.169.254).",
    )
    pod_security_version: PsaVersion = Field(
        default="latest",
        description="`pod-security.kubernetes.io/enforce-version` (warn and audit always use `latest`, so new "
        "restrictions show before they are enforced). Kubernetes default: latest.",
    )
    service_account: WorkloadServiceAccount = Field(
        default_factory=WorkloadServiceAccount,
        description="The workloads' ServiceAccount (`automountServiceAccountToken: false`), optionally bound to "
        "a cloud identity.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> GpuWorkloadNamespaceArgs:
        taken = sorted(RESERVED_RULES & set(self.allow))
        if taken:
            raise ValueError(
                f"allow.{taken[0]}: the name is taken by the component's own NetworkPolicy allow-{taken[0]}; "
                "rename the rule"
            )
        if self.service_account.name == "default":
            raise ValueError(
                "service_account.name: 'default' is the account every pod of the namespace gets unless it names "
                "another; give the workload its own, e.g. 'workload'"
            )
        defaults = self.container_defaults
        for resource, limit in (
            ("cpu", self.quota.limits_cpu or self.quota.requests_cpu),
            ("memory", self.quota.limits_memory or self.quota.requests_memory),
        ):
            default_limit = getattr(defaults, f"{resource}_limit")
            if amount(default_limit) > amount(limit):
                raise ValueError(
                    f"container_defaults.{resource}_limit {default_limit} is above the namespace quota "
                    f"limits.{resource} {limit}: a container using the default could never start; lower it"
                )
        return self


class GpuWorkloadNamespace(pulumi.ComponentResource):
    """A restricted, default-deny, GPU-capped namespace with a token-less workload ServiceAccount.

    Children: ``namespace`` (`<name>-namespace`), ``default_deny`` (`<name>-default-deny`, NetworkPolicy
    `default-deny`), ``allow_dns`` (`<name>-allow-dns`), ``allow_cloud_identity`` (`<name>-allow-cloud-identity`,
    egress to the Pod Identity Agent / GKE metadata server, with an identity), ``allow_rules``
    (`<name>-allow-<rule>`), ``quota`` (`<name>-quota`, ResourceQuota `compute`), ``limit_range``
    (`<name>-limits`, LimitRange `container-defaults`), ``service_account`` (`<name>-service-account`),
    ``pod_identity`` (`<name>-pod-identity`, EKS) or ``workload_identity`` (`<name>-workload-identity`, GKE)
    when an identity is given. Attributes ``name`` (the namespace name; an object given it waits for every
    child) and ``service_account_name``. Outputs: ``namespace``, ``serviceAccount``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("NET-2", "GPU-5", "K8S-1", "GPU-3", "INV-1", "INV-2", "IR-1")

    def __init__(
        self, name: str, args: GpuWorkloadNamespaceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        labels = args.ownership.k8s_labels()
        annotations = args.ownership.k8s_annotations()
        psa = {
            f"{PSA_LABEL}enforce": RESTRICTED,
            f"{PSA_LABEL}enforce-version": args.pod_security_version,
            f"{PSA_LABEL}warn": RESTRICTED,
            f"{PSA_LABEL}warn-version": "latest",
            f"{PSA_LABEL}audit": RESTRICTED,
            f"{PSA_LABEL}audit-version": "latest",
        }
        child = pulumi.ResourceOptions(parent=self)
        self.namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata=k8s.meta.v1.ObjectMetaArgs(
                name=args.namespace, labels={**labels, **psa}, annotations=annotations or None
            ),
            opts=child,
        )
        namespace_name: pulumi.Output[str] = self.namespace.metadata.name

        def meta(object_name: str, extra: dict[str, str] | None = None) -> k8s.meta.v1.ObjectMetaArgs:
            merged = {**annotations, **(extra or {})}
            return k8s.meta.v1.ObjectMetaArgs(
                name=object_name, namespace=namespace_name, labels=labels, annotations=merged or None
            )

        self.default_deny = k8s.networking.v1.NetworkPolicy(
            f"{name}-default-deny",
            metadata=meta("default-deny"),
            spec=k8s.networking.v1.NetworkPolicySpecArgs(
                pod_selector=label_selector({}), policy_types=["Ingress", "Egress"]
            ),
            opts=child,
        )
        self.allow_dns = k8s.networking.v1.NetworkPolicy(
            f"{name}-allow-dns",
            metadata=meta("allow-dns"),
            spec=k8s.networking.v1.NetworkPolicySpecArgs(
                pod_selector=label_selector({}),
                policy_types=["Egress"],
                egress=[
                    k8s.networking.v1.NetworkPolicyEgressRuleArgs(
                        to=_dns_peers(args.dns_resolvers),
                        ports=[
                            port_args(Port(port=53, protocol="UDP")),
                            port_args(Port(port=53, protocol="TCP")),
                        ],
                    )
                ],
            ),
            opts=child,
        )
        identity = args.service_account.identity
        #: Egress to where pods fetch cloud credentials (``allow-cloud-identity``), when an identity is bound.
        self.allow_cloud_identity: k8s.networking.v1.NetworkPolicy | None = None
        if identity is not None:
            self.allow_cloud_identity = k8s.networking.v1.NetworkPolicy(
                f"{name}-allow-cloud-identity",
                metadata=meta("allow-cloud-identity"),
                spec=k8s.networking.v1.NetworkPolicySpecArgs(
                    pod_selector=label_selector({}),
                    policy_types=["Egress"],
                    egress=[
                        k8s.networking.v1.NetworkPolicyEgressRuleArgs(
                            to=[
                                k8s.networking.v1.NetworkPolicyPeerArgs(
                                    ip_block=k8s.networking.v1.IPBlockArgs(cidr=cidr)
                                )
                            ],
                            ports=[port_args(Port(port=port))],
                        )
                        for cidr, port in CREDENTIAL_ENDPOINTS[identity.kind]
                    ],
                ),
                opts=child,
            )
        self.allow_rules = {
            rule_name: k8s.networking.v1.NetworkPolicy(
                f"{name}-allow-{rule_name}",
                metadata=meta(f"allow-{rule_name}", exception_annotation(justifications(rule.peers))),
                spec=_rule_spec(rule),
                opts=child,
            )
            for rule_name, rule in args.allow.items()
        }
        self.quota = k8s.core.v1.ResourceQuota(
            f"{name}-quota",
            metadata=meta("compute"),
            spec=k8s.core.v1.ResourceQuotaSpecArgs(hard=args.quota.hard()),
            opts=child,
        )
        defaults = args.container_defaults
        self.limit_range = k8s.core.v1.LimitRange(
            f"{name}-limits",
            metadata=meta("container-defaults"),
            spec=k8s.core.v1.LimitRangeSpecArgs(
                limits=[
                    k8s.core.v1.LimitRangeItemArgs(
                        type="Container",
                        default={"cpu": defaults.cpu_limit, "memory": defaults.memory_limit},
                        default_request={"cpu": defaults.cpu_request, "memory": defaults.memory_request},
                    )
                ]
            ),
            opts=child,
        )
        account = args.service_account
        gke_annotation = (
            {GKE_SA_ANNOTATION: member_email(identity.service_account)}
            if isinstance(identity, GkeWorkloadIdentity)
            else {}
        )
        #: The workload ServiceAccount's name (pods name it in ``serviceAccountName``).
        self.service_account_name: str = account.name
        self.service_account = k8s.core.v1.ServiceAccount(
            f"{name}-service-account",
            metadata=meta(account.name, gke_annotation),
            automount_service_account_token=False,
            opts=child,
        )
        self.pod_identity: pulumi.CustomResource | None = None
        self.workload_identity: pulumi.CustomResource | None = None
        if isinstance(identity, EksPodIdentity):
            import pulumi_aws as aws

            from components.aws._tags import aws_tags

            self.pod_identity = aws.eks.PodIdentityAssociation(
                f"{name}-pod-identity",
                cluster_name=identity.cluster_name,
                namespace=args.namespace,
                service_account=account.name,
                role_arn=identity.role_arn,
                tags=aws_tags(args.ownership),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.service_account]),
            )
        elif isinstance(identity, GkeWorkloadIdentity):
            import pulumi_gcp as gcp

            email = member_email(identity.service_account)
            self.workload_identity = gcp.serviceaccount.IAMMember(
                f"{name}-workload-identity",
                service_account_id=f"projects/{service_account_project(email)}/serviceAccounts/{email}",
                role=WORKLOAD_IDENTITY_USER,
                member=ksa_member(identity.cluster_project, args.namespace, account.name),
                opts=child,
            )
        #: The namespace name, for workloads: known at preview, and an object given it waits for every child (no
        #: pod starts before the default deny, the quota, the container defaults and its ServiceAccount exist).
        self.name: pulumi.Output[str] = pulumi.Output.all(
            namespace_name, *(child.urn for child in self._children())
        ).apply(lambda values: str(values[0]))
        self._record(name, args)
        self.register_outputs({"namespace": self.name, "serviceAccount": account.name})

    def _children(self) -> list[pulumi.Resource]:
        optional = [self.allow_cloud_identity, self.pod_identity, self.workload_identity]
        return [
            self.default_deny,
            self.allow_dns,
            *self.allow_rules.values(),
            self.quota,
            self.limit_range,
            self.service_account,
            *(r for r in optional if r is not None),
        ]

    def _record(self, name: str, args: GpuWorkloadNamespaceArgs) -> None:
        account = args.service_account
        kubernetes_identity = f"system:serviceaccount:{args.namespace}:{account.name}"
        identity = account.identity
        cloud: tuple[Any, ...] = ()
        logs = [
            f"Kubernetes audit log (namespace {args.namespace})",
            "container logs of the namespace's pods",
        ]
        binding = ""
        if isinstance(identity, EksPodIdentity):
            cloud = (identity.role_arn,)
            logs.append("CloudTrail: eks-auth AssumeRoleForPodIdentity and the role's API calls")
            binding = f", delete the EKS Pod Identity association {name}-pod-identity and revoke the role's sessions"
        elif isinstance(identity, GkeWorkloadIdentity):
            cloud = (identity.service_account,)
            logs.append(f"Cloud Audit Logs of the calls made as {member_email(identity.service_account)}")
            binding = f", remove the Workload Identity binding {name}-workload-identity"
        record_asset(
            AssetRecord(
                name=name,
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=(kubernetes_identity, *cloud),
                credentials_to_revoke=cloud or (kubernetes_identity,),
                logs_to_preserve=tuple(logs),
                containment=f"Set the {args.namespace} quota's {GPU_QUOTA_KEY} to 0 and scale its workloads to zero "
                f"(kubectl scale deployment --all --replicas=0 -n {args.namespace}){binding}; the default-deny "
                "NetworkPolicy stays.",
            )
        )


def ksa_member(cluster_project: str, namespace: str, service_account: str) -> str:
    """The IAM member of a Kubernetes ServiceAccount in a GKE workload identity pool."""
    return f"serviceAccount:{cluster_project}.svc.id.goog[{namespace}/{service_account}]"


def _dns_peers(resolvers: tuple[str, ...]) -> list[k8s.networking.v1.NetworkPolicyPeerArgs]:
    peers = []
    for resolver in dict.fromkeys(resolvers):
        if resolver == "kube-dns":
            peers.append(peer_args(PodPeer(namespace="kube-system", pod_labels=KUBE_DNS)))
        else:
            peers.append(
                k8s.networking.v1.NetworkPolicyPeerArgs(
                    ip_block=k8s.networking.v1.IPBlockArgs(cidr=DNS_RESOLVER_BLOCKS[resolver])
                )
            )
    return peers


def _rule_spec(rule: AllowRule) -> k8s.networking.v1.NetworkPolicySpecArgs:
    peers = [peer_args(p) for p in rule.peers]
    ports = [port_args(p) for p in rule.ports]
    if rule.direction == "ingress":
        return k8s.networking.v1.NetworkPolicySpecArgs(
            pod_selector=label_selector(rule.pod_labels),
            policy_types=["Ingress"],
            ingress=[k8s.networking.v1.NetworkPolicyIngressRuleArgs(from_=peers, ports=ports)],
        )
    return k8s.networking.v1.NetworkPolicySpecArgs(
        pod_selector=label_selector(rule.pod_labels),
        policy_types=["Egress"],
        egress=[k8s.networking.v1.NetworkPolicyEgressRuleArgs(to=peers, ports=ports)],
    )
