"""EP-4: SageMaker models enable network isolation unless they declare, with a reason, that they need egress."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

MODEL = "aws:sagemaker/model:Model"
#: Tag whose value justifies a model that needs outbound network access (at least this many characters).
NEEDS_EGRESS_TAG = "needs-egress"
MIN_JUSTIFICATION = 20

SPEC = Spec(
    control="EP-4",
    name="ep-4-sagemaker-model-network-isolation",
    description=(
        "SageMaker models set `enableNetworkIsolation` to true (absent means the AWS default, false: the inference "
        "container can make outbound calls), unless the model carries a `needs-egress` tag whose value justifies "
        f"the egress in at least {MIN_JUSTIFICATION} characters."
    ),
    remediation_steps=(
        "Set `enable_network_isolation=True` on the model (model artifacts are still fetched by SageMaker). If the "
        "container must call out, tag the model `needs-egress: <why, approved by whom>` and restrict its security "
        "group egress instead. A model is immutable: the change creates a new model."
    ),
    resource_types=(MODEL,),
)


@resource_policy(SPEC)
def ep_4_sagemaker_model_network_isolation(r: Resource) -> Iterable[str]:
    isolation = r.get("enableNetworkIsolation")
    if isolation is True:
        return
    justification = str((r.get("tags") or {}).get(NEEDS_EGRESS_TAG) or "").strip()
    if len(justification) >= MIN_JUSTIFICATION:
        return
    found = "is not set (AWS default: false)" if isolation is None else f"is {isolation!r}"
    hint = (
        f"; the {NEEDS_EGRESS_TAG} tag is too short to justify egress"
        if justification
        else f", and no {NEEDS_EGRESS_TAG} tag justifies egress"
    )
    yield f"SageMaker model {r.name!r}: enableNetworkIsolation {found}{hint}; it must be true."
