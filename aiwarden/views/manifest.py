"""The manifests components publish (``export_inventory()``): the stack outputs ``inventory`` and
``incidentResponse``, one entry per recorded asset, and the plain table of either (``aiwarden incident-response``).
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from aiwarden.views.stack import StackView
from aiwarden.views.text import text
from aiwarden_policies import contract

INVENTORY = contract.INVENTORY_OUTPUT
INCIDENT_RESPONSE = contract.IR_OUTPUT
INVENTORY_FIELDS = contract.INVENTORY_FIELDS
IR_FIELDS = contract.IR_FIELDS


def entries(stack: StackView, key: str) -> list[dict[str, Any]]:
    value = stack.outputs.get(key)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def by_name(stack: StackView, key: str) -> dict[str, dict[str, Any]]:
    return {str(e.get("name")): e for e in entries(stack, key) if e.get("name")}


def exported(stack: StackView, key: str) -> bool:
    return key in stack.outputs


def missing_note(key: str) -> str:
    return f"the stack exports no `{key}` output (the program does not call export_inventory())"


def render_table(stack: StackView, key: str, fields: tuple[str, ...], console: Console) -> None:
    rows = entries(stack, key)
    title = f"{key} · {stack.project}/{stack.stack}"
    if not exported(stack, key):
        console.print(f"[yellow]{title}: {missing_note(key)}[/]")
        return
    if not rows:
        console.print(f"{title}: no AI assets recorded")
        return
    table = Table(title=title, show_lines=True)
    for f in fields:
        table.add_column(f, overflow="fold")
    for row in rows:
        table.add_row(*(text(row.get(f)) for f in fields))
    console.print(table)


def render_markdown(stack: StackView, key: str, fields: tuple[str, ...]) -> str:
    lines = [
        f"## {key} — {stack.project}/{stack.stack}",
        "",
        "| " + " | ".join(fields) + " |",
        "|" + "---|" * len(fields),
    ]
    for row in entries(stack, key):
        cells = (text(row.get(f)).replace("|", "\\|").replace("\n", "<br>") for f in fields)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_json(stack: StackView, key: str) -> str:
    return json.dumps(entries(stack, key), indent=2) + "\n"
