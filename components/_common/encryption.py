"""Encryption key choice, the same shape everywhere: create a customer-managed key, or bring one.

"No key" is not a choice for confidential or restricted data (DATA-2); components refuse it
before registering anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

import pulumi
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

AWS_KMS_ARN = r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[A-Za-z0-9/_-]+$"
GCP_KMS_KEY = r"^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/locations/[a-z0-9-]+/keyRings/[A-Za-z0-9_-]+/cryptoKeys/[A-Za-z0-9_-]+$"


class CreateKey(BaseModel):
    """Create a dedicated customer-managed key (rotation on)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["create"] = "create"
    deletion_window_days: int = Field(
        default=30,
        ge=7,
        le=30,
        description=(
            "AWS KMS pending-deletion window / GCP destroy-scheduled duration (7-30 days; provider defaults: "
            "AWS 30, GCP 30); production keys keep 30 (IR-2)."
        ),
    )
    rotation_period_days: int = Field(
        default=90,
        ge=1,
        le=365,
        description=(
            "Rotation period in days: GCP `rotation_period` (1-365 here); AWS `rotation_period_in_days` "
            "(AWS accepts 90-2560; provider default 365, and rotation itself is off by default)."
        ),
    )


def _key_id(value: Any) -> Any:
    """A non-empty key id (checked per cloud by the component), or an Output (passed through)."""
    if isinstance(value, pulumi.Output):
        return value
    if not isinstance(value, str) or not value:
        raise ValueError(f"{value!r} is not a key id; give the key's ARN (AWS) or crypto key id (GCP)")
    return value


if TYPE_CHECKING:
    KeyId = str | pulumi.Output[str]
else:
    KeyId = Annotated[
        str | pulumi.Output[str], PlainValidator(_key_id), WithJsonSchema({"type": "string", "minLength": 1})
    ]


class ExistingKey(BaseModel):
    """Use a key that already exists (ARN on AWS, full crypto key id on GCP), or one created in the same program
    (its Output)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    kind: Literal["existing"] = "existing"
    key: KeyId = Field(
        description="AWS KMS key ARN (`arn:aws:kms:...`) or GCP `projects/.../cryptoKeys/...`: a string, checked, "
        "or the Output of a key created in the same program (e.g. `Key(...).arn`), passed through unchecked.",
    )


KeyChoice = Annotated[CreateKey | ExistingKey, Field(discriminator="kind")]
