"""Benchmark: registration time of components vs the same raw resources declared by hand.

The component program declares N components of one kind (``--component``: ``aws-locked-bucket``, the
default, ``gcp-gpu-node-pool``, ``k8s-inference-service``; default options). The raw
programs declare exactly the custom resources those components register (same types, names,
inputs and ``depends_on`` ordering), captured from one run of the component program and replayed
as typed pulumi-aws resources in the same order (camelCase nested inputs go on the wire as they
are), each input that read another resource's output waiting for that resource, as a
hand-written program would:

- **flat**: no components at all — what an app team writes by hand (the issue's baseline);
- **tree**: the same resources under bare ``ComponentResource``s of the same types and names (the
  component tree alone, without what aiwarden's components compute).

All run under ``aiwarden preview``, interleaved; wall time and CPU time (user + system of
the process tree) are the medians of the runs.

    python -m bench.components --count 50 --repeat 5 --write docs/performance-components.md
    python -m bench.components --component k8s-inference-service --count 20 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from aiwarden.capture.model import Registration
from aiwarden.capture.preview import preview
from bench.run import Measure, compiled_env, run_tree

_OWNERSHIP = """
from components._common import Ownership
ownership = Ownership(owner="ml-platform", environment="production", data_classification="confidential",
                      purpose="benchmark")
"""
#: Component kind -> (what the table calls it, the program declaring {count} of them).
COMPONENT_PROGRAMS: dict[str, tuple[str, str]] = {
    "aws-locked-bucket": (
        "aws.LockedBucket",
        _OWNERSHIP
        + """
from components.aws import LockedBucket, LockedBucketArgs
for i in range({count}):
    LockedBucket(f"data-{{i}}", LockedBucketArgs(ownership=ownership))
""",
    ),
    "gcp-gpu-node-pool": (
        "gcp.GpuNodePool (on an existing private cluster)",
        _OWNERSHIP
        + """
from components.gcp import ClusterRef, GpuAccelerator, GpuAutoscaling, GpuNodePool, GpuNodePoolArgs
cluster = ClusterRef(name="inference", location="us-central1", project="aiwarden-offline")
for i in range({count}):
    GpuNodePool(f"gpu-{{i}}", GpuNodePoolArgs(ownership=ownership, cluster=cluster, machine_type="g2-standard-8",
                                             accelerator=GpuAccelerator(type="nvidia-l4", count=1),
                                             node_locations=("us-central1-a",), autoscaling=GpuAutoscaling(max_nodes=2)))
""",
    ),
    "k8s-inference-service": (
        "k8s.InferenceService",
        _OWNERSHIP
        + """
from components._common import Grant
from components.k8s import InferenceService, InferenceServiceArgs, PodPeer
CALLER = Grant(principal=PodPeer(namespace="api", pod_labels={{"app": "api"}}), role="invoke")
IMAGE = "us-docker.pkg.dev/aiwarden-offline/serving/vllm:1@sha256:" + "4f" * 32
for i in range({count}):
    InferenceService(f"svc-{{i}}", InferenceServiceArgs(
        ownership=ownership, namespace="serving", name=f"svc-{{i}}", image=IMAGE, port=8000, gpus=1,
        node_selector={{"cloud.google.com/gke-accelerator": "nvidia-l4"}}, access={{"api": CALLER}}))
""",
    ),
}

RAW_PROGRAM = """
import importlib, json, re, pulumi
from pathlib import Path
TREE = {tree}
resources = json.loads(Path(__file__).with_name("resources.json").read_text())
declared = {{}}
for r in resources:
    parent = declared.get(r["parent"]) if TREE else None
    if not r["custom"]:  # a component: in the tree program, a bare ComponentResource of the same type and name
        if TREE:
            declared[r["urn"]] = bare = pulumi.ComponentResource(r["type"], r["name"], None,
                                                                 pulumi.ResourceOptions(parent=parent))
            bare.register_outputs({{}})
        continue
    package, module_kind, cls_name = r["type"].split(":")
    module = importlib.import_module("pulumi_" + package)
    if package == "kubernetes":  # apps/v1, networking.k8s.io/v1, core/v1 -> pulumi_kubernetes.apps.v1 ...
        group, version = module_kind.split("/")
        module = getattr(getattr(module, group.split(".")[0]), version)
    else:
        module = getattr(module, module_kind.split("/")[0])
    cls = getattr(module, cls_name)
    inputs = {{re.sub("([A-Z])", r"_\\1", k).lower(): v for k, v in r["inputs"].items()}}
    for key, deps in r["deps"].items():  # as written by hand: the value waits for the resources it reads
        ready = [declared[d].id for d in deps if d in declared]
        snake = re.sub("([A-Z])", r"_\\1", key).lower()
        if ready and snake in inputs:
            inputs[snake] = pulumi.Output.all(*ready).apply(lambda _, v=inputs[snake]: v)
    after = [declared[d] for d in r["depends_on"] if d in declared]  # ordering the component declares
    declared[r["urn"]] = cls(r["name"], **inputs, opts=pulumi.ResourceOptions(parent=parent, depends_on=after))
