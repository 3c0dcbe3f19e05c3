"""Benchmark `aiwarden check` on generated programs of N resources.

Measures, per size: registration-only time (`aiwarden preview`), whole check time, pack
start-up (spawn to port), policy evaluation per resource (Analyze + AnalyzeStack over the
analyzer protocol), and peak RSS of the process tree (``wait4`` ru_maxrss: the largest process).

    python -m bench.run --sizes 100 1000 5000 --write docs/performance.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from aiwarden.capture.preview import preview
from aiwarden.gate import evaluate, list_policies
from aiwarden.gate.engine import default_pack_dir
from aiwarden.gate.pack_process import load_manifest

PROGRAM = """
import pulumi, pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
from components._common import Ownership, stamp_ownership
stamp_ownership(Ownership(owner="ml-platform", environment="production", data_classification="confidential",
                          purpose="benchmark"))
N = {n}
for i in range(N // 5):
    b = aws.s3.Bucket(f"bucket-{{i}}")
    aws.s3.BucketPublicAccessBlock(f"pab-{{i}}", bucket=b.id, block_public_acls=True, block_public_policy=True,
                                   ignore_public_acls=True, restrict_public_buckets=True)
    aws.kms.Key(f"key-{{i}}", enable_key_rotation=True)
    gcp.storage.Bucket(f"gcs-{{i}}", location="US", public_access_prevention="enforced",
                       uniform_bucket_level_access=True)
    k8s.core.v1.ConfigMap(f"cm-{{i}}", data={{"model": "m"}})
"""


NOOP_PACK = """
import gc
from pulumi_policy import PolicyPack, ResourceValidationPolicy, StackValidationPolicy
def nothing(args, report_violation):
    pass
policies = [ResourceValidationPolicy(f"noop-{{i}}", "does nothing", validate=nothing) for i in range({resource})]
policies += [StackValidationPolicy(f"noop-stack-{{i}}", "does nothing", validate=nothing) for i in range({stack})]
gc.freeze()
gc.set_threshold(50_000, 50, 100)  # as the aiwarden pack
PolicyPack(name="noop", policies=policies)
"""


def write_noop_pack(root: Path, resource: int, stack: int) -> Path:
    """A pack of ``resource`` + ``stack`` policies that do nothing: what the policy SDK and the analyzer
    protocol cost for that many policies before any check runs."""
    d = root / f"noop-{resource}-{stack}"
    d.mkdir(parents=True, exist_ok=True)
    (d / "PulumiPolicy.yaml").write_text("name: noop\nversion: 0.0.1\nruntime: python\n", encoding="utf-8")
    (d / "__main__.py").write_text(NOOP_PACK.format(resource=resource, stack=stack), encoding="utf-8")
    return d


def floors(root: Path) -> dict[str, Path]:
    """No-op packs: as many policies of each kind as the aiwarden pack (SDK floor), and one of each (protocol
    floor: the per-request cost of the analyzer protocol and the SDK's servicer)."""
    policies = list_policies(load_manifest(default_pack_dir()), "production")
    resource = sum(p.policy_type == "resource" for p in policies)
    return {
        "sdk": write_noop_pack(root, resource, len(policies) - resource),
        "protocol": write_noop_pack(root, 1, 1),
    }


@dataclass
class Measure:
    seconds: float
    max_rss_mb: float
    code: int
    stdout: str
    cpu_seconds: float  # user + system of the whole tree (children waited for)


def paired(runs: dict[str, list[Measure]], a: str, b: str, cpu: bool = False) -> float:
    """Median over the rounds of ``a``'s time over ``b``'s in the same round, minus one: each round runs the
    programs back to back, so a slow phase of the machine (this VM's speed moves by 30% for seconds at a time)
    hits both sides of a ratio instead of one program's median."""

    def value(m: Measure) -> float:
        return m.cpu_seconds if cpu else m.seconds

    ratios = [value(x) / value(y) for x, y in zip(runs[a], runs[b], strict=True)]
    return float(statistics.median(ratios)) - 1


def summarize(runs: dict[str, list[Measure]]) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Per program: median wall time, fastest wall time, median CPU time."""
    wall = {k: statistics.median(m.seconds for m in v) for k, v in runs.items()}
    fastest = {k: min(m.seconds for m in v) for k, v in runs.items()}
    cpu = {k: statistics.median(m.cpu_seconds for m in v) for k, v in runs.items()}
    return wall, fastest, cpu


def compiled_env(root: Path) -> dict[str, str]:
    """The environment of a measured process: bytecode written and read under ``root`` (as an installed package
    has it), even where the machine sets ``PYTHONDONTWRITEBYTECODE``; without it every run would compile every
    module of the project from source, a cost no installed aiwarden pays. A first, unmeasured run fills it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    return env


def run_tree(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measure:
    """Run ``cmd`` and report wall time, CPU time and the peak RSS of its whole tree (children waited for are
    included)."""
    env = dict(os.environ) if env is None else env
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child: exec the command with stdout to a temp file
        out = os.open(str(cwd / ".bench.out"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.chdir(cwd)
        os.execvpe(cmd[0], cmd, env)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    stdout = (cwd / ".bench.out").read_text(encoding="utf-8")
    return Measure(
        seconds,
        usage.ru_maxrss / 1024,
        os.waitstatus_to_exitcode(status),
        stdout,
        usage.ru_utime + usage.ru_stime,
    )


def write_program(root: Path, n: int) -> Path:
    d = root / f"bench-{n}"
    d.mkdir(parents=True, exist_ok=True)
    (d / "Pulumi.yaml").write_text("name: bench\nruntime: python\n", encoding="utf-8")
    (d / "Pulumi.bench.yaml").write_text(
        json.dumps({"config": {"aws:region": "us-east-1", "gcp:project": "aiwarden-offline"}}),
        encoding="utf-8",
    )
    (d / "__main__.py").write_text(PROGRAM.format(n=n), encoding="utf-8")
    return d


def bench(n: int, root: Path, repeat: int) -> dict[str, float]:
    program = write_program(root, n)
    exe = [sys.executable, "-m", "aiwarden.cli"]
    env = compiled_env(root)
    run_tree([*exe, "check", str(program), "--format", "json"], root, env)  # fills the bytecode cache
    prev = [run_tree([*exe, "preview", str(program)], root, env) for _ in range(repeat)]
    checks = [run_tree([*exe, "check", str(program), "--format", "json"], root, env) for _ in range(repeat)]
    for m in prev + checks:
        if m.code not in (0, 1):
            raise SystemExit(f"benchmark run failed (exit {m.code}) at size {n}")
    reports = [json.loads(m.stdout) for m in checks]
    resources = reports[0]["summary"]["resources"]
    # Policy evaluation alone: the captured program through the packs, nothing else running.
    capture = preview(program, None, [], preview_mode=False)
    evaluations = [evaluate(capture).timings for _ in range(repeat)]
    startup = statistics.median(t["aiwarden.startup_s"] for t in evaluations)
    policy = statistics.median(t["aiwarden.analyze_s"] + t["aiwarden.analyze_stack_s"] for t in evaluations)
    floor: dict[str, float] = {}
    for kind, pack in floors(root).items():
        runs = [evaluate(capture, packs=[pack]).timings for _ in range(repeat)]
        floor[kind] = statistics.median(t["noop.analyze_s"] + t["noop.analyze_stack_s"] for t in runs)
    registration = statistics.median(m.seconds for m in prev)
    whole = statistics.median(m.seconds for m in checks)
    return {
        "size": n,
        "resources": resources,
        "registration_s": registration,
        "check_s": whole,
        "ratio": whole / registration,
        "startup_s": startup,
        "policy_s": policy,
        "policy_ms_per_resource": 1000 * policy / resources,
        "floor_ms_per_resource": 1000 * floor["sdk"] / resources,
        "protocol_ms_per_resource": 1000 * floor["protocol"] / resources,
        "rss_mb": max(m.max_rss_mb for m in prev + checks),
    }


TARGETS = (
    "Targets (ADR 0005): policy evaluation within 1.15× of the SDK floor (a no-op pack with as many policies "
    "of each kind) at equal policy count; pack start-up ≤ 0.5 s; peak RSS ≤ 1 GB at 5,000 resources. Per-check "
    "policies stay, so the floor itself grows with the number of policies."
)


def render(rows: list[dict[str, float]], command: str) -> str:
    lines = [
        "# Performance",
        "",
        "<!-- Written by the benchmark; re-run the command below to refresh. -->",
        "",
        f"Measured with `{command}` on {platform.machine()} with {os.cpu_count()} cores, Python "
        f"{platform.python_version()} (median of the runs; update mode; the aiwarden pack with all policies).",
        "",
        TARGETS,
        "",
        "| Resources | Registration only (s) | Whole check (s) | Check / registration | Pack start-up (s) "
        "| Policy time (s) | Policy ms / resource | SDK floor ms / resource | Pack / SDK floor "
        "| Protocol floor ms / resource | Peak RSS (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {int(r['resources'])} | {r['registration_s']:.2f} | {r['check_s']:.2f} | {r['ratio']:.2f}× "
            f"| {r['startup_s']:.3f} | {r['policy_s']:.2f} | {r['policy_ms_per_resource']:.3f} "
            f"| {r['floor_ms_per_resource']:.3f} "
            f"| {r['policy_ms_per_resource'] / r['floor_ms_per_resource']:.2f}× "
            f"| {r['protocol_ms_per_resource']:.3f} | {r['rss_mb']:.0f} |"
        )
    lines += [
        "",
        "Registration only = `aiwarden preview` (the program under Pulumi's mock runtime, one process, every",
        "value known). Whole check = `aiwarden check` (the default mode): the packs start while the program starts and each resource is",
        "analyzed as it registers (as the engine does), then AnalyzeStack. Policy time = Analyze + AnalyzeStack",
        "wall time of the captured program through the packs alone (`aiwarden.gate.evaluate` over the capture, shards sized by work).",
        "Pack start-up = spawn to port. Peak RSS = the largest process of the tree (`wait4` ru_maxrss).",
        "",
        "Components vs the same raw resources: `docs/performance-components.md` (`python -m bench.components`).",
        "",
        "## Cost model and what bounds it",
        "",
        "- **Policy evaluation is linear in policies × resources, inside pulumi-policy.** For every Analyze",
        "  request the SDK's servicer (`pulumi_policy.policy._PolicyAnalyzerServicer.Analyze`) loops over every",
        "  policy of the pack and, per policy, converts the request's properties with `json_format.MessageToDict`,",
        "  deserializes them, wraps them in the unknown-checking proxy and does the same for the provider's",
        "  properties before the policy's own `validate` runs; AnalyzeStack does it for every stack policy × every",
        "  resource. *SDK floor* is the same measurement with a pack of as many policies that do nothing",
        "  (`write_noop_pack`): what pulumi-policy costs for that many policies before any check runs. The",
        "  aiwarden policies' own checks are the difference (they filter by resource type first). *Protocol",
        "  floor* is a pack of one no-op policy of each kind: the per-request cost of the analyzer protocol",
        "  itself (a Python gRPC round trip to the pack is ≈ 1 ms on this machine; the SDK's servicer also",
        "  re-reads the stack config and rebuilds the runtime settings on every request). The Pulumi engine",
        "  pays the pack's share of all this under `pulumi preview --policy-pack` (one pack process).",
        "- **What aiwarden does about it:** pack processes sized by work (one, plus one per 400 resources up to one",
        "  per core; Analyze is per resource and stateless; AnalyzeStack's stack policies are split between the processes), the pack",
        "  config reconciled and validated once for all of them, 4 client threads per process, Remediate skipped",
        "  when no policy is at the remediate level (the SDK would answer with nothing), provider properties",
        "  marshalled once per provider; the pack freezes its long-lived objects out of the garbage collector",
        "  (the SDK allocates dicts and proxies by the thousand per request).",
        "- **Why 0.5 ms/resource is out of reach with this design:** the SDK floor alone is several times above it",
        "  on this machine, and the protocol floor is close to it.",
        "  It would take fewer SDK policy objects (one per control with the checks inside: loses the per-check",
        "  policy names, overrides and exemptions the issue and the style guide ask for, and still leaves 55",
        "  policies) or a servicer that deserializes once per request (replacing part of pulumi-policy).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aiwarden-bench-") as tmp:
        rows = []
        for n in args.sizes:
            row = bench(n, Path(tmp), args.repeat)
            print(json.dumps(row), flush=True)
            rows.append(row)
    command = (
        "python -m bench.run --sizes "
        + " ".join(map(str, args.sizes))
        + (f" --repeat {args.repeat}" if args.repeat != 1 else "")
    )
    text = render(rows, command + (f" --write {args.write}" if args.write else ""))
    if args.write:
        previous = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        marker = "\n## The reference platform end to end"  # bench/platform.py's section and what follows it
        tail = previous[previous.index(marker) :] if marker in previous else ""
        args.write.write_text(text + tail, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
