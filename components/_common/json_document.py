"""JSON documents (policies) and strings built from Outputs, with one Output each.

``pulumi.Output.json_dumps`` lifts every nested value of the document into an Output of its own
(a task per leaf), and ``pulumi.Output.concat`` makes an Output of every part: a policy document
has dozens. Here a document collects only the leaves that are Outputs — ``Join`` markers
(``arn + "/*"``) included — waits for them together, and renders the same JSON text
(``json.dumps`` defaults), secret and unknown propagation included. ``joined`` is the same for
a single string.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi


class Join:
    """``"".join(parts)`` inside a document, rendered with it (no Output of its own)."""

    def __init__(self, *parts: Any) -> None:
        self.parts = parts


class _Slot:
    def __init__(self, index: int) -> None:
        self.index = index


def _collect(value: Any, found: list[Any]) -> Any:
    if isinstance(value, pulumi.Output):
        found.append(value)
        return _Slot(len(found) - 1)
    if isinstance(value, Join):
        return Join(*(_collect(p, found) for p in value.parts))
    if isinstance(value, Mapping):
        return {k: _collect(v, found) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_collect(v, found) for v in value]
    return value


def _fill(value: Any, resolved: Sequence[Any]) -> Any:
    if isinstance(value, _Slot):
        return resolved[value.index]
    if isinstance(value, Join):
        return "".join(str(_fill(p, resolved)) for p in value.parts)
    if isinstance(value, dict):
        return {k: _fill(v, resolved) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, resolved) for v in value]
    return value


def _render(value: Any, render: Any) -> pulumi.Output[Any]:
    """``render(value)`` once every Output inside ``value`` has resolved: one apply, one Output."""
    outputs: list[Any] = []
    template = _collect(value, outputs)
    if not outputs:
        return pulumi.Output.from_input(render(_fill(template, [])))
    if len(outputs) == 1:
        only: pulumi.Output[Any] = outputs[0]
        return only.apply(lambda value: render(_fill(template, [value])))
    return pulumi.Output.all(*outputs).apply(lambda resolved: render(_fill(template, resolved)))


def json_document(value: Any) -> pulumi.Output[str]:
    """``json.dumps(value)`` once every Output inside it has resolved."""
    return _render(value, json.dumps)


def joined(*parts: Any) -> pulumi.Output[str]:
    """``pulumi.Output.concat(*parts)`` as one Output."""
    return _render(Join(*parts), lambda text: text)


def text(*parts: Any) -> str | pulumi.Output[str]:
    """The parts joined: a plain string when every part is one (no Output to create and wait for), else
    ``joined(*parts)``."""
    if all(isinstance(part, str) for part in parts):
        return "".join(parts)
    return joined(*parts)
