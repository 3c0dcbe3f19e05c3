"""The terminal rendering (rich): a findings table with the fix, then a one-line verdict."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from aiwarden.report.model import Report

STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


def render(report: Report, console: Console) -> None:
    if report.violations:
        table = Table(title=f"aiwarden · {report.project}/{report.stack}", show_lines=False, expand=True)
        for column in ("Level", "Control", "Policy", "Severity", "Resource", "Finding / fix"):
            table.add_column(column, overflow="fold")
        for v in report.violations:
            meta = report.policy(v.policy_pack, v.policy)
            fix = f"\n[dim]fix: {meta.remediation_steps}[/dim]" if meta and v.enforcement_level == "mandatory" else ""
            table.add_row(v.enforcement_level, v.control, v.policy,
                          f"[{STYLES.get(v.severity, '')}]{v.severity}[/]",
                          v.urn or "(stack)", f"{v.message}{fix}")
        console.print(table)
    for r in report.remediations:
        console.print(f"[green]remediated[/] {r.control} {r.policy} {r.urn}: "
                      f"{', '.join(sorted(r.after))} {r.before} -> {r.after}")
    for e in report.exemptions:
        console.print(f"[magenta]exempted[/] {e.control} {e.policy} {e.urn or e.resource_name}: {e.justification}")
    verdict = "[bold red]FAILED[/]" if report.mandatory else "[bold green]PASSED[/]"
    console.print(f"{verdict} {len(report.resources)} resources, {len(report.mandatory)} mandatory, "
                  f"{len(report.advisory)} advisory, {len(report.remediations)} remediated, "
                  f"{len(report.exemptions)} exempted")
