"""Public exposure is never a default: it is asked for by name, with a justification."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PublicAccess(BaseModel):
    """An explicit, justified opt-in to public exposure; the justification lands in tags/labels and reports.

    Refused for restricted data in production.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    justification: str = Field(
        min_length=20, description="Why this must be public, who approved it, until when."
    )
    cidrs: tuple[str, ...] = Field(
        default=(), description="Source CIDRs allowed, where the resource takes them."
    )
