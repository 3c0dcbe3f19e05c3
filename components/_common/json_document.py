"""JSON documents (policies) that may hold Outputs, with one Output per document.

``pulumi.Output.json_dumps`` lifts every nested value of the document into an Output of its own
(a task per leaf); a policy document has dozens. This collects only the leaves that are Outputs,
waits for them together, and renders the same JSON text (``json.dumps`` defaults), secret and
unknown propagation included.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi


def _collect(value: Any, found: list[Any]) -> Any:
    if isinstance(value, pulumi.Output):
        found.append(value)
        return _Slot(len(found) - 1)
    if isinstance(value, Mapping):
        return {k: _collect(v, found) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_collect(v, found) for v in value]
    return value


class _Slot:
    def __init__(self, index: int) -> None:
        self.index = index


def _fill(value: Any, resolved: Sequence[Any]) -> Any:
    if isinstance(value, _Slot):
        return resolved[value.index]
    if isinstance(value, dict):
        return {k: _fill(v, resolved) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, resolved) for v in value]
    return value


def json_document(value: Any) -> pulumi.Output[str]:
    """``json.dumps(value)`` once every Output inside it has resolved."""
    outputs: list[Any] = []
    template = _collect(value, outputs)
    if not outputs:
        return pulumi.Output.from_input(json.dumps(template))
    return pulumi.Output.all(*outputs).apply(lambda resolved: json.dumps(_fill(template, resolved)))
