"""Benchmark: registration time of components vs the same raw resources declared by hand.

The component program declares N components of one kind (``--component``, repeatable: ``aws-locked-bucket``,
``aws-gpu-node-pool``, ``gcp-gpu-node-pool``, ``k8s-inference-service``; all by default; default options). The raw
programs declare exactly the custom resources those components register (same types, names,
inputs and ``depends_on`` ordering), captured from one run of the component program and replayed
as typed pulumi-aws resources in the same order (camelCase nested inputs go on the wire as they
are), each input that read another resource's output waiting for that resource, as a
hand-written program would:

- **flat**: no components at all — what an app team writes by hand (the issue's baseline);
- **tree**: the same resources under bare ``ComponentResource``s of the same types and names, each declaring its
  children in its constructor as a component does (the component tree alone, without what aiwarden's
  components compute). The SDK captures the Python stack at every registration, so where a resource is
  declared from matters: declared from the top level of the program instead, the same tree runs about 10%
  faster (LockedBucket), which no component can do.

All run under ``aiwarden preview``, interleaved rounds, bytecode compiled; wall time and CPU time (user + system
of the process tree) are medians, and the overheads are medians of the per-round ratios. The fixed part (pydantic
and the program's ``components`` imports) is measured apart in fresh processes.

    python -m bench.components --count 50 --repeat 9 --write docs/performance-components.md
    python -m bench.components --component k8s-inference-service --count 20 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from aiwarden.capture.model import Capture, Registration
from aiwarden.capture.preview import preview
from bench.run import Measure, compiled_env, paired, run_tree, summarize

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
    "aws-gpu-node-pool": (
        "aws.GpuNodePool (on an existing private cluster)",
        _OWNERSHIP
        + """
from components._common import AwsNetwork
from components.aws import ClusterRef, GpuNodePool, GpuNodePoolArgs
cluster = ClusterRef(name="inference", security_group_id="sg-0123456789abcdef0")
network = AwsNetwork(vpc_id="vpc-0123456789abcdef0", subnet_ids=("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"),
                     security_group_ids=("sg-0123456789abcdef1",))
for i in range({count}):
    GpuNodePool(f"gpu-{{i}}", GpuNodePoolArgs(ownership=ownership, cluster=cluster, network=network,
                                             instance_types=("g6e.xlarge",), min_size=0, max_size=2))
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
ids = {{r["urn"]: r["id"] for r in resources}}
children = {{}}
for r in resources:
    children.setdefault(r["parent"], []).append(r)


def custom(r, parent):
    package, module_kind, cls_name = r["type"].split(":")
    module = importlib.import_module("pulumi_" + package)
    if package == "kubernetes":  # apps/v1, networking.k8s.io/v1, core/v1 -> pulumi_kubernetes.apps.v1 ...
        group, version = module_kind.split("/")
        module = getattr(getattr(module, group.split(".")[0]), version)
    else:
        module = getattr(module, module_kind.split("/")[0])
    cls = getattr(module, cls_name)
    inputs = {{re.sub("([A-Z])", r"_\\1", k).lower(): v for k, v in r["inputs"].items()}}
    for key, deps in r["deps"].items():  # as written by hand: the value comes from the resources it reads
        snake = re.sub("([A-Z])", r"_\\1", key).lower()
        ready = [d for d in deps if d in declared]
        if not ready or snake not in inputs:
            continue
        if len(ready) == 1 and inputs[snake] == ids.get(ready[0]):  # `x.id`: the Output the resource has
            inputs[snake] = declared[ready[0]].id
        else:  # derived from it (an ARN, a document): one Output
            inputs[snake] = pulumi.Output.all(*[declared[d].id for d in ready]).apply(lambda _, v=inputs[snake]: v)
    after = [declared[d] for d in r["depends_on"] if d in declared]  # ordering the component declares
    o = r["options"]  # the resource options the component gives (the gate checks some, e.g. protect)
    timeouts = {{k: v for k, v in (o.get("customTimeouts") or {{}}).items() if v}}
    declared[r["urn"]] = cls(r["name"], **inputs, opts=pulumi.ResourceOptions(
        parent=parent, depends_on=after, protect=o.get("protect"), ignore_changes=o.get("ignoreChanges") or None,
        retain_on_delete=o.get("retainOnDelete"), delete_before_replace=o.get("deleteBeforeReplace"),
        replace_on_changes=o.get("replaceOnChanges") or None,
        custom_timeouts=pulumi.CustomTimeouts(**timeouts) if timeouts else None))


