"""Kubernetes network shapes of the GPU namespace and the inference service: labels, peers, ports, CIDR blocks.

A peer is always named: pods of the policy's own namespace, pods of a namespace given by name (matched on its
immutable ``kubernetes.io/metadata.name`` label) or of namespaces carrying given labels, or an IP block. An
empty namespace selector (every namespace of the cluster) cannot be written; ``0.0.0.0/0`` and ``::/0`` need a
justification, which lands in the NetworkPolicy's ``aiwarden.io/aiwarden-exception`` annotation.

NetworkPolicies only filter traffic on a CNI that enforces them (EKS VPC CNI with its network policy agent,
GKE Dataplane V2, Calico, Cilium); traffic from the node a pod runs on (kubelet probes) is always allowed.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Literal

import pulumi_kubernetes as k8s
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from aiwarden_policies.contract import vocabulary as v
from components._common import configured_vocabulary
from components._common.cidrs import IpCidr, is_world
from components._common.exposure import Justification
from components.k8s.external_secret import DnsLabel

#: The label every namespace carries with its own name (Kubernetes 1.21+, set by the API server, immutable).
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
_LABEL_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]"
_LABEL_PREFIX = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL_NAME_RE = re.compile(rf"^{_LABEL_NAME}$")


def _label_key(value: str) -> str:
    prefix, slash, name = value.rpartition("/")
    if (slash and (not _LABEL_PREFIX.match(prefix) or len(prefix) > 253)) or not _LABEL_NAME_RE.match(name):
        raise ValueError(
            f"{value!r} is not a Kubernetes label key: [<DNS subdomain prefix>/]<name>, the name 1-63 letters, "
            "digits, '-', '_' or '.', starting and ending with a letter or digit (e.g. app.kubernetes.io/name)"
        )
    return value


LabelKey = Annotated[
    str,
    AfterValidator(_label_key),
    Field(description="Kubernetes label key, `[prefix/]name`, e.g. `app.kubernetes.io/name`."),
]
LabelValue = Annotated[
    str,
    Field(
        pattern=rf"^({_LABEL_NAME})?$",
        description="Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', starting and ending "
        "with a letter or digit (or empty).",
    ),
]
Labels = Annotated[
    dict[LabelKey, LabelValue], Field(max_length=20, description="Label key -> value (all must match).")
]


def _inside(
    inner: ipaddress.IPv4Network | ipaddress.IPv6Network, outer: ipaddress.IPv4Network | ipaddress.IPv6Network
) -> bool:
    return inner.network_address in outer and inner.broadcast_address in outer


class PodPeer(BaseModel):
    """Pods, by namespace and labels: the pods of the policy's own namespace unless a namespace is named."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["pods"] = "pods"
    namespace: DnsLabel | None = Field(
        default=None,
        description="The pods' namespace, by name (its immutable `kubernetes.io/metadata.name` label); default: "
        "the policy's own namespace (unless `namespace_labels` is given).",
    )
    namespace_labels: Labels = Field(
        default_factory=dict,
        description="Namespaces carrying all these labels, instead of `namespace` (whoever may label namespaces "
        "may then join: prefer `namespace`). An empty namespace selector (every namespace) is not accepted.",
    )
    pod_labels: Labels = Field(
        default_factory=dict,
        description="Pods carrying all these labels; empty: every pod of the selected namespace(s).",
    )

    @model_validator(mode="after")
    def _one_namespace_choice(self) -> PodPeer:
        if self.namespace is not None and self.namespace_labels:
            raise ValueError("give `namespace` (one namespace, by name) or `namespace_labels`, not both")
        return self


