"""Fill the inputs table of every component README from its pydantic Args model.

A README holds ``<!-- BEGIN_INPUTS -->`` / ``<!-- END_INPUTS -->`` markers; the table between
them is regenerated from ``<Name>Args`` (field, type, default, description). Types are shown as
written in the model (``dict[Slug, Grant[PrincipalArn, Literal['read', 'write']]]``,
``BucketName | None``): ``components._common.type_names``.
"""

from __future__ import annotations

import importlib
import re
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from components._common.type_names import type_name

ROOT = Path(__file__).resolve().parents[2]
BEGIN, END = "<!-- BEGIN_INPUTS -->", "<!-- END_INPUTS -->"
_ARGS = re.compile(r"<!-- ARGS: ([\w.]+) -->")


def _hints(model: type[BaseModel]) -> dict[str, Any]:
    """The fields' annotations as written (``Annotated`` aliases kept), else pydantic's."""
    try:
        return typing.get_type_hints(model, include_extras=True)
    except (NameError, TypeError):
        return {name: field.annotation for name, field in model.model_fields.items()}


def _default(field: Any) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "**required**"
    if field.default_factory is not None:
        return "`" + repr(field.default_factory()) + "`"
    return f"`{field.default!r}`"


def table(model: type[BaseModel]) -> str:
    rows = ["| Input | Type | Default | Description |", "|---|---|---|---|"]
    hints = _hints(model)
    for name, field in model.model_fields.items():
        description = " ".join((field.description or "").split()).replace("|", "\\|")
        kind = type_name(hints.get(name, field.annotation)).replace("|", "\\|")
        rows.append(f"| `{name}` | `{kind}` | {_default(field)} | {description} |")
    return "\n".join(rows)


def readmes() -> list[Path]:
    return sorted(p for p in (ROOT / "components").rglob("*.md") if BEGIN in p.read_text(encoding="utf-8"))


def render(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    match = _ARGS.search(text)
    if match is None:
        raise SystemExit(f"{path}: add `<!-- ARGS: module.ArgsClass -->` before {BEGIN}")
    module, _, cls = match.group(1).rpartition(".")
    model = getattr(importlib.import_module(module), cls)
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table(model)}\n{END}{tail}"
