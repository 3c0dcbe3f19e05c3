"""Ownership and classification metadata (control INV-1), rendered once for every cloud.

``Ownership`` is the pydantic model every component and the platform program take;
``aws_tags``/``gcp_labels``/``k8s_labels`` render it, and ``stamp_ownership`` registers a
stack transform that merges it into every taggable resource of the program.

The keys and allowed values are the program's ownership vocabulary (``configured_vocabulary``):
stack config ``aiwarden:vocabulary``, the JSON shape of ``aiwarden_policies.contract.vocabulary.SCHEMA``
(e.g. ``{"keys": {"owner": "team"}, "environmentAliases": {"live": "production"}}``), else the
default. A malformed one stops the program when the first ``Ownership`` is built, before any
component registers, naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any

import pulumi
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from aiwarden_policies.contract import vocabulary as v
from aiwarden_policies.contract.taggable import tag_property

NAMESPACE = "aiwarden"
_SLUG = r"^[a-z][a-z0-9-]{0,62}$"
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

Slug = Annotated[
    str,
    Field(pattern=_SLUG, description="lowercase letters, digits and dashes, starting with a letter, 63 max"),
]


def configured_vocabulary() -> v.Vocabulary:
    """The program's ownership vocabulary: stack config ``aiwarden:vocabulary``, else the default.

    Malformed: ``pulumi.RunError`` (a clean program failure, not a validation error of the field being built)
    naming the field, e.g. ``aiwarden:vocabulary.keys.purpose: 'team' is also the key of owner; ...``.
    """
    try:
        return v.parse(pulumi.Config(NAMESPACE).get("vocabulary"))
    except v.VocabularyError as exc:
        raise pulumi.RunError(f"invalid stack config: {exc.under(NAMESPACE + ':vocabulary')}") from None


def canonical_environment(value: str) -> str:
    """The vocabulary's word for an environment (aliases folded), or ``ValueError`` listing the allowed ones."""
    vocabulary = configured_vocabulary()
    canonical: str | None = vocabulary.canonical_environment(value)
    if canonical is None:
        raise ValueError(f"{value!r} is not an environment; use one of {vocabulary.allowed_environments()}")
    return canonical


def canonical_classification(value: str) -> str:
    """The vocabulary's word for a data classification (aliases folded), or ``ValueError``."""
    vocabulary = configured_vocabulary()
    canonical: str | None = vocabulary.canonical_classification(value)
    if canonical is None:
        raise ValueError(
            f"{value!r} is not a data classification; use one of {vocabulary.allowed_classifications()}"
        )
    return canonical


Environment = Annotated[
    str,
    AfterValidator(canonical_environment),
    Field(
        description="production, staging or sandbox; aliases (prod, stage, dev, experiment...) are folded "
        "(`aiwarden:vocabulary` may narrow the values and change the aliases)."
    ),
]
Classification = Annotated[
    str,
    AfterValidator(canonical_classification),
    Field(
        description="public, internal, confidential or restricted (`aiwarden:vocabulary` may narrow the values "
        "and add aliases, folded)."
    ),
]
Email = Annotated[str, Field(pattern=_EMAIL, description="An e-mail address.")]


