"""The terminal rendering (rich): one block per finding with its fix, a per-control summary, a verdict."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from aiwarden.findings import Report

STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


def render(report: Report, console: Console) -> None:
    fixes_shown: set[str] = set()
    for note in report.notes:
        console.print(f"[dim]note: {escape(note)}[/]", soft_wrap=True, highlight=False)
    for v in report.violations:
        meta = report.policy(v.policy_pack, v.policy)
        mark = "[bold red]✗ MANDATORY[/]" if v.enforcement_level == "mandatory" else "[yellow]! advisory[/]"
        console.print(
            f"{mark} [bold]{v.control}[/] [{STYLES.get(v.severity, '')}]{v.severity}[/] {v.policy}",
            soft_wrap=True,
        )
        console.print(f"  resource: {escape(v.urn or '(stack)')}", soft_wrap=True, highlight=False)
        if v.where:
            console.print(f"  at: {escape(v.where)}", soft_wrap=True, highlight=False)
        console.print(f"  {escape(v.message)}", soft_wrap=True, highlight=False)
        if meta and meta.remediation_steps and v.policy not in fixes_shown and v.kind == "violation":
            fixes_shown.add(v.policy)
            console.print(f"  [dim]fix: {escape(meta.remediation_steps)}[/]", soft_wrap=True, highlight=False)
    for r in report.remediations:
        console.print(
            f"[green]remediated[/] {r.control} {r.policy} {escape(r.urn)}: {escape(str(r.before))} -> "
            f"{escape(str(r.after))}",
            soft_wrap=True,
            highlight=False,
        )
    for e in report.exemptions:
        console.print(
            f"[magenta]exempted[/] {e.control} {e.policy} {escape(e.urn or e.resource_name)}: "
            f"{escape(e.justification)}",
            soft_wrap=True,
            highlight=False,
        )
    if report.violations:
        counts = Counter((v.control, v.enforcement_level) for v in report.violations)
        table = Table(title="findings by control", title_justify="left")
        for column in ("control", "mandatory", "advisory"):
            table.add_column(column)
        for control in sorted({c for c, _ in counts}):
            table.add_row(control, str(counts[(control, "mandatory")]), str(counts[(control, "advisory")]))
        console.print(table)
    render_summary(report, console)


def render_summary(report: Report, console: Console) -> None:
    """The verdict line: mode, counts (undecided findings called out in preview mode)."""
    verdict = "[bold red]FAILED[/]" if report.mandatory else "[bold green]PASSED[/]"
    undecided = f", {len(report.undecided)} undecided" if report.undecided else ""
    console.print(
        f"{verdict} {report.project}/{report.stack} ({report.mode} mode): {len(report.resources)} resources, "
        f"{len(report.mandatory)} mandatory, {len(report.advisory)} advisory{undecided}, "
        f"{len(report.remediations)} remediated, {len(report.exemptions)} exempted",
        soft_wrap=True,
    )
