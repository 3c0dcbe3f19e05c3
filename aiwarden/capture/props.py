"""Engine-shaped property values: the special signatures of Pulumi's wire format.

Captured inputs keep the engine's shape (``request.object`` of RegisterResource, as JSON):
secrets stay wrapped, unknowns stay the unknown sentinel, numbers are floats. Resource
references are downgraded as the engine marshals them for a client that does not accept
them: a custom resource becomes its id, a component its URN.
"""

from __future__ import annotations

from typing import Any

from pulumi.runtime import rpc

UNKNOWN: str = rpc.UNKNOWN
SIG: str = rpc._special_sig_key
SECRET_SIG: str = rpc._special_secret_sig
RESOURCE_SIG: str = rpc._special_resource_sig
OUTPUT_SIG: str = rpc._special_output_value_sig


def secret(value: Any) -> dict[str, Any]:
    return {SIG: SECRET_SIG, "value": value}


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG) == SECRET_SIG


def downgrade_references(value: Any) -> Any:
    """Replace resource references (custom -> id, component -> URN) and output values by plain values."""
    if isinstance(value, dict):
        sig = value.get(SIG)
        if sig == RESOURCE_SIG:
            if "id" in value:
                ref_id = value["id"]
                return ref_id if ref_id not in ("", None) else UNKNOWN
            return value.get("urn", UNKNOWN)
        if sig == OUTPUT_SIG:
            inner = downgrade_references(value["value"]) if "value" in value else UNKNOWN
            return secret(inner) if value.get("secret") else inner
        return {k: downgrade_references(v) for k, v in value.items()}
    if isinstance(value, list):
        return [downgrade_references(v) for v in value]
    return value


def drop_internal_keys(props: dict[str, Any]) -> dict[str, Any]:
    """Top-level ``__`` keys (``__defaults``, ``__meta``) are the provider's, not the program's."""
    return {k: v for k, v in props.items() if not k.startswith("__")}


def plain(value: Any) -> Any:
    """Unwrap secrets (for reports that never print values and for policy-side reads)."""
    if is_secret(value):
        return plain(value.get("value"))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
