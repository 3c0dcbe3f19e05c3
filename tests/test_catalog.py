"""The pack and the control catalog agree: every control enforced, every policy traceable."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from aiwarden.findings import PolicyMeta
from aiwarden.gate import list_policies
from aiwarden.gate.engine import default_pack_dir
from aiwarden.gate.pack_process import load_manifest
from aiwarden.generate import all as generate
from aiwarden.generate.policy_docs import POLICIES_DIR, source_file
from aiwarden_policies.contract.catalog import CATALOG_PATH, controls

SHARED = Path(__file__).resolve().parents[2] / "shared" / "controls.yaml"
NAME = re.compile(r"^[a-z][a-z0-9]*-\d+-[a-z0-9]+(-[a-z0-9]+)*$")


#: Stack policies that check stack outputs, not a service's resources: the only ones under ``policies/stack/``.
STACK_OUTPUT_POLICIES = {"inv-2-inventory-output", "ir-1-incident-response-output"}


@pytest.fixture(scope="module")
def policies() -> list[PolicyMeta]:
    """The pack's policies as the engine learns them (GetAnalyzerInfo), not by importing the pack."""
    return list_policies(load_manifest(default_pack_dir()), "production")


def test_every_policy_names_a_catalog_control_and_follows_the_naming_rule(policies: list[PolicyMeta]) -> None:
    catalog = controls()
    for policy in policies:
        assert policy.control in catalog, policy.name
        assert NAME.match(policy.name), policy.name
        assert policy.name.startswith(policy.control.lower() + "-"), policy.name
        assert policy.framework["reference"] == policy.control
        assert policy.remediation_steps and policy.url.endswith(f"#{policy.name}")


def test_every_policy_file_is_named_after_its_policy(policies: list[PolicyMeta]) -> None:
    files = {p.stem for p in POLICIES_DIR.rglob("*.py") if p.name != "__init__.py"}
    assert files == {p.name.replace("-", "_") for p in policies}
    for policy in policies:
        path = source_file(policy.name)
        assert path is not None, policy.name
        in_stack = path.parent.name == "stack"
        assert in_stack == (policy.name in STACK_OUTPUT_POLICIES), f"{policy.name} lives in {path.parent}"


def test_every_catalog_control_is_enforced_by_at_least_one_policy(policies: list[PolicyMeta]) -> None:
    enforced = {p.control for p in policies}
    missing = sorted(set(controls()) - enforced)
    assert missing == [], f"controls without a policy: {missing}"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/controls.yaml is not beside this checkout")
def test_pack_catalog_is_the_shared_catalog() -> None:
    assert CATALOG_PATH.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8")


def test_generated_docs_are_up_to_date() -> None:
    os.environ.setdefault("PULUMI_CONFIG", "{}")
    assert generate.main(["--check"]) == 0, "run `make docs` and commit the result"
