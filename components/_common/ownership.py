"""Ownership and classification metadata (control INV-1), rendered once for every cloud.

``Ownership`` is the pydantic model every component and the platform program take;
``aws_tags``/``gcp_labels``/``k8s_labels`` render it, and ``stamp_ownership`` registers a
stack transform that merges it into every taggable resource of the program.
"""

from __future__ import annotations

from typing import Annotated, Any

import pulumi
from pydantic import BaseModel, ConfigDict, Field, field_validator

from aiwarden_policies import vocabulary as v
from aiwarden_policies.taggable import tag_property

_SLUG = r"^[a-z][a-z0-9-]{0,62}$"
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

Slug = Annotated[
    str,
    Field(pattern=_SLUG, description="lowercase letters, digits and dashes, starting with a letter, 63 max"),
]


class Ownership(BaseModel):
    """Inventory metadata every AI resource carries (AWS tags, GCP labels, Kubernetes labels)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    owner: Slug = Field(description="Owning team, e.g. `ml-platform` (label-safe slug).")
    environment: str = Field(
        description=(
            "One of production, staging, sandbox; aliases prod/stage/dev/experiment are folded. "
            "Sandbox stacks may experiment but never be public or hold production credentials."
        )
    )
    data_classification: str = Field(
        description="Highest classification of data the resource holds: public, internal, confidential, restricted."
    )
    purpose: Slug = Field(description="Business purpose, e.g. `fraud-scoring` (label-safe slug).")
    cost_center: Slug | None = Field(default=None, description="Optional cost allocation key.")
    contact: str | None = Field(
        default=None,
        pattern=_EMAIL,
        description="Optional responder e-mail; AWS tag and Kubernetes annotation only (not a valid GCP label).",
    )

    @field_validator("environment")
    @classmethod
    def _environment(cls, value: str) -> str:
        canonical: str | None = v.canonical_environment(value)
        if canonical is None:
            allowed = ", ".join(v.ENVIRONMENTS)
            aliases = ", ".join(sorted(v.ENVIRONMENT_ALIASES))
            raise ValueError(f"{value!r} is not an environment; use one of {allowed} (aliases: {aliases})")
        return canonical

    @field_validator("data_classification")
    @classmethod
    def _classification(cls, value: str) -> str:
        if value not in v.CLASSIFICATIONS:
            raise ValueError(
                f"{value!r} is not a data classification; use one of {', '.join(v.CLASSIFICATIONS)}"
            )
        return value

    @property
    def sensitive(self) -> bool:
        """Confidential or restricted data: customer-managed keys and private networks are mandatory."""
        return self.data_classification in v.SENSITIVE_CLASSIFICATIONS

    def _pairs(self) -> dict[str, str]:
        pairs = {
            v.OWNER: self.owner,
            v.ENVIRONMENT: self.environment,
            v.DATA_CLASSIFICATION: self.data_classification,
            v.PURPOSE: self.purpose,
        }
        if self.cost_center:
            pairs[v.COST_CENTER] = self.cost_center
        return pairs

    def aws_tags(self) -> dict[str, str]:
        tags = self._pairs()
        if self.contact:
            tags[v.CONTACT] = self.contact
        return tags

    def gcp_labels(self) -> dict[str, str]:
        return self._pairs()

    def k8s_labels(self) -> dict[str, str]:
        return {v.K8S_LABEL_PREFIX + key: value for key, value in self._pairs().items()}

    def k8s_annotations(self) -> dict[str, str]:
        return {v.K8S_LABEL_PREFIX + v.CONTACT: self.contact} if self.contact else {}


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
