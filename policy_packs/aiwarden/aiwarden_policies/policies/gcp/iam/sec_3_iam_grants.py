"""GCP IAM member / binding / policy resources read as (role, members, condition) grants (SEC-3 helper).

``*IamMember`` / ``IAMMember`` resources carry ``role``, ``member`` and ``condition``; ``*IamBinding``
/ ``IAMBinding`` carry ``role``, ``members`` and ``condition``; ``*IamPolicy`` / ``IAMPolicy`` carry a
``policyData`` JSON document with ``bindings[].{role, members, condition}``. A policyData that is not
JSON yields no grant (the provider rejects it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from aiwarden_policies.framework import Resource


@dataclass(frozen=True)
class Grant:
    role: str
    members: tuple[str, ...]
    condition: Any = None


def _members(value: Any) -> tuple[str, ...]:
    return tuple(str(m) for m in value or [])


def grants(r: Resource) -> Iterator[Grant]:
    kind = r.type.rsplit(":", 1)[1].lower()
    if kind.endswith("iammember"):
        yield Grant(str(r.get("role") or ""), (str(r.get("member") or ""),), r.get("condition"))
    elif kind.endswith("iambinding"):
        yield Grant(str(r.get("role") or ""), _members(r.get("members")), r.get("condition"))
    elif kind.endswith("iampolicy"):
        data: Any = r.get("policyData")
        try:
            policy = json.loads(data) if isinstance(data, str) else data
        except json.JSONDecodeError:
            return
        bindings = policy.get("bindings") if isinstance(policy, Mapping) else None
        for b in bindings or []:
            if isinstance(b, Mapping):
                yield Grant(str(b.get("role") or ""), _members(b.get("members")), b.get("condition"))
