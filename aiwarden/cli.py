"""The ``aiwarden`` command."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from aiwarden import __version__
from aiwarden.errors import AiwardenError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Offline preview and policy gate for Pulumi programs of AI workloads.",
)
err = Console(stderr=True, emoji=False)


class Format(StrEnum):
    table = "table"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"


_DEBUG = {"on": False}


def _fail(exc: AiwardenError) -> None:
    if _DEBUG["on"] and exc.detail:
        err.print(exc.detail, markup=False, highlight=False)
    err.print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of program and pack errors.")
    ] = False,
) -> None:
    _DEBUG["on"] = debug


ProgramDir = Annotated[Path, typer.Argument(help="Folder of the Pulumi program (holds Pulumi.yaml).")]
StackOpt = Annotated[str | None, typer.Option("--stack", "-s", help="Stack name (Pulumi.<stack>.yaml).")]
ConfigOpt = Annotated[list[str] | None, typer.Option("--config", "-c", help="Config override KEY=VALUE.")]
UpdateOpt = Annotated[bool, typer.Option("--update", help="Update mode: ids and computed values are known.")]


@app.command()
def preview(
    program_dir: ProgramDir,
    stack: StackOpt = None,
    config: ConfigOpt = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the capture JSON here.")
    ] = None,
    update: UpdateOpt = False,
) -> None:
    """Run the program under Pulumi's mock runtime and print every registration as JSON."""
    from aiwarden.capture.preview import preview as run_preview

    try:
        capture = run_preview(program_dir, stack, config or [], preview_mode=not update)
    except AiwardenError as exc:
        _fail(exc)
        return
    _write(json.dumps(capture.to_json(), indent=1) + "\n", output)


@app.command()
def check(
    program_dir: ProgramDir,
    stack: StackOpt = None,
    config: ConfigOpt = None,
    policy_pack: Annotated[
        list[Path] | None,
        typer.Option("--policy-pack", help="Policy pack folder (repeatable); default: the aiwarden pack."),
    ] = None,
    policy_pack_config: Annotated[
        Path | None,
        typer.Option(
            "--policy-pack-config", help="Pack config in Pulumi's --policy-pack-config format (JSON/YAML)."
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    update: UpdateOpt = False,
) -> None:
    """Preview offline, evaluate the policy packs as the engine does, report. Exit 1 on mandatory violations."""
    from aiwarden.check import check as run_check
    from aiwarden.report import json_report, junit, markdown, sarif, table

    console = Console(stderr=output is None and format != Format.table, emoji=False)
    try:
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as bar:
            task = bar.add_task("analyzing", total=None)
            report = run_check(
                program_dir,
                stack,
                config or [],
                policy_pack or [],
                policy_pack_config,
                preview_mode=not update,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except AiwardenError as exc:
        _fail(exc)
        return
    renderers = {
        Format.json: json_report.render,
        Format.sarif: sarif.render,
        Format.junit: junit.render,
        Format.markdown: markdown.render,
    }
    if format == Format.table:
        if output is not None:
            _write(json_report.render(report), output) if output.suffix == ".json" else None
        table.render(report, console if output is None else err)
    else:
        _write(renderers[format](report), output)
        if output is not None:
            table.render(report, err)
    raise typer.Exit(1 if report.mandatory else 0)


class ViewFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def _view(
    name: str,
    program_dir: Path,
    stack: str | None,
    config: list[str] | None,
    format: ViewFormat,
    output: Path | None,
) -> None:
    from aiwarden import views
    from aiwarden.capture.preview import preview as run_preview

    try:
        capture = run_preview(program_dir, stack, config or [], preview_mode=False)
    except AiwardenError as exc:
        _fail(exc)
        return
    key, fields = views.VIEWS[name]
    if format == ViewFormat.table and output is None:
        views.render_table(capture, key, fields, Console(emoji=False))
    elif format == ViewFormat.json:
        _write(views.render_json(capture, key), output)
    else:
        _write(views.render_markdown(capture, key, fields), output)


ViewFormatOpt = Annotated[ViewFormat, typer.Option("--format", "-f", help="View format.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write the view here.")]


@app.command()
def inventory(
    program_dir: ProgramDir,
    stack: StackOpt = None,
    config: ConfigOpt = None,
    format: ViewFormatOpt = ViewFormat.table,
    output: OutputOpt = None,
) -> None:
    """The AI asset inventory the program exports (owner, classification, exposure, identities, purpose)."""
    _view("inventory", program_dir, stack, config, format, output)


@app.command("incident-response")
def incident_response(
    program_dir: ProgramDir,
    stack: StackOpt = None,
    config: ConfigOpt = None,
    format: ViewFormatOpt = ViewFormat.table,
    output: OutputOpt = None,
) -> None:
    """The responder's view: whom to call, what to revoke, inspect, disable and preserve, per AI asset."""
    _view("incident-response", program_dir, stack, config, format, output)


@app.command()
def policies(
    policy_pack: Annotated[Path | None, typer.Option("--policy-pack", help="Pack folder.")] = None,
    environment: Annotated[str, typer.Option(help="Stack environment the levels are for.")] = "production",
) -> None:
    """List the policies of a pack with control, severity and enforcement level."""
    from google.protobuf import empty_pb2
    from rich.table import Table

    from aiwarden.gate.config import LEVEL_NAMES
    from aiwarden.gate.engine import ENGINE_ADDRESS, SEVERITIES, default_pack_dir
    from aiwarden.gate.pack_process import PackEnvironment, PackProcess, load_manifest
    from aiwarden.report.model import control_of

    env = PackEnvironment(
        project="aiwarden",
        stack="list",
        organization="organization",
        dry_run=True,
        config={"aiwarden:environment": environment},
        secret_keys=[],
    )
    try:
        with PackProcess(load_manifest(policy_pack or default_pack_dir()), env, ENGINE_ADDRESS) as pack:
            info = pack.stub.GetAnalyzerInfo(empty_pb2.Empty())
    except AiwardenError as exc:
        _fail(exc)
        return
    table = Table(title=f"{info.name} policies ({environment})")
    for column in ("policy", "control", "severity", "enforcement"):
        table.add_column(column)
    for p in info.policies:
        table.add_row(
            p.name,
            control_of(p.name, p.framework.reference),
            SEVERITIES.get(p.severity, ""),
            LEVEL_NAMES.get(p.enforcementLevel, ""),
        )
    Console(emoji=False).print(table)


@app.command()
def version() -> None:
    """Print the version."""
    print(__version__)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
