"""WAFv2 rate-based rules (EP-3), from a web ACL's ``rules`` / ``ruleJson`` or a ``WebAclRule``.

``rules`` arrive engine-shaped (``rateBasedStatement.limit``); ``ruleJson`` is the AWS API shape
(``RateBasedStatement.Limit``). A rate-based statement is always the top-level statement of a rule.
The limit counts requests per evaluation window (default 300 s) per aggregation key (default: IP).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WEB_ACL_RULE = "aws:wafv2/webAclRule:WebAclRule"
DEFAULT_WINDOW_SECONDS = 300.0
#: Rule actions that stop (or challenge) requests over the limit; ``count`` only observes.
LIMITING_ACTIONS = frozenset({"block", "captcha", "challenge"})


@dataclass(frozen=True)
class RateRule:
    name: str
    limit: float
    window: float
    action: str  # block | captcha | challenge | count | allow | "" (none)

    @property
    def limits(self) -> bool:
        return self.action in LIMITING_ACTIONS

    @property
    def per_second(self) -> float:
        return self.limit / self.window


def _field(m: Any, name: str) -> Any:
    """``name`` in the engine shape (camelCase) or the AWS API shape (PascalCase)."""
    if not isinstance(m, Mapping):
        return None
    value = m.get(name)
    return value if value is not None else m.get(name[:1].upper() + name[1:])


def _rule(rule: Any, default_name: str) -> RateRule | None:
    statement = _field(_field(rule, "statement"), "rateBasedStatement")
    if not isinstance(statement, Mapping) or _field(statement, "limit") is None:
        return None
    action = _field(rule, "action")
    kind = next((str(k).lower() for k in action), "") if isinstance(action, Mapping) else ""
    return RateRule(
        name=str(_field(rule, "name") or default_name),
        limit=float(_field(statement, "limit")),
        window=float(_field(statement, "evaluationWindowSec") or DEFAULT_WINDOW_SECONDS),
        action=kind,
    )


def rate_rules(type_: str, name: str, props: Mapping[str, Any]) -> Iterator[RateRule]:
    """The rate-based rules declared by a ``WebAcl`` (``rules`` and ``ruleJson``) or a ``WebAclRule``."""
    if type_ == WEB_ACL_RULE:
        candidates: list[Any] = [props]
    else:
        candidates = list(props.get("rules") or [])
        raw = props.get("ruleJson")
        if raw:
            try:
                parsed = json.loads(str(raw))
            except json.JSONDecodeError:
                parsed = []
            candidates.extend(parsed if isinstance(parsed, list) else [])
    for rule in candidates:
        found = _rule(rule, name)
        if found is not None:
            yield found
