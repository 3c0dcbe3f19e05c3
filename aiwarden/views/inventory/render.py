"""The inventory as a terminal table, CSV, JSON, Markdown or one self-contained HTML page.

The terminal table stays readable at 80 columns: three columns, the first two holding several values (asset,
kind, owner and purpose; environment, classification and exposure, highlighted), identities shortened
(``role/x``, ``sa:x@project``, ``agent:gcp-sa-x``, ``ksa:ns/name``, three at most) and long values folded,
never cut. The other formats
carry every value in full.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from aiwarden.views import html
from aiwarden.views.inventory.model import COLUMNS, Inventory
from aiwarden.views.text import NONE, short_identity, strings, text

SHOWN_IDENTITIES = 3
#: Width of the environment / classification / exposure column ("confidential") and the table's padding and
#: separators (three columns: one space each side, one between).
ENV_WIDTH = 12
OVERHEAD = 8
EXPOSURE_STYLE = {"public": "bold white on red", "internal": "bold yellow", "private": "green"}
CLASS_STYLE = {
    "restricted": "bold magenta",
    "confidential": "bold yellow",
    "internal": "cyan",
    "public": "dim",
}
#: A CSV cell starting with one of these is read as a formula by spreadsheets (CSV injection): quote it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _title(inv: Inventory) -> str:
    return f"AI asset inventory · {inv.project}/{inv.stack}"


def _styled(value: Any, styles: dict[str, str]) -> str:
    word = text(value)
    style = styles.get(word)
    return f"[{style}]{escape(word)}[/]" if style else escape(word)


def _identities(value: Any) -> str:
    found = [short_identity(v) for v in strings(value)]
    shown = found[:SHOWN_IDENTITIES]
    if len(found) > SHOWN_IDENTITIES:
        shown.append(f"+{len(found) - SHOWN_IDENTITIES} more")
    return escape("\n".join(shown)) or NONE


def _longest(values: list[str]) -> int:
    return max((len(line) for v in values for line in v.split("\n")), default=0)


def _widths(inv: Inventory, total: int) -> tuple[int, int]:
    """Widths of the asset and identities columns: the asset as wide as its longest value (up to half the
    room), identities the rest."""
    room = max(total, 80) - ENV_WIDTH - OVERHEAD
    longest = _longest([text(e.get(k)) for e in inv.assets for k in ("name", "kind", "owner", "purpose")])
    asset = min(max(longest, 14), room // 2)
    return asset, room - asset


def render_table(inv: Inventory, console: Console) -> None:
    console.print(f"[bold]{escape(_title(inv))}[/]")
    console.print(f"[dim]{escape(inv.source)}[/]")
    if inv.assets:
        asset, identities = _widths(inv, console.width)
        table = Table(box=box.SIMPLE_HEAD, show_lines=True, show_edge=False, padding=(0, 1))
        table.add_column("asset\nkind\nowner\npurpose", overflow="fold", width=asset)
        table.add_column("environment\ndata\nexposure", no_wrap=True, width=ENV_WIDTH)
        table.add_column("identities", overflow="fold", width=identities)
        for entry in inv.assets:
            table.add_row(
                f"[bold]{escape(text(entry.get('name')))}[/]\n[dim]{escape(text(entry.get('kind')))}[/]\n"
                f"{escape(text(entry.get('owner')))}\n[dim]{escape(text(entry.get('purpose')))}[/]",
                f"{escape(text(entry.get('environment')))}\n{_styled(entry.get('dataClassification'), CLASS_STYLE)}"
                f"\n{_styled(entry.get('exposure'), EXPOSURE_STYLE)}",
                _identities(entry.get("identities")),
            )
        console.print(table)
    elif inv.exported:
        console.print("no AI assets recorded")
    if inv.unmanaged:
        console.print(
            f"[bold red]Unmanaged AI assets ({len(inv.unmanaged)})[/]: no record names an owner for them"
        )
        table = Table(box=box.SIMPLE_HEAD, show_lines=True, show_edge=False, padding=(0, 1), expand=True)
        table.add_column("resource\ntype", overflow="fold", ratio=3, min_width=16)
        table.add_column("kind", overflow="fold", ratio=1, min_width=8)
        table.add_column("why it is listed", overflow="fold", ratio=4, min_width=16)
        for u in inv.unmanaged:
            table.add_row(
                f"{escape(u.resource.name)}\n[dim]{escape(u.resource.type)}[/]", u.kind, escape(u.why)
            )
        console.print(table)
    for note in inv.notes:
        console.print(f"[yellow]note:[/] {escape(note)}", soft_wrap=False)


def _csv_cell(value: Any) -> str:
    cell = (
        "; ".join(strings(value))
        if isinstance(value, list | tuple)
        else ("" if value is None else str(value))
    )
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def render_csv(inv: Inventory) -> str:
    """One row per asset: ``status`` recorded or unmanaged; identities joined with ``; ``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["status", *COLUMNS, "type", "why"])
    for entry in inv.assets:
        row = inv.row(entry)
        writer.writerow(["recorded", *(_csv_cell(row[c]) for c in COLUMNS), "", ""])
    for u in inv.unmanaged:
        row_values = {"name": u.resource.name, "kind": u.kind}
        writer.writerow(
            [
                "unmanaged",
                *(_csv_cell(row_values.get(c, "")) for c in COLUMNS),
                _csv_cell(u.resource.type),
                u.why,
            ]
        )
    return out.getvalue()


