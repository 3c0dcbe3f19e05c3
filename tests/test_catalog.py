"""The pack and the control catalog agree: every control enforced, every policy traceable."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from aiwarden.generate import all as generate
from aiwarden_policies.catalog import CATALOG_PATH, controls
from aiwarden_policies.registry import all_policies

SHARED = Path(__file__).resolve().parents[2] / "shared" / "controls.yaml"
NAME = re.compile(r"^[a-z][a-z0-9]*-\d+-[a-z0-9]+(-[a-z0-9]+)*$")


def test_every_policy_names_a_catalog_control_and_follows_the_naming_rule() -> None:
    catalog = controls()
    for policy in all_policies():
        assert policy.spec.control in catalog, policy.name
        assert NAME.match(policy.name), policy.name
        assert policy.name.startswith(policy.spec.control.lower() + "-"), policy.name
        assert policy.framework is not None and policy.framework.reference == policy.spec.control
        assert policy.remediation_steps and policy.url.endswith(f"#{policy.name}")


def test_every_catalog_control_is_enforced_by_at_least_one_policy() -> None:
    enforced = {p.spec.control for p in all_policies()}
    missing = sorted(set(controls()) - enforced)
    assert missing == [], f"controls without a policy: {missing}"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/controls.yaml is not beside this checkout")
def test_pack_catalog_is_the_shared_catalog() -> None:
    assert CATALOG_PATH.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8")


def test_generated_docs_are_up_to_date() -> None:
    os.environ.setdefault("PULUMI_CONFIG", "{}")
    assert generate.main(["--check"]) == 0, "run `make docs` and commit the result"
