"""Package exports imported on first use (PEP 562).

``from components.aws import LockedBucket`` then imports the LockedBucket module only, not every
other component and the provider modules they use (CloudTrail, OpenSearch, RDS, Budgets...): a
program pays for the components it declares. The exports are the package's
``if TYPE_CHECKING:`` imports — the one list, read by type checkers as it is and here with ``ast``.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _type_checking_imports(source: str) -> dict[str, str]:
    where: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    where.update({alias.asname or alias.name: statement.module for alias in statement.names})
    return where


def lazy_exports(package: str) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package`` from its ``TYPE_CHECKING`` imports."""
    init = sys.modules[package].__file__
    assert init is not None
    where = _type_checking_imports(Path(init).read_text(encoding="utf-8"))

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(where)

    return __getattr__, __dir__, sorted(where)