def as_json(inv: Inventory) -> dict[str, Any]:
    return {
        "project": inv.project,
        "stack": inv.stack,
        "source": inv.source,
        "assets": inv.assets,
        "unmanaged": [
            {
                "name": u.resource.name,
                "type": u.resource.type,
                "urn": u.resource.urn,
                "kind": u.kind,
                "why": u.why,
            }
            for u in inv.unmanaged
        ],
        "notes": inv.notes,
    }


def render_json(inv: Inventory) -> str:
    return json.dumps(as_json(inv), indent=2) + "\n"


def _md(value: Any) -> str:
    return text(value).replace("|", "\\|").replace("\n", "<br>")


def render_markdown(inv: Inventory) -> str:
    shown = (
        "name",
        "kind",
        "owner",
        "environment",
        "dataClassification",
        "exposure",
        "identities",
        "purpose",
    )
    lines = [f"## {_title(inv)}", "", f"Source: {inv.source}.", ""]
    lines += [f"> **Note:** {note}" for note in inv.notes]
    if inv.notes:
        lines.append("")
    if inv.assets:
        lines += ["| " + " | ".join((*shown, "ownerContact")) + " |", "|" + "---|" * (len(shown) + 1)]
        for entry in inv.assets:
            row = inv.row(entry)
            cells = [_md(row[c]) for c in (*shown, "ownerContact")]
            if row["exposure"] == "public":
                cells[shown.index("exposure")] = "**public**"
            lines.append("| " + " | ".join(cells) + " |")
    else:
        lines.append("No AI assets recorded.")
    if inv.unmanaged:
        lines += [
            "",
            f"### Unmanaged AI assets ({len(inv.unmanaged)})",
            "",
            "| resource | type | kind | why |",
        ]
        lines.append("|---|---|---|---|")
        for u in inv.unmanaged:
            lines.append(f"| {_md(u.resource.name)} | `{u.resource.type}` | {u.kind} | {_md(u.why)} |")
    return "\n".join(lines) + "\n"


def render_html(inv: Inventory) -> str:
    esc = html.esc
    header = [f"<h1>{esc(_title(inv))}</h1>", f'<p class="meta">Source: {esc(inv.source)}</p>']
    header += [f'<p class="note">{esc(note)}</p>' for note in inv.notes]
    body = [f"<h2>Recorded assets ({len(inv.assets)})</h2>"]
    if inv.assets:
        heads = (
            "name",
            "kind",
            "owner",
            "environment",
            "data classification",
            "exposure",
            "identities",
            "purpose",
        )
        body.append('<table data-sortable id="assets"><thead><tr>')
        body.append("".join(f"<th>{esc(h)}</th>" for h in (*heads, "contact")) + "</tr></thead><tbody>")
        for entry in inv.assets:
            row = inv.row(entry)
            exposure = text(row["exposure"])
            css = ' class="public"' if exposure == "public" else ""
            body.append(
                f"<tr data-filter{css}>"
                f"<td>{esc(text(row['name']))}</td><td>{esc(text(row['kind']))}</td>"
                f"<td>{esc(text(row['owner']))}</td><td>{esc(text(row['environment']))}</td>"
                f"<td>{html.badge('class', text(row['dataClassification']))}</td>"
                f"<td>{html.badge('exposure', exposure)}</td>"
                f"<td>{html.cell_list(strings(row['identities']))}</td>"
                f"<td>{esc(text(row['purpose']))}</td><td>{esc(text(row['ownerContact']))}</td></tr>"
            )
        body.append("</tbody></table>")
    body.append(f"<h2>Unmanaged AI assets ({len(inv.unmanaged)})</h2>")
    if inv.unmanaged:
        body.append(
            '<p class="why">AI assets in the stack that no record covers: nobody is named to answer for them.</p>'
        )
        body.append(
            '<table data-sortable id="unmanaged"><thead><tr><th>resource</th><th>type</th><th>kind</th>'
        )
        body.append("<th>why it is listed</th></tr></thead><tbody>")
        for u in inv.unmanaged:
            body.append(
                f"<tr data-filter><td>{esc(u.resource.name)}</td><td><code>{esc(u.resource.type)}</code></td>"
                f"<td>{esc(u.kind)}</td><td>{esc(u.why)}</td></tr>"
            )
        body.append("</tbody></table>")
    else:
        body.append("<p>None: every AI asset in the stack is recorded.</p>")
    return html.page(
        _title(inv), "\n".join(header), "\n".join(body), "Filter assets (name, owner, kind, public…)"
    )
