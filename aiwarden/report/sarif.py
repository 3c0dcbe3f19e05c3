"""SARIF 2.1.0: one rule per policy (with help text and URL), one result per finding.

A result about a resource points at the line of the program that declared it
(``artifactLocation.uri`` relative to the source root, ``uriBaseId`` ``SRCROOT``, ``region.startLine``),
with the outer frames that led there (the component declaration) as ``relatedLocations``; a
stack-level result points at the program's ``Pulumi.yaml``. The resource URN is the logical
location, so code-scanning UIs group by resource.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiwarden.findings import PolicyMeta, Report, Violation

ROOT_ID = "SRCROOT"
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"mandatory": "error", "advisory": "warning", "remediate": "note", "disabled": "none"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "": "5.0"}


def _rule(p: PolicyMeta) -> dict[str, Any]:
    help_text = p.remediation_steps or p.description
    rule: dict[str, Any] = {
        "id": p.name,
        "name": p.name,
        "shortDescription": {"text": p.description[:1000]},
        "fullDescription": {"text": p.description},
        "help": {"text": help_text, "markdown": f"**{p.control}** — {p.description}\n\n{help_text}"},
        "defaultConfiguration": {"level": LEVELS.get(p.enforcement_level, "warning")},
        "properties": {
            "control": p.control,
            "severity": p.severity,
            "enforcementLevel": p.enforcement_level,
            "policyPack": p.pack,
            "security-severity": SECURITY_SEVERITY.get(p.severity, "5.0"),
            "tags": ["security", *p.tags],
            "framework": p.framework,
        },
    }
    if p.url.startswith(("http://", "https://")):
        rule["helpUri"] = p.url
    return rule


def _physical(file: str, line: int) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": _artifact(file)}
    if line > 0:
        location["region"] = {"startLine": line}
    return location


def _artifact(file: str) -> dict[str, Any]:
    if file.startswith("/"):  # outside the source root
        return {"uri": Path(file).as_uri()}
    return {"uri": quote(file), "uriBaseId": ROOT_ID}


def _result(v: Violation, rule_index: dict[str, int], artifact: str) -> dict[str, Any]:
    where = v.urn or "stack"
    result: dict[str, Any] = {
        "ruleId": v.policy,
        "level": LEVELS.get(v.enforcement_level, "warning"),
        "message": {"text": f"[{v.control}] {v.message}"},
        "locations": [
            {
                "physicalLocation": _physical(v.file, v.line) if v.file else _physical(artifact, 0),
                "logicalLocations": [
                    {"fullyQualifiedName": where, "name": v.resource_name or "stack", "kind": "resource"}
                ],
            }
        ],
        "partialFingerprints": {"aiwarden/v1": f"{v.policy}|{where}"},
        "properties": {
            "control": v.control,
            "severity": v.severity,
            "enforcementLevel": v.enforcement_level,
            "urn": v.urn,
            "resourceType": v.resource_type,
            "resourceName": v.resource_name,
            "kind": v.kind,
        },
    }
    if v.related:
        result["relatedLocations"] = [
            {"id": i, "physicalLocation": _physical(f["file"], f["line"]), "message": {"text": "declared by"}}
            for i, f in enumerate(v.related, 1)
        ]
    if v.policy in rule_index:
        result["ruleIndex"] = rule_index[v.policy]
    return result


def to_dict(report: Report) -> dict[str, Any]:
    rules = [_rule(p) for p in report.policies]
    index = {r["id"]: i for i, r in enumerate(rules)}
    artifact = report.project_file or "Pulumi.yaml"
    run_base: dict[str, Any] = {}
    if report.source_root:
        run_base["originalUriBaseIds"] = {ROOT_ID: {"uri": Path(report.source_root).as_uri() + "/"}}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "aiwarden",
                        "version": report.tool_version,
                        "informationUri": "https://www.pulumi.com/docs/iac/crossguard/",
                        "rules": rules,
                    }
                },
                **run_base,
                "automationDetails": {"id": f"aiwarden/{report.project}/{report.stack}/"},
                "results": [_result(v, index, artifact) for v in report.violations],
                "properties": {
                    "project": report.project,
                    "stack": report.stack,
                    "mode": report.mode,
                    "notes": report.notes,
                    "exemptions": [e.to_json() for e in report.exemptions],
                    "remediations": [r.to_json() for r in report.remediations],
                },
            }
        ],
    }


def render(report: Report) -> str:
    return json.dumps(to_dict(report), indent=2) + "\n"
