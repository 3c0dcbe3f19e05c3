"""Property values as policies read them: lists that arrive as SDK proxies, strings that may be lists.

The policy SDK hands policies proxies: a list is a ``Sequence`` but not a ``list``, and reading an
element (or a mapping value) that is unknown at preview raises inside the SDK, so the policy reports
that it cannot run yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def items(value: Any) -> list[Any]:
    """The elements of a list-valued property (reading them), or [] when it is not a list."""
    return list(value) if is_list(value) else []


def count(value: Any) -> int:
    """The length of a list-valued property without reading its elements (they may be unknown)."""
    return len(value) if is_list(value) else 0


def strings(value: Any) -> list[str]:
    """A string or a list of strings (IAM ``Action``/``Resource``, selector values, ...) as a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def text(value: Any) -> bool:
    """A non-blank string."""
    return isinstance(value, str) and bool(value.strip())
