"""JUnit XML: a testcase per policy; a failure per violating resource (mandatory) or a skipped note."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from aiwarden.findings import Report


def render(report: Report) -> str:
    suites = ET.Element("testsuites", name=f"aiwarden {report.project}/{report.stack}")
    by_pack: dict[str, list[str]] = {}
    for p in report.policies:
        by_pack.setdefault(p.pack, []).append(p.name)
    for pack, names in by_pack.items():
        suite = ET.SubElement(suites, "testsuite", name=pack)
        failures = 0
        for name in names:
            meta = report.policy(pack, name)
            case = ET.SubElement(
                suite, "testcase", classname=f"{pack}.{meta.control if meta else ''}", name=name
            )
            found = [v for v in report.violations if v.policy_pack == pack and v.policy == name]
            mandatory = [v for v in found if v.enforcement_level == "mandatory"]
            for v in mandatory:
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"[{v.control}] {v.urn or 'stack'}",
                    type=v.severity or "violation",
                )
                at = f"\nat: {v.where}" if v.where else ""
                failure.text = f"{v.message}\nresource: {v.urn or 'stack'}{at}\nfix: {meta.remediation_steps if meta else ''}"
            if mandatory:
                failures += 1
            advisory = [v for v in found if v.enforcement_level != "mandatory"]
            if advisory:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(
                    f"advisory [{v.control}] {v.urn or 'stack'}: {v.message}" for v in advisory
                )
            if meta and meta.enforcement_level == "disabled":
                ET.SubElement(case, "skipped", message="disabled by policy pack config")
        suite.set("tests", str(len(names)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
