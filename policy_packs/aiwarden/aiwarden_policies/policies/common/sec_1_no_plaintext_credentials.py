"""SEC-1: no plaintext credentials in resource configuration.

Where it looks (engine property names, checked against pulumi-aws 7.51.1, pulumi-gcp 10.2.0,
pulumi-kubernetes 4.34.2):

- container / function environment: SageMaker model ``primaryContainer.environment`` and
  ``containers[].environment``; ECS task definition ``containerDefinitions`` (JSON) ``environment``;
  Lambda ``environment.variables``; Kubernetes pod templates ``env[].value`` (``lib/pods.py``);
  Cloud Run ``envs[].value`` (v2 services and jobs, v1 services);
- user data and scripts: launch template ``userData`` (base64), EC2 instance ``userData`` /
  ``userDataBase64``, SageMaker notebook lifecycle ``onCreate`` / ``onStart`` (base64), GCE instance
  and instance template ``metadata`` / ``metadataStartupScript``, Workbench ``gceSetup.metadata``;
- Kubernetes ConfigMap ``data``;
- the tags / labels of every taggable resource (the property named by ``taggable.tag_property``).

What is a credential is ``lib/secrets.py``: a known credential format anywhere in these fields,
or a secret-named key (environment variable, tag, metadata key, script assignment) whose value is
a literal rather than a secret-manager reference. References are ARNs (``arn:aws:secretsmanager:...``),
GCP ``projects/<p>/secrets/<s>[/versions/<v>]`` names and, under keys that name a secret
(``*_SECRET``, ``*_CREDENTIALS``), path-shaped Secrets Manager names (``prod/openai/api-key``); keys such
as ``*_SECRET_ID`` / ``*_SECRET_ARN`` are not secret-named at all. Kubernetes ``Secret`` objects and Secrets
Manager ``SecretVersion.secretString`` are the secret stores themselves and are not read here
(SEC-2 covers literal Secret manifests).

Known limitation: pulumi-policy's ``Analyze`` deserializes properties without keeping secretness
(``deserialize_properties`` without ``proxy_secrets``), so a Pulumi secret is indistinguishable
from a literal here. Decision: a known credential format is a violation wherever it appears in
these fields, and a secret-named key holding a literal is a violation even when the value is a
Pulumi secret — the cloud stores environment variables, user data, metadata and tags in plain text
whatever Pulumi's state encryption does; the fix is a secret-manager reference. Offline, a
``secure:`` config value arrives as ``[secret: not decrypted offline]`` and is treated the same way.

Messages never carry a credential: at most its first 4 characters (``lib.secrets.redact``).
Values unknown at preview are read like any other value, so the SDK reports "can't run policy
during preview" for that resource (never a silent pass).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from aiwarden_policies.contract.taggable import tag_property
from aiwarden_policies.framework import Resource, Spec, get, resource_policy
from aiwarden_policies.lib.pods import POD_SPEC_PATH, containers, pod_spec
from aiwarden_policies.lib.secrets import Hit, decode_script, scan_mapping, scan_pairs, scan_text

SPEC = Spec(
    control="SEC-1",
    name="sec-1-no-plaintext-credentials",
    description=(
        "No resource input (container and function environment, user data, startup and lifecycle scripts, "
        "notebook metadata, config maps, tags, labels) holds a credential in plain text: known key formats "
        "(cloud access keys, model-provider keys, tokens, private keys, connection strings with passwords) "
        "or literal values of secret-named keys."
    ),
    remediation_steps=(
        "Store the credential in a secret manager and pass a reference: ECS `secrets[].valueFrom`, a Secrets "
        "Manager/SSM ARN (or a path-shaped secret name such as `prod/openai/api-key` under a `*_SECRET` key) "
        "resolved at run time, `{{resolve:secretsmanager:...}}`, GCP Secret Manager "
        "(`projects/<p>/secrets/<s>`, Cloud Run `valueSource.secretKeyRef`), Kubernetes `valueFrom.secretKeyRef` "
        "fed by External Secrets or the Secrets Store CSI driver; scripts fetch the secret at start "
        "(`$(aws secretsmanager get-secret-value ...)`). Making it a Pulumi secret is not enough: the cloud "
        "stores environment variables, user data, metadata and tags in plain text. Rotate any credential that "
        "was committed or deployed."
    ),
    security_hub=("ECS.8",),
)

MAP, PAIRS, TEXT, BASE64 = "map", "pairs", "text", "base64"
Field = tuple[str, str, Any]  # (where, how to read it, value)


def _sagemaker_model(r: Resource) -> Iterator[Field]:
    yield "primaryContainer.environment", MAP, r.get("primaryContainer.environment")
    for i, container in enumerate(r.get("containers") or []):
        yield f"containers[{i}].environment", MAP, get(container, "environment")


def _ecs_task_definition(r: Resource) -> Iterator[Field]:
    raw = r.get("containerDefinitions")
    try:
        definitions = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        yield "containerDefinitions", TEXT, raw
        return
    for i, container in enumerate(definitions if isinstance(definitions, list) else []):
        if isinstance(container, Mapping):
            yield (
                f"containerDefinitions[{container.get('name', i)}].environment",
                PAIRS,
                container.get("environment"),
            )


def _pod_template(r: Resource) -> Iterator[Field]:
    spec = pod_spec(r.type, r.props)
    if spec is None:
        return
    for kind, container in containers(spec):
        yield f"{POD_SPEC_PATH[r.type]}.{kind}[{container.get('name', '')}].env", PAIRS, container.get("env")


def _containers_envs(path: str) -> Callable[[Resource], Iterator[Field]]:
    def fields(r: Resource) -> Iterator[Field]:
        for i, container in enumerate(r.get(path) or []):
            yield f"{path}[{i}].envs", PAIRS, get(container, "envs")

    return fields


def _paths(*paths: tuple[str, str]) -> Callable[[Resource], Iterator[Field]]:
    def fields(r: Resource) -> Iterator[Field]:
        for path, how in paths:
            yield path, how, r.get(path)

    return fields


_GCE = _paths(("metadata", MAP), ("metadataStartupScript", TEXT))
_CONFIG_MAP = _paths(("data", MAP))

FIELDS: dict[str, Callable[[Resource], Iterator[Field]]] = {
    "aws:sagemaker/model:Model": _sagemaker_model,
    "aws:ecs/taskDefinition:TaskDefinition": _ecs_task_definition,
    "aws:lambda/function:Function": _paths(("environment.variables", MAP)),
    "aws:ec2/launchTemplate:LaunchTemplate": _paths(("userData", BASE64)),
    "aws:ec2/instance:Instance": _paths(("userData", TEXT), ("userDataBase64", BASE64)),
    "aws:sagemaker/notebookInstanceLifecycleConfiguration:NotebookInstanceLifecycleConfiguration": _paths(
        ("onCreate", BASE64), ("onStart", BASE64)
    ),
    "gcp:compute/instance:Instance": _GCE,
    "gcp:compute/instanceTemplate:InstanceTemplate": _GCE,
    "gcp:workbench/instance:Instance": _paths(("gceSetup.metadata", MAP)),
    "gcp:cloudrunv2/service:Service": _containers_envs("template.containers"),
    "gcp:cloudrunv2/job:Job": _containers_envs("template.template.containers"),
    "gcp:cloudrun/service:Service": _containers_envs("template.spec.containers"),
    "kubernetes:core/v1:ConfigMap": _CONFIG_MAP,
    "kubernetes:core/v1:ConfigMapPatch": _CONFIG_MAP,
    **dict.fromkeys(POD_SPEC_PATH, _pod_template),
}


def _hits(how: str, value: Any) -> list[Hit]:
    if value is None:
        return []
    if how == MAP:
        return scan_mapping(value) if isinstance(value, Mapping) else []
    if how == PAIRS:
        return scan_pairs(value) if not isinstance(value, str | Mapping) else []
    return scan_text(decode_script(value) if how == BASE64 else str(value))


def _message(r: Resource, where: str, how: str, hit: Hit) -> str:
    if how in (MAP, PAIRS):
        where = f"{where}.{hit.key}"
    elif hit.key:
        where = f"{where} ({hit.key})"
    if how == BASE64:
        where += " (base64-decoded)"
    sample = f" ({hit.sample})" if hit.sample else ""
    return f"{r.type} {r.name!r}: {where} holds {hit.what}{sample}; it must be a secret-manager reference."


def fields(r: Resource) -> Iterator[Field]:
    """The plaintext fields of ``r`` that may carry a credential (type-specific, then tags/labels)."""
    specific = FIELDS.get(r.type)
    if specific is not None:
        yield from specific(r)
    tags = tag_property(r.type)
    if tags is not None:
        yield tags, MAP, r.get(tags)


@resource_policy(SPEC)
def sec_1_no_plaintext_credentials(r: Resource) -> Iterable[str]:
    messages = (_message(r, where, how, hit) for where, how, value in fields(r) for hit in _hits(how, value))
    yield from dict.fromkeys(messages)
