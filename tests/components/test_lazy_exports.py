"""The component packages import a component's module on first use, and export every declared name."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

PACKAGES = ("components.aws", "components.gcp", "components.k8s")


@pytest.mark.parametrize("package", PACKAGES)
def test_every_export_resolves_to_its_module(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__all__ == sorted(module.__all__) and module.__all__
    assert dir(module) == module.__all__
    for name in module.__all__:
        value = getattr(module, name)
        assert value.__module__.startswith(package + "."), (name, value.__module__)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'LockedBuckett'"):
        importlib.import_module("components.aws").LockedBuckett  # noqa: B018


def test_importing_one_component_leaves_the_others_unloaded() -> None:
    code = (
        "import sys\n"
        "from components.aws import LockedBucket\n"
        "print(sorted(m for m in sys.modules if m.startswith('components.aws.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(eval(out))
    assert "components.aws.locked_bucket" in loaded
    assert not loaded & {
        "components.aws.audit_trail",
        "components.aws.vector_store",
        "components.aws.spend_guard",
    }