class CidrPeer(BaseModel):
    """An IP block (outside the cluster's pod network: pod IPs change, select pods with ``PodPeer``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["cidr"] = "cidr"
    cidr: IpCidr = Field(description="The block; 0.0.0.0/0 and ::/0 need `justification`.")
    except_cidrs: tuple[IpCidr, ...] = Field(
        default=(), max_length=20, description="Blocks inside `cidr` that are excluded."
    )
    justification: Justification | None = Field(
        default=None,
        description="Required for 0.0.0.0/0 or ::/0 (every address): why, who approved it, until when. Lands in "
        "the NetworkPolicy's `aiwarden.io/aiwarden-exception` annotation.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> CidrPeer:
        if is_world(self.cidr) and self.justification is None:
            raise ValueError(
                f"cidr {self.cidr} is every address (controls NET-1, NET-3): name the ranges the workload needs "
                "(a VPC, a VPC endpoint subnet, a provider's published range), or give `justification` (why, who "
                "approved it, until when)"
            )
        outer = ipaddress.ip_network(self.cidr)
        for inner in self.except_cidrs:
            block = ipaddress.ip_network(inner)
            if block.version != outer.version or block == outer or not _inside(block, outer):
                raise ValueError(f"except_cidrs: {inner} is not a block strictly inside {self.cidr}")
        return self


Peer = Annotated[PodPeer | CidrPeer, Field(discriminator="kind")]


class Port(BaseModel):
    """A port (or a range up to ``end_port``) and protocol."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    port: int = Field(ge=1, le=65535, description="Port number (on the pod: the container port).")
    end_port: int | None = Field(
        default=None, ge=1, le=65535, description="Last port of a range starting at `port`."
    )
    protocol: Literal["TCP", "UDP", "SCTP"] = Field(default="TCP", description="Kubernetes default: TCP.")

    @model_validator(mode="after")
    def _range(self) -> Port:
        if self.end_port is not None and self.end_port < self.port:
            raise ValueError(f"end_port {self.end_port} is below port {self.port}")
        return self


def label_selector(labels: Mapping[str, str]) -> k8s.meta.v1.LabelSelectorArgs:
    """``matchLabels`` of ``labels``; empty: the empty selector (every pod of the namespace)."""
    return k8s.meta.v1.LabelSelectorArgs(match_labels=dict(labels) or None)


def peer_args(peer: PodPeer | CidrPeer) -> k8s.networking.v1.NetworkPolicyPeerArgs:
    """The NetworkPolicy peer of ``peer``."""
    if isinstance(peer, CidrPeer):
        return k8s.networking.v1.NetworkPolicyPeerArgs(
            ip_block=k8s.networking.v1.IPBlockArgs(cidr=peer.cidr, except_=list(peer.except_cidrs) or None)
        )
    if peer.namespace is not None:
        namespaces = {NAMESPACE_NAME_LABEL: peer.namespace}
    else:
        namespaces = dict(peer.namespace_labels)
    if not namespaces:  # the policy's own namespace: a pod selector alone
        return k8s.networking.v1.NetworkPolicyPeerArgs(pod_selector=label_selector(peer.pod_labels))
    return k8s.networking.v1.NetworkPolicyPeerArgs(
        namespace_selector=label_selector(namespaces),
        pod_selector=label_selector(peer.pod_labels) if peer.pod_labels else None,
    )


def port_args(port: Port) -> k8s.networking.v1.NetworkPolicyPortArgs:
    return k8s.networking.v1.NetworkPolicyPortArgs(
        port=port.port, end_port=port.end_port, protocol=port.protocol
    )


def justifications(peers: Iterable[PodPeer | CidrPeer]) -> list[str]:
    """The justifications given for IP blocks (required for every address), as ``<cidr>: <why>``."""
    return [f"{p.cidr}: {p.justification}" for p in peers if isinstance(p, CidrPeer) and p.justification]


def exception_annotation(justifications: Iterable[str]) -> dict[str, str]:
    """``aiwarden.io/aiwarden-exception`` (under the vocabulary's Kubernetes prefix) with the justifications of
    the insecure choices made by name, or nothing."""
    text = "; ".join(justifications)
    return {configured_vocabulary().k8s_label_prefix + v.EXCEPTION: text} if text else {}
