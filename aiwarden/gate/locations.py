"""Findings point at code: the file and line of the program's own files that declared each resource.

The frames come from the stack trace the Pulumi SDK sends with every RegisterResource (see
``capture.monitor``). Paths are reported relative to a source root: ``--source-root``, else the
repository that holds the program (the nearest folder with ``.git``), else the program's folder,
so SARIF ``artifactLocation.uri`` values resolve against the checkout code scanning annotates.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from aiwarden.capture.model import Capture
from aiwarden.findings import Report


def default_source_root(program_dir: Path) -> Path:
    """The repository root of ``program_dir`` (nearest ancestor with ``.git``), else ``program_dir``."""
    program_dir = program_dir.resolve()
    for folder in (program_dir, *program_dir.parents):
        if (folder / ".git").exists():
            return folder
    return program_dir


@lru_cache(maxsize=1024)
def relative(path: str, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form; absolute when it lies outside."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).resolve().as_posix()


def _frame(frame: dict[str, Any], root: Path) -> dict[str, Any]:
    return {"file": relative(str(frame["file"]), root), "line": int(frame["line"])}


def declared_by(
    urn: str, frames: dict[str, list[dict[str, Any]]], parents: dict[str, str]
) -> list[dict[str, Any]]:
    """The resource's own frames; for one registered outside the program's frames (in an ``apply``, by a
    provider), its nearest ancestor's: the line that declared the component it belongs to."""
    seen = set()
    while urn and urn not in seen:
        seen.add(urn)
        if frames.get(urn):
            return frames[urn]
        urn = parents.get(urn, "")
    return []


def where(capture: Capture, root: Path) -> dict[str, str]:
    """``file:line`` (relative to ``root``) of the code that declared each resource, by URN."""
    frames = {r.urn: r.frames for r in capture.resources}
    parents = {r.urn: r.parent for r in capture.resources}
    out = {}
    for urn in frames:
        found = declared_by(urn, frames, parents)
        if found:
            first = _frame(found[0], root)
            out[urn] = f"{first['file']}:{first['line']}"
    return out


def locate(report: Report, capture: Capture, root: Path) -> None:
    """Set the source root on ``report`` and give every finding about a resource its declaring location."""
    root = root.resolve()
    report.source_root = str(root)
    if capture.program_dir:
        report.project_file = relative(str(Path(capture.program_dir) / "Pulumi.yaml"), root)
    frames = {r.urn: r.frames for r in capture.resources}
    parents = {r.urn: r.parent for r in capture.resources}
    for v in report.violations:
        found = declared_by(v.urn, frames, parents)
        if found:
            first = _frame(found[0], root)
            v.file, v.line = first["file"], first["line"]
            v.related = [_frame(f, root) for f in found[1:]]
