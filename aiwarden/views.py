"""Inventory and incident-response views of a program's stack outputs (INV-2, IR-1).

Both read the outputs that components publish through ``export_inventory()`` (update mode,
so names and ARNs are known) and render them for a responder or an auditor.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from aiwarden.capture.model import Capture
from aiwarden.capture.props import UNKNOWN, plain
from aiwarden_policies import contract


def entries(capture: Capture, key: str) -> list[dict[str, Any]]:
    value = plain(capture.outputs.get(key))
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    if value == UNKNOWN:
        return "(known after deploy)"
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value) or "—"
    return str(value) if value not in (None, "") else "—"


def render_table(capture: Capture, key: str, fields: tuple[str, ...], console: Console) -> None:
    rows = entries(capture, key)
    title = f"{key} · {capture.project}/{capture.stack}"
    if key not in capture.outputs:
        console.print(f"[yellow]{title}: the stack exports no `{key}` output[/] (call export_inventory())")
        return
    if not rows:
        console.print(f"{title}: no AI assets recorded")
        return
    table = Table(title=title, show_lines=True)
    for f in fields:
        table.add_column(f, overflow="fold")
    for row in rows:
        table.add_row(*(_text(row.get(f)) for f in fields))
    console.print(table)


def render_markdown(capture: Capture, key: str, fields: tuple[str, ...]) -> str:
    rows = entries(capture, key)
    lines = [
        f"## {key} — {capture.project}/{capture.stack}",
        "",
        "| " + " | ".join(fields) + " |",
        "|" + "---|" * len(fields),
    ]
    for row in rows:
        lines.append("| " + " | ".join(_text(row.get(f)).replace("\n", "<br>") for f in fields) + " |")
    return "\n".join(lines) + "\n"


def render_json(capture: Capture, key: str) -> str:
    return json.dumps(entries(capture, key), indent=2) + "\n"


VIEWS = {
    "inventory": (contract.INVENTORY_OUTPUT, contract.INVENTORY_FIELDS),
    "incident-response": (contract.IR_OUTPUT, contract.IR_FIELDS),
}
