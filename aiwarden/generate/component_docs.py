"""Fill the inputs table of every component README from its pydantic Args model.

A README holds ``<!-- BEGIN_INPUTS -->`` / ``<!-- END_INPUTS -->`` markers; the table between
them is regenerated from ``<Name>Args`` (field, type, default, description).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

ROOT = Path(__file__).resolve().parents[2]
BEGIN, END = "<!-- BEGIN_INPUTS -->", "<!-- END_INPUTS -->"
_ARGS = re.compile(r"<!-- ARGS: ([\w.]+) -->")


def _type(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) or str(annotation)
    return text.replace("typing.", "").replace("pydantic.main.", "")


def _default(field: Any) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "**required**"
    if field.default_factory is not None:
        return "`" + repr(field.default_factory()) + "`"
    return f"`{field.default!r}`"


def table(model: type[BaseModel]) -> str:
    rows = ["| Input | Type | Default | Description |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        description = " ".join((field.description or "").split()).replace("|", "\\|")
        kind = _type(field.annotation).replace("|", "\\|")
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
