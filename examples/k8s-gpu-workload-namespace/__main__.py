"""The fraud-scoring team's GPU namespace on EKS: restricted pods, default-deny traffic, at most 8 GPUs, and an
IAM role for its workloads through EKS Pod Identity."""

from components._common import Ownership, export_inventory
from components.k8s import (
    AllowRule,
    CidrPeer,
    ComputeQuota,
    EksPodIdentity,
    GpuWorkloadNamespace,
    GpuWorkloadNamespaceArgs,
    PodPeer,
    Port,
    WorkloadServiceAccount,
)

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
fraud = GpuWorkloadNamespace(
    "fraud-scoring",
    GpuWorkloadNamespaceArgs(
        ownership=ownership,
        namespace="fraud-scoring",
        quota=ComputeQuota(gpus=8, requests_cpu="64", requests_memory="512Gi"),
        allow={
            # the API gateway's pods call the model servers
            "from-gateway": AllowRule(
                direction="ingress",
                peers=(PodPeer(namespace="api-gateway", pod_labels={"app.kubernetes.io/name": "gateway"}),),
                ports=(Port(port=8080),),
            ),
            # model weights from S3 and secrets through the VPC's interface endpoints
            "to-vpc-endpoints": AllowRule(
                direction="egress",
                peers=(CidrPeer(cidr="10.20.0.0/24"),),
                ports=(Port(port=443),),
            ),
        },
        service_account=WorkloadServiceAccount(
            name="scorer",
            identity=EksPodIdentity(
                cluster_name="ml-platform", role_arn="arn:aws:iam::123456789012:role/fraud-scoring-inference"
            ),
        ),
    ),
)
export_inventory()
