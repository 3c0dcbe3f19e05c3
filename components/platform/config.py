"""Stack configuration of the platform program, validated before any resource registers.

The JSON Schema of this model is generated into ``docs/schema/stack-config.schema.json`` and
referenced from every stack file (``# yaml-language-server: $schema=...``).
"""

from __future__ import annotations

import json
from typing import Any, Literal

import pulumi
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from aiwarden_policies import vocabulary as v
from components._common.ownership import Ownership

NAMESPACE = "aiwarden"


class OwnershipConfig(BaseModel):
    """The ownership keys of ``aiwarden:ownership`` (environment comes from ``aiwarden:environment``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    owner: str = Field(description="Owning team slug, e.g. ml-platform.")
    data_classification: str = Field(
        alias="dataClassification", description="public, internal, confidential or restricted."
    )
    purpose: str = Field(description="Business purpose slug, e.g. fraud-scoring.")
    cost_center: str | None = Field(default=None, alias="costCenter", description="Cost allocation key.")
    contact: str | None = Field(default=None, description="Responder e-mail.")


class PlatformConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    environment: str = Field(description="production, staging or sandbox (aliases folded).")
    cloud: Literal["aws", "gcp"] = Field(description="Target cloud of the reference stack.")
    ownership: OwnershipConfig = Field(description="Inventory metadata stamped on every resource.")

    @field_validator("environment")
    @classmethod
    def _environment(cls, value: str) -> str:
        canonical: str | None = v.canonical_environment(value)
        if canonical is None:
            raise ValueError(f"{value!r} is not an environment; use one of {', '.join(v.ENVIRONMENTS)}")
        return canonical

    def ownership_model(self) -> Ownership:
        o = self.ownership
        return Ownership(
            owner=o.owner,
            environment=self.environment,
            data_classification=o.data_classification,
            purpose=o.purpose,
            cost_center=o.cost_center,
            contact=o.contact,
        )


def _value(config: pulumi.Config, key: str) -> Any:
    raw = config.get(key)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


class StackConfigError(ValueError):
    """Invalid stack configuration: the message names each ``aiwarden:`` key and what is wrong."""


def load_config() -> PlatformConfig:
    """Read ``aiwarden:*`` stack config and validate it (errors name the key and the fix)."""
    config = pulumi.Config(NAMESPACE)
    data = {key: _value(config, key) for key in ("environment", "cloud", "ownership")}
    try:
        return PlatformConfig.model_validate({k: val for k, val in data.items() if val is not None})
    except ValidationError as exc:
        problems = [
            f"{NAMESPACE}:{'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        ]
        raise StackConfigError("invalid stack config: " + "; ".join(problems)) from None
