"""EP-3: every REST API has a request rate and burst limit within the configured ceiling.

Stack policy. A REST API is limited when one of these applies to it (related through property
dependencies): a ``MethodSettings`` for all methods (``methodPath`` ``*/*``) whose
``throttlingRateLimit`` and ``throttlingBurstLimit`` are within the ceiling; a ``UsagePlan`` listing
it in ``apiStages`` whose ``throttleSettings`` are within the ceiling (usage plans throttle requests
that carry an API key); or a WAF web ACL associated with one of its stages with a blocking rate-based
rule within the ceiling. None of them means API Gateway's account-level default (10,000 requests/s).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, reading, stack_policy
from aiwarden_policies.lib.rate_limits import CEILING_CONFIG, Ceiling, number
from aiwarden_policies.lib.relations import dependencies, referenced
from aiwarden_policies.lib.waf import WEB_ACL, WEB_ACL_RULE, rate_rules

REST_API = "aws:apigateway/restApi:RestApi"
STAGE = "aws:apigateway/stage:Stage"
METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"
USAGE_PLAN = "aws:apigateway/usagePlan:UsagePlan"
WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"
ALL_METHODS = "*/*"

SPEC = Spec(
    control="EP-3",
    name="ep-3-rest-api-rate-limited",
    description=(
        "Every API Gateway REST API is throttled within the configured ceiling (`maxRateLimit` requests/s, "
        "`maxBurstLimit`) by stage-wide MethodSettings (`*/*`), a UsagePlan's throttleSettings, or an associated "
        "WAF rate-based rule; none means the account default of 10,000 requests/s."
    ),
    remediation_steps=(
        'Add `aws.apigateway.MethodSettings(rest_api=api.id, stage_name=stage.stage_name, method_path="*/*", '
        "settings={throttling_rate_limit: ..., throttling_burst_limit: ...})` within the ceiling, or a usage plan "
        "with `throttle_settings`, or associate a WAFv2 web ACL with a blocking rate-based rule to the stage."
    ),
    resource_types=(REST_API, STAGE, METHOD_SETTINGS, USAGE_PLAN, WEB_ACL_ASSOCIATION, WEB_ACL, WEB_ACL_RULE),
    config=CEILING_CONFIG,
)


def _method_settings(s: Stack, api: Any, ceiling: Ceiling) -> bool:
    def limits(ms: Any) -> bool:
        if not referenced(ms, "restApi", [api]) or ms.props.get("methodPath") != ALL_METHODS:
            return False
        settings = ms.props.get("settings") or {}
        return ceiling.within(settings.get("throttlingRateLimit"), settings.get("throttlingBurstLimit"))

    return Readings(s.of_type(METHOD_SETTINGS), limits).any()


def _usage_plan(s: Stack, api: Any, ceiling: Ceiling) -> bool:
    def limits(plan: Any) -> bool:
        if not referenced(plan, "apiStages", [api]):
            return False
        throttle = plan.props.get("throttleSettings") or {}
        return ceiling.within(throttle.get("rateLimit"), throttle.get("burstLimit"))

    return Readings(s.of_type(USAGE_PLAN), limits).any()


def _waf(s: Stack, api: Any, ceiling: Ceiling) -> bool:
    stages = Readings(s.of_type(STAGE), lambda st: bool(referenced(st, "restApi", [api])))
    mine = [st for st, of_api in stages.known if of_api]
    rules = s.of_type(WEB_ACL_RULE)

    def limits(assoc: Any) -> bool:
        if not referenced(assoc, "resourceArn", mine):
            return False
        for acl in dependencies(assoc, "webAclArn", WEB_ACL):
            with reading(acl):
                found = list(rate_rules(WEB_ACL, acl.name, acl.props))
            for rule in rules:
                with reading(rule):
                    if referenced(rule, "webAclArn", [acl]):
                        found += rate_rules(WEB_ACL_RULE, rule.name, rule.props)
            if any(rule.limits and rule.per_second <= ceiling.rate for rule in found):
                return True
        return False

    if mine and Readings(s.of_type(WEB_ACL_ASSOCIATION), limits).any():
        return True
    stages.require()  # a stage unknown at preview may be the API's, behind a WAF
    return False


@stack_policy(SPEC)
def ep_3_rest_api_rate_limited(s: Stack) -> Iterable[tuple[str, str | None]]:
    ceiling = Ceiling.of(s.config)

    def decide(api: Any) -> Iterator[str]:
        # Any one throttle within the ceiling decides; one that is unknown at preview decides only if none is.
        throttles = Readings(
            (_method_settings, _usage_plan, _waf),
            lambda throttled: throttled(s, api, ceiling),
            of=lambda _: api,
        )
        if throttles.any():
            return
        yield (
            f"REST API {api.name!r}: no throttle within the ceiling ({number(ceiling.rate)} requests/s, burst "
            f"{number(ceiling.burst)}) applies to it — no MethodSettings for {ALL_METHODS} with "
            "throttlingRateLimit/throttlingBurstLimit, no UsagePlan throttleSettings and no associated WAF "
            "rate-based rule within it (API Gateway default: account-level 10,000 requests/s, 5,000 burst)."
        )

    yield from s.each(s.of_type(REST_API), decide)
