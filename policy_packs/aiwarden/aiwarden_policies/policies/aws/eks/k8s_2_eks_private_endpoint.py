"""K8S-2: the Kubernetes API server of an EKS cluster is private, or public only to named networks.

Applied to every EKS cluster: the catalog scopes K8S-2 to Kubernetes clusters, the pack has no notion of
an "AI cluster" (``assets`` classifies node groups, not clusters) and the workloads a cluster will run are
not visible to a check on the cluster.

Absent values are AWS's defaults: ``vpcConfig.endpointPublicAccess`` absent is true (public endpoint), and
``publicAccessCidrs`` absent, or empty, on a public endpoint is ["0.0.0.0/0"]. A public endpoint passes
only with a non-empty ``publicAccessCidrs`` that lists neither 0.0.0.0/0 nor ::/0.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.contract.values import items
from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.eks import CLUSTER
from aiwarden_policies.lib.network import world_cidrs

SPEC = Spec(
    control="K8S-2",
    name="k8s-2-eks-private-endpoint",
    description=(
        "EKS clusters set vpcConfig.endpointPublicAccess = false, or keep the public endpoint only with "
        "vpcConfig.publicAccessCidrs naming the networks allowed (never 0.0.0.0/0); AWS's default is a "
        "public endpoint open to 0.0.0.0/0."
    ),
    remediation_steps=(
        "Set `vpc_config=aws.eks.ClusterVpcConfigArgs(endpoint_private_access=True, endpoint_public_access=False, "
        "...)` and reach the API server from the VPC (VPN, bastion, CI runners in the VPC). If a public endpoint "
        "is unavoidable, set `public_access_cidrs` to the named networks that need it (office egress, CI)."
    ),
    resource_types=(CLUSTER,),
    security_hub=("EKS.1",),
)


@resource_policy(SPEC)
def k8s_2_eks_private_endpoint(r: Resource) -> Iterable[str]:
    public = r.get("vpcConfig.endpointPublicAccess")
    if public is False:
        return
    found = "is not set (AWS default: true)" if public is None else f"is {public!r}"
    cidrs = [str(c) for c in items(r.get("vpcConfig.publicAccessCidrs"))]
    if not cidrs:
        yield (
            f"EKS cluster {r.name!r}: vpcConfig.endpointPublicAccess {found} and vpcConfig.publicAccessCidrs "
            "is not set (AWS default: 0.0.0.0/0), so the API server is open to the internet; set "
            "endpointPublicAccess = false, or publicAccessCidrs to named networks."
        )
        return
    world = world_cidrs(cidrs)
    if world:
        yield (
            f"EKS cluster {r.name!r}: vpcConfig.endpointPublicAccess {found} and vpcConfig.publicAccessCidrs "
            f"contains {', '.join(world)}, so the API server is open to the internet; list named networks "
            "only, or set endpointPublicAccess = false."
        )
