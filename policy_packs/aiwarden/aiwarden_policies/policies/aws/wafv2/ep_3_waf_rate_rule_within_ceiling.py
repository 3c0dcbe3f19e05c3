"""EP-3: WAF rate-based rules limit no higher than the configured request-rate ceiling."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.rate_limits import CEILING_CONFIG, Ceiling, number
from aiwarden_policies.lib.waf import WEB_ACL, WEB_ACL_RULE, rate_rules

SPEC = Spec(
    control="EP-3",
    name="ep-3-waf-rate-rule-within-ceiling",
    description=(
        "Rate-based rules of WAFv2 web ACLs (`rules[].statement.rateBasedStatement`, `ruleJson`, `WebAclRule`) "
        "allow at most `maxRateLimit` requests/s: `limit` ≤ maxRateLimit × `evaluationWindowSec` (default 300 s)."
    ),
    remediation_steps=(
        "Lower the rule's `limit` to maxRateLimit × window seconds (e.g. 30,000 per 300 s for 100 requests/s), "
        "or raise the pack's `maxRateLimit` for this stack with a documented capacity decision."
    ),
    resource_types=(WEB_ACL, WEB_ACL_RULE),
    config=CEILING_CONFIG,
)


@resource_policy(SPEC)
def ep_3_waf_rate_rule_within_ceiling(r: Resource) -> Iterable[str]:
    ceiling = Ceiling.of(r.config)
    for rule in rate_rules(r.type, r.name, r.props):
        allowed = ceiling.rate * rule.window
        if rule.limit > allowed:
            yield (
                f"WAF {r.type.rsplit(':', 1)[-1]} {r.name!r}: rate-based rule {rule.name!r} limit is "
                f"{number(rule.limit)} per {number(rule.window)} s ({number(round(rule.per_second, 1))} "
                f"requests/s); it must be at most {number(allowed)} per {number(rule.window)} s "
                f"(maxRateLimit {number(ceiling.rate)} requests/s)."
            )
