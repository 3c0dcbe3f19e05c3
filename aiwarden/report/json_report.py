"""The JSON report (schema documented in docs/report-format.md; stable keys, additive changes only)."""

from __future__ import annotations

import json
from typing import Any

from aiwarden.findings import Report

TOOL_NAME = "aiwarden"


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "tool": {"name": TOOL_NAME, "version": report.tool_version},
        "project": report.project,
        "stack": report.stack,
        "preview": report.preview,
        "mode": report.mode,
        "sourceRoot": report.source_root,
        "notes": report.notes,
        "policyPacks": report.packs,
        "resources": [
            {"urn": r.urn, "type": r.type, "name": r.name, "parent": r.parent} for r in report.resources
        ],
        "violations": [v.to_json() for v in report.violations],
        "remediations": [r.to_json() for r in report.remediations],
        "exemptions": [e.to_json() for e in report.exemptions],
        "summary": {
            "resources": len(report.resources),
            "mandatory": len(report.mandatory),
            "advisory": len(report.advisory),
            "undecided": len(report.undecided),
            "remediated": len(report.remediations),
            "exempted": len(report.exemptions),
        },
        "timings": report.timings,
    }


def render(report: Report) -> str:
    return json.dumps(to_dict(report), indent=2) + "\n"
