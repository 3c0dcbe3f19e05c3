"""One shape for what a cloud API accepts, whichever model it came from, and the check of a value against it.

botocore shapes and Google discovery schemas are both turned into a ``Spec``: a kind, and the constraints
the model states (enum, pattern, length or value range, members). A value is checked the way the
provider's API would check it at ``pulumi up``, but only where the value's shape matches the model's
(a Pulumi map where the API has a list of tags is not the API's shape: it is skipped, never guessed at).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

#: The Pulumi engine's marker for a value not known until apply (preview mode).
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#: The engine's marker of a secret value: ``{SECRET_SIG: SECRET_VALUE, "value": ...}``.
SECRET_SIG = "4dabf18193072939515e22adb298388d"


@dataclass
class Spec:
    """What an API member accepts. ``kind``: string, integer, number, boolean, structure, list, map or any."""

    kind: str
    enum: tuple[str, ...] = ()
    pattern: str = ""
    minimum: float | None = None
    maximum: float | None = None
    #: Structure members by their API name; resolved lazily (models are recursive).
    members: Mapping[str, Callable[[], Spec]] = field(default_factory=dict)
    item: Callable[[], Spec] | None = None
    #: Where a model only documents a constraint in prose, the documentation the check encodes.
    source: str = ""


@dataclass(frozen=True)
class Rejection:
    """A value the API would refuse: where (dotted path), what was given, what the API accepts."""

    path: str
    value: Any
    accepts: str
    secret: bool = False


def normalize(name: str) -> str:
    """The name both a Pulumi property and an API member reduce to (``retentionInDays`` = ``RetentionInDays``)."""
    return name.replace("_", "").replace("-", "").lower()


@cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    """The model's pattern as Python can run it, or None (Java-only syntax such as ``\\p{L}``)."""
    try:
        return re.compile(pattern)
    except re.error:
        return None


def pattern_matches(pattern: str, value: str) -> bool:
    """AWS models drop the anchors their API reference shows (``[a-z][a-z0-9-]+`` is documented as
    ``^[a-z][a-z0-9-]+$``): a pattern without anchors must match the whole value; an anchored one says
    itself what it anchors."""
    compiled = _compiled(pattern)
    if compiled is None:
        return True
    anchored = pattern.startswith("^") or pattern.endswith("$")
    return bool(compiled.search(value) if anchored else compiled.fullmatch(value))


def _unwrap(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict) and SECRET_SIG in value:
        return value.get("value"), True
    return value, False


def _shown(value: Any, secret: bool) -> Any:
    return "[secret]" if secret else value


def check(spec: Spec, value: Any, path: str, secret: bool = False) -> Iterator[Rejection]:
    """Every rejection the API would make of ``value`` under ``spec``; unknowns and shape mismatches pass."""
    value, wrapped = _unwrap(value)
    secret = secret or wrapped
    if value is None or value == UNKNOWN:
        return
    if spec.kind == "string" and isinstance(value, str):
        yield from _sourced(spec, _check_string(spec, value, path, secret))
    elif (
        spec.kind in ("integer", "number") and isinstance(value, int | float) and not isinstance(value, bool)
    ):
        yield from _sourced(spec, _check_number(spec, value, path, secret))
    elif spec.kind == "structure" and isinstance(value, dict):
        by_name = {normalize(name): member for name, member in spec.members.items()}
        for key, item in value.items():
            member = by_name.get(normalize(key))
            if member is not None:
                yield from check(member(), item, f"{path}.{key}", secret)
    elif spec.kind == "list" and isinstance(value, list):
        yield from _check_count(spec, len(value), path, "items")
        if spec.item is not None:
            item_spec = spec.item()
            for index, item in enumerate(value):
                yield from check(item_spec, item, f"{path}[{index}]", secret)
    elif spec.kind == "map" and isinstance(value, dict):
        yield from _check_count(spec, len(value), path, "entries")
        if spec.item is not None:
            item_spec = spec.item()
            for key, item in value.items():
                yield from check(item_spec, item, f"{path}.{key}", secret)


def _sourced(spec: Spec, found: Iterator[Rejection]) -> Iterator[Rejection]:
    """A documented constraint names its documentation in what the API accepts."""
    for rejection in found:
        if spec.source:
            rejection = Rejection(
                rejection.path, rejection.value, f"{rejection.accepts} ({spec.source})", rejection.secret
            )
        yield rejection


def _check_string(spec: Spec, value: str, path: str, secret: bool) -> Iterator[Rejection]:
    if spec.enum and value not in spec.enum:
        yield Rejection(path, _shown(value, secret), "one of " + ", ".join(spec.enum), secret)
        return
    if spec.minimum is not None and len(value) < spec.minimum:
        yield Rejection(path, _shown(value, secret), f"at least {spec.minimum:g} characters", secret)
    if spec.maximum is not None and len(value) > spec.maximum:
        yield Rejection(path, _shown(value, secret), f"at most {spec.maximum:g} characters", secret)
    if spec.pattern and not pattern_matches(spec.pattern, value):
        yield Rejection(path, _shown(value, secret), f"a value matching the pattern {spec.pattern}", secret)


def _check_number(spec: Spec, value: float, path: str, secret: bool) -> Iterator[Rejection]:
    if spec.kind == "integer" and not float(value).is_integer():
        yield Rejection(path, _shown(value, secret), "an integer", secret)
        return
    shown = int(value) if float(value).is_integer() else value
    if spec.enum and str(shown) not in spec.enum:
        yield Rejection(path, _shown(shown, secret), "one of " + ", ".join(spec.enum), secret)
        return
    if spec.minimum is not None and value < spec.minimum:
        yield Rejection(path, _shown(shown, secret), f"at least {spec.minimum:g}", secret)
    if spec.maximum is not None and value > spec.maximum:
        yield Rejection(path, _shown(shown, secret), f"at most {spec.maximum:g}", secret)


def _check_count(spec: Spec, count: int, path: str, what: str) -> Iterator[Rejection]:
    if spec.minimum is not None and count < spec.minimum:
        yield Rejection(path, f"{count} {what}", f"at least {spec.minimum:g} {what}")
    if spec.maximum is not None and count > spec.maximum:
        yield Rejection(path, f"{count} {what}", f"at most {spec.maximum:g} {what}")
