"""Availability zones as the AWS network components accept them; CIDR blocks are the shared ones
(``components._common.cidrs``), re-exported here for the platform program's sections."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from components._common.cidrs import Cidr as Cidr, is_private as is_private

AVAILABILITY_ZONE = r"^[a-z]{2}(-[a-z]+)+-\d[a-z]$"

AvailabilityZone = Annotated[
    str, Field(pattern=AVAILABILITY_ZONE, description="An availability zone name, e.g. `us-east-1a`.")
]
