"""The ``aiwarden`` command."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from aiwarden import __version__
from aiwarden.errors import AiwardenError

if TYPE_CHECKING:
    from aiwarden.views.stack import StackView

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


class InventoryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    html = "html"


class RunbookFormat(StrEnum):
    markdown = "markdown"
    html = "html"
    json = "json"


OptionalProgramDir = Annotated[
    Path | None,
    typer.Argument(
        help="Folder of the Pulumi program (holds Pulumi.yaml); or read a deployed stack with --state."
    ),
]
StateOpt = Annotated[
    Path | None,
    typer.Option(
        "--state",
        help="A `pulumi stack export` file (the deployed stack: real ids, ARNs and retention) instead of a program.",
    ),
]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write the view here.")]


def _stack_view(
    program_dir: Path | None,
    state: Path | None,
    stack: str | None,
    config: list[str] | None,
    placeholder_secrets: bool,
    output: Path | None,
) -> StackView:
    """The stack a view reads: an offline preview of the program, or the state file. Bad input: exit 2."""
    from aiwarden.capture.preview import preview as run_preview
    from aiwarden.views import stack as stack_view, state_file

    _check_output(output)
    if (program_dir is None) == (state is None):
        _fail(
            AiwardenError(
                "name a program folder or a state file: `aiwarden <view> path/to/program` (offline preview) or "
                "`aiwarden <view> --state state.json` (from `pulumi stack export --file state.json`), not both"
                if program_dir is not None
                else "name a program folder or a state file: `aiwarden <view> path/to/program` (offline preview) or "
                "`aiwarden <view> --state state.json` (from `pulumi stack export --file state.json`)"
            )
        )
    try:
        if state is not None:
            if stack or config or placeholder_secrets:
                raise AiwardenError(
                    "--stack, --config and --placeholder-secrets apply to a program, not to --state"
                )
            return state_file.load(state)
        assert program_dir is not None
        capture = run_preview(program_dir, stack, config or [], False, placeholder_secrets)
        return stack_view.from_capture(capture, str(program_dir))
    except AiwardenError as exc:
        _fail(exc)
        raise AssertionError("unreachable") from exc


@contextmanager
def _console_to(output: Path | None) -> Iterator[Console]:
    """The terminal, or a plain-text console writing ``output``."""
    if output is None:
        yield Console(emoji=False)
        return
    with output.open("w", encoding="utf-8") as handle:
        yield Console(file=handle, emoji=False, width=100, no_color=True)


ViewFormatOpt = Annotated[ViewFormat, typer.Option("--format", "-f", help="View format.")]


@app.command()
def inventory(
    program_dir: OptionalProgramDir = None,
    state: StateOpt = None,
    stack: StackOpt = None,
    config: ConfigOpt = None,
    format: Annotated[
        InventoryFormat,
        typer.Option("--format", "-f", help="table (80-column terminal), csv, json, markdown, html."),
    ] = InventoryFormat.table,
    output: OutputOpt = None,
    placeholder_secrets: PlaceholderOpt = False,
) -> None:
    """The AI asset inventory (owner, classification, exposure, identities, purpose), and the AI assets in the
    stack that no record covers."""
    from aiwarden.views.inventory import model, render

    view = _stack_view(program_dir, state, stack, config, placeholder_secrets, output)
    inv = model.build(view)
    if format == InventoryFormat.table:
        with _console_to(output) as console:
            render.render_table(inv, console)
        return
    renderers = {
        InventoryFormat.csv: render.render_csv,
        InventoryFormat.json: render.render_json,
        InventoryFormat.markdown: render.render_markdown,
        InventoryFormat.html: render.render_html,
    }
    _write(renderers[format](inv), output)


@app.command()
def runbook(
    program_dir: OptionalProgramDir = None,
    state: StateOpt = None,
    asset: Annotated[
        str | None,
        typer.Option("--asset", "-a", help="Only this asset (its record name, as the inventory lists it)."),
    ] = None,
    stack: StackOpt = None,
    config: ConfigOpt = None,
    format: Annotated[RunbookFormat, typer.Option("--format", "-f", help="markdown, html or json.")] = (
        RunbookFormat.markdown
    ),
    output: OutputOpt = None,
    placeholder_secrets: PlaceholderOpt = False,
) -> None:
    """The incident runbook: per asset, owner and contact, the exact AWS CLI / gcloud / kubectl commands to revoke
    credentials and disable endpoints, the logs to preserve (where, how long), the request ids, rollback."""
    from aiwarden.views.runbook import build, render

    view = _stack_view(program_dir, state, stack, config, placeholder_secrets, output)
    try:
        book = build.build(view, asset)
    except AiwardenError as exc:
        _fail(exc)
        return
    renderers = {
        RunbookFormat.markdown: render.render_markdown,
        RunbookFormat.html: render.render_html,
        RunbookFormat.json: render.render_json,
    }
    _write(renderers[format](book), output)


@app.command("incident-response")
def incident_response(
    program_dir: OptionalProgramDir = None,
    state: StateOpt = None,
    stack: StackOpt = None,
    config: ConfigOpt = None,
    format: ViewFormatOpt = ViewFormat.table,
    output: OutputOpt = None,
    placeholder_secrets: PlaceholderOpt = False,
) -> None:
    """The `incidentResponse` output as exported: whom to call, what to revoke, inspect, disable and preserve, per
    AI asset (`aiwarden runbook` turns it into commands)."""
    from aiwarden.views import manifest

    view = _stack_view(program_dir, state, stack, config, placeholder_secrets, output)
    key, fields = manifest.INCIDENT_RESPONSE, manifest.IR_FIELDS
    if format == ViewFormat.table:
        with _console_to(output) as console:
            manifest.render_table(view, key, fields, console)
    elif format == ViewFormat.json:
        _write(manifest.render_json(view, key), output)
    else:
        _write(manifest.render_markdown(view, key, fields), output)


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
