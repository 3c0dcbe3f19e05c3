"""Plain-text helpers every view shares: how a value prints, how an identity shortens."""

from __future__ import annotations

import re
from typing import Any

from aiwarden.capture.props import UNKNOWN

NONE = "—"
LATER = "(known after deploy)"

_ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:(role|user|policy|group)/(?:.*/)?([^/]+)$")
_SA = re.compile(r"^serviceAccount:([^@]+)@([^.]+)\.iam\.gserviceaccount\.com$")
#: Google-managed service agents (``service-<number>@gcp-sa-x...``): the agent's domain says which service.
_AGENT = re.compile(r"^serviceAccount:(?:service|bq)-\d+@([a-z0-9-]+)\.iam\.gserviceaccount\.com$")
_WI = re.compile(r"^serviceAccount:[^.]+\.svc\.id\.goog\[([^/\]]+)/([^\]]+)\]$")
_KSA = re.compile(r"^system:serviceaccount:([^:]+):(.+)$")


def text(value: Any) -> str:
    """A value as one string: lists one item a line, unknown and empty said in words."""
    if value == UNKNOWN:
        return LATER
    if isinstance(value, list | tuple):
        return "\n".join(text(v) for v in value) or NONE
    if isinstance(value, dict):
        return ", ".join(f"{k}: {text(v)}" for k, v in value.items()) or NONE
    return str(value) if value not in (None, "") else NONE


def strings(value: Any) -> list[str]:
    """A list of the string items of a value (a single string is a list of one)."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v not in (None, "")]
    return []


def short_identity(value: str) -> str:
    """An identity short enough for an 80-column table: ``role/x``, ``sa:x@project``, ``agent:gcp-sa-x``,
    ``ksa:ns/name``."""
    match = _ROLE_ARN.match(value)
    if match:
        return f"{match[1]}/{match[2]}"
    match = _AGENT.match(value)
    if match:
        return f"agent:{match[1]}"
    match = _SA.match(value)
    if match:
        return f"sa:{match[1]}@{match[2]}"
    match = _WI.match(value) or _KSA.match(value)
    if match:
        return f"ksa:{match[1]}/{match[2]}"
    return value
