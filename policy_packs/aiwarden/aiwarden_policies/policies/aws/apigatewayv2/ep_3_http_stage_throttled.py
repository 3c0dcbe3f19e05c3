"""EP-3: HTTP/WebSocket API stages throttle every route within the configured ceiling.

v2 APIs cannot be associated with WAF and have no usage plans: the stage's route settings are the
only rate limit, so ``defaultRouteSettings`` must set both limits and per-route overrides stay within.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.rate_limits import CEILING_CONFIG, Ceiling

STAGE = "aws:apigatewayv2/stage:Stage"
LIMITS = (("rate", "throttlingRateLimit"), ("burst", "throttlingBurstLimit"))

SPEC = Spec(
    control="EP-3",
    name="ep-3-http-stage-throttled",
    description=(
        "API Gateway v2 stages set `defaultRouteSettings.throttlingRateLimit` and `throttlingBurstLimit` within the "
        "configured `maxRateLimit` / `maxBurstLimit` (absent means the account default, 10,000 requests/s and "
        "5,000 burst), and no `routeSettings[]` override exceeds them."
    ),
    remediation_steps=(
        "Set `default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(throttling_rate_limit=..., "
        "throttling_burst_limit=...)` within the ceiling on the stage (an in-place update)."
    ),
    resource_types=(STAGE,),
    config=CEILING_CONFIG,
)


@resource_policy(SPEC)
def ep_3_http_stage_throttled(r: Resource) -> Iterable[str]:
    ceiling = Ceiling.of(r.config)
    problems = [
        ceiling.problem(kind, f"defaultRouteSettings.{key}", r.get(f"defaultRouteSettings.{key}"), True)
        for kind, key in LIMITS
    ]
    for route in r.get("routeSettings") or []:
        where = f"routeSettings[{route.get('routeKey')}]"
        problems += [ceiling.problem(kind, f"{where}.{key}", route.get(key), False) for kind, key in LIMITS]
    for problem in problems:
        if problem:
            yield f"API Gateway v2 stage {r.name!r}: {problem}."
