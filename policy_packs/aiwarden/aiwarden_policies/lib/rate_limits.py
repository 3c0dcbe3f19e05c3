"""Request-rate ceilings (EP-3): the configured rate/burst ceiling and how a throttle setting compares to it.

Every EP-3 policy takes the same two config properties (``CEILING_CONFIG``): ``maxRateLimit``
(requests per second) and ``maxBurstLimit`` (requests). API Gateway's ``-1`` means "no throttle"
and an absent setting falls back to the account-level default (10,000 requests/s, 5,000 burst).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_RATE = 100.0
DEFAULT_BURST = 200
ACCOUNT_DEFAULT = {"rate": "10,000 requests/s", "burst": "5,000 requests"}

CEILING_CONFIG: dict[str, dict[str, Any]] = {
    "maxRateLimit": {
        "type": "number",
        "minimum": 0,
        "default": DEFAULT_RATE,
        "description": "Highest steady-state request rate a model API may allow (requests per second).",
    },
    "maxBurstLimit": {
        "type": "integer",
        "minimum": 0,
        "default": DEFAULT_BURST,
        "description": "Highest burst a model API may allow (requests).",
    },
}


def number(value: Any) -> str:
    """100.0 -> '100', 12.5 -> '12.5' (engine numbers arrive as floats)."""
    return f"{float(value):g}"


@dataclass(frozen=True)
class Ceiling:
    rate: float
    burst: float

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> Ceiling:
        return cls(
            rate=float(config.get("maxRateLimit", DEFAULT_RATE)),
            burst=float(config.get("maxBurstLimit", DEFAULT_BURST)),
        )

    def limit(self, kind: str) -> float:
        return self.rate if kind == "rate" else self.burst

    def problem(self, kind: str, where: str, value: Any, required: bool) -> str | None:
        """Why ``value`` (a rate or burst setting at ``where``) breaks the ceiling, or None when it does not.

        ``required``: an absent value is a problem (it means the account default), else it is skipped.
        """
        unit = "requests/s" if kind == "rate" else "requests"
        ceiling = f"at most {number(self.limit(kind))} {unit}"
        if value is None:
            return (
                f"{where} is not set (API Gateway default: {ACCOUNT_DEFAULT[kind]}); it must be {ceiling}"
                if required
                else None
            )
        if float(value) < 0:
            return f"{where} is {number(value)} (throttling disabled); it must be {ceiling}"
        if float(value) > self.limit(kind):
            return f"{where} is {number(value)}; it must be {ceiling}"
        return None

    def within(self, rate: Any, burst: Any) -> bool:
        """Both limits set, not disabled, and within the ceiling."""
        return all(
            v is not None and 0 <= float(v) <= self.limit(k) for k, v in (("rate", rate), ("burst", burst))
        )
