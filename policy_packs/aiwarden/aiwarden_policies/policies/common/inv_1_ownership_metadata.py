"""INV-1: every taggable resource carries owner, environment, data-classification and purpose.

Which keys and values count is the ownership vocabulary (``vocabulary.SCHEMA``), from the first that is set:

1. this policy's pack config ``vocabulary`` (``--policy-pack-config``), the security team's requirement;
2. the stack config ``aiwarden:vocabulary``, the one the program's components stamp;
3. the default (``owner``, ``environment``, ``data-classification``, ``purpose``; catalog values).

When 1 and 2 are both set and differ, INV-1 checks 1, whole (fields it leaves out take the defaults, not
the stack's values), and resources stamped with 2 fail until the program follows it; the other policies
read environment and classification with 2. Kubernetes labels count with or without the vocabulary's
prefix (``aiwarden.io/owner`` or ``owner``). The JSON schema refuses unknown fields, empty or invalid keys
and values outside the catalog; what a schema cannot say (two fields with the same key, an alias onto a
value not in use) stops the first evaluation with the same kind of message naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiwarden_policies.contract import vocabulary as v
from aiwarden_policies.contract.taggable import tag_property
from aiwarden_policies.framework import Resource, Spec, resource_policy, stack_config, stack_vocabulary

POLICY = "inv-1-ownership-metadata"

SPEC = Spec(
    control="INV-1",
    name=POLICY,
    description=(
        "Taggable AWS resources, labelable GCP resources and Kubernetes objects carry owner, environment, "
        "data-classification and purpose (AWS tags, GCP labels, Kubernetes labels with or without the `aiwarden.io/` "
        "prefix); keys and values follow the ownership vocabulary (pack config `vocabulary`, else stack config "
        "`aiwarden:vocabulary`, else the defaults)."
    ),
    remediation_steps=(
        "Stamp ownership on the whole program: `stamp_ownership(Ownership(owner=..., environment=..., "
        "data_classification=..., purpose=...))` from `components._common`, or set the keys on the resource. "
        "data-classification is one of public, internal, confidential, restricted; environment is one of "
        "production, staging, sandbox (defaults; the vocabulary may rename the keys and add aliases). In REMEDIATE "
        "mode the pack fills missing keys from the policy's `defaults` config or the stack config "
        "`aiwarden:owner`/`environment`/`data-classification`/`purpose`."
    ),
    config={
        "defaults": {
            "type": "object",
            "description": "Values used to fill missing keys in remediate mode, by field (written under the "
            "vocabulary's keys).",
            "properties": {k: {"type": "string"} for k in v.REQUIRED_KEYS},
            "additionalProperties": False,
            "default": {},
        },
        # No top-level default: absent means "use the stack's vocabulary".
        "vocabulary": v.SCHEMA,
    },
)


def vocabulary(r: Resource) -> v.Vocabulary:
    """The pack config's vocabulary if set, else the stack's, else the default (see the module docstring)."""
    own = r.config.get("vocabulary")
    if own is None:
        return stack_vocabulary()
    try:
        return v.from_config(own)
    except v.VocabularyError as exc:
        raise v.VocabularyError("", exc.under(f"policy config {POLICY}.vocabulary")) from None


def problems(labels: Mapping[str, Any], vocabulary: v.Vocabulary = v.DEFAULT) -> list[str]:
    keys = vocabulary.keys
    out = []
    missing = [k for k in keys.required if not str(labels.get(k) or "").strip()]
    if missing:
        out.append(f"missing {', '.join(missing)}")
    env = labels.get(keys.environment)
    if env and vocabulary.canonical_environment(str(env)) is None:
        out.append(f"{keys.environment} {env!r} is not one of {vocabulary.allowed_environments()}")
    cls = labels.get(keys.data_classification)
    if cls and vocabulary.canonical_classification(str(cls)) is None:
        out.append(f"{keys.data_classification} {cls!r} is not one of {vocabulary.allowed_classifications()}")
    return out


def _where(r: Resource, vocabulary: v.Vocabulary) -> str:
    where = tag_property(r.type) or "tags"
    if where == "metadata.labels" and vocabulary.k8s_label_prefix:
        return f"metadata.labels ({vocabulary.k8s_label_prefix}<key>)"
    return where


def _defaults(r: Resource, vocabulary: v.Vocabulary) -> dict[str, str]:
    """Fill values by field (``defaults`` config, else stack config ``aiwarden:<field>``), keyed by the vocabulary."""
    found: dict[str, str] = {}
    for field, key in zip(v.REQUIRED_KEYS, vocabulary.keys.required, strict=True):
        value = (r.config.get("defaults") or {}).get(field) or stack_config(field)
        if value:
            found[key] = str(value)
    return found


def remediate(r: Resource) -> dict[str, Any] | None:
    where = tag_property(r.type)
    if where is None:
        return None
    vocab = vocabulary(r)
    labels = r.labels(vocab)
    fill = {k: val for k, val in _defaults(r, vocab).items() if not str(labels.get(k) or "").strip()}
    if not fill:
        return None
    if where == "metadata.labels":
        fill = {vocab.k8s_label_prefix + k: val for k, val in fill.items()}
    return r.updated_at(where, fill)


@resource_policy(SPEC, remediate=remediate)
def inv_1_ownership_metadata(r: Resource) -> Iterable[str]:
    vocab = vocabulary(r)  # first, on every type: a malformed vocabulary stops the first evaluation
    if tag_property(r.type) is None:
        return
    found = problems(r.labels(vocab), vocab)
    if found:
        yield f"{r.type} {r.name!r}: {'; '.join(found)} in {_where(r, vocab)}."
