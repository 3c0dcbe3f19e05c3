"""Benchmark: the reference platform end to end, `aiwarden check . --stack <stack>` in a fresh process.

Besides the check of the stack itself, each round runs what bounds it from below, on the same machine:

- **tree**: the same resources (types, names, inputs, ordering, stack outputs) under bare ``ComponentResource``s
  of the same types and names, checked with the same stack config and pack: the Pulumi SDK, the providers'
  Python packages, the gate and the pack, without any aiwarden component code;
- **registration**: ``aiwarden preview`` of the stack (the program alone under the mock runtime);
- **imports**: a fresh Python importing ``pulumi`` and the provider modules the stack's resource types live in,
  and nothing else (what any program declaring those resources pays before its first line runs).

Rounds are interleaved (this VM's speed moves by a third for seconds at a time); bytecode is compiled as an
installed package has it. The report's own timings (pack start-up, registration, API-model validation,
Analyze, AnalyzeStack) are the medians of the stack's checks.

    python -m bench.platform --stack aws-production --repeat 7 --write docs/performance.md
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

from aiwarden.capture.model import Capture
from aiwarden.capture.preview import preview
from aiwarden.gate import evaluate
from bench.components import RAW_PROGRAM, classes, imports_program, replayable
from bench.run import Measure, compiled_env, floors, paired, run_tree, summarize

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## The reference platform end to end"
KINDS = ("stack", "tree", "registration", "tree-registration", "imports")
TIMINGS = {
    "aiwarden.startup_s": "pack start-up (spawn to port)",
    "registration_s": "program registration (under the mock runtime)",
    "api_validation_s": "API-model validation",
    "aiwarden.analyze_s": "Analyze (per resource, while the program registers)",
    "aiwarden.analyze_stack_s": "AnalyzeStack (after the last registration)",
    "total_s": "the gate, start to report",
}


def _tree(root: Path, stack: str, capture: Capture) -> tuple[Path, int, list[tuple[str, str]]]:
    """The stack's resources replayed under bare components, in a project of its own with the stack's config."""
    resources = replayable(capture)
    d = root / "tree"
    d.mkdir()
    project = yaml.safe_load(
        (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    )  # the config keys it declares
    project.pop("stackConfigDir", None)
    project["runtime"] = "python"
    (d / "Pulumi.yaml").write_text(yaml.safe_dump(project), encoding="utf-8")
    shutil.copy(ROOT / "stacks" / f"Pulumi.{stack}.yaml", d / f"Pulumi.{stack}.yaml")
    (d / "__main__.py").write_text(RAW_PROGRAM.format(tree=True), encoding="utf-8")
    (d / "resources.json").write_text(json.dumps(resources), encoding="utf-8")
    (d / "outputs.json").write_text(json.dumps(capture.outputs), encoding="utf-8")
    modules = classes({r.type for r in capture.resources if r.custom})
    return d, sum(1 for r in resources if r["custom"]), modules


def _policy_seconds(timings: dict[str, float], pack: str) -> tuple[float, float]:
    return timings[f"{pack}.analyze_s"], timings[f"{pack}.analyze_stack_s"]


#: Analyze and AnalyzeStack seconds of the captured stack, per round: ``aiwarden`` (the pack) and ``sdk`` (as many
#: no-op policies: what pulumi-policy costs before any check runs).
Policy = dict[str, list[tuple[float, float]]]


def measure(stack: str, repeat: int) -> tuple[dict[str, list[Measure]], int, list[tuple[str, str]], Policy]:
    with tempfile.TemporaryDirectory(prefix="aiwarden-bench-") as tmp:
        root = Path(tmp)
        capture = preview(ROOT, stack, [], preview_mode=False)
        tree, custom, modules = _tree(root, stack, capture)
        aiwarden = [sys.executable, "-m", "aiwarden.cli"]
        commands = {
            "stack": [*aiwarden, "check", str(ROOT), "--stack", stack, "--format", "json"],
            "tree": [*aiwarden, "check", str(tree), "--stack", stack, "--format", "json"],
            "registration": [*aiwarden, "preview", str(ROOT), "--stack", stack],
            "tree-registration": [*aiwarden, "preview", str(tree), "--stack", stack],
            "imports": [sys.executable, "-c", imports_program(modules)],
        }
        env = compiled_env(root)
        for kind in KINDS:  # unmeasured: fills the bytecode cache
            run_tree(commands[kind], root, env)
        runs: dict[str, list[Measure]] = {kind: [] for kind in KINDS}
        policy: Policy = {"aiwarden": [], "sdk": []}
        for _ in range(repeat):
            for kind in KINDS:
                m = run_tree(commands[kind], root, env)
                if m.code != 0:
                    raise SystemExit(f"{kind}: {' '.join(commands[kind][:4])} failed (exit {m.code})")
                runs[kind].append(m)
        # Policy evaluation of the captured stack alone: the aiwarden pack, and a pack of as many no-op policies.
        sdk = floors(root)["sdk"]
        for _ in range(repeat):
            policy["aiwarden"].append(_policy_seconds(evaluate(capture).timings, "aiwarden"))
            policy["sdk"].append(_policy_seconds(evaluate(capture, packs=[sdk]).timings, "noop"))
    return runs, custom, modules, policy


def render(
    stack: str,
    repeat: int,
    runs: dict[str, list[Measure]],
    custom: int,
    modules: list[tuple[str, str]],
    policy: Policy,
) -> str:
    wall, fastest, cpu = summarize(runs)
    reports = [json.loads(m.stdout) for m in runs["stack"]]
    packages = sorted({m for m, _ in modules})
    timings = {k: statistics.median(r["timings"].get(k, 0.0) for r in reports) for k in TIMINGS}
    summary = reports[0]["summary"]
    ratio = paired(runs, "stack", "tree")
    rows = {
        "stack": f"`aiwarden check . --stack {stack}`",
        "tree": "the same resources under bare ComponentResources, same config, same pack",
        "registration": f"`aiwarden preview . --stack {stack}` (registration only)",
        "tree-registration": "the same resources under bare ComponentResources, registration only",
        "imports": f"`python -c 'import pulumi, …'`: the {len(packages)} provider modules of its {len(modules)} "
        "resource types, loaded",
    }
    command = f"python -m bench.platform --stack {stack} --repeat {repeat}"
    lines = [
        HEADING,
        "",
        "<!-- Written by bench/platform.py; re-run the command below to refresh. -->",
        "",
        f"Measured with `{command}` ({repeat} interleaved rounds, fresh processes, bytecode compiled). "
        f"{summary['resources']} resources ({custom} custom), {summary['mandatory']} mandatory and "
        f"{summary.get('undecided', 0)} undecided findings. Target (issue 14): ≤ 6 s on a 2-core machine.",
        "",
        "| Run | Wall, median (s) | Wall, fastest (s) | CPU, median (s) |",
        "|---|---|---|---|",
        *(f"| {rows[k]} | {wall[k]:.2f} | {fastest[k]:.2f} | {cpu[k]:.2f} |" for k in KINDS),
        "",
        f"The stack over the same resources without aiwarden's components: {100 * ratio:+.1f}% wall "
        "(median of the per-round ratios).",
        "",
        "Inside the stack's check (medians of its reports; the gate overlaps them: Analyze runs while the "
        "program registers):",
        "",
        "| Phase | Seconds |",
        "|---|---|",
        *(f"| {label} | {timings[k]:.2f} |" for k, label in TIMINGS.items()),
        "",
        "The captured stack through the packs alone (`aiwarden.gate.evaluate`, medians):",
        "",
        "| Pack | Analyze (s) | AnalyzeStack (s) |",
        "|---|---|---|",
        *(
            f"| {label} | {statistics.median(a for a, _ in policy[k]):.2f} "
            f"| {statistics.median(b for _, b in policy[k]):.2f} |"
            for k, label in (
                ("aiwarden", "the aiwarden pack"),
                ("sdk", "no-op pack, as many policies (SDK floor)"),
            )
        ),
        "",
        f"Provider modules: {', '.join(f'`{m}`' for m in packages)}.",
        "",
    ]
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    """Put ``text`` (starting with ``HEADING``) in ``path`` in place of the previous run's section; what
    follows it under another heading is kept."""
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    if HEADING in previous:
        before, _, rest = previous.partition(HEADING)
        after = rest[rest.index("\n## ") :] if "\n## " in rest else "\n"
        path.write_text(before + text + after, encoding="utf-8")
    else:
        path.write_text(previous.rstrip("\n") + "\n\n" + text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stack", default="aws-production")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    runs, custom, modules, policy = measure(args.stack, args.repeat)
    text = render(args.stack, args.repeat, runs, custom, modules, policy)
    print(text)
    if args.write:
        write_section(args.write, text)


if __name__ == "__main__":
    main()
