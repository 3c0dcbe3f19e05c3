"""Provider-style inputs a component refuses by name, each with the fix: the Args field that replaces it.

Someone who knows the provider resource writes its argument names (``root_access``, ``vpc_config``...); with
``extra="forbid"`` alone pydantic would answer "extra inputs are not permitted". The Args model names the
provider keys it refuses and what to write instead::

    _REFUSED = {"root_access": "root is always denied (NB-2); there is no opt-in"}

    class ManagedNotebookArgs(BaseModel):
        _refuse_provider_fields = refuse_provider_fields(_REFUSED)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import model_validator


def refuse_provider_fields(refused: Mapping[str, str]) -> Any:
    """A ``mode="before"`` model validator raising ``<key>: <fix>`` for the first key of ``refused`` given."""

    def check(cls: type[Any], data: Any) -> Any:
        if isinstance(data, dict):
            for key, fix in refused.items():
                if key in data:
                    raise ValueError(f"{key}: {fix}")
        return data

    return model_validator(mode="before")(check)
