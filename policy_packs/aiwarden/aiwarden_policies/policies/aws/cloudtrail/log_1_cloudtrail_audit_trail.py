"""LOG-1 (AWS): a stack with AWS AI assets has a CloudTrail trail for management and S3 data events.

Decisions:
- Applies when the stack has AWS AI assets (``lib.stack_assets``; log buckets are not assets).
- No ``aws:cloudtrail/trail:Trail``: one stack-level violation. A trail managed outside the stack
  (organization trail) is invisible to a stack policy: such stacks set this policy's level in the
  pack config, and say why in review.
- Each trail: ``isMultiRegionTrail`` true (absent: false), ``enableLogFileValidation`` true (absent:
  false), ``kmsKeyId`` set (absent: SSE-S3 only), ``enableLogging`` not false (absent: true).
- Management events, read and write, recorded by at least one trail (how selectors read:
  ``lib.cloudtrail``). Otherwise one stack-level violation.
- Each AWS dataset bucket: S3 object data events, read and write, recorded by the trails. A gap is
  reported on the bucket.
- SageMaker endpoints: CloudTrail records their administration, never ``InvokeEndpoint``; their
  invocation evidence is log-1-sagemaker-endpoint-invocation-evidence's check, the messages say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pulumi_policy import PolicyResource

from aiwarden_policies.contract.assets import DATASET_BUCKET, MODEL_ENDPOINT
from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.cloudtrail import BOTH, S3_OBJECT, TRAIL, management_events, s3_data_events
from aiwarden_policies.lib.relations import is_set
from aiwarden_policies.lib.stack_assets import Asset, ai_assets, applies, names

ENDPOINT_NOTE = (
    " CloudTrail records SageMaker endpoint administration but not InvokeEndpoint: invocation evidence comes "
    "from API Gateway access logs, WAF logs or data capture."
)

SPEC = Spec(
    control="LOG-1",
    name="log-1-cloudtrail-audit-trail",
    description=(
        "A stack with AWS AI assets has a CloudTrail trail that is multi-region, validates log files, is encrypted "
        "with KMS, records read and write management events, and records S3 object data events for its dataset "
        "buckets."
    ),
    remediation_steps=(
        "`aws.cloudtrail.Trail(..., is_multi_region_trail=True, enable_log_file_validation=True, kms_key_id=key.arn, "
        "s3_bucket_name=<locked log bucket>, event_selectors=[TrailEventSelectorArgs(read_write_type='All', "
        "include_management_events=True, data_resources=[TrailEventSelectorDataResourceArgs(type='AWS::S3::Object', "
        "values=[bucket.arn.apply(lambda a: f'{a}/')])])])`, or advanced event selectors with eventCategory Data and "
        "resources.type AWS::S3::Object. For SageMaker endpoints, capture invocations with data capture or API "
        "Gateway access logs."
    ),
    resource_types=(TRAIL,),
    security_hub=("CloudTrail.1", "CloudTrail.2", "CloudTrail.4"),
)


def trail_gaps(trail: PolicyResource) -> list[str]:
    gaps = []
    if trail.props.get("isMultiRegionTrail") is not True:
        gaps.append(
            "isMultiRegionTrail is not true (default: false, a single-region trail misses other regions)"
        )
    if trail.props.get("enableLogFileValidation") is not True:
        gaps.append("enableLogFileValidation is not true (default: false, tampered log files go unnoticed)")
    if not is_set(trail, "kmsKeyId"):
        gaps.append("kmsKeyId is not set (default: SSE-S3 only, readable by anyone who can read the bucket)")
    if trail.props.get("enableLogging") is False:
        gaps.append("enableLogging is false (the trail records nothing)")
    return gaps


def _missing(found: frozenset[str]) -> str:
    return " and ".join(sorted(BOTH - found))


@stack_policy(SPEC)
def log_1_cloudtrail_audit_trail(stack: Stack) -> Iterable[tuple[str, str | None]]:
    assets: list[Asset] = [a for a in ai_assets(stack) if a.cloud == "aws"]
    if not assets:
        return
    note = ENDPOINT_NOTE if any(a.kind == MODEL_ENDPOINT for a in assets) else ""
    trails = stack.of_type(TRAIL)
    if not trails:

        def no_trail() -> Iterator[str]:
            applies(assets)
            yield (
                f"No {TRAIL} in the stack, which holds AWS AI assets {names(assets)}: add a multi-region trail "
                f"with log file validation, a KMS key and S3 object data events for the dataset buckets.{note}"
            )

        yield from stack.whole(no_trail)
        return

    def trail_settings(trail: PolicyResource) -> Iterator[str]:
        gaps = trail_gaps(trail)
        if gaps:
            applies(assets)
            yield f"{TRAIL} {trail.name!r}: {'; '.join(gaps)}."

    def management() -> Iterator[str]:
        events = Readings(trails, management_events)
        found: frozenset[str] = frozenset().union(*events.values())
        if found == BOTH:
            return
        events.require()  # a trail unknown at preview may record the rest
        applies(assets)
        yield (
            f"No trail of the stack records {_missing(found)} management events (eventSelectors "
            f"includeManagementEvents/readWriteType, or advanced selectors eventCategory Management).{note}"
        )

    def data_events(asset: Asset) -> Iterator[str]:
        bucket = asset.resource
        name = str(bucket.props.get("bucket") or "")
        events = Readings(trails, lambda trail: s3_data_events(trail, name))
        found: frozenset[str] = frozenset().union(*events.values())
        if found == BOTH:
            return
        events.require()
        asset.sure()
        yield (
            f"{bucket.resource_type} {bucket.name!r}: no trail records its S3 object {_missing(found)} data "
            f"events (eventSelectors dataResources type {S3_OBJECT} with arn:aws:s3:::{name}/, or an advanced "
            f"selector eventCategory Data, resources.type {S3_OBJECT})."
        )

    yield from stack.each(trails, trail_settings)
    yield from stack.whole(management)
    yield from stack.each([a for a in assets if a.kind == DATASET_BUCKET], data_events)
