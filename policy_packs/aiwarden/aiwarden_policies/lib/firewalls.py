"""GCP firewall rules as NET-1 (egress) and NET-3 (ingress) read them.

``direction`` absent means INGRESS; a rule with ``disabled: true`` or without ``allows`` (a deny
rule) opens nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FIREWALL = "gcp:compute/firewall:Firewall"


def opens(props: Mapping[str, Any], wanted: str) -> bool:
    """Whether an enabled allow rule of direction ``wanted`` (INGRESS / EGRESS)."""
    if str(props.get("direction") or "INGRESS").upper() != wanted:
        return False
    return props.get("disabled") is not True and bool(props.get("allows"))


def allowed(props: Mapping[str, Any]) -> str:
    """What the ``allows`` entries open, e.g. ``tcp:22,80-90; udp (all ports); all protocols``."""
    parts = []
    for allow in props.get("allows") or []:
        protocol = str(allow.get("protocol") or "")
        ports = [str(p) for p in allow.get("ports") or []]
        if protocol.lower() == "all":
            parts.append("all protocols")
        else:
            parts.append(f"{protocol}:{','.join(ports)}" if ports else f"{protocol} (all ports)")
    return "; ".join(parts)
