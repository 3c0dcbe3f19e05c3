"""CloudWatch Logs facts that components (which set retention) and policies (which check it, LOG-2) share."""

from __future__ import annotations

#: The retention periods CloudWatch Logs accepts, in days (0, or no retention, means never expire).
RETENTION_DAYS: tuple[int, ...] = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
