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


def _check_output(output: Path | None) -> None:
    """Refuse an unusable ``--output`` before any work is done."""
    if output is None:
        return
    if output.is_dir():
        _fail(
            AiwardenError(f"--output {output} is a folder; name a file in it, e.g. {output / 'report.out'}")
        )
    if not output.parent.is_dir():
        _fail(
            AiwardenError(
                f"--output {output}: folder {output.parent} does not exist; create it first (mkdir -p)"
            )
        )


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
PreviewOpt = Annotated[
    bool,
    typer.Option(
        "--preview",
        help="pulumi preview semantics: ids and computed values unknown; a policy that reads one cannot decide. "
        "Default: every value known, as `pulumi up` sees them.",
    ),
]
UpdateOpt = Annotated[
    bool, typer.Option("--update", hidden=True, help="Every value known (the default; kept for old scripts).")
]
PlaceholderOpt = Annotated[
    bool,
    typer.Option(
        "--placeholder-secrets",
        help="A secret the program requires (config.require_secret) and the stack does not set gets a "
        "redacted placeholder instead of an error.",
    ),
]


@app.command()
def preview(
    program_dir: ProgramDir,
    stack: StackOpt = None,
    config: ConfigOpt = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the capture JSON here.")
    ] = None,
    preview_mode: PreviewOpt = False,
    update: UpdateOpt = False,
    placeholder_secrets: PlaceholderOpt = False,
) -> None:
    """Run the program under Pulumi's mock runtime and print every registration as JSON."""
    from aiwarden.capture.preview import preview as run_preview

    _check_output(output)
    _exclusive(preview_mode, update)
    try:
        capture = run_preview(program_dir, stack, config or [], preview_mode, placeholder_secrets)
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
    preview_mode: PreviewOpt = False,
    update: UpdateOpt = False,
    placeholder_secrets: PlaceholderOpt = False,
    source_root: Annotated[
        Path | None,
        typer.Option(
            "--source-root",
            help="Finding paths (SARIF artifact URIs) are relative to this folder; default: the repository "
            "that holds the program, else the program's folder.",
        ),
    ] = None,
    skip_api_validation: Annotated[
        bool,
        typer.Option(
            "--skip-api-validation",
            help="Do not check inputs against the clouds' API models first (docs/api-models.md); for a "
            "false refusal you then report.",
        ),
    ] = False,
) -> None:
    """Run the program offline, evaluate the policy packs as the engine does, report. Exit 1 on mandatory
    violations."""
    from aiwarden.gate import evaluate
    from aiwarden.report import json_report, junit, markdown, sarif, table

    _check_output(output)
    _exclusive(preview_mode, update)
    if source_root is not None and not source_root.is_dir():
        _fail(AiwardenError(f"--source-root {source_root} is not a folder"))
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
            report = evaluate(
                program_dir,
                stack=stack,
                config=config or [],
                packs=policy_pack or [],
                pack_config=policy_pack_config,
                preview=preview_mode,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                placeholder_secrets=placeholder_secrets,
                source_root=source_root,
                api_validation=not skip_api_validation,
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
        if output is None:
            table.render(report, Console(emoji=False))
        else:
            with output.open("w", encoding="utf-8") as handle:
                table.render(report, Console(file=handle, emoji=False, width=120, no_color=True))
    else:
        _write(renderers[format](report), output)
    if output is not None or format != Format.table:
        table.render_summary(report, err)
    raise typer.Exit(1 if report.mandatory else 0)


def _exclusive(preview_mode: bool, update: bool) -> None:
    if preview_mode and update:
        _fail(AiwardenError("--preview and --update contradict each other; pass one (update is the default)"))


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
    placeholder_secrets: bool = False,
) -> None:
    from aiwarden import views
    from aiwarden.capture.preview import preview as run_preview

    _check_output(output)
    try:
        capture = run_preview(program_dir, stack, config or [], False, placeholder_secrets)
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
    placeholder_secrets: PlaceholderOpt = False,
) -> None:
    """The AI asset inventory the program exports (owner, classification, exposure, identities, purpose)."""
    _view("inventory", program_dir, stack, config, format, output, placeholder_secrets)


@app.command("incident-response")
def incident_response(
    program_dir: ProgramDir,
    stack: StackOpt = None,
    config: ConfigOpt = None,
    format: ViewFormatOpt = ViewFormat.table,
    output: OutputOpt = None,
    placeholder_secrets: PlaceholderOpt = False,
) -> None:
    """The responder's view: whom to call, what to revoke, inspect, disable and preserve, per AI asset."""
    _view("incident-response", program_dir, stack, config, format, output, placeholder_secrets)


@app.command()
def policies(
    policy_pack: Annotated[Path | None, typer.Option("--policy-pack", help="Pack folder.")] = None,
    environment: Annotated[str, typer.Option(help="Stack environment the levels are for.")] = "production",
) -> None:
    """List the policies of a pack with control, severity and enforcement level (names never truncated)."""
    from rich.table import Table

    from aiwarden.gate import list_policies
    from aiwarden.gate.engine import default_pack_dir
    from aiwarden.gate.pack_process import load_manifest
    from aiwarden_policies.contract import vocabulary

    canonical = vocabulary.canonical_environment(environment)
    if canonical is None:
        _fail(
            AiwardenError(
                f"--environment {environment!r} is not one of {', '.join(vocabulary.ENVIRONMENTS)} "
                f"(aliases: {', '.join(sorted(vocabulary.ENVIRONMENT_ALIASES))})"
            )
        )
        return
    try:
        manifest = load_manifest(policy_pack or default_pack_dir())
        metas = list_policies(manifest, canonical)
    except AiwardenError as exc:
        _fail(exc)
        return
    width = max((len(p.name) for p in metas), default=10)
    table = Table(title=f"{manifest.name} {manifest.version} policies ({canonical})", title_justify="left")
    table.add_column("policy", no_wrap=True, min_width=width)
    for column in ("control", "severity", "enforcement"):
        table.add_column(column, no_wrap=True)
    for p in metas:
        table.add_row(p.name, p.control, p.severity, p.enforcement_level)
    Console(emoji=False, width=max(Console().width, width + 40)).print(table)


@app.command()
def version() -> None:
    """Print the version."""
    print(__version__)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
