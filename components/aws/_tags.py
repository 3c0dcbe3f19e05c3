"""The tags every AWS child carries: ownership (INV-1), plus the justification of an insecure opt-in."""

from __future__ import annotations

import re

from aiwarden_policies.contract import vocabulary as v
from components._common import Ownership

_NOT_TAG_VALUE = re.compile(r"[^\w .:/=+@-]+")


def tag_value(text: str) -> str:
    """Fold free text into a valid AWS tag value (letters, digits, spaces, ``_.:/=+-@``; 256 max)."""
    return " ".join(_NOT_TAG_VALUE.sub(" ", text).split())[:256]


def aws_tags(ownership: Ownership, exception: str | None = None) -> dict[str, str]:
    """Ownership tags; ``exception`` (a justification) lands in the ``aiwarden-exception`` tag."""
    tags = ownership.aws_tags()
    if exception:
        tags[v.EXCEPTION] = tag_value(exception)
    return tags