class Bare(pulumi.ComponentResource):
    \"\"\"A component that only declares its children, in its constructor, as a component does.\"\"\"

    def __init__(self, r, parent):
        super().__init__(r["type"], r["name"], None, pulumi.ResourceOptions(parent=parent))
        declared[r["urn"]] = self
        for child in children.get(r["urn"], []):
            declare(child, self)
        self.register_outputs({{}})


def declare(r, parent):
    if r["custom"]:
        custom(r, parent)
    elif TREE:  # a component: in the tree program, a bare ComponentResource of the same type and name
        Bare(r, parent)
    else:  # flat: its children, at the top level
        for child in children.get(r["urn"], []):
            declare(child, None)


components = {{r["urn"] for r in resources}}
for r in resources:
    if r["parent"] not in components:  # the stack's own children; the rest are declared by their component
        declare(r, None)
stack_outputs = Path(__file__).with_name("outputs.json")
for key, value in (json.loads(stack_outputs.read_text()) if stack_outputs.exists() else {{}}).items():
    pulumi.export(key, value)
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


def _replay(root: Path, name: str, tree: bool, resources: list[dict[str, Any]]) -> Path:
    d = _project(root, name, RAW_PROGRAM.format(tree=tree))
    (d / "resources.json").write_text(json.dumps(resources), encoding="utf-8")
    return d


def replayable(capture: Capture) -> list[dict[str, Any]]:
    """The resources a captured program registered, as the raw programs replay them (providers and the stack
    resource are the runtime's own)."""
    return [
        {
            "type": r.type,
            "name": r.name,
            "urn": r.urn,
            "custom": r.custom,
            "parent": r.parent,
            "inputs": r.inputs,
            "deps": {k: v for k, v in r.property_dependencies.items() if v},
            "depends_on": _explicit_dependencies(r),
            "options": r.options,
            "id": r.id,
        }
        for r in capture.resources
        if r.type != "pulumi:pulumi:Stack" and not r.type.startswith("pulumi:providers:")
    ]


def classes(types: set[str]) -> list[tuple[str, str]]:
    """The Python module and class of the providers' SDKs that declare each of ``types``
    (``aws:s3/bucket:Bucket`` -> ``pulumi_aws.s3``, ``Bucket``; ``kubernetes:apps/v1:Deployment`` ->
    ``pulumi_kubernetes.apps.v1``, ``Deployment``)."""
    found = set()
    for token in types:
        package, module, cls = token.split(":")
        if package == "pulumi":  # pulumi:providers:aws: the provider, in the package itself
            continue
        if package == "kubernetes":
            group, version = module.split("/")
            found.add((f"pulumi_kubernetes.{group.split('.')[0]}.{version}", cls))
        else:
            found.add((f"pulumi_{package}.{module.split('/')[0]}", cls))
    return sorted(found)


def imports_program(classes: list[tuple[str, str]]) -> str:
    """A program that loads those classes and does nothing else: the providers' packages load a service module
    on first attribute access, so each class is looked up."""
    return "import importlib, pulumi\n" + "".join(
        f"getattr(importlib.import_module({m!r}), {c!r})\n" for m, c in classes
    )


IMPORT_COST = """
import json, sys, time
exec(sys.argv[1])  # the providers' classes the program registers: not the components' cost
started = time.perf_counter()
import pydantic
class _Loaded(pydantic.BaseModel):  # pydantic loads its schema machinery with the first model
    x: int
_Loaded(x=1)
imported = time.perf_counter()
exec(sys.argv[2])  # the component program's imports
print(json.dumps([imported - started, time.perf_counter() - imported]))
"""


