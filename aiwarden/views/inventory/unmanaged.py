"""AI assets in a stack that no inventory record covers: nobody is named to answer for them.

Which resources are AI assets is the pack's contract (``aiwarden_policies.contract.assets.asset_kind``):
SageMaker endpoints, models, notebook instances and domains, OpenSearch Serverless collections, Bedrock
agents, knowledge bases and AgentCore runtimes, Vertex AI endpoints and indexes, Workbench instances,
S3 and GCS buckets, and GPU node groups / node pools / instances / launch templates (by instance type,
AMI type, machine type or accelerators). As INV-2 does, buckets that receive logs (S3 access logs,
CloudTrail, GCS access logs, Cloud Logging sinks, Bedrock invocation logs) are evidence stores, not AI
assets. Bedrock usage is found as INV-2 finds it, in a simpler form (the pack's ``lib.bedrock`` is not part
of its contract): a role whose policies allow a model invocation action or attach an AWS managed Bedrock
policy (``ai-identity``), and an API Gateway integration forwarding to a Bedrock runtime (``model-api``).

A resource is covered when an entry of ``inventory`` or ``incidentResponse`` names it, or a component
above it, by ``name`` or ``urn`` (a component's record covers its children), as INV-2 matches entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from aiwarden.views.stack import Resource, StackView
from aiwarden.views.text import strings
from aiwarden_policies.contract import assets, iam

#: Why each kind is an AI asset, for the reader.
KIND_REASONS: dict[str, str] = {
    assets.MODEL_ENDPOINT: "serves a model",
    assets.MODEL: "a deployed model (image and weights)",
    assets.NOTEBOOK: "an interactive notebook with data access",
    assets.VECTOR_STORE: "holds embeddings of your data",
    assets.DATASET_BUCKET: "a bucket that receives no logs: it may hold datasets, model artifacts or captures",
    assets.AGENT: "an agent that acts with its own permissions",
    assets.KNOWLEDGE_BASE: "retrieves your documents for a model",
    assets.GPU_COMPUTE: "GPU compute",
    assets.AI_IDENTITY: "may invoke Bedrock models",
    assets.MODEL_API: "forwards requests to a Bedrock runtime",
}

#: Resource type -> path of the property naming the bucket its logs land in.
LOG_SOURCES: dict[str, tuple[str, ...]] = {
    "aws:s3/bucketLogging:BucketLogging": ("targetBucket",),
    "aws:s3/bucketLoggingV2:BucketLoggingV2": ("targetBucket",),
    "aws:cloudtrail/trail:Trail": ("s3BucketName",),
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration": (
        "loggingConfig",
        "s3Config",
        "bucketName",
    ),
    "gcp:logging/projectSink:ProjectSink": ("destination",),
    "gcp:storage/bucket:Bucket": ("logging", "logBucket"),
}
GCS_SINK_PREFIX = "storage.googleapis.com/"
BUCKET_NAME_PROP = {"gcp:storage/bucket:Bucket": "name"}  # S3 buckets: "bucket"

INVOKE_ACTIONS = (
    "bedrock:InvokeModel",
    "bedrock:InvokeModelWithResponseStream",
    "bedrock:InvokeAgent",
    "bedrock:RetrieveAndGenerate",
)
BEDROCK_MANAGED_POLICIES = ("AmazonBedrockFullAccess", "AmazonBedrockLimitedAccess")
BEDROCK_RUNTIME = re.compile(r"bedrock(?:-agent)?-runtime")
ROLE = "aws:iam/role:Role"
INTEGRATIONS = {
    "aws:apigateway/integration:Integration": ("uri", "restApi", "aws:apigateway/restApi:RestApi"),
    "aws:apigatewayv2/integration:Integration": ("integrationUri", "apiId", "aws:apigatewayv2/api:Api"),
}
ATTACHMENTS = ("aws:iam/rolePolicyAttachment:RolePolicyAttachment",)
POLICY_DOCUMENTS = (
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/policy:Policy",
)


@dataclass(frozen=True)
class Unmanaged:
    resource: Resource
    kind: str
    #: Why it is an AI asset, and that no record covers it.
    why: str


def _path(props: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = props
    for key in path:
        if isinstance(value, list):
            value = value[0] if value else None
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def log_bucket_names(stack: StackView) -> set[str]:
    """Names of the buckets other resources send logs to (evidence stores, not AI assets)."""
    found: set[str] = set()
    for r in stack.of_type(*LOG_SOURCES):
        value = _path(r.props, LOG_SOURCES[r.type])
        if not isinstance(value, str) or not value:
            continue
        if r.type == "gcp:logging/projectSink:ProjectSink":
            if not value.startswith(GCS_SINK_PREFIX):
                continue
            value = value[len(GCS_SINK_PREFIX) :]
        found.add(value)
    return found


def _gpu_detail(r: Resource) -> str:
    props = r.props
    if r.type == "aws:eks/nodeGroup:NodeGroup":
        shown = [*strings(props.get("instanceTypes")), r.str("amiType")]
        return ", ".join(s for s in shown if s)
    if r.type == "gcp:container/nodePool:NodePool":
        props = props.get("nodeConfig") or {}
    accelerators = [
        str(a.get("type")) for a in props.get("guestAccelerators") or [] if isinstance(a, Mapping)
    ]
    return ", ".join(
        s for s in (str(props.get("instanceType") or props.get("machineType") or ""), *accelerators) if s
    )


def invokes_models(document: Any) -> bool:
    """Whether a policy document allows a Bedrock model invocation (by name or a ``bedrock:`` wildcard)."""
    for statement in iam.allow_statements(document):
        for action in statement.actions:
            if not action.lower().startswith("bedrock:"):
                continue
            pattern = re.compile("^" + re.escape(action).replace(r"\*", ".*").replace(r"\?", ".") + "$", re.I)
            if any(pattern.match(wanted) for wanted in INVOKE_ACTIONS):
                return True
    return False


def _bedrock_managed(arn: Any) -> bool:
    return (
        isinstance(arn, str)
        and arn.startswith("arn:aws")
        and arn.rsplit("/", 1)[-1] in BEDROCK_MANAGED_POLICIES
    )


def _bedrock_identities(stack: StackView) -> Iterator[tuple[Resource, str]]:
    roles = {r.str("name"): r for r in stack.of_type(ROLE)}
    reported: set[str] = set()

    def role_or(r: Resource, role_name: str, why: str) -> Iterator[tuple[Resource, str]]:
        found = roles.get(role_name)
        subject = found or r
        if subject.urn not in reported:
            reported.add(subject.urn)
            yield subject, why

    for role in roles.values():
        inline = any(
            invokes_models(p.get("policy")) for p in role.get("inlinePolicies") or [] if isinstance(p, dict)
        )
        managed = [a for a in strings(role.get("managedPolicyArns")) if _bedrock_managed(a)]
        if inline or managed:
            via = "an inline policy" if inline else managed[0].rsplit("/", 1)[-1]
            yield from role_or(role, "", f"allows bedrock:InvokeModel through {via}")
    granting = {
        r.str("arn"): r for r in stack.of_type("aws:iam/policy:Policy") if invokes_models(r.get("policy"))
    }
    attached: set[str] = set()
    for attachment in stack.of_type(*ATTACHMENTS):
        arn = attachment.str("policyArn")
        if arn in granting or _bedrock_managed(arn):
            attached.add(arn)
            policy = granting[arn].name if arn in granting else arn.rsplit("/", 1)[-1]
            yield from role_or(
                attachment, attachment.str("role"), f"allows bedrock:InvokeModel through {policy}"
            )
    for r in stack.of_type(*POLICY_DOCUMENTS):
        if r.type == "aws:iam/policy:Policy":
            if r.str("arn") in granting and r.str("arn") not in attached:
                yield from role_or(
                    r, "", "a policy allowing bedrock:InvokeModel that is attached to no role here"
                )
        elif invokes_models(r.get("policy")):
            yield from role_or(r, r.str("role"), f"allows bedrock:InvokeModel through {r.name}")


def _bedrock_apis(stack: StackView) -> Iterator[tuple[Resource, str]]:
    seen: set[str] = set()
    for integration in stack.of_type(*INTEGRATIONS):
        uri_prop, api_prop, api_type = INTEGRATIONS[integration.type]
        uri = integration.str(uri_prop)
        if not BEDROCK_RUNTIME.search(uri):
            continue
        api = stack.find(integration.str(api_prop), api_type) or integration
        if api.urn not in seen:
            seen.add(api.urn)
            yield api, f"integration {integration.name} forwards to {BEDROCK_RUNTIME.search(uri)[0]}"  # type: ignore[index]


def ai_resources(stack: StackView) -> list[tuple[Resource, str, str]]:
    """(resource, kind, why it is an AI asset) for every AI asset of the stack, log buckets excluded."""
    evidence = log_bucket_names(stack)
    found: list[tuple[Resource, str, str]] = []
    for r in stack.resources:
        kind = assets.asset_kind(r.type, r.props)
        if kind is None:
            continue
        if kind == assets.DATASET_BUCKET and r.str(BUCKET_NAME_PROP.get(r.type, "bucket")) in evidence:
            continue
        why = KIND_REASONS.get(kind, kind)
        if kind == assets.GPU_COMPUTE:
            why = f"GPU compute ({_gpu_detail(r)})"
        found.append((r, kind, why))
    found += [(r, assets.AI_IDENTITY, why) for r, why in _bedrock_identities(stack)]
    found += [(r, assets.MODEL_API, why) for r, why in _bedrock_apis(stack)]
    return found


def unmanaged(stack: StackView, recorded: set[str]) -> list[Unmanaged]:
    """The AI assets no entry covers (``recorded``: the names and URNs the manifests list), by type and name."""
    out = []
    for r, kind, why in ai_resources(stack):
        if any(a.name in recorded or a.urn in recorded for a in stack.ancestors(r)):
            continue
        out.append(Unmanaged(r, kind, f"{why}; no inventory record names it or a component above it"))
    return sorted(out, key=lambda u: (u.resource.type, u.resource.name))
