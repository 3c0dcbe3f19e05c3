"""The docs' code blocks run, their CI files use real options, and they name only what exists.

Runnable blocks are fenced blocks whose info string holds the word ``test`` (the first word stays the
language, so they render as usual); other words are options:

- ``file=PATH``: the block is the file ``PATH`` of the document's workspace, a temporary folder written
  before any block of the document runs (``yaml test file=infra/Pulumi.yaml``). Nothing runs by itself.
- ``sh``/``shell``/``bash``/``console`` with ``test``: every line is an ``aiwarden`` command (comments, blank
  lines and ``\\`` continuations as in a shell), run as ``python -m aiwarden.cli`` from the repository root.
  ``exit=N``: the exit code of every command (default 0). ``WORD=PATH``: the argument ``WORD`` is the
  repository path ``PATH`` (the README's ``path/to/program``). An argument naming a workspace file, or a
  folder that holds one, is that file or folder; ``-o``/``--output`` files are written into the workspace.
- ``python`` with ``test`` and no ``file=``: a Pulumi program, written to its own project
  (``tests.harness.write_program``: stack ``test``, ``aws:region`` and ``gcp:project`` set) and checked with
  ``aiwarden check``; ``exit=N`` as above.
"""

from __future__ import annotations

import atexit
import importlib
import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.harness import write_program

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SHELLS = {"sh", "shell", "bash", "console"}
OUTPUT_OPTIONS = {"-o", "--output"}
TIMEOUT_S = 300
_FENCE = re.compile(r"^(?P<fence>`{3,})(?P<info>[^`]*)$")


