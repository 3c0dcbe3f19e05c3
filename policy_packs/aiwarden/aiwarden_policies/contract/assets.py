"""Which resources are AI assets, and of which kind (controls INV-2, COST-1, LOG-1, IR-1).

Type tokens verified against pulumi-aws 7.51.1 and pulumi-gcp 10.2.0 (the legacy
``gcp:notebooks/instance:Instance`` no longer exists in pulumi-gcp 10; Workbench replaces it).

Most kinds follow from a resource's type and properties (``asset_kind``). Two need the stack and are
found by ``lib.bedrock``: ``ai-identity`` (an IAM role, or the grant standing for an identity outside the
stack, allowed to invoke Bedrock models) and ``model-api`` (an API Gateway API forwarding to a Bedrock
runtime). ``BEDROCK_KINDS`` are the kinds that mean the stack uses Bedrock (LOG-1 invocation logging).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

GPU_COMPUTE = "gpu-compute"
MODEL_ENDPOINT = "model-endpoint"
MODEL = "model"
NOTEBOOK = "notebook"
VECTOR_STORE = "vector-store"
DATASET_BUCKET = "dataset-bucket"
AGENT = "agent"
KNOWLEDGE_BASE = "knowledge-base"
AI_IDENTITY = "ai-identity"
MODEL_API = "model-api"

KIND_BY_TYPE: dict[str, str] = {
    # AWS
    "aws:sagemaker/endpoint:Endpoint": MODEL_ENDPOINT,
    "aws:sagemaker/model:Model": MODEL,
    "aws:sagemaker/notebookInstance:NotebookInstance": NOTEBOOK,
    "aws:sagemaker/domain:Domain": NOTEBOOK,
    "aws:opensearch/serverlessCollection:ServerlessCollection": VECTOR_STORE,
    "aws:s3/bucket:Bucket": DATASET_BUCKET,
    "aws:bedrock/agentAgent:AgentAgent": AGENT,
    "aws:bedrock/agentcoreAgentRuntime:AgentcoreAgentRuntime": AGENT,
    "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase": KNOWLEDGE_BASE,
    # GCP
    "gcp:vertex/aiEndpoint:AiEndpoint": MODEL_ENDPOINT,
    "gcp:vertex/aiEndpointWithModelGardenDeployment:AiEndpointWithModelGardenDeployment": MODEL_ENDPOINT,
    "gcp:vertex/aiIndexEndpoint:AiIndexEndpoint": VECTOR_STORE,
    "gcp:vertex/aiIndex:AiIndex": VECTOR_STORE,
    "gcp:workbench/instance:Instance": NOTEBOOK,
    "gcp:storage/bucket:Bucket": DATASET_BUCKET,
}

#: Types that are GPU compute only when they carry accelerators (see ``is_gpu``).
GPU_CANDIDATES = frozenset(
    {
        "aws:eks/nodeGroup:NodeGroup",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:ec2/instance:Instance",
        "gcp:container/nodePool:NodePool",
        "gcp:compute/instance:Instance",
    }
)

_GPU_INSTANCE = re.compile(r"^(p\d|g\d|gr\d|inf\d|trn\d|dl\d)[a-z0-9-]*\.", re.I)
#: Compute Engine accelerator-optimized machine families (A2, A3, A4, G2, G4): the machine type brings the GPUs.
_GPU_MACHINE_PREFIXES = ("a2-", "a3-", "a4-", "a4x-", "g2-", "g4-")


def _gpu_instance_type(value: Any) -> bool:
    return isinstance(value, str) and bool(_GPU_INSTANCE.match(value))


def _gpu_machine(config: Mapping[str, Any]) -> bool:
    """A GCE machine (or GKE node config) with guest accelerators or an accelerator-optimized machine type."""
    return bool(config.get("guestAccelerators")) or str(config.get("machineType") or "").startswith(
        _GPU_MACHINE_PREFIXES
    )


def is_gpu(type_: str, props: Mapping[str, Any]) -> bool:
    """GPU node groups, launch templates, instances and node pools (by AMI, instance type or accelerators)."""
    if type_ == "aws:eks/nodeGroup:NodeGroup":
        ami = str(props.get("amiType") or "")
        return (
            "NVIDIA" in ami
            or "GPU" in ami
            or "NEURON" in ami
            or any(_gpu_instance_type(t) for t in props.get("instanceTypes") or [])
        )
    if type_ in ("aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance"):
        return _gpu_instance_type(props.get("instanceType"))
    if type_ == "gcp:container/nodePool:NodePool":
        return _gpu_machine(props.get("nodeConfig") or {})
    if type_ == "gcp:compute/instance:Instance":
        return _gpu_machine(props)
    return False


def asset_kind(type_: str, props: Mapping[str, Any]) -> str | None:
    """The AI asset kind of a resource, or None when it is not an AI asset."""
    kind = KIND_BY_TYPE.get(type_)
    if kind is not None:
        return kind
    if type_ in GPU_CANDIDATES and is_gpu(type_, props):
        return GPU_COMPUTE
    return None


#: Kinds whose presence makes a stack spend real money (COST-1: budget required).
SPEND_KINDS = frozenset({GPU_COMPUTE, MODEL_ENDPOINT, NOTEBOOK})
#: Kinds that mean the stack calls Bedrock models (AWS assets only).
BEDROCK_KINDS = frozenset({AGENT, KNOWLEDGE_BASE, AI_IDENTITY, MODEL_API})
