"""EP-3: REST API throttle settings (stage/method settings, usage plans) stay within the configured ceiling.

Only values that are set are compared here (a setting of -1 disables throttling and is reported);
whether each REST API has any throttle at all is ``ep-3-rest-api-rate-limited`` (stack policy).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.rate_limits import CEILING_CONFIG, Ceiling

METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"
USAGE_PLAN = "aws:apigateway/usagePlan:UsagePlan"

SPEC = Spec(
    control="EP-3",
    name="ep-3-rest-throttle-within-ceiling",
    description=(
        "Throttle settings of REST APIs (`MethodSettings.settings.throttlingRateLimit/throttlingBurstLimit`, "
        "`UsagePlan.throttleSettings.rateLimit/burstLimit` and per-stage `apiStages[].throttles[]`) that are set "
        "are no higher than the configured `maxRateLimit` / `maxBurstLimit` and not -1 (unthrottled)."
    ),
    remediation_steps=(
        "Lower the stage/method or usage plan throttle to the ceiling (pack config `maxRateLimit` requests/s, "
        "`maxBurstLimit` requests), or raise the ceiling for this stack with a documented capacity decision."
    ),
    resource_types=(METHOD_SETTINGS, USAGE_PLAN),
    config=CEILING_CONFIG,
)


def _pairs(r: Resource) -> Iterator[tuple[str, str, object]]:
    """(kind, where, value) for each throttle value set on the resource."""
    if r.type == METHOD_SETTINGS:
        for kind, key in (("rate", "throttlingRateLimit"), ("burst", "throttlingBurstLimit")):
            yield kind, f"settings.{key}", r.get(f"settings.{key}")
        return
    for kind, key in (("rate", "rateLimit"), ("burst", "burstLimit")):
        yield kind, f"throttleSettings.{key}", r.get(f"throttleSettings.{key}")
    for i, stage in enumerate(r.get("apiStages") or []):
        for j, throttle in enumerate(stage.get("throttles") or []):
            for kind, key in (("rate", "rateLimit"), ("burst", "burstLimit")):
                yield kind, f"apiStages[{i}].throttles[{j}].{key}", throttle.get(key)


@resource_policy(SPEC)
def ep_3_rest_throttle_within_ceiling(r: Resource) -> Iterable[str]:
    ceiling = Ceiling.of(r.config)
    for kind, where, value in _pairs(r):
        problem = ceiling.problem(kind, where, value, required=False)
        if problem:
            yield f"{r.type.rsplit(':', 1)[-1]} {r.name!r}: {problem}."
