"""Benchmark: registration time of components vs the same raw resources declared by hand.

The component program declares N ``LockedBucket`` components (AWS, default options); the raw
program declares exactly the custom resources those components register (same types, names,
inputs and ``depends_on`` ordering; parents flattened), captured from one run of the component program and replayed as
typed pulumi-aws resources in the same order (camelCase nested inputs go on the wire as they
are), each input that read another resource's output waiting for that resource, as a
hand-written program would. Both run under ``aiwarden preview --update``; the ratio
is the components' overhead (pydantic validation, component registration, invokes, outputs).

    python -m bench.components --count 50 --repeat 3 --write docs/performance-components.md
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiwarden.capture.model import Registration
from aiwarden.capture.preview import preview
from bench.run import run_tree

COMPONENT_PROGRAM = """
from components._common import Ownership
from components.aws import LockedBucket, LockedBucketArgs
ownership = Ownership(owner="ml-platform", environment="production", data_classification="confidential",
                      purpose="benchmark")
for i in range({count}):
    LockedBucket(f"data-{{i}}", LockedBucketArgs(ownership=ownership))
"""

RAW_PROGRAM = """
import importlib, json, re, pulumi
from pathlib import Path
resources = json.loads(Path(__file__).with_name("resources.json").read_text())
declared = {}
for r in resources:
    _, module_kind, cls_name = r["type"].split(":")
    cls = getattr(getattr(importlib.import_module("pulumi_aws"), module_kind.split("/")[0]), cls_name)
    inputs = {re.sub("([A-Z])", r"_\\1", k).lower(): v for k, v in r["inputs"].items()}
    for key, deps in r["deps"].items():  # as written by hand: the value waits for the resources it reads
        ready = [declared[d].id for d in deps if d in declared]
        snake = re.sub("([A-Z])", r"_\\1", key).lower()
        if ready and snake in inputs:
            inputs[snake] = pulumi.Output.all(*ready).apply(lambda _, v=inputs[snake]: v)
    after = [declared[d] for d in r["depends_on"] if d in declared]  # ordering the component declares
    declared[r["urn"]] = cls(r["name"], **inputs, opts=pulumi.ResourceOptions(depends_on=after) if after else None)
"""


def _explicit_dependencies(r: Registration) -> list[str]:
    """``depends_on``: the dependencies no input carries (e.g. a bucket policy after its public access block)."""
    implicit = {urn for urns in r.property_dependencies.values() for urn in urns}
    return [d for d in r.dependencies if d not in implicit]


def _project(root: Path, name: str, code: str) -> Path:
    d = root / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "Pulumi.yaml").write_text("name: bench\nruntime: python\n", encoding="utf-8")
    (d / "Pulumi.bench.yaml").write_text(
        json.dumps({"config": {"aws:region": "us-east-1"}}), encoding="utf-8"
    )
    (d / "__main__.py").write_text(code, encoding="utf-8")
    return d


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aiwarden-bench-") as tmp:
        root = Path(tmp)
        component = _project(root, "component", COMPONENT_PROGRAM.format(count=args.count))
        capture = preview(component, None, [], preview_mode=False)
        custom = [r for r in capture.resources if r.custom and not r.type.startswith("pulumi:providers:")]
        raw = _project(root, "raw", RAW_PROGRAM)
        (raw / "resources.json").write_text(
            json.dumps(
                [
                    {
                        "type": r.type,
                        "name": r.name,
                        "urn": r.urn,
                        "inputs": r.inputs,
                        "deps": {k: v for k, v in r.property_dependencies.items() if v},
                        "depends_on": _explicit_dependencies(r),
                    }
                    for r in custom
                ]
            ),
            encoding="utf-8",
        )
        exe = [sys.executable, "-m", "aiwarden.cli", "preview", "--update"]
        times: dict[str, list[float]] = {"component": [], "raw": []}
        for _ in range(args.repeat):
            for kind, program in (("component", component), ("raw", raw)):
                started = time.perf_counter()
                measure = run_tree([*exe, str(program)], root)
                if measure.code != 0:
                    raise SystemExit(f"{kind} program failed (exit {measure.code})")
                times[kind].append(time.perf_counter() - started)
    comp, rawt = statistics.median(times["component"]), statistics.median(times["raw"])
    command = f"python -m bench.components --count {args.count} --repeat {args.repeat}"
    text = "\n".join(
        [
            "# Performance: components vs raw resources",
            "",
            "<!-- Written by the benchmark; re-run the command below to refresh. -->",
            "",
            f"Measured with `{command}` (median of {args.repeat} runs, update mode). Target: components add ≤ 10% "
            "registration time over the same raw resources declared by hand.",
            "",
            "| Program | Components | Custom resources | Registration (s) |",
            "|---|---|---|---|",
            f"| {args.count} × aws.LockedBucket | {args.count} | {len(custom)} | {comp:.2f} |",
            f"| the same resources, raw | 0 | {len(custom)} | {rawt:.2f} |",
            "",
            f"Overhead: **{100 * (comp / rawt - 1):+.1f}%**.",
            "",
            "Where it goes (profiled, 40-50 components): not the parent/child structure — the same raw resources",
            "parented under bare ComponentResources of the same types register within ~7% of the flat raw program —",
            "but the Outputs a component derives (policy documents, key policies, tags, inventory records,",
            "`register_outputs`): the Pulumi Python SDK's `wait_for_rpcs` waits on every outstanding Output task",
            "with `asyncio.wait(..., FIRST_COMPLETED)` in a loop, so its cost grows with (pending outputs ×",
            "iterations). Account lookups are made once per provider, and each policy document is one Output",
            "(`components/_common/json_document.py`) instead of one per nested value (`Output.json_dumps`).",
            "",
        ]
    )
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
