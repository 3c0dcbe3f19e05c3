"""Secret inputs: a value that must never sit in clear text in the program, its config or the state (SEC-1).

``SecretValue`` is the field type every component uses where a secret is expected: a
``pulumi.Output`` (``config.require_secret(...)``, ``pulumi.Output.secret(...)``, another
resource's secret output) passes, wrapped with ``pulumi.Output.secret`` so that the engine and
the state keep it encrypted whatever its origin; anything else (a plain ``str``, ``bytes``, a
dict) is refused with a message that names the field.
"""

from __future__ import annotations

from typing import Annotated, Any

import pulumi
from pydantic import AfterValidator, ValidationInfo, WithJsonSchema


def require_secret(value: Any, info: ValidationInfo) -> Any:
    """Refuse a plain value where a secret is expected; wrap an Output with ``pulumi.Output.secret``."""
    if value is None:
        return None
    field = info.field_name or "value"
    if not isinstance(value, pulumi.Output):
        raise ValueError(
            f"{field} is a plain {type(value).__name__}: it would sit in the program, its config and the state "
            "in clear text (control SEC-1); pass a pulumi.Output: config.require_secret('<key>') or "
            "pulumi.Output.secret(<value read from a secret store>)"
        )
    return pulumi.Output.secret(value)


SecretValue = Annotated[
    Any,
    AfterValidator(require_secret),
    WithJsonSchema({"description": "A pulumi.Output (secret); plain values are refused."}),
]
