"""Regenerate every derived file, or (``--check``) fail when one is stale.

Derived files: the taggable-type table of the pack, the policy index and control matrix,
the stack-config JSON Schema, the inputs tables of component READMEs, and the API-model table
(which API member each Pulumi input is checked against) with its page, docs/api-models.md.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def targets() -> dict[Path, Callable[[], str]]:
    os.environ.setdefault("PULUMI_CONFIG", "{}")
    from aiwarden.generate import api_table, component_docs, policy_docs, taggable

    def schema() -> str:
        """The stack file's shape: `config:` with the platform's keys under the `aiwarden:` namespace.

        The platform config is a union discriminated by `aiwarden:cloud`: `config` is one of the union's
        models (their keys prefixed), plus `aiwarden:vocabulary` and `aiwarden:approvedRegistries` (read by the
        components) and any other key
        (provider keys `aws:region`, `gcp:project`, other namespaces)."""
        from pydantic import TypeAdapter

        from aiwarden_policies import contract
        from aiwarden_policies.contract import gpu, images, vocabulary
        from components.platform.config import NAMESPACE, PlatformConfig

        union = TypeAdapter(PlatformConfig).json_schema(by_alias=True)
        defs = union.get("$defs", {})
        variants = []
        for choice in union["oneOf"]:
            model = defs.pop(choice["$ref"].rsplit("/", 1)[-1])
            variants.append(
                {
                    "title": model.get("title"),
                    "description": model.get("description", ""),
                    "type": "object",
                    "properties": {f"{NAMESPACE}:{k}": v for k, v in model["properties"].items()},
                    "required": [f"{NAMESPACE}:{k}" for k in model.get("required", [])],
                }
            )
        config = {
            "type": "object",
            "description": "`aiwarden:*` stack config of the platform program: one of the models below, chosen "
            "by `aiwarden:cloud`.",
            "properties": {
                f"{NAMESPACE}:cloud": {
                    "enum": [v["properties"][f"{NAMESPACE}:cloud"]["const"] for v in variants]
                },
                f"{NAMESPACE}:vocabulary": vocabulary.SCHEMA,
                f"{NAMESPACE}:{images.APPROVED}": {
                    "type": "array",
                    "items": {"type": "string", "minLength": 1, "pattern": r"^\S+$"},
                    "minItems": 1,
                    "description": "Registries the components' ImageRef accepts images from: globs over the "
                    "registry host, or host/repository when the pattern contains '/' (default: "
                    + ", ".join(images.DEFAULT_REGISTRIES)
                    + ").",
                },
                **{
                    f"{NAMESPACE}:{key}": {
                        "type": ["integer", "string"],
                        "pattern": r"^[0-9]+$",
                        "minimum": 0,
                        "default": default,
                        "description": contract.STACK_CONFIG_KEYS[key],
                    }
                    for key, (default, _) in gpu.CEILINGS.items()
                },
            },
            "required": [f"{NAMESPACE}:cloud"],
            "oneOf": variants,
            "additionalProperties": True,  # provider keys (aws:region, gcp:project, ...) and other namespaces
        }
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "aiwarden stack file (stacks/Pulumi.<stack>.yaml)",
            "type": "object",
            "properties": {"config": config},
            "required": ["config"],
            "$defs": defs,
        }
        text = json.dumps(document, indent=2) + "\n"
        # Parametrized grants get pydantic's long internal names; name each definition after its title instead
        # (`Grant[PrincipalArn, Literal['read', 'write']]` -> `Grant_PrincipalArn_Literal_read_write`).
        for name, definition in sorted(defs.items()):
            readable = re.sub(r"[^A-Za-z0-9]+", "_", str(definition.get("title", name))).strip("_")
            if readable != name and readable not in defs:
                text = text.replace(f'"{name}"', f'"{readable}"').replace(
                    f'/$defs/{name}"', f'/$defs/{readable}"'
                )
        return text

    out: dict[Path, Callable[[], str]] = {
        taggable.OUT: taggable.render,
        ROOT / "docs" / "policies.md": policy_docs.render_policies,
        ROOT / "docs" / "control-matrix.md": policy_docs.render_matrix,
        ROOT / "docs" / "schema" / "stack-config.schema.json": schema,
        api_table.OUT: api_table.render_table,
        ROOT / "docs" / "api-models.md": api_table.render_doc,
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
