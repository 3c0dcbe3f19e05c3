"""A Pulumi project on disk: ``Pulumi.yaml`` and the stack configuration files.

Config is resolved as the CLI resolves it: keys without a namespace belong to the project,
project-level ``config:`` defaults apply when the stack does not set a key, non-string values
are passed to the program as JSON, ``secure:`` values become secrets (offline, a placeholder:
there is no passphrase or secrets provider here).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aiwarden.errors import AiwardenError
from aiwarden_policies import contract
from aiwarden_policies.contract import gpu, images, vocabulary

SECRET_PLACEHOLDER = "[secret: not decrypted offline]"


@dataclass
class Project:
    directory: Path
    name: str
    main: str
    stack_config_dir: Path
    defaults: dict[str, Any] = field(default_factory=dict)
    #: Config keys the project declares in ``Pulumi.yaml`` (``config:``), bare.
    declared: tuple[str, ...] = ()

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
        directory=directory,
        name=str(data["name"]),
        main=main,
        stack_config_dir=config_dir,
        defaults=defaults,
        declared=tuple(str(k) for k in (data.get("config") or {})),
    )


DEFAULT_STACK = "dev"
#: A stack name as ``pulumi stack select`` takes it: ``stack``, ``org/stack`` or ``org/project/stack``.
_STACK_NAME = re.compile(r"([A-Za-z0-9_.-]+/){0,2}[A-Za-z0-9_.-]+")


@dataclass
class StackChoice:
    name: str
    #: Why this stack, when the user did not name it (shown with the report).
    note: str = ""


def choose_stack(project: Project, stack: str | None) -> StackChoice:
    """The stack to run, as Pulumi has them: a stack needs no ``Pulumi.<stack>.yaml`` (a stack without
    config has none). Without ``--stack``: the only stack file, else ``dev`` when there is none."""
    files = project.stack_files()
    if stack is not None:
        if not _STACK_NAME.fullmatch(stack):
            raise AiwardenError(
                f"--stack {stack!r} is not a stack name: use letters, digits, '-', '_' or '.' "
                "(optionally org/project/stack)"
            )
        name = stack.rsplit("/", 1)[-1]
        note = (
            "" if name in files else f"no {_relative(project, name)}: stack {name!r} runs with empty config"
        )
        return StackChoice(name, note)
    if len(files) == 1:
        return StackChoice(next(iter(files)))
    if not files:
        return StackChoice(
            DEFAULT_STACK,
            f"no stack file Pulumi.<stack>.yaml in {project.stack_config_dir}: checking stack "
            f"{DEFAULT_STACK!r} with empty config (choose another with --stack)",
        )
    raise AiwardenError(f"several stacks ({', '.join(files)}); choose one with --stack")


def _relative(project: Project, stack: str) -> str:
    path = project.stack_config_dir / f"Pulumi.{stack}.yaml"
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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


def aiwarden_keys(project: Project) -> dict[str, str]:
    """The valid keys of the ``aiwarden:`` namespace: what the pack reads, plus what the project declares
    when the project is itself named ``aiwarden`` (its bare keys live in that namespace)."""
    keys = dict(contract.STACK_CONFIG_KEYS)
    if project.name == contract.STACK_CONFIG_NAMESPACE:
        keys.update({k: "declared in Pulumi.yaml" for k in project.declared if ":" not in k})
    return keys


def _check_namespace(project: Project, config: dict[str, Any], source: str) -> None:
    """An unknown ``aiwarden:`` key is a typo that silently drops a setting: refuse it, naming the closest
    valid key."""
    prefix = contract.STACK_CONFIG_NAMESPACE + ":"
    valid = aiwarden_keys(project)
    for key in config:
        if not key.startswith(prefix):
            continue
        bare = key[len(prefix) :]
        if bare not in valid:
            close = difflib.get_close_matches(bare, list(valid), n=1)
            hint = f"did you mean {prefix}{close[0]}?" if close else f"valid keys: {', '.join(sorted(valid))}"
            raise AiwardenError(f"{source}: unknown config key {key!r}; {hint}")


def _check_values(config: dict[str, str], sources: dict[str, str]) -> None:
    """The values the pack and the components read: ``aiwarden:vocabulary`` well formed, ``aiwarden:environment``
    one of its environments (or aliases), ``aiwarden:approvedRegistries`` a list of registry patterns, the GPU
    ceilings (``aiwarden:maxGpuNodesPerPool``, ``aiwarden:maxGpusPerNamespace``) whole numbers."""
    prefix = contract.STACK_CONFIG_NAMESPACE + ":"
    try:
        words = vocabulary.parse(config.get(f"{prefix}vocabulary"))
    except vocabulary.VocabularyError as exc:
        where = sources.get(f"{prefix}vocabulary", "config")
        raise AiwardenError(f"{where}: {exc.under(prefix + 'vocabulary')}") from None
    try:
        images.parse_registries(config.get(f"{prefix}{images.APPROVED}"))
    except images.RegistriesError as exc:
        where = sources.get(f"{prefix}{images.APPROVED}", "config")
        raise AiwardenError(f"{where}: {exc.under(prefix + images.APPROVED)}") from None
    for key in gpu.CEILINGS:
        try:
            gpu.parse_ceiling(key, config.get(f"{prefix}{key}"))
        except gpu.CeilingError as exc:
            where = sources.get(f"{prefix}{key}", "config")
            raise AiwardenError(f"{where}: {prefix}{key}: {exc}") from None
    environment = config.get(f"{prefix}environment")
    if environment is not None and words.canonical_environment(environment) is None:
        where = sources.get(f"{prefix}environment", "config")
        raise AiwardenError(
            f"{where}: {prefix}environment is {environment!r}; use one of {words.allowed_environments()}"
        )


@dataclass
class StackConfig:
    name: str
    config: dict[str, str]
    secret_keys: list[str]


def load_stack_config(project: Project, stack: str, overrides: list[str] | None = None) -> StackConfig:
    path = project.stack_files().get(stack)
    data = (_load_yaml(path) or {}) if path is not None else {}
    if not isinstance(data, dict):
        raise AiwardenError(f"{path}: expected a mapping with a `config:` key")
    raw = data.get("config") or {}
    if not isinstance(raw, dict):
        raise AiwardenError(f"{path}: `config` must be a mapping of keys to values")
    merged: dict[str, Any] = {_full_key(project.name, k): v for k, v in project.defaults.items()}
    from_file = {_full_key(project.name, str(k)): v for k, v in raw.items()}
    _check_namespace(project, from_file, str(path) if path is not None else "")
    merged.update(from_file)
    from_flags: dict[str, Any] = {}
    for item in overrides or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise AiwardenError(f"--config {item!r}: expected KEY=VALUE, e.g. --config aws:region=us-east-1")
        from_flags[_full_key(project.name, key)] = value
    _check_namespace(project, from_flags, "--config")
    merged.update(from_flags)
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in merged.items():
        if _contains_secure(value):
            secret_keys.append(key)
        config[key] = _as_config_string(_strip_secure(value))
    sources = {key: str(path) for key in from_file} | {key: "--config" for key in from_flags}
    _check_values(config, sources)
    return StackConfig(name=stack, config=config, secret_keys=sorted(secret_keys))
