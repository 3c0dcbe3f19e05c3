"""IR-1: a stack with AI assets exports an `incidentResponse` entry for each of them.

Decisions:
- Same assets and entry matching as INV-2 (``lib.stack_assets``), Bedrock-using identities and APIs
  included: for an ``ai-identity`` the credentials to revoke are the identity's own sessions / keys, for a
  ``model-api`` the endpoint to disable is the API stage.
- Every field of ``contract.IR_FIELDS`` is required: ``ownerContact`` a non-empty string;
  ``credentialsToRevoke``, ``bucketsToInspect``, ``endpointsToDisable``, ``requestIdentifiers`` lists
  (empty where not applicable, e.g. a bucket has no endpoint to disable); ``logsToPreserve`` a
  non-empty list: every asset leaves evidence somewhere, and the responder must know where.
- No output: one stack-level violation; unlisted asset or bad entry: a violation on the asset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiwarden_policies import contract
from aiwarden_policies.contract.values import is_list, text
from aiwarden_policies.framework import Spec, Stack, stack_policy
from aiwarden_policies.lib.stack_assets import Asset, ai_assets, manifest_findings

SPEC = Spec(
    control="IR-1",
    name="ir-1-incident-response-output",
    description=(
        "A stack with AI assets exports `incidentResponse`: one entry per asset with ownerContact, "
        "credentialsToRevoke, bucketsToInspect, endpointsToDisable, logsToPreserve (non-empty) and "
        "requestIdentifiers."
    ),
    remediation_steps=(
        "Record each asset with `record_asset(AssetRecord(..., credentials_to_revoke=[...], buckets_to_inspect=[...], "
        "endpoints_to_disable=[...], logs_to_preserve=[<log group / bucket / sink and where>], "
        "request_identifiers=[...]))` (the aiwarden components do) and call `export_inventory()`; set "
        "`Ownership.contact` to the responder address (ownerContact falls back to the owner)."
    ),
)

LIST_FIELDS = tuple(f for f in contract.IR_FIELDS if f not in ("name", "ownerContact"))


def entry_problems(asset: Asset, entry: Mapping[str, Any]) -> list[str]:
    del asset  # every kind needs the same fields
    missing = [] if text(entry.get("ownerContact")) else ["ownerContact"]
    keys = set(entry)
    missing += [f for f in LIST_FIELDS if f not in keys]
    problems = [f"lacks {', '.join(missing)}"] if missing else []
    not_lists = [f for f in LIST_FIELDS if f in keys and not is_list(entry.get(f))]
    if not_lists:
        problems.append(f"{', '.join(not_lists)} must be lists")
    logs = entry.get("logsToPreserve") if "logsToPreserve" in keys else None
    if is_list(logs) and not logs:
        problems.append(
            "logsToPreserve is empty (name the log groups, buckets or sinks holding its evidence)"
        )
    return problems


@stack_policy(SPEC)
def ir_1_incident_response_output(stack: Stack) -> Iterable[tuple[str, str | None]]:
    assets = ai_assets(stack)
    if assets:
        yield from manifest_findings(stack, assets, contract.IR_OUTPUT, entry_problems)
