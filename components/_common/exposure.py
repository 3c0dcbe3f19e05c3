"""Public exposure is never a default: it is asked for by name, with a justification."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from components._common.cidrs import check_cidr, is_world
from components._common.ownership import Ownership

#: The reason an unsafe choice asked for by name carries (it lands in labels, annotations and reports).
Justification = Annotated[
    str,
    Field(min_length=20, max_length=500, description="Why, who approved it, until when (20-500 characters)."),
]


class PublicAccess(BaseModel):
    """An explicit, justified opt-in to public exposure; the justification lands in tags/labels and reports.

    Refused for restricted data in production.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    justification: str = Field(
        min_length=20, description="Why this must be public, who approved it, until when."
    )
    cidrs: tuple[str, ...] = Field(
        default=(), description="Source CIDRs allowed, where the resource takes them."
    )


def check_public_endpoint(
    public: PublicAccess | None, ownership: Ownership, *, without_cidrs: str, field: str = "public_access"
) -> None:
    """A public endpoint (a cluster API) is refused for restricted production data and reached only from named
    IPv4 ranges: at least one (``without_cidrs`` says what happens otherwise), none of them the whole internet."""
    if public is None:
        return
    if ownership.environment == "production" and ownership.data_classification == "restricted":
        raise ValueError(f"{field}: restricted data in production is never public; remove {field}")
    if not public.cidrs:
        raise ValueError(
            f"{field}.cidrs: name the networks that may reach the public endpoint (at least one CIDR); {without_cidrs}"
        )
    for i, cidr in enumerate(public.cidrs):
        try:
            canonical = check_cidr(cidr)
        except ValueError as exc:
            raise ValueError(f"{field}.cidrs[{i}]: {exc}") from None
        if canonical != cidr:
            raise ValueError(f"{field}.cidrs[{i}]: {cidr!r}: write it as {canonical}")
        if is_world(cidr):
            raise ValueError(
                f"{field}.cidrs[{i}]: {cidr!r} is the whole internet (controls K8S-2, NET-3); name the networks that "
                "need access instead"
            )
