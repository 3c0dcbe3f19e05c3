"""SARIF 2.1.0: one rule per policy (with help text and URL), one result per finding.

Results point at the program's ``Pulumi.yaml`` (the program is the artifact under analysis)
and name the resource URN as a logical location, so code-scanning UIs group by resource.
"""

from __future__ import annotations

import json
from typing import Any

from aiwarden.report.model import PolicyMeta, Report, Violation

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


def _result(v: Violation, rule_index: dict[str, int], artifact: str) -> dict[str, Any]:
    where = v.urn or "stack"
    result: dict[str, Any] = {
        "ruleId": v.policy,
        "level": LEVELS.get(v.enforcement_level, "warning"),
        "message": {"text": f"[{v.control}] {v.message}"},
        "locations": [
            {
                "physicalLocation": {"artifactLocation": {"uri": artifact}},
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
    if v.policy in rule_index:
        result["ruleIndex"] = rule_index[v.policy]
    return result


def to_dict(report: Report, artifact: str = "Pulumi.yaml") -> dict[str, Any]:
    rules = [_rule(p) for p in report.policies]
    index = {r["id"]: i for i, r in enumerate(rules)}
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
                "automationDetails": {"id": f"aiwarden/{report.project}/{report.stack}"},
                "results": [_result(v, index, artifact) for v in report.violations],
                "properties": {
                    "project": report.project,
                    "stack": report.stack,
                    "exemptions": [e.to_json() for e in report.exemptions],
                    "remediations": [r.to_json() for r in report.remediations],
                },
            }
        ],
    }


def render(report: Report) -> str:
    return json.dumps(to_dict(report), indent=2) + "\n"
