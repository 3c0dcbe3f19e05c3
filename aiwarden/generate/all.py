"""Regenerate every derived file, or (``--check``) fail when one is stale.

Derived files: the taggable-type table of the pack, the policy index and control matrix,
the stack-config JSON Schema, and the inputs tables of component READMEs.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def targets() -> dict[Path, Callable[[], str]]:
    os.environ.setdefault("PULUMI_CONFIG", "{}")
    from aiwarden.generate import component_docs, policy_docs, taggable
    from components.platform.config import PlatformConfig

    def schema() -> str:
        """The stack file's shape: `config:` with the platform's keys under the `aiwarden:` namespace."""
        model = PlatformConfig.model_json_schema(by_alias=True)
        config = {
            "type": "object",
            "description": model.get("description", "Stack configuration."),
            "properties": {f"aiwarden:{k}": v for k, v in model["properties"].items()},
            "required": [f"aiwarden:{k}" for k in model.get("required", [])],
            "additionalProperties": True,  # provider keys (aws:region, gcp:project, ...) and other namespaces
        }
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "aiwarden stack file (stacks/Pulumi.<stack>.yaml)",
            "type": "object",
            "properties": {"config": config},
            "required": ["config"],
            "$defs": model.get("$defs", {}),
        }
        return json.dumps(document, indent=2) + "\n"

    out: dict[Path, Callable[[], str]] = {
        taggable.OUT: taggable.render,
        ROOT / "docs" / "policies.md": policy_docs.render_policies,
        ROOT / "docs" / "control-matrix.md": policy_docs.render_matrix,
        ROOT / "docs" / "schema" / "stack-config.schema.json": schema,
    }
    for readme in component_docs.readmes():
        out[readme] = lambda readme=readme: component_docs.render(readme)  # type: ignore[misc]
    return out


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    stale = []
    for path, render in targets().items():
        text = render()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if check:
            stale.append(path.relative_to(ROOT))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("stale generated files (run `make docs`): " + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
