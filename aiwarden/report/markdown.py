"""Markdown for a pull-request comment: verdict, mandatory findings with the fix, then the rest."""

from __future__ import annotations

from aiwarden.findings import Report, Violation


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _rows(report: Report, violations: list[Violation]) -> list[str]:
    rows = [
        "| Control | Policy | Severity | Resource | Where | Finding | Fix |",
        "|---|---|---|---|---|---|---|",
    ]
    for v in violations:
        meta = report.policy(v.policy_pack, v.policy)
        resource = f"`{v.resource_name}` ({v.resource_type})" if v.urn else "stack"
        where = f"`{v.where}`" if v.where else ""
        fix = meta.remediation_steps if meta else ""
        rows.append(
            f"| {v.control} | `{v.policy}` | {v.severity} | {resource} | {where} | {_cell(v.message)} | {_cell(fix)} |"
        )
    return rows


def render(report: Report) -> str:
    verdict = "❌ blocked" if report.mandatory else "✅ passed"
    lines = [
        f"## aiwarden policy check — {report.project}/{report.stack}: {verdict}",
        "",
        f"{len(report.resources)} resources · **{len(report.mandatory)} mandatory** · {len(report.advisory)} advisory"
        f" · {len(report.remediations)} remediated · {len(report.exemptions)} exempted · {report.mode} mode",
        "",
        *(f"> {note}" for note in report.notes),
        *([""] if report.notes else []),
    ]
    if report.mandatory:
        lines += ["### Mandatory violations (block `pulumi up`)", "", *_rows(report, report.mandatory), ""]
    if report.advisory:
        lines += [
            "<details><summary>Advisory findings</summary>",
            "",
            *_rows(report, report.advisory),
            "",
            "</details>",
            "",
        ]
    if report.remediations:
        lines += [
            "### Remediations applied",
            "",
            "| Control | Policy | Resource | Changed |",
            "|---|---|---|---|",
        ]
        for r in report.remediations:
            lines.append(
                f"| {r.control} | `{r.policy}` | `{r.resource_name}` | {', '.join(sorted(r.after)) or '-'} |"
            )
        lines.append("")
    if report.exemptions:
        lines += [
            "### Exemptions",
            "",
            "| Control | Policy | Resource | Justification |",
            "|---|---|---|---|",
        ]
        for e in report.exemptions:
            lines.append(f"| {e.control} | `{e.policy}` | `{e.resource_name}` | {_cell(e.justification)} |")
        lines.append("")
    return "\n".join(lines)
