"""Google API durations as Cloud KMS takes them: seconds with up to nine fractional digits, ``"2592000s"``."""

from __future__ import annotations

import re
from typing import Any

DAY = 86400
_DURATION = re.compile(r"^(\d+(?:\.\d{1,9})?)s$")


def seconds(value: Any) -> float | None:
    """The seconds of a duration string, or None when it is not one."""
    match = _DURATION.match(str(value))
    return float(match.group(1)) if match else None
