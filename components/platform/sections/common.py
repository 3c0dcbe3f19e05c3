"""What every target's stack config shares: the key style, names, ownership, justified opt-ins."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from components._common.gpu import check_gpu_nodes
from components._common.image import check_image_ref
from components._common.ownership import Classification, Email, Slug

NAMESPACE = "aiwarden"

#: Stack keys are camelCase (``subnetIds``); Python attributes stay snake_case. Unknown keys are refused.
CAMEL = ConfigDict(
    extra="forbid", frozen=True, defer_build=True, populate_by_name=True, alias_generator=to_camel
)

Name = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9-]{0,24}$",
        description="lowercase letters, digits and dashes, starting with a letter, 25 max (child names derive from it)",
    ),
]
Justification = Annotated[
    str,
    Field(min_length=20, max_length=500, description="Why, who approved it, until when (20-500 characters)."),
]
ScopeKey = Literal["owner", "purpose", "cost-center"]
#: A container image pinned by digest from an approved registry (``aiwarden:approvedRegistries``), checked as the
#: components check it.
Image = Annotated[str, AfterValidator(check_image_ref)]
Percent = Annotated[float, Field(gt=0, lt=100)]
READ_WRITE = "`read` = read objects/documents, `write` = also write them"


class OwnershipConfig(BaseModel):
    """The ownership keys of ``aiwarden:ownership`` (environment comes from ``aiwarden:environment``)."""

    model_config = CAMEL
    owner: Slug = Field(description="Owning team slug, e.g. ml-platform.")
    data_classification: Classification = Field(
        alias="dataClassification",
        description="public, internal, confidential or restricted (aliases folded).",
    )
    purpose: Slug = Field(description="Business purpose slug, e.g. fraud-scoring.")
    cost_center: Slug | None = Field(default=None, alias="costCenter", description="Cost allocation key.")
    contact: Email | None = Field(default=None, description="Responder e-mail.")


class Justified(BaseModel):
    """A named opt-out from a hardened default: the justification lands in tags/labels and in the reports."""

    model_config = CAMEL
    justification: Justification = Field(description="Why, who approved it, until when (20-500 characters).")


def check_pool_ceiling(max_nodes: int) -> None:
    """Refuse a GPU pool maximum above the stack's ceiling (``aiwarden:maxGpuNodesPerPool``), naming ``maxNodes``."""
    try:
        check_gpu_nodes(max_nodes, "maxNodes")
    except ValueError as exc:
        raise ValueError(
            f"maxNodes: {max_nodes} is {str(exc).removeprefix(f'maxNodes={max_nodes}: ')}"
        ) from None
