"""Plain-text helpers every view shares: how a value prints, how an identity shortens."""

from __future__ import annotations

import re
from typing import Any

from aiwarden.capture.props import UNKNOWN

NONE = "—"
LATER = "(known after deploy)"

_ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:(role|user|policy|group)/(?:.*/)?([^/]+)$")
_SA = re.compile(r"^serviceAccount:([^@]+)@([^.]+)\.iam\.gserviceaccount\.com$")
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
    """An identity short enough for an 80-column table: ``role/x``, ``sa:x@project``, ``ksa:ns/name``."""
    for pattern, render in (
        (_ROLE_ARN, lambda m: f"{m[1]}/{m[2]}"),
        (_SA, lambda m: f"sa:{m[1]}@{m[2]}"),
        (_WI, lambda m: f"ksa:{m[1]}/{m[2]}"),
        (_KSA, lambda m: f"ksa:{m[1]}/{m[2]}"),
    ):
        match = pattern.match(value)
        if match:
            return str(render(match))
    return value
