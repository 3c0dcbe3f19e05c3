"""A Pulumi project on disk: ``Pulumi.yaml`` and the stack configuration files.

Config is resolved as the CLI resolves it: keys without a namespace belong to the project,
project-level ``config:`` defaults apply when the stack does not set a key, non-string values
are passed to the program as JSON, ``secure:`` values become secrets (offline, a placeholder:
there is no passphrase or secrets provider here).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aiwarden.errors import AiwardenError

SECRET_PLACEHOLDER = "[secret: not decrypted offline]"


@dataclass
class Project:
    directory: Path
    name: str
    main: str
    stack_config_dir: Path
    defaults: dict[str, Any] = field(default_factory=dict)

    def stack_files(self) -> dict[str, Path]:
        return {
            p.name[len("Pulumi.") : -len(".yaml")]: p
            for p in sorted(self.stack_config_dir.glob("Pulumi.*.yaml"))
            if p.name.count(".") == 2
        }


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise AiwardenError(
            f"{path}: malformed YAML ({str(exc).splitlines()[0]}); fix the file's syntax"
        ) from exc


def load_project(directory: Path) -> Project:
    directory = directory.resolve()
    if not directory.is_dir():
        raise AiwardenError(f"{directory} is not a directory; pass the folder that holds Pulumi.yaml")
    path = directory / "Pulumi.yaml"
    if not path.exists():
        path = directory / "Pulumi.yml"
    if not path.exists():
        raise AiwardenError(f"no Pulumi.yaml in {directory}; pass the folder of a Pulumi project")
    data = _load_yaml(path)
    if not isinstance(data, dict) or not data.get("name"):
        raise AiwardenError(f"{path}: a Pulumi project needs a `name`; add `name: <project>`")
    runtime = data.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise AiwardenError(
            f"{path}: runtime is {runtime_name!r}; aiwarden runs Python programs (`runtime: python`)"
        )
    main = str(data.get("main") or "__main__.py")
    if (directory / main).is_dir():
        main = str(Path(main) / "__main__.py")
    if not (directory / main).exists():
        raise AiwardenError(
            f"{directory / main} does not exist; add the program or set `main:` in Pulumi.yaml"
        )
    config_dir = directory / str(data.get("stackConfigDir") or ".")
    defaults: dict[str, Any] = {}
    for key, spec in (data.get("config") or {}).items():
        if isinstance(spec, dict) and "default" in spec:
            defaults[key] = spec["default"]
        elif not isinstance(spec, dict):
            defaults[key] = spec
    return Project(
        directory=directory, name=str(data["name"]), main=main, stack_config_dir=config_dir, defaults=defaults
    )


def choose_stack(project: Project, stack: str | None) -> str:
    files = project.stack_files()
    if stack is not None:
        if stack not in files:
            known = ", ".join(files) or "none"
            raise AiwardenError(
                f"unknown stack {stack!r}: no {project.stack_config_dir / f'Pulumi.{stack}.yaml'} "
                f"(stacks: {known})"
            )
        return stack
    if len(files) == 1:
        return next(iter(files))
    if not files:
        raise AiwardenError(
            f"no stack file Pulumi.<stack>.yaml in {project.stack_config_dir}; create one or pass --stack"
        )
    raise AiwardenError(f"several stacks ({', '.join(files)}); choose one with --stack")


def _full_key(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _as_config_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def _contains_secure(value: Any) -> bool:
    if isinstance(value, dict):
        return set(value) == {"secure"} or any(_contains_secure(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_secure(v) for v in value)
    return False


def _strip_secure(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_PLACEHOLDER
        return {k: _strip_secure(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_secure(v) for v in value]
    return value


@dataclass
class StackConfig:
    name: str
    config: dict[str, str]
    secret_keys: list[str]


def load_stack_config(project: Project, stack: str, overrides: list[str] | None = None) -> StackConfig:
    path = project.stack_files()[stack]
    data = _load_yaml(path) or {}
    if not isinstance(data, dict):
        raise AiwardenError(f"{path}: expected a mapping with a `config:` key")
    raw = data.get("config") or {}
    if not isinstance(raw, dict):
        raise AiwardenError(f"{path}: `config` must be a mapping of keys to values")
    merged: dict[str, Any] = {_full_key(project.name, k): v for k, v in project.defaults.items()}
    merged.update({_full_key(project.name, str(k)): v for k, v in raw.items()})
    for item in overrides or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise AiwardenError(f"--config {item!r}: expected KEY=VALUE, e.g. --config aws:region=us-east-1")
        merged[_full_key(project.name, key)] = value
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in merged.items():
        if _contains_secure(value):
            secret_keys.append(key)
        config[key] = _as_config_string(_strip_secure(value))
    return StackConfig(name=stack, config=config, secret_keys=sorted(secret_keys))
