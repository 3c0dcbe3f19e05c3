"""Which engine property of a resource type carries its tags/labels (generated table)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_TABLE = Path(__file__).parents[1] / "data" / "taggable_types.json"


@cache
def _table() -> dict[str, str]:
    merged: dict[str, str] = {}
    for types in json.loads(_TABLE.read_text(encoding="utf-8")).values():
        merged.update(types)
    return merged


def tag_property(type_: str) -> str | None:
    """``tags``, ``labels``, ``resourceLabels`` or ``metadata.labels``; None when the type has none."""
    return _table().get(type_)