def import_costs(kind: str, capture: Capture, root: Path, repeat: int) -> tuple[float, float]:
    """Seconds a fresh process spends importing pydantic (and building a first model: pydantic loads its schema
    machinery then), then the component program's own imports (aiwarden's modules and the models they build),
    after the providers' classes it registers are loaded; medians."""
    providers = imports_program(classes({r.type for r in capture.resources if r.custom}))
    own = "\n".join(
        line
        for line in COMPONENT_PROGRAMS[kind][1].splitlines()
        if line.startswith(("from components", "import "))
    )
    command = [sys.executable, "-c", IMPORT_COST, providers, own]
    env = compiled_env(root)
    runs = [json.loads(run_tree(command, root, env).stdout) for _ in range(repeat + 1)][1:]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def measure(kind: str, count: int, repeat: int) -> tuple[dict[str, list[Measure]], int, tuple[float, float]]:
    """Interleaved rounds of the three programs, then the import costs of the component program."""
    with tempfile.TemporaryDirectory(prefix="aiwarden-bench-") as tmp:
        root = Path(tmp)
        component = _project(root, "component", COMPONENT_PROGRAMS[kind][1].format(count=count))
        capture = preview(component, None, [], preview_mode=False)
        resources = replayable(capture)
        programs = {
            "component": component,
            "tree": _replay(root, "tree", True, resources),
            "flat": _replay(root, "flat", False, resources),
        }
        exe = [sys.executable, "-m", "aiwarden.cli", "preview"]
        env = compiled_env(root)
        for program in KINDS:  # unmeasured: fills the bytecode cache
            run_tree([*exe, str(programs[program])], root, env)
        runs: dict[str, list[Measure]] = {program: [] for program in KINDS}
        for _ in range(repeat):
            for program in KINDS:  # interleaved: drift of the machine hits every program alike
                m = run_tree([*exe, str(programs[program])], root, env)
                if m.code != 0:
                    raise SystemExit(f"{program} program failed (exit {m.code})")
                runs[program].append(m)
        costs = import_costs(kind, capture, root, repeat)
    return runs, sum(1 for r in resources if r["custom"]), costs


def render(
    kind: str,
    count: int,
    repeat: int,
    runs: dict[str, list[Measure]],
    custom: int,
    costs: tuple[float, float],
) -> str:
    wall, fastest, cpu = summarize(runs)
    pydantic_s, own_s = costs

    def over(a: str, b: str, cpu: bool = False) -> str:
        return f"{100 * paired(runs, a, b, cpu):+.1f}%"

    command = f"python -m bench.components --component {kind} --count {count} --repeat {repeat}"
    rows = {
        "component": f"{count} × {COMPONENT_PROGRAMS[kind][0]}",
        "tree": "the same resources under bare ComponentResources (same tree, children declared in constructors)",
        "flat": "the same resources, by hand (no components)",
    }
    lines = [
        f"## {kind}",
        "",
        f"Measured with `{command}` ({repeat} interleaved rounds, update mode, whole `aiwarden preview` process "
        "tree, bytecode compiled). Target (ADR 0005): components within 5% of the same resources under bare "
        "ComponentResources of the same tree (the *tree* row); *flat* is the same resources declared by hand.",
        "",
        "| Program | Custom resources | Wall, median (s) | Wall, fastest (s) | CPU, median (s) |",
        "|---|---|---|---|---|",
        *(f"| {rows[k]} | {custom} | {wall[k]:.2f} | {fastest[k]:.2f} | {cpu[k]:.2f} |" for k in KINDS),
        "",
        f"**Components over the same tree: {over('component', 'tree')} wall** ({over('component', 'tree', True)} "
        f"CPU; median of the per-round ratios): what aiwarden's components compute (validation, policy documents, "
        f"key policy, inventory records, outputs, their modules' import). The component tree itself over "
        f"hand-written resources: {over('tree', 'flat')}; components over hand-written resources: "
        f"{over('component', 'flat')}.",
        "",
        f"Fixed part, paid once per program (fresh process, median of {repeat}, after the providers' classes are "
        f"loaded): importing pydantic and building a first model {pydantic_s:.3f} s ({100 * pydantic_s / wall['tree']:.1f}% of the tree "
        f"program), then the program's `components` imports (aiwarden's modules and the models they build) "
        f"{own_s:.3f} s ({100 * own_s / wall['tree']:.1f}%).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--component", choices=sorted(COMPONENT_PROGRAMS), action="append")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    sections = []
    for kind in args.component or sorted(COMPONENT_PROGRAMS):
        runs, custom, costs = measure(kind, args.count, args.repeat)
        sections.append(render(kind, args.count, args.repeat, runs, custom, costs))
        print(sections[-1])
    text = HEADER + "\n".join(sections)
    if args.write:
        previous = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        marker = "\n## Where the overhead is"  # hand-written analysis below the generated tables is kept
        tail = previous[previous.index(marker) :] if marker in previous else ""
        args.write.write_text(text + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
