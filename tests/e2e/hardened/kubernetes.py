"""Hardened Kubernetes twin of the insecure programs: namespaces with restricted Pod Security, a default-deny
NetworkPolicy and a GPU quota; a model server and a training Job with pinned images and restricted security
contexts, so that the aiwarden pack reports nothing."""

import pulumi_kubernetes as k8s

from components._common import AssetRecord, Ownership, export_inventory, record_asset, stamp_ownership

OWNERSHIP = Ownership(
    owner="ml-platform",
    environment="production",
    data_classification="confidential",
    purpose="fraud-scoring",
    contact="ml-platform@example.com",
)
stamp_ownership(OWNERSHIP)

REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
SERVER_IMAGE = f"{REGISTRY}/model-server@sha256:" + "a" * 64
TRAIN_IMAGE = f"{REGISTRY}/train@sha256:" + "b" * 64


def namespace(name: str) -> k8s.core.v1.Namespace:
    """A namespace enforcing the restricted Pod Security Standard, denying all traffic by default and
    allowing DNS egress only."""
    ns = k8s.core.v1.Namespace(
        name,
        metadata=k8s.meta.v1.ObjectMetaArgs(
            name=name, labels={"pod-security.kubernetes.io/enforce": "restricted"}
        ),
    )
    k8s.networking.v1.NetworkPolicy(
        f"{name}-default-deny",
        metadata=k8s.meta.v1.ObjectMetaArgs(namespace=ns.metadata.name),
        spec=k8s.networking.v1.NetworkPolicySpecArgs(
            pod_selector=k8s.meta.v1.LabelSelectorArgs(), policy_types=["Ingress", "Egress"]
        ),
    )
    k8s.networking.v1.NetworkPolicy(
        f"{name}-allow-dns",
        metadata=k8s.meta.v1.ObjectMetaArgs(namespace=ns.metadata.name),
        spec=k8s.networking.v1.NetworkPolicySpecArgs(
            pod_selector=k8s.meta.v1.LabelSelectorArgs(),
            policy_types=["Egress"],
            egress=[
                k8s.networking.v1.NetworkPolicyEgressRuleArgs(
                    ports=[k8s.networking.v1.NetworkPolicyPortArgs(port=53, protocol="UDP")]
                )
            ],
        ),
    )
    return ns


def pod(
    image: str, resources: dict[str, dict[str, str]], restart_policy: str | None = None
) -> k8s.core.v1.PodSpecArgs:
    """A pod that runs as non-root with a read-only root filesystem, no capabilities and no API token."""
    return k8s.core.v1.PodSpecArgs(
        automount_service_account_token=False,
        restart_policy=restart_policy,
        security_context=k8s.core.v1.PodSecurityContextArgs(
            run_as_non_root=True,
            run_as_user=10001,
            seccomp_profile=k8s.core.v1.SeccompProfileArgs(type="RuntimeDefault"),
        ),
        containers=[
            k8s.core.v1.ContainerArgs(
                name="main",
                image=image,
                security_context=k8s.core.v1.SecurityContextArgs(
                    allow_privilege_escalation=False,
                    read_only_root_filesystem=True,
                    capabilities=k8s.core.v1.CapabilitiesArgs(drop=["ALL"]),
                ),
                resources=k8s.core.v1.ResourceRequirementsArgs(**resources),
                volume_mounts=[k8s.core.v1.VolumeMountArgs(name="tmp", mount_path="/tmp")],
            )
        ],
        volumes=[k8s.core.v1.VolumeArgs(name="tmp", empty_dir=k8s.core.v1.EmptyDirVolumeSourceArgs())],
    )


# -- inference: a Deployment behind a ClusterIP Service ------------------------------------------------
inference = namespace("inference")
APP = {"app": "model-server"}
k8s.apps.v1.Deployment(
    "model-server",
    metadata=k8s.meta.v1.ObjectMetaArgs(namespace=inference.metadata.name),
    spec=k8s.apps.v1.DeploymentSpecArgs(
        replicas=2,
        selector=k8s.meta.v1.LabelSelectorArgs(match_labels=APP),
        template=k8s.core.v1.PodTemplateSpecArgs(
            metadata=k8s.meta.v1.ObjectMetaArgs(labels=APP),
            spec=pod(
                SERVER_IMAGE,
                {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}},
            ),
        ),
    ),
)
k8s.core.v1.Service(
    "model-server",
    metadata=k8s.meta.v1.ObjectMetaArgs(namespace=inference.metadata.name),
    spec=k8s.core.v1.ServiceSpecArgs(selector=APP, ports=[k8s.core.v1.ServicePortArgs(port=8080)]),
)

# -- training: a GPU Job in a namespace whose GPU requests are capped -----------------------------------
training = namespace("training")
k8s.core.v1.ResourceQuota(
    "training-gpus",
    metadata=k8s.meta.v1.ObjectMetaArgs(namespace=training.metadata.name),
    spec=k8s.core.v1.ResourceQuotaSpecArgs(hard={"requests.nvidia.com/gpu": "8"}),
)
k8s.batch.v1.Job(
    "fine-tune",
    metadata=k8s.meta.v1.ObjectMetaArgs(namespace=training.metadata.name),
    spec=k8s.batch.v1.JobSpecArgs(
        template=k8s.core.v1.PodTemplateSpecArgs(
            spec=pod(
                TRAIN_IMAGE,
                {
                    "requests": {"cpu": "8", "memory": "64Gi", "nvidia.com/gpu": "8"},
                    "limits": {"cpu": "8", "memory": "64Gi", "nvidia.com/gpu": "8"},
                },
                restart_policy="Never",
            )
        )
    ),
)

# -- inventory and incident-response manifests --------------------------------------------------------
for name, kind, identity in [
    ("model-server", "model-endpoint", "system:serviceaccount:inference:default"),
    ("fine-tune", "gpu-compute", "system:serviceaccount:training:default"),
]:
    record_asset(
        AssetRecord(
            name=name,
            kind=kind,
            ownership=OWNERSHIP,
            identities=(identity,),
            credentials_to_revoke=(identity,),
            logs_to_preserve=("container logs and Kubernetes audit logs of the cluster",),
            request_identifiers=("x-request-id",),
            containment="Scale the workload to zero and keep its namespace's NetworkPolicy deny-all.",
        )
    )
export_inventory()