class Ownership(BaseModel):
    """Inventory metadata every AI resource carries (AWS tags, GCP labels, Kubernetes labels)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    owner: Slug = Field(description="Owning team, e.g. `ml-platform` (label-safe slug).")
    environment: Environment = Field(
        description=(
            "One of production, staging, sandbox; aliases prod/stage/dev/experiment are folded "
            "(`aiwarden:vocabulary` may narrow the values and change the aliases). "
            "Sandbox stacks may experiment but never be public or hold production credentials."
        )
    )
    data_classification: Classification = Field(
        description="Highest classification of data the resource holds: public, internal, confidential, restricted "
        "(`aiwarden:vocabulary` may narrow the values and add aliases, folded)."
    )
    purpose: Slug = Field(description="Business purpose, e.g. `fraud-scoring` (label-safe slug).")
    cost_center: Slug | None = Field(default=None, description="Optional cost allocation key.")
    contact: Email | None = Field(
        default=None,
        description="Optional responder e-mail; AWS tag and Kubernetes annotation only (not a valid GCP label).",
    )

    @property
    def sensitive(self) -> bool:
        """Confidential or restricted data: customer-managed keys and private networks are mandatory."""
        return self.data_classification in v.SENSITIVE_CLASSIFICATIONS

    def _pairs(self) -> dict[str, str]:
        keys = configured_vocabulary().keys
        pairs = {
            keys.owner: self.owner,
            keys.environment: self.environment,
            keys.data_classification: self.data_classification,
            keys.purpose: self.purpose,
        }
        if self.cost_center:
            pairs[v.COST_CENTER] = self.cost_center
        return pairs

    def aws_tags(self) -> dict[str, str]:
        """AWS tags under the vocabulary's keys, plus ``cost-center`` and ``contact`` when set."""
        tags = self._pairs()
        if self.contact:
            tags[v.CONTACT] = self.contact
        return tags

    def gcp_labels(self) -> dict[str, str]:
        """GCP labels under the vocabulary's keys; a key GCP does not accept as a label key stops the program."""
        keys = configured_vocabulary().keys
        for name, key in keys.by_field().items():
            if not v.GCP_LABEL_KEY_RE.match(key):
                raise pulumi.RunError(
                    f"invalid stack config: {NAMESPACE}:vocabulary.keys.{name}: {key!r} is not a GCP label key "
                    "(a lowercase letter, then lowercase letters, digits, '_' or '-', 63 at most)"
                )
        return self._pairs()

    def k8s_labels(self) -> dict[str, str]:
        """Kubernetes labels: the vocabulary's keys under its prefix (``aiwarden.io/owner``)."""
        prefix = configured_vocabulary().k8s_label_prefix
        return {prefix + key: value for key, value in self._pairs().items()}

    def k8s_annotations(self) -> dict[str, str]:
        prefix = configured_vocabulary().k8s_label_prefix
        return {prefix + v.CONTACT: self.contact} if self.contact else {}


def _merge(existing: Any, stamped: dict[str, str]) -> dict[str, Any]:
    """Stamped keys fill gaps; values the resource sets itself win (a child may be more specific)."""
    merged: dict[str, Any] = dict(stamped)
    if isinstance(existing, dict):
        merged.update(existing)
    return merged


def stamp(ownership: Ownership, type_: str, props: dict[str, Any]) -> dict[str, Any] | None:
    """Return ``props`` with ownership merged into the type's tag/label map, or None if untaggable."""
    where = tag_property(type_)
    if where is None:
        return None
    if where == "metadata.labels":
        pairs, extra = ownership.k8s_labels(), ownership.k8s_annotations()
    elif type_.startswith("gcp:"):
        pairs, extra = ownership.gcp_labels(), {}
    else:
        pairs, extra = ownership.aws_tags(), {}
    *parents, leaf = where.split(".")
    new = dict(props)
    target = new
    for key in parents:  # copy each level on the way down: the caller's props stay untouched
        target[key] = dict(target.get(key) or {})
        target = target[key]
    target[leaf] = _merge(target.get(leaf), pairs)
    if extra:
        target["annotations"] = _merge(target.get("annotations"), extra)
    return new


def stamp_ownership(ownership: Ownership) -> None:
    """Register a stack transform that stamps ``ownership`` on every taggable resource registered after it."""

    def transform(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
        if not args.custom:
            return None
        props = stamp(ownership, args.type_, dict(args.props))
        if props is None:
            return None
        return pulumi.ResourceTransformResult(props=props, opts=args.opts)

    pulumi.runtime.register_resource_transform(transform)
