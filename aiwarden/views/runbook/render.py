"""The runbook as Markdown (paste into the incident channel or a wiki), one HTML page, or JSON.

Every asset answers the same questions in the same order: who owns it and whom to call; what to revoke,
with the exact commands; what to preserve, where it is and how long it stays (before disabling, which can
destroy it); what to disable; what to inspect; what to run if an identity with access is compromised; which request ids to correlate on; the
recorded containment; how to roll the response back.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict

from aiwarden.views import html
from aiwarden.views.runbook.model import AssetRunbook, Evidence, Item, Runbook, Step

SECTIONS = (
    ("revoke", "Revoke credentials"),
    ("preserve", "Preserve evidence"),
    ("disable", "Disable endpoints"),
    ("inspect", "Inspect"),
    ("access", "If an identity with access is compromised"),
)


def _title(book: Runbook) -> str:
    return f"Incident runbook · {book.project}/{book.stack}"


def anchor(name: str) -> str:
    return "asset-" + re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")


# --- Markdown --------------------------------------------------------------------------------------------------


def _md_cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", "<br>") or "—"


def _md_steps(steps: list[Step]) -> list[str]:
    if not steps:
        return []
    lines = ["```sh"]
    for step in steps:
        lines += [f"# {step.why}", step.command]
    return [*lines, "```"]


def _md_item(item: Item) -> list[str]:
    lines = [f"- **{item.what}** `{item.subject}`"]
    if item.note:
        lines.append(f"  {item.note}")
    if item.steps:
        lines += ["", *_md_steps(item.steps)]
    if item.rollback:
        lines.append(f"Rollback: {item.rollback}")
    return [*lines, ""]


PRESERVE_FIRST = (
    "Start these before disabling anything: scaling to zero or deleting removes pods' logs and instance state; "
    "exports and copies run in the background."
)


def _md_evidence(found: list[Evidence], lead: str = PRESERVE_FIRST) -> list[str]:
    if not found:
        return ["Nothing recorded.", ""]
    lines = [lead, ""] if lead else []
    lines += ["| Where | What | Kept |", "|---|---|---|"]
    lines += [f"| `{_md_cell(e.where)}` | {_md_cell(e.what)} | {_md_cell(e.retention)} |" for e in found]
    lines.append("")
    for e in found:
        if e.steps:
            lines += [f"`{e.where}`:", "", *_md_steps(e.steps), ""]
    return lines


def _md_asset(a: AssetRunbook) -> list[str]:
    lines = [
        f'<a id="{anchor(a.name)}"></a>',
        f"## {a.name}",
        "",
        "| Owner | Contact | Kind | Environment | Data | Exposure | Purpose |",
        "|---|---|---|---|---|---|---|",
        f"| {_md_cell(a.owner)} | {_md_cell(a.contact)} | {a.kind} | {a.environment} | {a.classification} | "
        f"{'**public**' if a.exposure == 'public' else a.exposure} | {_md_cell(a.purpose)} |",
        "",
    ]
    if a.contact_note:
        lines += [f"> {a.contact_note}", ""]
    if a.exception:
        lines += [f"> Exception on record: {a.exception}", ""]
    if a.identities:
        lines += ["Identities that can act on it: " + ", ".join(f"`{i}`" for i in a.identities), ""]
    for number, (key, title) in enumerate(SECTIONS, 1):
        lines += [f"### {number}. {title}", ""]
        if key == "preserve":
            lines += _md_evidence(a.preserve)
            continue
        items: list[Item] = getattr(a, key)
        if not items:
            lines += ["Nothing recorded.", ""]
        for item in items:
            lines += _md_item(item)
    n = len(SECTIONS)
    lines += [f"### {n + 1}. Request identifiers", ""]
    if a.request_ids:
        lines += ["| Identifier | Where | Use |", "|---|---|---|"]
        lines += [
            f"| `{_md_cell(r.name)}` | {_md_cell(r.where)} | {_md_cell(r.use)} |" for r in a.request_ids
        ]
    else:
        lines.append("Nothing recorded.")
    lines += ["", f"### {n + 2}. Containment, as recorded", "", a.containment or "Nothing recorded.", ""]
    lines += [f"### {n + 3}. Rollback", ""]
    lines += [f"- {r}" for r in a.rollback] or ["Nothing to undo."]
    return [*lines, ""]


def render_markdown(book: Runbook) -> str:
    lines = [f"# {_title(book)}", "", f"Source: {book.source}.", ""]
    for note in book.notes:
        lines += [f"> **Note:** {note}", ""]
    if book.assets:
        lines += ["Assets:", ""]
        lines += [
            f"- [{a.name}](#{anchor(a.name)}): {a.kind}, {a.exposure}, {a.classification}, owner {a.owner}"
            for a in book.assets
        ]
        lines.append("")
    else:
        lines += ["No asset is recorded in this stack.", ""]
    for a in book.assets:
        lines += _md_asset(a)
    if book.stack_evidence:
        lines += ["## Stack-wide evidence", "", *_md_evidence(book.stack_evidence, "")]
    if book.spend:
        lines += ["## Spend (denial of wallet)", ""]
        for item in book.spend:
            lines += _md_item(item)
    if book.unmanaged:
        lines += ["## Unmanaged AI assets", "", "No record names an owner or a response for these:", ""]
        lines += ["| Resource | Type | Why |", "|---|---|---|"]
        lines += [f"| {_md_cell(n)} | `{t}` | {_md_cell(w)} |" for n, t, w in book.unmanaged]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- HTML ------------------------------------------------------------------------------------------------------


def _html_steps(steps: list[Step]) -> str:
    if not steps:
        return ""
    body = "\n".join(f"# {html.esc(s.why)}\n{html.esc(s.command)}" for s in steps)
    return f"<pre><code>{body}</code></pre>"


def _html_item(item: Item) -> str:
    parts = [f"<h4>{html.esc(item.what)} <code>{html.esc(item.subject)}</code></h4>"]
    if item.note:
        parts.append(f'<p class="why">{html.esc(item.note)}</p>')
    parts.append(_html_steps(item.steps))
    if item.rollback:
        parts.append(f'<p class="why">Rollback: {html.esc(item.rollback)}</p>')
    return "".join(parts)


def _html_evidence(found: list[Evidence], lead: str = PRESERVE_FIRST) -> str:
    if not found:
        return "<p>Nothing recorded.</p>"
    rows = "".join(
        f"<tr><td><code>{html.esc(e.where)}</code></td><td>{html.esc(e.what)}</td><td>{html.esc(e.retention)}</td></tr>"
        for e in found
    )
    table = f"<table><thead><tr><th>where</th><th>what</th><th>kept</th></tr></thead><tbody>{rows}</tbody></table>"
    commands = "".join(
        f"<h4><code>{html.esc(e.where)}</code></h4>{_html_steps(e.steps)}" for e in found if e.steps
    )
    return (f'<p class="why">{html.esc(lead)}</p>' if lead else "") + table + commands


def _html_asset(a: AssetRunbook) -> str:
    parts = [
        f'<section class="asset" data-filter id="{anchor(a.name)}">',
        f"<h2>{html.esc(a.name)}</h2>",
        "<table><thead><tr><th>owner</th><th>contact</th><th>kind</th><th>environment</th><th>data</th>"
        "<th>exposure</th><th>purpose</th></tr></thead><tbody><tr>"
        f"<td>{html.esc(a.owner)}</td><td>{html.esc(a.contact)}</td><td>{html.esc(a.kind)}</td>"
        f"<td>{html.esc(a.environment)}</td><td>{html.badge('class', a.classification)}</td>"
        f"<td>{html.badge('exposure', a.exposure)}</td><td>{html.esc(a.purpose)}</td></tr></tbody></table>",
    ]
    if a.contact_note:
        parts.append(f'<p class="note">{html.esc(a.contact_note)}</p>')
    if a.exception:
        parts.append(f'<p class="note">Exception on record: {html.esc(a.exception)}</p>')
    if a.identities:
        parts.append(f"<div>Identities that can act on it: {html.cell_list(a.identities)}</div>")
    for number, (key, title) in enumerate(SECTIONS, 1):
        parts.append(f"<h3>{number}. {html.esc(title)}</h3>")
        if key == "preserve":
            parts.append(_html_evidence(a.preserve))
            continue
        items: list[Item] = getattr(a, key)
        parts.append("".join(_html_item(i) for i in items) or "<p>Nothing recorded.</p>")
    n = len(SECTIONS)
    parts.append(f"<h3>{n + 1}. Request identifiers</h3>")
    if a.request_ids:
        rows = "".join(
            f"<tr><td><code>{html.esc(r.name)}</code></td><td>{html.esc(r.where)}</td><td>{html.esc(r.use)}</td></tr>"
            for r in a.request_ids
        )
        parts.append(
            f"<table><thead><tr><th>identifier</th><th>where</th><th>use</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    else:
        parts.append("<p>Nothing recorded.</p>")
    parts.append(
        f"<h3>{n + 2}. Containment, as recorded</h3><p>{html.esc(a.containment or 'Nothing recorded.')}</p>"
    )
    parts.append(f"<h3>{n + 3}. Rollback</h3>")
    parts.append(
        "<ul>" + "".join(f"<li>{html.esc(r)}</li>" for r in a.rollback) + "</ul>"
        if a.rollback
        else "<p>Nothing to undo.</p>"
    )
    parts.append("</section>")
    return "\n".join(parts)


def render_html(book: Runbook) -> str:
    esc = html.esc
    header = [f"<h1>{esc(_title(book))}</h1>", f'<p class="meta">Source: {esc(book.source)}</p>']
    header += [f'<p class="note">{esc(n)}</p>' for n in book.notes]
    links = "".join(
        f'<li><a href="#{anchor(a.name)}">{esc(a.name)}</a> — {esc(a.kind)}, {html.badge("exposure", a.exposure)} '
        f"{html.badge('class', a.classification)}, owner {esc(a.owner)}</li>"
        for a in book.assets
    )
    header.append(f"<ul>{links}</ul>" if links else "<p>No asset is recorded in this stack.</p>")
    body = [_html_asset(a) for a in book.assets]
    if book.stack_evidence:
        body.append(f"<h2>Stack-wide evidence</h2>{_html_evidence(book.stack_evidence, '')}")
    if book.spend:
        body.append("<h2>Spend (denial of wallet)</h2>" + "".join(_html_item(i) for i in book.spend))
    if book.unmanaged:
        rows = "".join(
            f"<tr data-filter><td>{esc(n)}</td><td><code>{esc(t)}</code></td><td>{esc(w)}</td></tr>"
            for n, t, w in book.unmanaged
        )
        body.append(
            "<h2>Unmanaged AI assets</h2><p>No record names an owner or a response for these:</p>"
            f"<table data-sortable><thead><tr><th>resource</th><th>type</th><th>why</th></tr></thead><tbody>{rows}"
            "</tbody></table>"
        )
    return html.page(_title(book), "\n".join(header), "\n".join(body), "Filter assets (name, command, ARN…)")


def render_json(book: Runbook) -> str:
    return json.dumps(asdict(book), indent=2) + "\n"
