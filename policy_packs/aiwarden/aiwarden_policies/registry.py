"""Collect every policy of the pack: each module under ``policies/`` defines policy objects."""

from __future__ import annotations

import importlib
import pkgutil

from pulumi_policy import Policy

from aiwarden_policies import policies as _root
from aiwarden_policies.framework import AiwardenResourcePolicy, AiwardenStackPolicy


def all_policies() -> list[AiwardenResourcePolicy | AiwardenStackPolicy]:
    found: dict[str, AiwardenResourcePolicy | AiwardenStackPolicy] = {}
    for info in pkgutil.walk_packages(_root.__path__, _root.__name__ + "."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, AiwardenResourcePolicy | AiwardenStackPolicy):
                other = found.get(value.name)
                if other is not None and other is not value:
                    raise ValueError(f"two policies are named {value.name}")
                found[value.name] = value
    return [found[name] for name in sorted(found)]


def as_pulumi_policies() -> list[Policy]:
    return list(all_policies())
