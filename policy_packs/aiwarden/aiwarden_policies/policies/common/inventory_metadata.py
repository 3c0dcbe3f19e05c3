"""INV-1: every taggable resource carries owner, environment, data-classification and purpose."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiwarden_policies import vocabulary as v
from aiwarden_policies.framework import Resource, Spec, resource_policy, stack_config
from aiwarden_policies.taggable import tag_property

SPEC = Spec(
    control="INV-1",
    name="inv-1-ownership-metadata",
    description=(
        "Taggable AWS resources, labelable GCP resources and Kubernetes objects carry owner, environment, "
        "data-classification and purpose (AWS tags, GCP labels, Kubernetes `aiwarden.io/` labels)."
    ),
    remediation_steps=(
        "Stamp ownership on the whole program: `stamp_ownership(Ownership(owner=..., environment=..., "
        "data_classification=..., purpose=...))` from `components._common`, or set the keys on the resource. "
        "data-classification is one of public, internal, confidential, restricted; environment is one of "
        "production, staging, sandbox. In REMEDIATE mode the pack fills missing keys from the policy's `defaults` "
        "config or the stack config `aiwarden:owner`/`environment`/`data-classification`/`purpose`."
    ),
    config={
        "defaults": {
            "type": "object",
            "description": "Values used to fill missing keys in remediate mode.",
            "properties": {k: {"type": "string"} for k in v.REQUIRED_KEYS},
            "additionalProperties": False,
            "default": {},
        }
    },
)


def problems(labels: Mapping[str, Any]) -> list[str]:
    out = []
    missing = [k for k in v.REQUIRED_KEYS if not str(labels.get(k) or "").strip()]
    if missing:
        out.append(f"missing {', '.join(missing)}")
    env = labels.get(v.ENVIRONMENT)
    if env and v.canonical_environment(str(env)) is None:
        out.append(f"environment {env!r} is not one of {', '.join(v.ENVIRONMENTS)} (or an alias)")
    cls = labels.get(v.DATA_CLASSIFICATION)
    if cls and str(cls) not in v.CLASSIFICATIONS:
        out.append(f"data-classification {cls!r} is not one of {', '.join(v.CLASSIFICATIONS)}")
    return out


def _where(r: Resource) -> str:
    where = tag_property(r.type) or "tags"
    return {"tags": "tags", "metadata.labels": f"metadata.labels ({v.K8S_LABEL_PREFIX}<key>)"}.get(
        where, where
    )


def _defaults(r: Resource) -> dict[str, str]:
    found: dict[str, str] = {}
    for key in v.REQUIRED_KEYS:
        value = (r.config.get("defaults") or {}).get(key) or stack_config(key)
        if value:
            found[key] = str(value)
    return found


def remediate(r: Resource) -> dict[str, Any] | None:
    where = tag_property(r.type)
    if where is None:
        return None
    labels = r.labels()
    fill = {k: val for k, val in _defaults(r).items() if not str(labels.get(k) or "").strip()}
    if not fill:
        return None
    if where == "metadata.labels":
        fill = {v.K8S_LABEL_PREFIX + k: val for k, val in fill.items()}
    return r.updated_at(where, fill)


@resource_policy(SPEC, remediate=remediate)
def inv_1_ownership_metadata(r: Resource) -> Iterable[str]:
    if tag_property(r.type) is None:
        return
    found = problems(r.labels())
    if found:
        yield f"{r.type} {r.name!r}: {'; '.join(found)} in {_where(r)}."
