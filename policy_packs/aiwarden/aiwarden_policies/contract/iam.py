"""AWS IAM / resource policy documents, as policies read them.

A document arrives as a JSON string (``policy`` inputs) or an already-parsed mapping. Values
may be a string or a list; everything is normalised to lists here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aiwarden_policies.contract.values import strings


@dataclass(frozen=True)
class Statement:
    effect: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_resources: tuple[str, ...]
    principals: tuple[str, ...]  # "*" for a wildcard principal, else "<type>:<identifier>"
    conditions: Mapping[str, Mapping[str, Any]]
    sid: str = ""

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def wildcard_principal(self) -> bool:
        return any(p == "*" or p.endswith(":*") for p in self.principals)

    def grants(self, action: str) -> bool:
        """True when the statement's actions cover ``action`` (``service:*`` and ``*`` included)."""
        service = action.split(":", 1)[0].lower()
        for a in self.actions:
            a = a.lower()
            if a in ("*", f"{service}:*", action.lower()):
                return True
            if a.endswith("*") and action.lower().startswith(a[:-1]):
                return True
        return bool(self.not_actions)  # NotAction with Allow grants everything else

    @property
    def wildcard_action(self) -> bool:
        return any(a == "*" or a.endswith(":*") for a in self.actions) or (
            self.allows and bool(self.not_actions)
        )

    @property
    def action_text(self) -> str:
        """The actions for a message: ``s3:GetObject, s3:PutObject``, or ``NotAction iam:*``."""
        return ", ".join(self.actions) if self.actions else "NotAction " + ", ".join(self.not_actions)

    @property
    def wildcard_resource(self) -> bool:
        """``*`` as resource, or an Allow with ``NotResource`` (everything but the listed ones)."""
        return "*" in self.resources or (self.allows and bool(self.not_resources))


def _principals(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if value == "*":
        return ("*",)
    out: list[str] = []
    if isinstance(value, Mapping):
        for kind, ids in value.items():
            for ident in strings(ids):
                out.append("*" if ident == "*" and kind == "AWS" else f"{kind}:{ident}")
    return tuple(out)


def parse(document: Any) -> dict[str, Any] | None:
    """The document as a mapping, or None when it is not a policy document."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError:
            return None
    return dict(document) if isinstance(document, Mapping) else None


def statements(document: Any) -> list[Statement]:
    doc = parse(document)
    if doc is None:
        return []
    raw = doc.get("Statement") or []
    if isinstance(raw, Mapping):
        raw = [raw]
    out = []
    for st in raw:
        if not isinstance(st, Mapping):
            continue
        out.append(
            Statement(
                effect=str(st.get("Effect", "")),
                actions=tuple(strings(st.get("Action"))),
                not_actions=tuple(strings(st.get("NotAction"))),
                resources=tuple(strings(st.get("Resource"))),
                not_resources=tuple(strings(st.get("NotResource"))),
                principals=_principals(st.get("Principal")),
                conditions=st.get("Condition") or {},
                sid=str(st.get("Sid") or ""),
            )
        )
    return out


def allow_statements(document: Any) -> Iterable[Statement]:
    return (s for s in statements(document) if s.allows)


def denies_insecure_transport(document: Any) -> bool:
    """A Deny of every principal when ``aws:SecureTransport`` is false (the TLS-only bucket policy)."""
    for s in statements(document):
        if s.effect != "Deny" or not s.wildcard_principal:
            continue
        for test, variables in s.conditions.items():
            if test.lower().startswith("bool") and isinstance(variables, Mapping):
                value = variables.get("aws:SecureTransport")
                if str(value[0] if isinstance(value, list) else value).lower() == "false":
                    return True
    return False


def restricting_condition(s: Statement) -> bool:
    """Whether a wildcard-principal statement is narrowed by a source/account condition."""
    keys = {
        k.lower() for variables in s.conditions.values() if isinstance(variables, Mapping) for k in variables
    }
    narrowing = {
        "aws:sourcevpce",
        "aws:sourcevpc",
        "aws:principalorgid",
        "aws:principalaccount",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:principalarn",
        "aws:sourceip",
        "aws:userid",
    }
    return bool(keys & narrowing)
