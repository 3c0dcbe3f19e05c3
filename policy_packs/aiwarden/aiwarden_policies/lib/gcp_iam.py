"""GCP IAM member / binding / policy resources read as grants: a role, its members, its condition.

``*IamMember`` / ``IAMMember`` resources carry ``role``, ``member`` and ``condition``; ``*IamBinding``
/ ``IAMBinding`` carry ``role``, ``members`` and ``condition``; ``*IamPolicy`` / ``IAMPolicy`` carry a
``policyData`` JSON document with ``bindings[].{role, members, condition}``. A policyData that is not
JSON yields no grant (the provider rejects it). Members and condition are read when asked for, so a
check that filters on the role first does not stop at preview on a member that is still unknown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any


class Grant:
    """One role granted by an IAM resource; ``prop`` is the resource property that holds the members."""

    def __init__(self, source: Mapping[str, Any], prop: str, members_key: str) -> None:
        self._source = source
        self._members_key = members_key
        self.prop = prop
        self.role = str(source.get("role") or "")

    @property
    def members(self) -> tuple[str, ...]:
        value = self._source.get(self._members_key)
        if self._members_key == "member":
            return (str(value or ""),)
        return tuple(str(m) for m in value or [])

    @property
    def condition(self) -> Any:
        return self._source.get("condition")


def grants(type_: str, props: Mapping[str, Any]) -> Iterator[Grant]:
    """The grants of a GCP IAM member, binding or policy resource (none for other types)."""
    kind = type_.rsplit(":", 1)[-1].lower()
    if kind.endswith("iammember"):
        yield Grant(props, "member", "member")
    elif kind.endswith("iambinding"):
        yield Grant(props, "members", "members")
    elif kind.endswith("iampolicy"):
        data: Any = props.get("policyData")
        try:
            policy = json.loads(data) if isinstance(data, str) else data
        except json.JSONDecodeError:
            return
        bindings = policy.get("bindings") if isinstance(policy, Mapping) else None
        for binding in bindings or []:
            if isinstance(binding, Mapping):
                yield Grant(binding, "policyData", "members")
