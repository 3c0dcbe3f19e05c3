"""Encryption key choice, the same shape everywhere: create a customer-managed key, or bring one.

"No key" is not a choice for confidential or restricted data (DATA-2); components refuse it
before registering anything.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

AWS_KMS_ARN = r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[A-Za-z0-9/_-]+$"
GCP_KMS_KEY = r"^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/locations/[a-z0-9-]+/keyRings/[A-Za-z0-9_-]+/cryptoKeys/[A-Za-z0-9_-]+$"


class CreateKey(BaseModel):
    """Create a dedicated customer-managed key (rotation on)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
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


class ExistingKey(BaseModel):
    """Use a key that already exists (ARN on AWS, full crypto key id on GCP)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["existing"] = "existing"
    key: str = Field(
        min_length=1,
        description="AWS KMS key/alias ARN (`arn:aws:kms:...`) or GCP `projects/.../cryptoKeys/...`.",
    )


KeyChoice = Annotated[CreateKey | ExistingKey, Field(discriminator="kind")]