"""

KINDS = ("component", "tree", "flat")
HEADER = """# Performance: components vs raw resources

<!-- Written by the benchmark (bench/components.py); re-run the commands below to refresh. -->

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
        json.dumps(
            {
                "config": {
                    "aws:region": "us-east-1",
                    "gcp:project": "aiwarden-offline",
                    "gcp:region": "us-central1",
                }
            }
        ),
        encoding="utf-8",
    )
    (d / "__main__.py").write_text(code, encoding="utf-8")
    return d


def _replay(root: Path, name: str, tree: bool, resources: list[dict[str, object]]) -> Path:
    d = _project(root, name, RAW_PROGRAM.format(tree=tree))
    (d / "resources.json").write_text(json.dumps(resources), encoding="utf-8")
    return d


def measure(kind: str, count: int, repeat: int) -> tuple[dict[str, list[Measure]], int]:
    with tempfile.TemporaryDirectory(prefix="aiwarden-bench-") as tmp:
        root = Path(tmp)
        component = _project(root, "component", COMPONENT_PROGRAMS[kind][1].format(count=count))
        capture = preview(component, None, [], preview_mode=False)
        resources = [
            {
                "type": r.type,
                "name": r.name,
                "urn": r.urn,
                "custom": r.custom,
                "parent": r.parent,
                "inputs": r.inputs,
                "deps": {k: v for k, v in r.property_dependencies.items() if v},
                "depends_on": _explicit_dependencies(r),
            }
            for r in capture.resources
            if r.type != "pulumi:pulumi:Stack" and not r.type.startswith("pulumi:providers:")
        ]
        programs = {
            "component": component,
            "tree": _replay(root, "tree", True, resources),
            "flat": _replay(root, "flat", False, resources),
        }
        exe = [sys.executable, "-m", "aiwarden.cli", "preview"]
        env = compiled_env(root)
        for kind in KINDS:  # unmeasured: fills the bytecode cache
            run_tree([*exe, str(programs[kind])], root, env)
        runs: dict[str, list[Measure]] = {kind: [] for kind in KINDS}
        for _ in range(repeat):
            for kind in KINDS:  # interleaved: drift of the machine hits every program alike
                m = run_tree([*exe, str(programs[kind])], root, env)
                if m.code != 0:
                    raise SystemExit(f"{kind} program failed (exit {m.code})")
                runs[kind].append(m)
    return runs, sum(1 for r in resources if r["custom"])


def render(kind: str, count: int, repeat: int, runs: dict[str, list[Measure]], custom: int) -> str:
    wall = {k: statistics.median(m.seconds for m in v) for k, v in runs.items()}
    cpu = {k: statistics.median(m.cpu_seconds for m in v) for k, v in runs.items()}

    def over(a: str, b: str, of: dict[str, float]) -> str:
        return f"{100 * (of[a] / of[b] - 1):+.1f}%"

    command = f"python -m bench.components --component {kind} --count {count} --repeat {repeat}"
    rows = {
        "component": f"{count} × {COMPONENT_PROGRAMS[kind][0]}",
        "tree": "the same resources under bare ComponentResources (same tree)",
        "flat": "the same resources, by hand (no components)",
    }
    lines = [
        f"## {kind}",
        "",
        f"Measured with `{command}` (median of {repeat} interleaved runs, update mode, whole "
        "`aiwarden preview` process tree). Target (ADR 0005): components within 5% of the same resources under "
        "bare ComponentResources of the same tree (the *tree* row); *flat* is the same resources declared by hand.",
        "",
        "| Program | Custom resources | Wall (s) | CPU (s) |",
        "|---|---|---|---|",
        *(f"| {rows[k]} | {custom} | {wall[k]:.2f} | {cpu[k]:.2f} |" for k in KINDS),
        "",
        f"Components over hand-written resources: **{over('component', 'flat', wall)}** wall, "
        f"{over('component', 'flat', cpu)} CPU. Of which the component tree alone (bare components, same parents): "
        f"{over('tree', 'flat', wall)} wall; what aiwarden's components compute on top of it "
        f"(validation, policy documents, key policy, inventory, outputs): {over('component', 'tree', wall)} wall.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--component", choices=sorted(COMPONENT_PROGRAMS), action="append")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    sections = []
    for kind in args.component or ["aws-locked-bucket"]:
        runs, custom = measure(kind, args.count, args.repeat)
        sections.append(render(kind, args.count, args.repeat, runs, custom))
        print(sections[-1])
    text = HEADER + "\n".join(sections)
    if args.write:
        previous = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        marker = "\n## Where the overhead is"  # hand-written analysis below the generated tables is kept
        tail = previous[previous.index(marker) :] if marker in previous else ""
        args.write.write_text(text + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
