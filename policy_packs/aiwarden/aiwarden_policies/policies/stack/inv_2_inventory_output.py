"""INV-2: a stack with AI assets exports an `inventory` entry for each of them.

Decisions:
- AI assets are ``assets.asset_kind`` resources except log buckets (``lib.stack_assets``), plus Bedrock
  usage (``lib.bedrock``): a role allowed ``bedrock:InvokeModel*`` (``ai-identity``; when the grant reaches
  no role of the stack, the granting RolePolicy / UserPolicy / Policy / attachment is the asset), an API
  Gateway API forwarding to ``bedrock-runtime`` (``model-api``), a knowledge base (``knowledge-base``) and
  agents (``agent``). The identity is the asset, not the model: Bedrock models are AWS's, what the stack
  owns and a responder revokes is who may call them.
- An entry is found by ``name``/``urn`` of the asset or of its nearest component ancestor.
- Every field of ``contract.INVENTORY_FIELDS`` is required; ``owner``, ``kind``, ``purpose`` non-empty,
  ``environment`` a catalog environment (or alias), ``dataClassification`` a catalog classification,
  ``exposure`` one of ``contract.EXPOSURES``.
- ``identities`` is a list; it may be empty only for data stores (dataset buckets, vector stores),
  which are used by identities rather than running as one. Compute, endpoints, models, notebooks,
  agents and knowledge bases run as a role / service account that must be named; an ``ai-identity``
  entry names the identity itself, a ``model-api`` the role its integration calls Bedrock with.
- No output: one stack-level violation; unlisted asset or bad entry: a violation on the asset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiwarden_policies import contract
from aiwarden_policies.contract.assets import DATASET_BUCKET, VECTOR_STORE
from aiwarden_policies.contract.values import is_list, text
from aiwarden_policies.framework import Spec, Stack, stack_policy, stack_vocabulary
from aiwarden_policies.lib.stack_assets import Asset, ai_assets, manifest_findings

SPEC = Spec(
    control="INV-2",
    name="inv-2-inventory-output",
    description=(
        "A stack with AI assets (GPU compute, model endpoints, models, notebooks, vector stores, dataset buckets, "
        "agents, knowledge bases, roles allowed to invoke Bedrock models, APIs forwarding to Bedrock) exports "
        "`inventory`: one entry per asset with kind, owner, environment, dataClassification, exposure "
        "(private/internal/public), identities and purpose."
    ),
    remediation_steps=(
        "Build AI resources with the aiwarden components (each records an AssetRecord) and call "
        "`components._common.inventory.export_inventory()` at the end of the program; for raw resources call "
        "`record_asset(AssetRecord(name=<resource name>, kind=..., ownership=..., exposure=..., identities=[...]))` "
        "first. `identities` lists the roles / service accounts the asset runs as (empty only for data stores)."
    ),
)

#: Kinds whose entry may list no identity: data stores are used by identities, they do not run as one.
DATA_STORE_KINDS = frozenset({DATASET_BUCKET, VECTOR_STORE})


def entry_problems(asset: Asset, entry: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    missing = [
        f for f in contract.INVENTORY_FIELDS if f not in ("name", "identities") and not text(entry.get(f))
    ]
    if "identities" not in set(entry):
        missing.append("identities")
    if missing:
        problems.append(f"lacks {', '.join(missing)}")
    vocabulary = stack_vocabulary()
    environment = entry.get("environment")
    if text(environment) and vocabulary.canonical_environment(environment) is None:
        problems.append(f"environment {environment!r} is not one of {vocabulary.allowed_environments()}")
    classification = entry.get("dataClassification")
    if text(classification) and vocabulary.canonical_classification(classification) is None:
        problems.append(
            f"dataClassification {classification!r} is not one of {vocabulary.allowed_classifications()}"
        )
    exposure = entry.get("exposure")
    if text(exposure) and exposure not in contract.EXPOSURES:
        problems.append(f"exposure {exposure!r} is not one of {', '.join(contract.EXPOSURES)}")
    if "identities" in set(entry):
        identities = entry.get("identities")
        if not is_list(identities):
            problems.append("identities is not a list")
        elif not identities and asset.kind not in DATA_STORE_KINDS:
            problems.append(
                f"identities is empty (a {asset.kind} runs as a role or service account: list it)"
            )
    return problems


@stack_policy(SPEC)
def inv_2_inventory_output(stack: Stack) -> Iterable[tuple[str, str | None]]:
    assets = ai_assets(stack)
    if assets:
        yield from manifest_findings(stack, assets, contract.INVENTORY_OUTPUT, entry_problems)