@dataclass(frozen=True)
class Block:
    doc: Path
    line: int  # 1-based line of the opening fence
    language: str
    words: tuple[str, ...]
    code: str

    @property
    def options(self) -> dict[str, str]:
        return dict(word.split("=", 1) for word in self.words if "=" in word)

    @property
    def runnable(self) -> bool:
        return "test" in self.words

    @property
    def id(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def blocks(doc: Path) -> list[Block]:
    """The fenced (backtick) blocks of a Markdown file, in order."""
    found: list[Block] = []
    lines = doc.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match is None:
            index += 1
            continue
        fence, info = match.group("fence"), match.group("info").split()
        end = index + 1
        while end < len(lines) and not (lines[end].startswith(fence) and not lines[end].strip("`").strip()):
            end += 1
        language, *words = info or [""]
        found.append(Block(doc, index + 1, language, tuple(words), "\n".join(lines[index + 1 : end]) + "\n"))
        index = end + 1
    return found


RUNNABLE = [b for doc in DOCS for b in blocks(doc) if b.runnable and "file" not in b.options]


@cache
def workspace(doc: Path) -> Path:
    """The document's workspace: every ``file=`` block of it, written."""
    folder = Path(tempfile.mkdtemp(prefix=f"aiwarden-docs-{doc.stem}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for block in blocks(doc):
        if block.runnable and "file" in block.options:
            target = folder / block.options["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.code, encoding="utf-8")
    return folder


def commands(code: str) -> list[list[str]]:
    """The command lines of a shell block, split as a shell would (comments dropped)."""
    joined = re.sub(r"\\\n", " ", code)
    return [words for line in joined.splitlines() if (words := shlex.split(line, comments=True))]


def arguments(block: Block, words: list[str]) -> tuple[list[str], list[Path]]:
    """A documented command's arguments as run here, and the output files it should write."""
    assert words[0] == "aiwarden", f"{block.id}: only `aiwarden` commands run offline, not {words[0]!r}"
    space = workspace(block.doc)
    files = {p.relative_to(space).as_posix() for p in space.rglob("*")}
    args: list[str] = []
    outputs: list[Path] = []
    for previous, word in itertools.pairwise(words):
        if previous in OUTPUT_OPTIONS:
            outputs.append(space / word)
            args.append(str(space / word))
        elif word in block.options:
            path = ROOT / block.options[word]
            assert path.exists(), f"{block.id}: {word}={block.options[word]} does not exist"
            args.append(str(path))
        elif word.rstrip("/") in files:
            args.append(str(space / word))
        else:
            args.append(word)
    return args, outputs


def aiwarden(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aiwarden.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
        env={**os.environ, "COLUMNS": "160"},
    )


def expect(block: Block, proc: subprocess.CompletedProcess[str], what: str) -> None:
    expected = int(block.options.get("exit", "0"))
    assert proc.returncode == expected, (
        f"{block.id}: `{what}` exited {proc.returncode}, the doc expects {expected}\n"
        f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"
    )


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.id for b in RUNNABLE])
def test_runnable_block(block: Block) -> None:
    if block.language in SHELLS:
        lines = commands(block.code)
        assert lines, f"{block.id}: a runnable shell block without a command"
        for words in lines:
            args, outputs = arguments(block, words)
            for output in outputs:
                output.unlink(missing_ok=True)
            proc = aiwarden(*args)
            expect(block, proc, shlex.join(words))
            if proc.returncode in (0, 1):
                for output in outputs:
                    assert output.stat().st_size > 0, (
                        f"{block.id}: `{shlex.join(words)}` wrote no {output.name}"
                    )
    elif block.language == "python":
        program = write_program(block.code)
        expect(block, aiwarden("check", str(program), "--stack", "test"), "aiwarden check <program>")
    else:
        pytest.fail(f"{block.id}: no runner for `{block.language} test` blocks (use file= to make it a file)")


def test_the_docs_mark_their_examples_runnable() -> None:
    """The convention is in use where the docs promise it (a fence typo would silently run nothing)."""
    marked = {b.doc.relative_to(ROOT).as_posix() for b in RUNNABLE}
    assert marked >= {
        "README.md",
        "docs/architecture.md",
        "docs/getting-started/platform-team.md",
        "docs/getting-started/app-team.md",
        "docs/getting-started/security-team.md",
    }
    for doc in DOCS:
        for block in blocks(doc):
            if block.runnable:
                unknown = {w.split("=", 1)[0] for w in block.words if "=" in w} - {"file", "exit"}
                for key in unknown:
                    assert key in " ".join(block.code.split()), f"{block.id}: option {key}= names no argument"


# ------------------------------------------------------------------------------------------ CI files


def check_context(words: list[str]) -> dict[str, Any]:
    """The parameters `aiwarden check` parses from ``words`` (``aiwarden check ...``), with the CLI's own parser:
    an option the CLI does not have, or a value it does not accept, fails here."""
    from typer.main import get_command

    from aiwarden.cli import app

    assert words[:2] == ["aiwarden", "check"], words
    command = get_command(app).commands["check"]  # type: ignore[attr-defined]
    return dict(command.make_context("check", list(words[2:])).params)


def ci_commands(script: str, env: dict[str, str]) -> list[list[str]]:
    """The `aiwarden` commands of a CI script, variables expanded, up to a shell operator (`|| test $? -eq 1`)."""
    found = []
    for line in script.splitlines():
        for name, value in env.items():
            line = line.replace("${" + name + "}", value).replace("$" + name, value)
        words = shlex.split(line, comments=True)
        if words and words[0] == "aiwarden":
            cut = next((i for i, w in enumerate(words) if w in {"||", "&&", ";", "|"}), len(words))
            found.append(words[:cut])
    return found


STACKS = {p.name[len("Pulumi.") : -len(".yaml")] for p in (ROOT / "stacks").glob("Pulumi.*.yaml")}


def test_github_actions_workflow_checks_uploads_sarif_and_fails_on_exit_1() -> None:
    workflow = yaml.safe_load((ROOT / "docs/ci/github-actions.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"]["security-events"] == "write"
    [job] = workflow["jobs"].values()
    steps = job["steps"]
    uses = {step["uses"].split("@")[0]: step for step in steps if "uses" in step}
    assert set(uses) >= {"actions/checkout", "actions/setup-python", "github/codeql-action/upload-sarif"}
    assert str(uses["actions/setup-python"]["with"]["python-version"]) == "3.11"
    assert any(step.get("run", "").strip() == "pip install -e ." for step in steps)
    [check] = [step for step in steps if "aiwarden check" in step.get("run", "")]
    [words] = ci_commands(check["run"], workflow["env"])
    params = check_context(words)
    assert params["program_dir"] == Path(".")
    assert params["stack"] in STACKS
    assert params["format"] == "sarif"
    upload = uses["github/codeql-action/upload-sarif"]
    assert upload["with"] == {"sarif_file": str(params["output"]), "category": "aiwarden"}
    assert "always()" in upload["if"]  # the report is uploaded when the check found violations
    # the check step records its exit code; a later step fails the job on 1, after the upload
    assert 'echo "exit-code=$code" >> "$GITHUB_OUTPUT"' in check["run"]
    [fail] = [step for step in steps if step.get("if") == f"steps.{check['id']}.outputs.exit-code == '1'"]
    assert steps.index(fail) > steps.index(upload)
    assert fail["run"].strip().endswith("exit 1")


def test_gitlab_job_reports_junit_and_keeps_sarif() -> None:
    pipeline = yaml.safe_load((ROOT / "docs/ci/gitlab-ci.yml").read_text(encoding="utf-8"))
    [job] = [v for v in pipeline.values() if isinstance(v, dict) and "script" in v]
    assert job["image"] == "python:3.11"
    assert "pip install -e ." in job["script"]
    found = [check_context(w) for line in job["script"] for w in ci_commands(line, job["variables"])]
    by_format = {str(p["format"]): p for p in found}
    assert set(by_format) == {"sarif", "junit"}
    for params in found:
        assert params["program_dir"] == Path(".") and params["stack"] in STACKS
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always"
    assert artifacts["reports"]["junit"] == str(by_format["junit"]["output"])
    assert str(by_format["sarif"]["output"]) in artifacts["paths"]
    # the SARIF run lets exit 1 through (the JUnit run reports it) and nothing else
    [sarif_line] = [line for line in job["script"] if "--format sarif" in line]
    assert sarif_line.endswith("|| test $? -eq 1")


# ------------------------------------------------------------------------------ names in the docs

NEW_DOCS = [
    ROOT / "docs/architecture.md",
    ROOT / "docs/threat-model.md",
    *sorted((ROOT / "docs/getting-started").glob("*.md")),
]
_POLICY = re.compile(r"`([a-z][a-z0-9]*-\d+-[a-z0-9-]+)`")
_COMPONENT = re.compile(r"`(aws|gcp|k8s)\.([A-Z][A-Za-z]+)\b")


@dataclass
class Pack:
    controls: dict[str, dict[str, Any]]  # id -> catalog entry
    checklist: list[str]
    policies: dict[str, str]  # policy name -> control id
    prefixes: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def pack() -> Pack:
    """The catalog and the policies the pack declares over the analyzer protocol (what `aiwarden policies` lists)."""
    from aiwarden.gate import list_policies
    from aiwarden.gate.engine import default_pack_dir
    from aiwarden.gate.pack_process import load_manifest

    catalog = yaml.safe_load(
        (default_pack_dir() / "aiwarden_policies/data/controls.yaml").read_text(encoding="utf-8")
    )
    controls = {c["id"]: c for c in catalog["controls"]}
    policies = {p.name: p.control for p in list_policies(load_manifest(default_pack_dir()), "production")}
    return Pack(controls, catalog["checklist"], policies, {i.split("-")[0] for i in controls})


def control_ids(text: str, prefixes: set[str]) -> set[str]:
    return set(re.findall(rf"\b(?:{'|'.join(sorted(prefixes))})-\d+\b", text))


@pytest.mark.parametrize("doc", NEW_DOCS, ids=[d.relative_to(ROOT).as_posix() for d in NEW_DOCS])
def test_every_control_policy_and_component_named_exists(doc: Path, pack: Pack) -> None:
    text = doc.read_text(encoding="utf-8")
    assert control_ids(text, pack.prefixes) <= set(pack.controls), doc.name
    assert set(_POLICY.findall(text)) <= set(pack.policies), doc.name
    for cloud, name in set(_COMPONENT.findall(text)):
        module = importlib.import_module(f"components.{cloud}")
        assert name in module.__all__, f"{doc.name}: components.{cloud} exports no {name}"


def test_app_team_guide_lists_every_component_each_cloud_exports() -> None:
    import pulumi

    text = (ROOT / "docs/getting-started/app-team.md").read_text(encoding="utf-8")
    for cloud in ("aws", "gcp", "k8s"):
        [row] = [
            line for line in text.splitlines() if line.startswith("| ") and f"(`components.{cloud}`)" in line
        ]
        listed = set(re.findall(r"`([A-Z][A-Za-z]+)`", row))
        module = importlib.import_module(f"components.{cloud}")
        exported = {
            name
            for name in module.__all__
            if isinstance(value := getattr(module, name), type)
            and issubclass(value, pulumi.ComponentResource)
        }
        assert listed == exported, f"components.{cloud}"


def test_threat_model_maps_every_checklist_item_to_its_controls_and_every_policy(pack: Pack) -> None:
    text = (ROOT / "docs/threat-model.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)
    items = {}
    for section in sections:
        heading, _, body = section.partition("\n")
        if match := re.fullmatch(r"(\d+)\. (.+)", heading.strip()):
            items[int(match.group(1))] = (match.group(2), body)
    assert [items[n][0] for n in sorted(items)] == pack.checklist  # the article's ten items, in order
    listed: dict[str, str] = {}
    for title, body in items.values():
        assert "**Threat.**" in body and "**Residual risk.**" in body, title
        rows = {
            cells[0].split()[0]: cells
            for line in body.splitlines()
            if line.startswith("| ")
            and (cells := [c.strip() for c in line.strip("|").split("|")])[0].split()[0] in pack.controls
        }
        expected = {c for c, entry in pack.controls.items() if entry["checklist"] == title}
        assert set(rows) == expected, title
        for control, cells in rows.items():
            assert cells[0] == f"{control} {pack.controls[control]['title']}"
            for policy in _POLICY.findall(cells[1]):
                assert pack.policies.get(policy) == control, f"{policy} is listed under {control}"
                listed[policy] = control
            assert _COMPONENT.search(cells[2]), f"{control}: no component named"
    assert set(listed) == set(pack.policies), "policies the threat model does not list: " + ", ".join(
        sorted(set(pack.policies) - set(listed))
    )
