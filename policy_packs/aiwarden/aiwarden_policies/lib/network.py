"""Network exposure: CIDRs and ports that open a resource to the whole internet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

WORLD_V4 = "0.0.0.0/0"
WORLD_V6 = "::/0"
WORLD = frozenset({WORLD_V4, WORLD_V6})


def world_cidrs(*values: Any) -> list[str]:
    """The internet-wide CIDRs among ``values`` (strings or lists of strings)."""
    found: list[str] = []
    for value in values:
        items: Iterable[Any] = [value] if isinstance(value, str) else (value or [])
        found.extend(str(v) for v in items if str(v).strip() in WORLD)
    return found


def port_range(from_port: Any, to_port: Any) -> str:
    try:
        low, high = int(float(from_port)), int(float(to_port))
    except (TypeError, ValueError):
        return "all ports"
    if low in (-1, 0) and high in (-1, 0, 65535):
        return "all ports"
    return str(low) if low == high else f"{low}-{high}"
